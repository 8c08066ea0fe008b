package advisory

import (
	"fmt"
	"testing"

	"github.com/csreview/csreview"
)

// TestAffectsTestdata runs the edge cases the shared test data's README
// names against the real records.
func TestAffectsTestdata(t *testing.T) {
	t.Parallel()
	c := loadCorpus(t)
	for _, tc := range []struct {
		name, id, ecosystem, pkg, version string
		want                              bool
	}{
		// Introduced with no fixed: every version from 1.2.0 on.
		{"IntroducedNoFixed/below", "GHSA-fp5r-v3w9-4333", "Maven", "log4j:log4j", "1.1.3", false},
		{"IntroducedNoFixed/at", "GHSA-fp5r-v3w9-4333", "Maven", "log4j:log4j", "1.2.0", true},
		{"IntroducedNoFixed/keycloak", "GHSA-fp5r-v3w9-4333", "Maven", "log4j:log4j", "1.2.17", true},
		{"IntroducedNoFixed/far", "GHSA-fp5r-v3w9-4333", "Maven", "log4j:log4j", "99.0", true},
		{"IntroducedNoFixed/other package", "GHSA-fp5r-v3w9-4333", "Maven", "org.apache.logging.log4j:log4j-core", "2.0", false},
		// Two ranges [0, 0.2.1) and [1.0.0, 1.2.3): juice-shop's minimist
		// 0.2.3 and 1.2.8 are true negatives.
		{"Minimist/0.2.3", "GHSA-vh95-rmgr-6w4m", "npm", "minimist", "0.2.3", false},
		{"Minimist/1.2.8", "GHSA-vh95-rmgr-6w4m", "npm", "minimist", "1.2.8", false},
		{"Minimist/0.0.8", "GHSA-vh95-rmgr-6w4m", "npm", "minimist", "0.0.8", true},
		{"Minimist/0.2.1 fixed", "GHSA-vh95-rmgr-6w4m", "npm", "minimist", "0.2.1", false},
		{"Minimist/1.0.0 introduced", "GHSA-vh95-rmgr-6w4m", "npm", "minimist", "1.0.0", true},
		{"Minimist/1.2.2", "GHSA-vh95-rmgr-6w4m", "npm", "minimist", "1.2.2", true},
		{"Minimist/1.2.3 fixed", "GHSA-vh95-rmgr-6w4m", "npm", "minimist", "1.2.3", false},
		// last_affected across ten Maven packages.
		{"LastAffected/commons-io fixed", "GHSA-gwrp-pvrq-jmwv", "Maven", "commons-io:commons-io", "2.7", false},
		{"LastAffected/commons-io 2.6", "GHSA-gwrp-pvrq-jmwv", "Maven", "commons-io:commons-io", "2.6", true},
		{"LastAffected/vet at", "GHSA-gwrp-pvrq-jmwv", "Maven", "com.cosium.vet:vet", "3.22", true},
		{"LastAffected/vet after", "GHSA-gwrp-pvrq-jmwv", "Maven", "com.cosium.vet:vet", "3.23", false},
		{"LastAffected/vet before", "GHSA-gwrp-pvrq-jmwv", "Maven", "com.cosium.vet:vet", "0.9", false},
		{"LastAffected/single version", "GHSA-gwrp-pvrq-jmwv", "Maven", "org.apache.commons:commons-io", "1.3.2", true},
		{"LastAffected/single version next", "GHSA-gwrp-pvrq-jmwv", "Maven", "org.apache.commons:commons-io", "1.3.3", false},
		{"LastAffected/underscore version", "GHSA-gwrp-pvrq-jmwv", "Maven", "org.apache.servicemix.bundles:org.apache.servicemix.bundles.commons-io", "1.4_3", true},
		{"LastAffected/servlet-core", "GHSA-gwrp-pvrq-jmwv", "Maven", "org.smartboot.servlet:servlet-core", "0.6", true},
		{"LastAffected/servlet-core after", "GHSA-gwrp-pvrq-jmwv", "Maven", "org.smartboot.servlet:servlet-core", "0.7", false},
		// Records that also affect other ecosystems.
		{"OtherEcosystems/npm moment", "GHSA-8hfj-j24r-96c4", "npm", "moment", "2.0.0", true},
		{"OtherEcosystems/NuGet Moment.js", "GHSA-8hfj-j24r-96c4", "NuGet", "Moment.js", "2.29.1", true},
		{"OtherEcosystems/NuGet name case", "GHSA-8hfj-j24r-96c4", "NuGet", "moment.js", "2.29.1", true},
		{"OtherEcosystems/NuGet fixed", "GHSA-8hfj-j24r-96c4", "NuGet", "Moment.js", "2.29.2", false},
		{"OtherEcosystems/wrong ecosystem", "GHSA-8hfj-j24r-96c4", "npm", "Moment.js", "2.0.0", false},
		{"OtherEcosystems/RubyGems", "GHSA-wrvw-hg22-4m67", "RubyGems", "google-protobuf", "3.19.1", true},
		{"OtherEcosystems/Maven second range", "GHSA-wrvw-hg22-4m67", "Maven", "com.google.protobuf:protobuf-java", "3.18.1", true},
		{"OtherEcosystems/Maven between ranges", "GHSA-wrvw-hg22-4m67", "Maven", "com.google.protobuf:protobuf-java", "3.17.0", false},
		// Go: SEMVER ranges, module paths, pseudo-versions.
		{"Go/logrus hole", "GO-2025-4188", "Go", "github.com/sirupsen/logrus", "v1.8.3", false},
		{"Go/logrus 1.9.0", "GO-2025-4188", "Go", "github.com/sirupsen/logrus", "v1.9.0", true},
		{"Go/logrus 1.9.1", "GO-2025-4188", "Go", "github.com/sirupsen/logrus", "v1.9.1", false},
		{"Go/logrus 1.9.2", "GO-2025-4188", "Go", "github.com/sirupsen/logrus", "v1.9.2", true},
		{"Go/logrus 1.9.3", "GO-2025-4188", "Go", "github.com/sirupsen/logrus", "v1.9.3", false},
		{"Go/pseudo-version", "GO-2026-5543", "Go", "github.com/Azure/go-ntlmssp", "v0.0.0-20200615164410-66371956d46c", true},
		{"Go/module path case", "GO-2026-5543", "Go", "github.com/azure/go-ntlmssp", "v0.0.0-20200615164410-66371956d46c", false},
		{"Go/major version path", "GO-2026-4316", "Go", "github.com/go-chi/chi/v5", "v5.0.11", false},
		{"Go/major version path affected", "GO-2026-4316", "Go", "github.com/go-chi/chi/v5", "v5.2.3", true},
		{"Go/v1 path every version", "GO-2026-4316", "Go", "github.com/go-chi/chi", "v4.1.2+incompatible", true},
		// PyPI: names normalised on both sides.
		{"PyPI/pip", "PYSEC-2023-228", "PyPI", "pip", "22.2.2", true},
		{"PyPI/pip name", "PYSEC-2023-228", "PyPI", "PIP", "22.2.2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.byID[tc.id]
			if r == nil {
				t.Fatalf("%s not in the test data", tc.id)
			}
			got, err := Affects(r, tc.ecosystem, tc.pkg, tc.version)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("Affects(%s, %s %s %s) = %v, want %v", tc.id, tc.ecosystem, tc.pkg, tc.version, got, tc.want)
			}
		})
	}
}

