package advisory

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/osv-scalibr/semantic"

	"github.com/csreview/csreview"
)

// Versions compares versions in one ecosystem's own ordering.
type Versions interface {
	// Compare returns -1, 0 or +1 as a sorts before, the same as, or after
	// b. The error, a *csreview.Error with code EINVALID, says that a or b
	// is not a version of the ecosystem (PyPI, Debian, Alpine, CRAN and
	// Hackage reject malformed versions; the others order any string).
	Compare(a, b string) (int, error)
}

// VersionsFor returns the version ordering of an OSV ecosystem, ignoring any
// ":suffix" ("Debian:11" orders as "Debian"), and false for an ecosystem
// whose ordering is not known (GIT, Android, GitHub Actions, Linux…).
//
// The orderings are osv-scalibr's (github.com/google/osv-scalibr/semantic):
// Go, npm, crates.io, Hex… SemVer 2.0 with Go's "v" prefix, pseudo-versions
// and "+incompatible" handled; PyPI PEP 440; Maven ComparableVersion;
// Debian and Ubuntu dpkg; RPM for Red Hat, SUSE, AlmaLinux…; apk for Alpine,
// Wolfi, Chainguard; and the orderings of NuGet, RubyGems, Packagist, Pub,
// CRAN and Hackage.
func VersionsFor(ecosystem string) (Versions, bool) {
	base := baseEcosystem(ecosystem)
	if base == "" {
		return nil, false
	}
	if _, err := semantic.Parse("0", base); errors.Is(err, semantic.ErrUnsupportedEcosystem) {
		return nil, false
	}
	return semanticVersions{ecosystem: base}, true
}

// semverVersions is SemVer 2.0 precedence, the ordering of SEMVER ranges
// whatever the ecosystem (OSV schema, affected[].ranges[].type).
var semverVersions Versions = semverOrder{}

type semanticVersions struct{ ecosystem string }

func (s semanticVersions) Compare(a, b string) (int, error) { return compareWith(s, s.parse, a, b) }

// parser is an ordering whose versions can be parsed once and then
// compared with semantic.Version's Compare, as Matcher does.
type parser interface {
	name() string // the ordering's name in messages, unique among orderings
	parse(s string) (semantic.Version, error)
}

func (s semanticVersions) name() string { return s.ecosystem }

func (s semanticVersions) parse(v string) (pv semantic.Version, err error) {
	defer func() {
		if p := recover(); p != nil {
			pv, err = nil, badVersion(s.ecosystem, v)
		}
	}()
	pv, err = semantic.Parse(v, s.ecosystem)
	if err != nil {
		return nil, badVersion(s.ecosystem, v)
	}
	return pv, nil
}

type semverOrder struct{}

func (o semverOrder) Compare(a, b string) (int, error) { return compareWith(o, o.parse, a, b) }

func (semverOrder) name() string { return "SemVer" }

func (semverOrder) parse(v string) (pv semantic.Version, err error) {
	defer func() {
		if p := recover(); p != nil {
			pv, err = nil, badVersion("SemVer", v)
		}
	}()
	return semantic.ParseSemverVersion(v), nil
}

// compareWith compares a and b in p's ordering, each read by parse (p's
// own, or a Matcher's memory of it).
func compareWith(p parser, parse func(string) (semantic.Version, error), a, b string) (c int, err error) {
	va, err := parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := parse(b)
	if err != nil {
		return 0, err
	}
	// semantic is third-party code fed with strings from SBOMs and
	// advisories: a panic there must be an error here, not a crash.
	defer func() {
		if r := recover(); r != nil {
			c, err = 0, csreview.Errorf(csreview.EINVALID, "cannot compare %s versions %q and %q", p.name(), a, b)
		}
	}()
	c, err = va.Compare(vb)
	if err != nil {
		return 0, csreview.Errorf(csreview.EINVALID, "cannot compare %s versions %q and %q", p.name(), a, b)
	}
	return sign(c), nil
}

func badVersion(ecosystem, v string) error {
	return &csreview.Error{
		Code:    csreview.EINVALID,
		Message: fmt.Sprintf("%q is not a valid %s version", v, ecosystem),
		Fields:  []csreview.FieldError{{Field: "version", Rule: "invalid"}},
	}
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// baseEcosystem strips an ecosystem's ":suffix" (a release, a repository).
func baseEcosystem(ecosystem string) string {
	base, _, _ := strings.Cut(ecosystem, ":")
	return base
}
