package site

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/internal/testenv"
)

// BenchmarkFindingsTable: a page of the findings table of an analysis of
// 2,000 components with 300 findings, read from its report JSON,
// filtered by a search, sorted by component and paged, against the bare
// decode of the same report (x-plain: the table's cost over the decode,
// both measured in the same run). Bound: 1.5x.
func BenchmarkFindingsTable(b *testing.B) {
	rep := &assess.Report{Findings: []*assess.Finding{}}
	sevs := []csreview.Severity{csreview.SeverityCritical, csreview.SeverityHigh, csreview.SeverityMedium, csreview.SeverityLow, csreview.SeverityUnrated}
	triage := map[string]*csreview.Triage{}
	for i := 0; i < 300; i++ {
		f := &assess.Finding{ID: fmt.Sprintf("%016x", i), Kind: assess.KindVulnerability, Criterion: "cac2021.10.1", Severity: sevs[i%len(sevs)],
			Message:   fmt.Sprintf("pkg-%d 1.%d.0 is affected by GHSA-%04d: a flaw", i%2000, i, i),
			MessageZH: fmt.Sprintf("pkg-%d 1.%d.0 受 GHSA-%04d 影响：a flaw", i%2000, i, i),
			Component: &assess.ComponentRef{Name: fmt.Sprintf("pkg-%d", i%2000), Version: fmt.Sprintf("1.%d.0", i), Ecosystem: "npm",
				PURL: fmt.Sprintf("pkg:npm/pkg-%d@1.%d.0", i%2000, i)},
			Advisory: &assess.AdvisoryRef{ID: fmt.Sprintf("GHSA-%04d", i), Aliases: []string{fmt.Sprintf("CVE-2026-%04d", i)}, Summary: "a flaw"}}
		rep.Findings = append(rep.Findings, f)
		if i%7 == 0 {
			triage[f.ID] = &csreview.Triage{Key: f.ID, State: csreview.TriageExploitable}
		}
	}
	// The aggregate findings of 2,000 components: no version, no supplier.
	var comps []assess.ComponentRef
	for i := 0; i < 2000; i++ {
		comps = append(comps, assess.ComponentRef{Name: fmt.Sprintf("pkg-%d", i), Ecosystem: "npm"})
	}
	rep.Findings = append(rep.Findings, &assess.Finding{ID: "nosupplier", Kind: assess.KindNoSupplier, Criterion: "cac2021.10.3",
		Severity: csreview.SeverityLow, Components: comps, Message: "2000 of 2000 components name no supplier"})
	raw, err := json.Marshal(rep)
	if err != nil {
		b.Fatal(err)
	}
	f := FindingsFilter{Query: "pkg-1", Sort: "component", Page: csreview.Page{Limit: 50}}
	decode := func() *assess.Report {
		var r assess.Report
		if err := json.Unmarshal(raw, &r); err != nil {
			b.Fatal(err)
		}
		return &r
	}
	testenv.Ratio(b, func() {
		if t := FilterFindings(decode(), triage, f); t.Total == 0 {
			b.Fatal("no rows")
		}
	}, func() { decode() })
}
