package assess

import (
	"io"
	"sort"
	"strconv"

	"github.com/csreview/csreview/internal/indent"

	"github.com/csreview/csreview"
)

// SARIF 2.1.0 (OASIS), as code-scanning tools read it: one rule per
// advisory or finding kind, one result per finding, the SBOM as the
// artefact and the package as a logical location; findings the supplier
// has stated not affected or fixed carry an external suppression.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	ShortDescription sarifText      `json:"shortDescription"`
	FullDescription  sarifText      `json:"fullDescription"`
	Properties       map[string]any `json:"properties"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Properties          map[string]any     `json:"properties"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation struct {
		URI string `json:"uri"`
	} `json:"artifactLocation"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

// sarifLevel maps severities onto SARIF levels.
func sarifLevel(sev csreview.Severity) string {
	switch sev {
	case csreview.SeverityCritical, csreview.SeverityHigh:
		return "error"
	case csreview.SeverityMedium, csreview.SeverityUnrated:
		// Unrated is not known to be minor: it needs a look.
		return "warning"
	}
	return "note"
}

// securitySeverity is the numeric severity code-scanning tools sort by: the
// CVSS score where there is one, else a value inside the band; "" for an
// unrated finding, which has no number to give.
func securitySeverity(f *Finding) string {
	if f.Advisory != nil && f.Advisory.Score > 0 {
		return strconv.FormatFloat(f.Advisory.Score, 'f', 1, 64)
	}
	return map[csreview.Severity]string{csreview.SeverityCritical: "9.5", csreview.SeverityHigh: "8.0", csreview.SeverityMedium: "5.5",
		csreview.SeverityLow: "2.0", csreview.SeverityInfo: "0.0"}[f.Severity]
}

// WriteSARIF writes the report as SARIF 2.1.0.
func WriteSARIF(w io.Writer, r *Report) error {
	crit := map[string]CriterionSummary{}
	for _, c := range r.Criteria {
		crit[c.ID] = c
	}
	rules := map[string]sarifRule{}
	var results []sarifResult
	for _, f := range r.Findings {
		ruleID, name, desc := f.Kind, f.Kind, f.Message
		if f.Advisory != nil {
			ruleID, name, desc = f.Advisory.ID, f.Advisory.ID, f.Advisory.Summary
			if desc == "" {
				desc = f.Advisory.ID
			}
		}
		c := crit[f.Criterion]
		if _, ok := rules[ruleID]; !ok {
			props := map[string]any{"tags": []string{"security", "supply-chain", f.Kind}, "criterion": f.Criterion}
			if ss := securitySeverity(f); ss != "" {
				props["security-severity"] = ss
			}
			rules[ruleID] = sarifRule{ID: ruleID, Name: name, ShortDescription: sarifText{clip(desc, 120)},
				FullDescription: sarifText{desc + " — " + c.Text + " [" + c.Article + "]"}, Properties: props}
		}
		res := sarifResult{RuleID: ruleID, Level: sarifLevel(f.Severity), Message: sarifText{f.Message},
			PartialFingerprints: map[string]string{"csreviewFinding/v1": f.ID},
			Properties:          map[string]any{"severity": f.Severity, "criterion": f.Criterion, "article": c.Article}}
		if f.Advisory != nil {
			en, _ := f.Advisory.Describe()
			res.Properties["rating"] = f.Advisory.Rating
			res.Message.Text += " [rated by: " + en + "]"
		}
		comps := f.Components
		if f.Component != nil {
			comps = []ComponentRef{*f.Component}
		}
		loc := sarifLocation{}
		for i, cr := range comps {
			if i == 0 && cr.SBOM != "" {
				loc.PhysicalLocation = &sarifPhysical{}
				loc.PhysicalLocation.ArtifactLocation.URI = cr.SBOM
			}
			if i < 20 {
				loc.LogicalLocations = append(loc.LogicalLocations, sarifLogical{Name: cr.Name + "@" + cr.Version,
					FullyQualifiedName: cr.PURL, Kind: "package"})
			}
		}
		if loc.PhysicalLocation == nil && len(r.SBOMs) > 0 {
			loc.PhysicalLocation = &sarifPhysical{}
			loc.PhysicalLocation.ArtifactLocation.URI = r.SBOMs[0].Name
		}
		res.Locations = []sarifLocation{loc}
		if f.VEX != nil && !f.Counts() {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted",
				Justification: "VEX " + f.VEX.Status + ": " + firstNonEmpty(f.VEX.Justification, f.VEX.Impact) + " (" + f.VEX.Source + ")"}}
		}
		results = append(results, res)
	}
	var ruleList []sarifRule
	for _, rl := range rules {
		ruleList = append(ruleList, rl)
	}
	sort.Slice(ruleList, func(i, j int) bool { return ruleList[i].ID < ruleList[j].ID })
	if results == nil {
		results = []sarifResult{}
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{{
		Tool: sarifTool{Driver: sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, Rules: ruleList}}, Results: results}}}
	return indent.Encode(w, log)
}
