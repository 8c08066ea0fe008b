package assess

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview/sbom"
)

// juiceReport assesses juice-shop with a VEX statement saying one of its
// vulnerabilities does not affect the product.
func juiceReport(t *testing.T) *Report {
	t.Helper()
	src := testSource(t)
	doc, err := sbom.ParseFile(filepath.Join(testdata, "sboms", "cyclonedx-json", "juice-shop-11.1.2.npm.cdx.json"), sbom.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	vex, err := ParseVEX([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example/vex/1","author":"supplier",
		"timestamp":"2026-01-01T00:00:00Z","version":1,"statements":[{"vulnerability":{"name":"CVE-2022-23529"},
		"products":[{"@id":"pkg:npm/jsonwebtoken"}],"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]}`), "vex.json")
	if err != nil {
		t.Fatal(err)
	}
	p := pack2021(t)
	res, err := Assess(doc, src, Options{Pack: p, SBOMName: "juice-shop.cdx.json", VEX: vex})
	if err != nil {
		t.Fatal(err)
	}
	return Build(p, Tool{Name: "csreview", Version: "test"}, AdvisoryInfo{Source: "testdata", Records: src.Count},
		[]*sbom.Document{doc}, []string{"juice-shop.cdx.json"}, []*Result{res}, time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC))
}

func TestVEXKeepsFindings(t *testing.T) {
	t.Parallel()
	r := juiceReport(t)
	var jwt []*Finding
	for _, f := range r.Findings {
		if f.Advisory != nil && strings.Contains(strings.Join(f.Advisory.Aliases, " "), "CVE-2022-23529") {
			jwt = append(jwt, f)
		}
	}
	if len(jwt) != 2 {
		t.Fatalf("jsonwebtoken findings: %d, want 2 (both versions, kept)", len(jwt))
	}
	for _, f := range jwt {
		if f.VEX == nil || f.VEX.Status != VEXNotAffected || f.Counts() {
			t.Errorf("finding %s: VEX %+v", f.ID, f.VEX)
		}
	}
	if r.Summary.VEXSuppressed != 2 || r.Summary.Vulnerabilities != 19 {
		t.Errorf("summary: %+v", r.Summary)
	}
}

func TestJSONSchemaFields(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(juiceReport(t)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema   string `json:"schema"`
		Findings []struct {
			Kind      string `json:"kind"`
			Component struct {
				PURL, Ecosystem, Name, Version string
			} `json:"component"`
			Advisory *struct {
				ID      string   `json:"id"`
				Aliases []string `json:"aliases"`
			} `json:"advisory"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != SchemaVersion {
		t.Errorf("schema %q", doc.Schema)
	}
	for _, f := range doc.Findings {
		if f.Kind != KindVulnerability {
			continue
		}
		c := f.Component
		if c.PURL == "" || c.Ecosystem != "npm" || c.Name == "" || c.Version == "" || f.Advisory == nil || f.Advisory.ID == "" || len(f.Advisory.Aliases) == 0 {
			t.Errorf("vulnerability finding lacks a required field: %+v %+v", c, f.Advisory)
		}
	}
}

func TestSARIF(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, juiceReport(t)); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "csreview" {
		t.Fatalf("SARIF envelope: %+v", log)
	}
	rules := map[string]bool{}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		rules[r.ID] = true
	}
	suppressed := 0
	for _, res := range log.Runs[0].Results {
		if !rules[res.RuleID] {
			t.Errorf("result names an undefined rule %s", res.RuleID)
		}
		if res.Level != "error" && res.Level != "warning" && res.Level != "note" {
			t.Errorf("level %q", res.Level)
		}
		if len(res.Locations) == 0 || res.PartialFingerprints["csreviewFinding/v1"] == "" {
			t.Errorf("result without location or fingerprint: %+v", res)
		}
		suppressed += len(res.Suppressions)
	}
	if suppressed != 2 {
		t.Errorf("VEX suppressions: %d, want 2", suppressed)
	}
}

func TestOSCAL(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	r := juiceReport(t)
	if err := WriteOSCAL(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc oscalDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	ar := doc.AssessmentResults
	if !uuid.MatchString(ar.UUID) || ar.Metadata.OSCALVersion == "" || len(ar.Results) != 1 {
		t.Fatalf("OSCAL envelope: %+v", ar.Metadata)
	}
	res := ar.Results[0]
	if len(res.Observations) != len(r.Findings) {
		t.Errorf("observations %d, findings %d", len(res.Observations), len(r.Findings))
	}
	if len(res.ReviewedControls.ControlSelections[0].IncludeControls) != len(r.Criteria) {
		t.Error("not every criterion is a reviewed control")
	}
	for _, f := range res.Findings {
		if !uuid.MatchString(f.UUID) || f.Target.Status.State != "not-satisfied" || len(f.RelatedObservations) == 0 {
			t.Errorf("OSCAL finding: %+v", f)
		}
	}
}

func TestHTML(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, juiceReport(t)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"技术评估报告", "2021 Measures Art. 10(1)", "CVE-2022-23529", "not_affected"} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "http://") {
		t.Error("HTML report loads scripts or external resources")
	}
}
