package advisory

import "testing"

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ eco, name, want string }{
		{"PyPI", "Flask_SQLAlchemy", "flask-sqlalchemy"},
		{"PyPI", "zope.interface", "zope-interface"},
		{"PyPI", "a-_.-b", "a-b"},
		{"PyPI", "_private", "-private"},
		{"PyPI", "Django", "django"},
		{"PyPI:https://example.org", "Django", "django"},
		{"NuGet", "Newtonsoft.Json", "newtonsoft.json"},
		{"Packagist", "Laravel/Framework", "laravel/framework"},
		{"npm", "Orchestrator", "Orchestrator"},
		{"npm", "@Scope/pkg_name", "@Scope/pkg_name"},
		{"Go", "github.com/Azure/go-ntlmssp", "github.com/Azure/go-ntlmssp"},
		{"Maven", "com.google.guava:guava", "com.google.guava:guava"},
		{"RubyGems", "Rails", "Rails"},
		{"", "X", "X"},
	} {
		if got := NormalizeName(tc.eco, tc.name); got != tc.want {
			t.Errorf("NormalizeName(%q, %q) = %q, want %q", tc.eco, tc.name, got, tc.want)
		}
	}
}

func TestSameEcosystem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Debian", "Debian", true},
		{"Debian:11", "Debian", true},
		{"Debian", "Debian:11", true},
		{"Debian:11", "Debian:11", true},
		{"Debian:11", "Debian:12", false},
		{"Ubuntu:22.04:LTS", "Ubuntu", true},
		{"Debian", "Ubuntu", false},
		{"PyPI", "pypi", false},
		{"npm", "npm", true},
	} {
		if got := sameEcosystem(tc.a, tc.b); got != tc.want {
			t.Errorf("sameEcosystem(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
