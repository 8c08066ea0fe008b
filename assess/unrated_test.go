package assess

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/sbom"
)

// TestUnratedIsNotMedium: a vulnerability whose record gives no usable
// rating is reported as unrated — in the finding, the report's counts and
// the SARIF, which gives it no invented security-severity — while a rated
// one keeps its level. The records and the SBOM are written here.
func TestUnratedIsNotMedium(t *testing.T) {
	t.Parallel()
	src := NewMemorySource()
	for _, js := range []string{
		`{"schema_version":"1.6.0","id":"TEST-RATED","modified":"2026-01-01T00:00:00Z","summary":"rated",
		  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
		  "affected":[{"package":{"ecosystem":"npm","name":"rated-lib"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`,
		`{"schema_version":"1.6.0","id":"TEST-UNRATED","modified":"2026-01-01T00:00:00Z","summary":"no rating",
		  "affected":[{"package":{"ecosystem":"npm","name":"unrated-lib"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`,
	} {
		r, err := advisory.ParseRecord([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		src.Add(r)
	}
	doc, err := sbom.Parse(strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
		{"type":"library","bom-ref":"a","name":"rated-lib","version":"1.0.0","purl":"pkg:npm/rated-lib@1.0.0"},
		{"type":"library","bom-ref":"b","name":"unrated-lib","version":"1.0.0","purl":"pkg:npm/unrated-lib@1.0.0"}]}`), sbom.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	p := pack2021(t)
	res, err := Assess(doc, src, Options{Pack: p, SBOMName: "s.cdx.json"})
	if err != nil {
		t.Fatal(err)
	}
	rep := Build(p, Tool{Name: "csreview", Version: "test"}, AdvisoryInfo{Source: "test", Records: src.Count},
		[]*sbom.Document{doc}, []string{"s.cdx.json"}, []*Result{res}, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	got := map[string]csreview.Severity{}
	for _, f := range rep.Findings {
		if f.Advisory != nil {
			got[f.Advisory.ID] = f.Severity
		}
	}
	if got["TEST-RATED"] != csreview.SeverityHigh || got["TEST-UNRATED"] != csreview.SeverityUnrated {
		t.Fatalf("severities: %v, want TEST-RATED high and TEST-UNRATED unrated", got)
	}
	if rep.Summary.BySeverity[csreview.SeverityUnrated] != 1 || rep.Summary.BySeverity[csreview.SeverityMedium] != 0 {
		t.Errorf("by severity: %v", rep.Summary.BySeverity)
	}
	if risk := Risk(csreview.SeverityUnrated); risk != csreview.SeverityUnrated {
		t.Errorf("evidence risk of an unrated finding: %s", risk)
	}
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &sarif); err != nil {
		t.Fatal(err)
	}
	for _, r := range sarif.Runs[0].Tool.Driver.Rules {
		_, has := r.Properties["security-severity"]
		if r.ID == "TEST-UNRATED" && has || r.ID == "TEST-RATED" && !has {
			t.Errorf("rule %s: security-severity present %v", r.ID, has)
		}
	}
	for _, r := range sarif.Runs[0].Results {
		if r.RuleID == "TEST-UNRATED" && r.Level != "warning" {
			t.Errorf("unrated result level %s, want warning", r.Level)
		}
	}
}
