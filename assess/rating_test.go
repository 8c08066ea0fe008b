package assess

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sbom"
)

// ratingRecords are written for TestRatingOrder: one package per step of
// the order, and GHSA-ALIAS, which names no package of the SBOM but
// carries the CVSS that GO-ALIAS lacks.
var ratingRecords = []string{
	`{"id":"GO-OWN","modified":"2026-11-01T00:00:00Z","aliases":["GHSA-OWN"],
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}],
	  "database_specific":{"severity":"CRITICAL"},
	  "affected":[{"package":{"ecosystem":"Go","name":"example.com/own"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
	`{"id":"GHSA-OWN","modified":"2026-11-01T00:00:00Z","aliases":["CVE-2026-0001"],
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
	  "affected":[{"package":{"ecosystem":"Go","name":"example.com/elsewhere"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
	`{"id":"GO-ALIAS","modified":"2026-11-01T00:00:00Z","aliases":["GHSA-ALIAS"],
	  "database_specific":{"severity":"LOW"},
	  "affected":[{"package":{"ecosystem":"Go","name":"example.com/alias"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
	`{"id":"GHSA-ALIAS","modified":"2026-11-01T00:00:00Z","aliases":["GO-ALIAS"],
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
	  "affected":[{"package":{"ecosystem":"Go","name":"example.com/alias/v2"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
	`{"id":"GHSA-WORD","modified":"2026-11-01T00:00:00Z","database_specific":{"severity":"MODERATE"},
	  "affected":[{"package":{"ecosystem":"Go","name":"example.com/word"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
	`{"id":"GO-NONE","modified":"2026-11-01T00:00:00Z","aliases":["CVE-2026-0009"],
	  "affected":[{"package":{"ecosystem":"Go","name":"example.com/none"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
}

func ratingSBOM(t *testing.T, names ...string) *sbom.Document {
	t.Helper()
	var comps []string
	for i, n := range names {
		comps = append(comps, fmt.Sprintf(`{"type":"library","bom-ref":"c%d","name":%q,"version":"v1.0.0","purl":"pkg:golang/%s@v1.0.0"}`, i, n, n))
	}
	doc, err := sbom.Parse(strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[`+
		strings.Join(comps, ",")+`]}`), sbom.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestRatingOrder: the rating is the matched record's own CVSS (even over
// the database's word on the same record); else an alias record's CVSS,
// looked up by ID although it matches nothing; else the database's own
// word, labelled so; else unrated. The recommendation then never says
// "no technical objection" while an unrated vulnerability remains.
func TestRatingOrder(t *testing.T) {
	t.Parallel()
	src := NewMemorySource()
	for _, js := range ratingRecords {
		r, err := advisory.ParseRecord([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		src.Add(r)
	}
	p := pack2021(t)
	doc := ratingSBOM(t, "example.com/own", "example.com/alias", "example.com/word", "example.com/none")
	res, err := Assess(doc, src, Options{Pack: p})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		sev    csreview.Severity
		source string
		record string
	}
	wants := map[string]want{
		"GO-OWN":    {csreview.SeverityMedium, RatingCVSS, "GO-OWN"},
		"GO-ALIAS":  {csreview.SeverityHigh, RatingAliasCVSS, "GHSA-ALIAS"},
		"GHSA-WORD": {csreview.SeverityMedium, RatingDatabase, "GHSA-WORD"},
		"GO-NONE":   {csreview.SeverityUnrated, RatingNone, ""},
	}
	seen := 0
	for _, f := range res.Findings {
		if f.Advisory == nil {
			continue
		}
		w, ok := wants[f.Advisory.ID]
		if !ok {
			t.Errorf("unexpected finding %s", f.Advisory.ID)
			continue
		}
		seen++
		if f.Severity != w.sev || f.Advisory.Rating.Source != w.source || f.Advisory.Rating.Record != w.record {
			t.Errorf("%s: %s rated by %+v, want %s by %s %s", f.Advisory.ID, f.Severity, f.Advisory.Rating, w.sev, w.source, w.record)
		}
	}
	if seen != len(wants) {
		t.Fatalf("%d vulnerabilities, want %d", seen, len(wants))
	}
	for _, f := range res.Findings {
		if f.Advisory != nil && f.Advisory.ID == "GHSA-WORD" {
			if en, zh := f.Advisory.Describe(); !strings.Contains(en, "GitHub Advisory Database's own word: MODERATE") || !strings.Contains(zh, "非 CVSS 评分") {
				t.Errorf("GHSA-WORD described as %q / %q", en, zh)
			}
		}
	}

	// Without the alias lookup (a source that cannot resolve IDs), the
	// alias's CVSS is unknown: the database's word is next.
	noLookup := struct{ Source }{src}
	res2, err := Assess(ratingSBOM(t, "example.com/alias"), noLookup, Options{Pack: p})
	if err != nil {
		t.Fatal(err)
	}
	if f := res2.Findings[0]; f.Advisory == nil || f.Advisory.Rating.Source != RatingDatabase || f.Severity != csreview.SeverityLow {
		t.Errorf("without lookup: %+v", f)
	}

	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	build := func(names ...string) *Report {
		doc := ratingSBOM(t, names...)
		res, err := Assess(doc, src, Options{Pack: p})
		if err != nil {
			t.Fatal(err)
		}
		return Build(p, Tool{Name: "csreview"}, DatabaseInfo("test", src.Database(), now), []*sbom.Document{doc}, []string{"s"}, []*Result{res}, now)
	}
	for _, tt := range []struct {
		names []string
		want  string
	}{
		{[]string{"example.com/own"}, RecommendNoObjection},
		{[]string{"example.com/own", "example.com/none"}, RecommendRatingNeeded},
		{[]string{"example.com/alias", "example.com/none"}, RecommendRemediate},
	} {
		rep := build(tt.names...)
		if rep.Summary.Recommendation != tt.want {
			t.Errorf("%v: %s (%s), want %s", tt.names, rep.Summary.Recommendation, rep.Summary.Reason, tt.want)
		}
		if rep.Summary.Unrated > 0 && (!strings.Contains(rep.Summary.Reason, "assessor's rating") || !strings.Contains(rep.Summary.ReasonZH, "评估人员评级")) {
			t.Errorf("%v: the reason does not ask for the assessor's rating: %q / %q", tt.names, rep.Summary.Reason, rep.Summary.ReasonZH)
		}
	}

	// Every format carries the rating's source.
	rep := build("example.com/alias", "example.com/none")
	for name, write := range map[string]func(*bytes.Buffer) error{
		"json":  func(b *bytes.Buffer) error { return json.NewEncoder(b).Encode(rep) },
		"html":  func(b *bytes.Buffer) error { return WriteHTML(b, rep) },
		"sarif": func(b *bytes.Buffer) error { return WriteSARIF(b, rep) },
		"oscal": func(b *bytes.Buffer) error { return WriteOSCAL(b, rep) },
		"table": func(b *bytes.Buffer) error { return WriteTable(b, rep) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(name, err)
		}
		if !strings.Contains(b.String(), "GHSA-ALIAS") || !strings.Contains(b.String(), "alias") {
			t.Errorf("%s does not say the rating came from alias GHSA-ALIAS", name)
		}
	}
}

// TestDatabaseInfo: the report says which database it used, and warns when
// it is empty or its last import (for files, its newest record) is older
// than StaleAfter.
func TestDatabaseInfo(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	codes := func(i AdvisoryInfo) string {
		var cs []string
		for _, n := range i.Warnings {
			cs = append(cs, n.Code)
		}
		return strings.Join(cs, ",")
	}
	for _, tt := range []struct {
		db   csreview.AdvisoryDB
		want string
	}{
		{csreview.AdvisoryDB{}, "advisories_empty"},
		{csreview.AdvisoryDB{Records: 5, LastImport: now.Add(-time.Hour), NewestModified: now.AddDate(0, -3, 0)}, ""},
		{csreview.AdvisoryDB{Records: 5, LastImport: now.AddDate(0, 0, -8)}, "advisories_stale"},
		{csreview.AdvisoryDB{Records: 5, NewestModified: now.AddDate(0, 0, -2)}, ""},
		{csreview.AdvisoryDB{Records: 5, NewestModified: now.AddDate(0, -1, 0)}, "advisories_stale"},
	} {
		if got := codes(DatabaseInfo("x", tt.db, now)); got != tt.want {
			t.Errorf("%+v: warnings %q, want %q", tt.db, got, tt.want)
		}
	}
	src := NewMemorySource()
	for _, js := range ratingRecords {
		r, _ := advisory.ParseRecord([]byte(js))
		src.Add(r)
	}
	db := src.Database()
	if db.Records != len(ratingRecords) || db.Ecosystems["Go"] != len(ratingRecords) || !db.NewestModified.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("memory database: %+v", db)
	}
}

// TestUnratedOnRealSBOM: openshift-pipelines-client 1.14.3 (2,028
// components) against the shared advisories reports as unrated exactly
// the vulnerabilities whose records, and whose alias records in the
// store, carry no rating. Counted here from the OSV JSON itself, without
// the engine's rating code: 99 with the shared data as collected (its Go
// records carry no CVSS, and it holds none of their GHSA aliases).
func TestUnratedOnRealSBOM(t *testing.T) {
	t.Parallel()
	dir := testenv.Shared(t, "advisories", "osv")
	path := testenv.Shared(t, "sboms", "spdx-json", "openshift-pipelines-client-1.14.3.spdx.json")
	src, err := LoadSource([]string{dir}, advisory.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := sbom.Parse(f, sbom.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Assess(doc, src, Options{Pack: pack2021(t)})
	if err != nil {
		t.Fatal(err)
	}
	// The raw records, read as plain JSON.
	type raw struct {
		ID       string   `json:"id"`
		Aliases  []string `json:"aliases"`
		Severity []struct {
			Type string `json:"type"`
		} `json:"severity"`
		Affected []struct {
			Severity []struct {
				Type string `json:"type"`
			} `json:"severity"`
		} `json:"affected"`
		DB struct {
			Severity string `json:"severity"`
		} `json:"database_specific"`
	}
	rated := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var r raw
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(p, err)
		}
		has := len(r.Severity) > 0 || r.DB.Severity != ""
		for _, a := range r.Affected {
			has = has || len(a.Severity) > 0
		}
		rated[r.ID] = has
	}
	want, vulns, unrated := 0, 0, 0
	for _, f := range res.Findings {
		if f.Advisory == nil {
			continue
		}
		vulns++
		any := false
		for _, id := range append(append([]string{}, f.Advisory.Records...), f.Advisory.Aliases...) {
			any = any || rated[id]
		}
		if !any {
			want++
		}
		if f.Severity == csreview.SeverityUnrated {
			unrated++
		}
	}
	if unrated != want {
		t.Errorf("%d of %d vulnerabilities unrated, want %d (those with no rating in their records or alias records)", unrated, vulns, want)
	}
	if want != 99 || vulns != 99 {
		t.Errorf("the shared data gives %d vulnerabilities, %d without a rating; this test states 99 and 99", vulns, want)
	}
}
