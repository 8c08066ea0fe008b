package assess

import (
	"crypto/sha256"
	"fmt"
	"io"
	"time"

	"github.com/csreview/csreview/internal/indent"
)

// OSCAL 1.1 assessment-results (NIST): the criteria are the reviewed
// controls, each finding an observation, and each criterion with counting
// findings a finding "not-satisfied" that relates them.

// oscalUUID is a deterministic RFC 4122 version-5-shaped UUID from a name,
// so that the same report yields the same UUIDs.
func oscalUUID(name string) string {
	h := sha256.Sum256([]byte("csreview/oscal/" + name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

type oscalDoc struct {
	AssessmentResults oscalAR `json:"assessment-results"`
}

type oscalAR struct {
	UUID     string        `json:"uuid"`
	Metadata oscalMetadata `json:"metadata"`
	ImportAP struct {
		Href string `json:"href"`
	} `json:"import-ap"`
	Results []oscalResult `json:"results"`
}

type oscalMetadata struct {
	Title        string `json:"title"`
	LastModified string `json:"last-modified"`
	Version      string `json:"version"`
	OSCALVersion string `json:"oscal-version"`
}

type oscalResult struct {
	UUID             string             `json:"uuid"`
	Title            string             `json:"title"`
	Description      string             `json:"description"`
	Start            string             `json:"start"`
	ReviewedControls oscalReviewed      `json:"reviewed-controls"`
	Observations     []oscalObservation `json:"observations,omitempty"`
	Findings         []oscalFinding     `json:"findings,omitempty"`
}

type oscalReviewed struct {
	ControlSelections []struct {
		IncludeControls []oscalControl `json:"include-controls"`
	} `json:"control-selections"`
}

type oscalControl struct {
	ControlID string `json:"control-id"`
}

type oscalProp struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	NS    string `json:"ns,omitempty"`
}

type oscalObservation struct {
	UUID        string      `json:"uuid"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Props       []oscalProp `json:"props"`
	Methods     []string    `json:"methods"`
	Types       []string    `json:"types"`
	Collected   string      `json:"collected"`
}

type oscalFinding struct {
	UUID        string `json:"uuid"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Target      struct {
		Type     string `json:"type"`
		TargetID string `json:"target-id"`
		Status   struct {
			State string `json:"state"`
		} `json:"status"`
	} `json:"target"`
	RelatedObservations []struct {
		ObservationUUID string `json:"observation-uuid"`
	} `json:"related-observations"`
}

// WriteOSCAL writes the report as OSCAL assessment-results JSON.
func WriteOSCAL(w io.Writer, r *Report) error {
	at := r.Generated.Format(time.RFC3339)
	res := oscalResult{UUID: oscalUUID("result/" + at), Title: "csreview technical assessment under " + r.Regime.ID,
		Description: fmt.Sprintf("%d components; %s", r.Summary.Components, r.Summary.Reason), Start: at}
	sel := struct {
		IncludeControls []oscalControl `json:"include-controls"`
	}{}
	byCrit := map[string][]string{}
	for _, f := range r.Findings {
		obs := oscalObservation{UUID: oscalUUID("observation/" + f.ID), Title: f.Kind, Description: f.Message,
			Methods: []string{"TEST"}, Types: []string{"finding"}, Collected: at,
			Props: []oscalProp{{Name: "severity", Value: string(f.Severity), NS: "https://csreview.example/ns"},
				{Name: "criterion", Value: f.Criterion, NS: "https://csreview.example/ns"}}}
		if f.Advisory != nil {
			obs.Props = append(obs.Props, oscalProp{Name: "advisory", Value: f.Advisory.ID, NS: "https://csreview.example/ns"},
				oscalProp{Name: "rating-source", Value: f.Advisory.Rating.Source, NS: "https://csreview.example/ns"})
			if f.Advisory.Rating.Record != "" {
				obs.Props = append(obs.Props, oscalProp{Name: "rating-record", Value: f.Advisory.Rating.Record, NS: "https://csreview.example/ns"})
			}
		}
		if f.VEX != nil {
			obs.Props = append(obs.Props, oscalProp{Name: "vex-status", Value: f.VEX.Status, NS: "https://csreview.example/ns"})
		}
		res.Observations = append(res.Observations, obs)
		if f.Counts() {
			byCrit[f.Criterion] = append(byCrit[f.Criterion], obs.UUID)
		}
	}
	for _, c := range r.Criteria {
		sel.IncludeControls = append(sel.IncludeControls, oscalControl{ControlID: c.ID})
		obs := byCrit[c.ID]
		if len(obs) == 0 {
			continue
		}
		var f oscalFinding
		f.UUID = oscalUUID("finding/" + c.ID + "/" + at)
		f.Title = c.Text
		f.Description = fmt.Sprintf("%d findings under %s, the most severe %s", len(obs), c.Article, c.Highest)
		f.Target.Type, f.Target.TargetID, f.Target.Status.State = "objective-id", c.ID, "not-satisfied"
		for _, u := range obs {
			f.RelatedObservations = append(f.RelatedObservations, struct {
				ObservationUUID string `json:"observation-uuid"`
			}{u})
		}
		res.Findings = append(res.Findings, f)
	}
	res.ReviewedControls.ControlSelections = append(res.ReviewedControls.ControlSelections, sel)
	doc := oscalDoc{AssessmentResults: oscalAR{UUID: oscalUUID("ar/" + at + "/" + r.Regime.ID),
		Metadata: oscalMetadata{Title: "csreview assessment results: " + r.Regime.Title, LastModified: at,
			Version: r.Tool.Version, OSCALVersion: "1.1.2"}, Results: []oscalResult{res}}}
	doc.AssessmentResults.ImportAP.Href = "#" + r.Regime.ID
	return indent.Encode(w, doc)
}
