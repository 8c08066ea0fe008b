package advisory

import (
	"strings"
)

// NormalizeName returns the form of a package name under which csreview
// indexes and matches it in an OSV ecosystem, so that the names an SBOM and
// an advisory write for one package compare equal:
//
//   - PyPI: PEP 503 normalisation, lower case with each run of "-", "_" and
//     "." replaced by one "-" ("Flask_SQLAlchemy" → "flask-sqlalchemy"); the
//     OSV schema says PyPI names are normalised, osv.dev normalises them and
//     pip treats the forms as one package.
//   - NuGet and Packagist: lower case, since both registries treat package
//     IDs case-insensitively ("Newtonsoft.Json" is "newtonsoft.json").
//   - every other ecosystem: as is. Go module paths, Maven coordinates, npm
//     and RubyGems names are case-sensitive.
//
// A ":suffix" on the ecosystem ("PyPI:…", "Packagist:https://…") is ignored.
func NormalizeName(ecosystem, name string) string {
	switch baseEcosystem(ecosystem) {
	case "PyPI":
		return pep503(name)
	case "NuGet", "Packagist":
		return strings.ToLower(name)
	}
	return name
}

// pep503 is PEP 503's re.sub(r"[-_.]+", "-", name).lower().
func pep503(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for _, r := range name {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	if sep {
		b.WriteByte('-')
	}
	return strings.ToLower(b.String())
}

// sameEcosystem compares OSV ecosystems the way osv-scanner does
// (osv-scalibr osvecosystem.Parsed.Equal): the base names must be equal, and
// the suffixes too when both have one, so "Debian:11" matches "Debian" and
// "Debian:11" but not "Debian:12".
func sameEcosystem(a, b string) bool {
	abase, asuf, _ := strings.Cut(a, ":")
	bbase, bsuf, _ := strings.Cut(b, ":")
	if abase != bbase {
		return false
	}
	return asuf == "" || bsuf == "" || asuf == bsuf
}