// TestAffectsWithdrawn: every withdrawn record of the test data affects
// nothing, not even the versions its ranges cover.
func TestAffectsWithdrawn(t *testing.T) {
	t.Parallel()
	c := loadCorpus(t)
	n := 0
	for _, r := range c.byID {
		if !r.IsWithdrawn() {
			continue
		}
		n++
		for _, a := range r.Affected {
			for _, v := range append([]string{"0.0.1", "1.0.0", ""}, a.Versions...) {
				if got, err := Affects(r, a.Package.Ecosystem, a.Package.Name, v); got || err != nil {
					t.Errorf("withdrawn %s: Affects(%s %s) = %v, %v", r.ID, a.Package.Name, v, got, err)
				}
			}
		}
	}
	if n != 27 {
		t.Errorf("%d withdrawn records, want 27 (Go 17, PyPI 10)", n)
	}
}

func rec(affected ...Affected) *Record {
	return &Record{ID: "TEST-1", Affected: affected}
}

func pkgRanges(eco, name string, ranges ...Range) Affected {
	return Affected{Package: Package{Ecosystem: eco, Name: name}, Ranges: ranges}
}

func rng(typ string, events ...Event) Range { return Range{Type: typ, Events: events} }

func intro(v string) Event    { return Event{Introduced: v} }
func fixed(v string) Event    { return Event{Fixed: v} }
func last(v string) Event     { return Event{LastAffected: v} }
func limit(v string) Event    { return Event{Limit: v} }
func semver(e ...Event) Range { return rng(RangeSemver, e...) }
func ecosys(e ...Event) Range { return rng(RangeEcosystem, e...) }

