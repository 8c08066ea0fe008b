package assess

import (
	"bytes"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/sbom"
)

// TestWriteTriageVEX: the lab's triage reads back through cyclonedx-go as
// CycloneDX 1.6 VEX: each vulnerability with the component it affects, its
// rating where it has one (none for the unrated), and the lab's analysis,
// in_triage where no one has set a state.
func TestWriteTriageVEX(t *testing.T) {
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
	doc := ratingSBOM(t, "example.com/own", "example.com/none")
	res, err := Assess(doc, src, Options{Pack: p})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	rep := Build(p, Tool{Name: "csreview"}, AdvisoryInfo{}, []*sbom.Document{doc}, []string{"s"}, []*Result{res}, now)
	states := map[string]*csreview.Triage{}
	for _, f := range rep.Findings {
		if f.Advisory != nil && f.Advisory.ID == "GO-OWN" {
			states[f.ID] = &csreview.Triage{State: csreview.TriageNotAffected, Justification: "code_not_reachable", Comment: "unused", At: now}
		}
	}
	var b bytes.Buffer
	if err := WriteTriageVEX(&b, rep, states, VEXMeta{SerialNumber: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", Author: "CSR-2026-0001",
		Tool: Tool{Name: "csreview", Version: "test"}, Timestamp: now}); err != nil {
		t.Fatal(err)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(&b, cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	if bom.SpecVersion != cdx.SpecVersion1_6 || bom.Vulnerabilities == nil || len(*bom.Vulnerabilities) != 2 || bom.Components == nil || len(*bom.Components) != 2 {
		t.Fatalf("VEX: spec %v, %v vulnerabilities", bom.SpecVersion, bom.Vulnerabilities)
	}
	for _, v := range *bom.Vulnerabilities {
		switch v.ID {
		case "GO-OWN":
			if v.Analysis.State != cdx.IASNotAffected || v.Analysis.Justification != cdx.IAJCodeNotReachable || v.Analysis.Detail != "unused" ||
				v.Ratings == nil || (*v.Ratings)[0].Method != cdx.ScoringMethodCVSSv31 || (*v.Affects)[0].Ref != "pkg:golang/example.com/own@v1.0.0" {
				t.Errorf("GO-OWN: %+v", v)
			}
		case "GO-NONE":
			if v.Analysis.State != cdx.IASInTriage || v.Ratings != nil {
				t.Errorf("GO-NONE (unrated, untriaged): %+v", v)
			}
		default:
			t.Errorf("unexpected %s", v.ID)
		}
	}
}
