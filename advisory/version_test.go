package advisory

import (
	"fmt"
	"testing"

	"github.com/csreview/csreview"
)

// ascending lists versions of one ecosystem in increasing order; "=" joins
// versions that compare equal.
var ascending = map[string][][]string{
	"Go": {
		// Pseudo-versions sort before the release they precede and by time.
		{"v0.0.0-20180101000000-aaaaaaaaaaaa", "0.0.0-20180925071336-cf3bd585ca2a"},
		{"0.0.0-20180925071336-cf3bd585ca2a", "v0.1.0"},
		{"v1.2.3-pre", "v1.2.3", "v1.2.4-0.20220101000000-abcdefabcdef", "v1.2.4"},
		{"1.9.0", "1.10.0", "v1.10.1"},
		// "v" prefix and +incompatible build metadata do not count.
		{"v1.2.3", "=", "1.2.3"},
		{"v2.0.0+incompatible", "=", "2.0.0"},
		{"v2.0.0+incompatible", "v2.0.1+incompatible"},
	},
	"PyPI": {
		// PEP 440: dev < pre (a < b < rc) < release < post.
		{"1.0.dev1", "1.0a1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0.post1", "1.1.dev0", "1.1"},
		{"1.0", "=", "1.0.0"},
		{"1.0RC1", "=", "1.0rc1"},
		{"1.0-post1", "=", "1.0.post1"},
		{"v1.0", "=", "1.0"},
		// Epochs win over everything.
		{"2024.1", "1!0.1"},
		{"0.9", "0.10", "0.10.1"},
	},
	"Maven": {
		// ComparableVersion: alpha < beta < milestone < rc < snapshot < release < sp.
		{"1.0-alpha-1", "1.0-beta-1", "1.0-milestone-1", "1.0-rc-1", "1.0-SNAPSHOT", "1.0", "1.0-sp1"},
		{"1.0", "=", "1.0.0"},
		{"1.0.RELEASE", "=", "1.0"},
		{"1.0-ga", "=", "1.0-final"},
		{"2.9.10", "2.9.10.1", "2.9.10.8", "2.10.0"},
		{"24.1.1-android", "24.1.1-jre"},
		{"1.4_3", "1.5"},
	},
	"npm": {
		// SemVer 2.0 §11's example.
		{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"},
		{"0.2.3", "0.10.0", "1.2.8", "1.2.10"},
		{"1.0.0+build.1", "=", "1.0.0"},
	},
	"Debian": {
		// Epochs, then upstream with ~ before anything, then revision.
		{"2.0-1", "1:1.0-1"},
		{"1.0~rc1-1", "1.0-1", "1.0-1+deb11u1", "1.0-2"},
		{"2.4-1", "2.30-1"},
		{"1.0", "=", "0:1.0"},
	},
	"Debian:11": {
		{"1.0~rc1-1", "1.0-1"},
	},
	"Alpine": {
		{"1.2.3-r0", "1.2.3-r1", "1.2.4-r0"},
		{"1.2.3_rc1-r0", "1.2.3-r0"},
	},
	"RubyGems": {
		{"1.0.0.pre", "1.0.0", "1.0.1"},
	},
	"NuGet": {
		{"1.0.0-beta", "1.0.0", "1.0.1"},
		{"1.0", "=", "1.0.0.0"},
	},
	"crates.io": {
		{"0.9.0", "0.10.0-alpha", "0.10.0"},
	},
}

func TestVersionsCompare(t *testing.T) {
	t.Parallel()
	for eco, lists := range ascending {
		o, ok := VersionsFor(eco)
		if !ok {
			t.Errorf("VersionsFor(%q): no ordering", eco)
			continue
		}
		for _, list := range lists {
			if len(list) == 3 && list[1] == "=" {
				check(t, o, eco, list[0], list[2], 0)
				continue
			}
			for i := range list {
				for j := range list {
					want := 0
					switch {
					case i < j:
						want = -1
					case i > j:
						want = 1
					}
					check(t, o, eco, list[i], list[j], want)
				}
			}
		}
	}
}

func check(t *testing.T, o Versions, eco, a, b string, want int) {
	t.Helper()
	t.Run(fmt.Sprintf("%s/%s_vs_%s", eco, a, b), func(t *testing.T) {
		got, err := o.Compare(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("Compare(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}

func TestVersionsFor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ecosystem string
		ok        bool
	}{
		{"Go", true},
		{"PyPI", true},
		{"Debian:11", true},
		{"Ubuntu:22.04:LTS", true},
		{"Red Hat:enterprise_linux:9::baseos", true},
		{"Maven:https://maven.google.com", true},
		{"GIT", false},
		{"Android", false},
		{"GitHub Actions", false},
		{"Linux", false},
		{"", false},
		{"pypi", false}, // OSV ecosystem names are case-sensitive
	} {
		t.Run(c.ecosystem, func(t *testing.T) {
			if _, ok := VersionsFor(c.ecosystem); ok != c.ok {
				t.Fatalf("got %v, want %v", ok, c.ok)
			}
		})
	}
}

func TestVersionsCompareInvalid(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ ecosystem, a, b string }{
		{"Debian", "a:b", "1.0"},
		{"Debian", "1.0", "a:b"},
		{"Debian", "", "1.0"},
	} {
		t.Run(c.ecosystem+"/"+c.a+"_vs_"+c.b, func(t *testing.T) {
			o, _ := VersionsFor(c.ecosystem)
			got, err := o.Compare(c.a, c.b)
			if c.a == "" { // dpkg reads "" as version 0
				if err != nil || got != -1 {
					t.Fatalf("got %d, %v; want -1, nil", got, err)
				}
				return
			}
			if code, want := csreview.ErrorCode(err), csreview.EINVALID; code != want {
				t.Fatalf("got %d, %v (%q), want an %s error", got, err, code, want)
			}
		})
	}
}