func TestAffects(t *testing.T) {
	t.Parallel()
	multi := rec(pkgRanges("npm", "p", semver(intro("0"), fixed("1.0.0"), intro("2.1.0"), fixed("3.2.0"))))
	unsorted := rec(pkgRanges("npm", "p", ecosys(intro("2.1.0"), last("3.1.9"), fixed("1.0.0"), intro("0"))))
	for _, tc := range []struct {
		name          string
		r             *Record
		eco, pkg, ver string
		want          bool
	}{
		{"Multi/0.5", multi, "npm", "p", "0.5.0", true},
		{"Multi/prerelease of fix", multi, "npm", "p", "1.0.0-rc.1", true},
		{"Multi/fixed", multi, "npm", "p", "1.0.0", false},
		{"Multi/gap", multi, "npm", "p", "2.0.9", false},
		{"Multi/second", multi, "npm", "p", "3.1.0", true},
		{"Multi/after", multi, "npm", "p", "3.2.0", false},
		{"Unsorted/first", unsorted, "npm", "p", "0.1.0", true},
		{"Unsorted/gap", unsorted, "npm", "p", "1.5.0", false},
		{"Unsorted/last affected", unsorted, "npm", "p", "3.1.9", true},
		{"Unsorted/after", unsorted, "npm", "p", "3.2.0", false},
		{"EmptyRange", rec(pkgRanges("npm", "p", semver(intro("1.0.0"), fixed("1.0.0")))), "npm", "p", "1.0.0", false},
		{"EmptyRange/reversed", rec(pkgRanges("npm", "p", semver(fixed("1.0.0"), intro("1.0.0")))), "npm", "p", "1.0.0", false},
		{"Limit/below", rec(pkgRanges("npm", "p", semver(intro("0"), limit("2.0.0")))), "npm", "p", "1.9.9", true},
		{"Limit/at", rec(pkgRanges("npm", "p", semver(intro("0"), limit("2.0.0")))), "npm", "p", "2.0.0", false},
		{"Limit/two limits", rec(pkgRanges("npm", "p", semver(intro("0"), limit("1.0.0"), limit("3.0.0")))), "npm", "p", "2.0.0", true},
		{"Limit/star", rec(pkgRanges("npm", "p", semver(intro("0"), limit("*")))), "npm", "p", "99.0.0", true},
		{"Limit/with fixed", rec(pkgRanges("npm", "p", semver(intro("0"), fixed("1.0.0"), limit("2.0.0")))), "npm", "p", "1.5.0", false},
		{"IntroducedZero/any", rec(pkgRanges("Go", "m", semver(intro("0")))), "Go", "m", "v0.0.0-20000101000000-000000000000", true},
		// A GIT range needs the repository; it neither matches nor hides
		// the SEMVER range after it (osv-scanner stops at the first
		// non-SEMVER/ECOSYSTEM range).
		{"Git/ignored", rec(pkgRanges("npm", "p", rng(RangeGit, intro("0")))), "npm", "p", "1.0.0", false},
		{"Git/then semver", rec(pkgRanges("npm", "p", Range{Type: RangeGit, Repo: "r", Events: []Event{intro("abc")}}, semver(intro("0"), fixed("2.0.0")))), "npm", "p", "1.0.0", true},
		{"Versions/listed", rec(Affected{Package: Package{"PyPI", "p", ""}, Versions: []string{"1.0", "1.1"}}), "PyPI", "p", "1.1", true},
		{"Versions/equal in ordering", rec(Affected{Package: Package{"PyPI", "p", ""}, Versions: []string{"1.0", "1.1"}}), "PyPI", "p", "1.1.0", true},
		{"Versions/not listed", rec(Affected{Package: Package{"PyPI", "p", ""}, Versions: []string{"1.0", "1.1"}}), "PyPI", "p", "1.2", false},
		{"Versions/no ordering, exact", rec(Affected{Package: Package{"GitHub Actions", "o/a", ""}, Versions: []string{"v1"}}), "GitHub Actions", "o/a", "v1", true},
		{"NoRangesNoVersions", rec(Affected{Package: Package{"npm", "p", ""}}), "npm", "p", "1.0.0", false},
		{"EmptyVersion", multi, "npm", "p", "", true},
		{"EmptyVersion/no ranges", rec(Affected{Package: Package{"npm", "p", ""}}), "npm", "p", "", false},
		{"Ecosystem/suffix in record", rec(pkgRanges("Debian:11", "openssl", ecosys(intro("0"), fixed("1.1.1n-0+deb11u1")))), "Debian", "openssl", "1.1.1k-1", true},
		{"Ecosystem/suffix in query", rec(pkgRanges("Debian", "openssl", ecosys(intro("0"), fixed("1.1.1n-0+deb11u1")))), "Debian:11", "openssl", "1.1.1k-1", true},
		{"Ecosystem/same suffix", rec(pkgRanges("Debian:11", "openssl", ecosys(intro("0")))), "Debian:11", "openssl", "1.1.1k-1", true},
		{"Ecosystem/other release", rec(pkgRanges("Debian:12", "openssl", ecosys(intro("0")))), "Debian:11", "openssl", "1.1.1k-1", false},
		{"Ecosystem/epoch", rec(pkgRanges("Debian", "p", ecosys(intro("0"), fixed("1:1.0-1")))), "Debian", "p", "2.0-1", true},
		{"Ecosystem/other", rec(pkgRanges("PyPI", "p", ecosys(intro("0")))), "npm", "p", "1.0.0", false},
		{"Name/PyPI normalised", rec(pkgRanges("PyPI", "Flask_SQLAlchemy", ecosys(intro("0")))), "PyPI", "flask.sqlalchemy", "2.0", true},
		{"Name/npm case-sensitive", rec(pkgRanges("npm", "Orchestrator", semver(intro("0")))), "npm", "orchestrator", "1.0.0", false},
		{"Name/Go case-sensitive", rec(pkgRanges("Go", "github.com/Azure/x", semver(intro("0")))), "Go", "github.com/azure/x", "v1.0.0", false},
		{"Name/git-only entry", rec(Affected{Ranges: []Range{{Type: RangeGit, Repo: "https://x", Events: []Event{intro("0")}}}}), "", "", "1.0", false},
		{"Withdrawn", &Record{ID: "W", Withdrawn: multi.Modified.AddDate(2000, 0, 0), Affected: multi.Affected}, "npm", "p", "0.5.0", false},
		{"NilRecord", nil, "npm", "p", "1.0.0", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Affects(tc.r, tc.eco, tc.pkg, tc.ver)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAffectsErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		r             *Record
		eco, pkg, ver string
		code          string
	}{
		{"ErrNoOrdering", rec(pkgRanges("Android", "Framework", ecosys(intro("0"), fixed("13")))), "Android", "Framework", "12", csreview.EUNSUPPORTED},
		{"ErrBadVersion", rec(pkgRanges("Debian", "p", ecosys(intro("0"), fixed("2.0")))), "Debian", "p", "a:b", csreview.EINVALID},
		{"ErrBadEvent", rec(pkgRanges("Debian", "p", ecosys(intro("x:y"), fixed("2.0")))), "Debian", "p", "1.0", csreview.EINVALID},
		{"ErrBadLimit", rec(pkgRanges("Debian", "p", ecosys(intro("0"), limit("x:y")))), "Debian", "p", "1.0", csreview.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Affects(tc.r, tc.eco, tc.pkg, tc.ver)
			if got {
				t.Fatal("got true, want false")
			}
			if code := csreview.ErrorCode(err); code != tc.code {
				t.Fatalf("got %v (%q), want code %q", err, code, tc.code)
			}
			if csreview.AsError(err) == nil {
				t.Fatalf("got %T, want a *csreview.Error", err)
			}
		})
	}
	// An entry that matches wins over one that cannot be evaluated.
	r := rec(pkgRanges("Debian", "p", ecosys(intro("x:y"))), pkgRanges("Debian", "p", ecosys(intro("0"))))
	if got, err := Affects(r, "Debian", "p", "1.0"); !got || err != nil {
		t.Fatalf("got %v, %v; want true, nil", got, err)
	}
	// A listed version needs no ordering.
	r = rec(Affected{Package: Package{"Android", "Framework", ""}, Versions: []string{"12"}, Ranges: []Range{ecosys(intro("0"), fixed("13"))}})
	if got, err := Affects(r, "Android", "Framework", "12"); !got || err != nil {
		t.Fatalf("got %v, %v; want true, nil", got, err)
	}
}

