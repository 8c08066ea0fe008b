package assess

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sbom"
)

// ownReport assesses the project's own fixture SBOM (name: "shop.cdx.json"
// or "shop.spdx.json") against its own advisories and VEX.
func ownReport(t *testing.T, name string) *Report {
	t.Helper()
	src, err := LoadSource([]string{testenv.Own("osv")}, advisory.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sbom.ParseFile(testenv.Own("sboms", name), sbom.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	vb, err := os.ReadFile(testenv.Own("vex", "shop.openvex.json"))
	if err != nil {
		t.Fatal(err)
	}
	vex, err := ParseVEX(vb, "shop.openvex.json")
	if err != nil {
		t.Fatal(err)
	}
	p := pack2021(t)
	res, err := Assess(doc, src, Options{Pack: p, SBOMName: name, VEX: vex})
	if err != nil {
		t.Fatal(err)
	}
	return Build(p, Tool{Name: "csreview", Version: "test"}, AdvisoryInfo{Source: "testdata", Records: src.Count},
		[]*sbom.Document{doc}, []string{name}, []*Result{res}, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
}

// TestOwnFixtures: both forms of the fixture shop give the same four
// vulnerabilities at their own ratings — high from CVSS, unrated, critical
// but stated not affected, medium from the database's word — and nothing
// from the withdrawn record; the recommendation follows the high one, and
// every output format carries them.
func TestOwnFixtures(t *testing.T) {
	t.Parallel()
	want := map[string]csreview.Severity{
		"CSR-TEST-2026-0001": csreview.SeverityHigh,
		"CSR-TEST-2026-0002": csreview.SeverityUnrated,
		"CSR-TEST-2026-0003": csreview.SeverityCritical,
		"CSR-TEST-2026-0004": csreview.SeverityMedium,
	}
	for _, name := range []string{"shop.cdx.json", "shop.spdx.json"} {
		t.Run(name, func(t *testing.T) {
			r := ownReport(t, name)
			got := map[string]csreview.Severity{}
			for _, f := range r.Findings {
				if f.Advisory == nil {
					continue
				}
				got[f.Advisory.ID] = f.Severity
				if counts := f.Counts(); counts == (f.Advisory.ID == "CSR-TEST-2026-0003") {
					t.Errorf("%s counts %v (VEX %+v)", f.Advisory.ID, counts, f.VEX)
				}
			}
			if len(got) != len(want) {
				t.Errorf("advisories found: %v, want %v", got, want)
			}
			for id, sev := range want {
				if got[id] != sev {
					t.Errorf("%s: %q, want %q", id, got[id], sev)
				}
			}
			s := r.Summary
			if s.Vulnerabilities != 4 || s.VEXSuppressed != 1 || s.Highest != csreview.SeverityHigh ||
				s.Recommendation != "remediate_before_decision" || s.BySeverity[csreview.SeverityUnrated] != 1 {
				t.Errorf("summary: %+v", s)
			}
			var out bytes.Buffer
			if err := json.NewEncoder(&out).Encode(r); err != nil {
				t.Fatal(err)
			}
			for format, write := range map[string]func(*bytes.Buffer) error{
				"sarif": func(b *bytes.Buffer) error { return WriteSARIF(b, r) },
				"oscal": func(b *bytes.Buffer) error { return WriteOSCAL(b, r) },
				"html":  func(b *bytes.Buffer) error { return WriteHTML(b, r) },
			} {
				var b bytes.Buffer
				if err := write(&b); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if format != "html" && !json.Valid(b.Bytes()) {
					t.Errorf("%s is not JSON", format)
				}
				for id := range want {
					if !strings.Contains(b.String(), id) {
						t.Errorf("%s lacks %s", format, id)
					}
				}
				if strings.Contains(b.String(), "CSR-TEST-2026-0005") {
					t.Errorf("%s names the withdrawn record", format)
				}
			}
		})
	}
}