// TestMatcherAgrees: one Matcher, remembering parsed versions and sorted
// events across every record of the shared test data, answers as Affects
// does afresh each time — the versions the records name, a version between
// them and malformed ones, in each record's own ecosystem.
func TestMatcherAgrees(t *testing.T) {
	t.Parallel()
	c := loadCorpus(t)
	var m Matcher
	n := 0
	for _, eco := range []string{"Go", "PyPI", "npm", "Maven"} {
		for i, r := range c.byEco[eco] {
			if i%3 != 0 {
				continue // a third of the records keeps the test short under -race
			}
			n += matcherAgrees(t, &m, r)
		}
	}
	if n < 10000 {
		t.Fatalf("only %d checks", n)
	}
	t.Logf("%d checks", n)
}

func matcherAgrees(t *testing.T, m *Matcher, r *Record) (n int) {
	t.Helper()
	for _, a := range r.Affected {
		if a.Package.Name == "" {
			continue
		}
		versions := []string{"", "0.0.1", "1.2.3-rc.1", "not a version!", "v99"}
		for _, rg := range a.Ranges {
			for _, e := range rg.Events {
				versions = append(versions, e.version())
			}
		}
		versions = append(versions, a.Versions[:min(len(a.Versions), 3)]...)
		for _, v := range versions {
			got, gotErr := m.Affects(r, a.Package.Ecosystem, a.Package.Name, v)
			want, wantErr := Affects(r, a.Package.Ecosystem, a.Package.Name, v)
			if got != want || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("%s, %s@%q: Matcher says %v, %v; Affects says %v, %v", r.ID, a.Package.Name, v, got, gotErr, want, wantErr)
			}
			n++
		}
	}
	return n
}
