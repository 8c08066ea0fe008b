package assess

import (
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/sbom"
)

// Report is the result of an assessment of one or more SBOMs, in the
// documented, versioned JSON schema (SchemaVersion).
type Report struct {
	Schema      string             `json:"schema"`
	Tool        Tool               `json:"tool"`
	Generated   time.Time          `json:"generated"`
	Regime      RegimeRef          `json:"regime"`
	SBOMs       []SBOMInfo         `json:"sboms"`
	Findings    []*Finding         `json:"findings"`
	Criteria    []CriterionSummary `json:"criteria"`
	Summary     Summary            `json:"summary"`
	Advisories  AdvisoryInfo       `json:"advisories"`
	Unevaluated []string           `json:"unevaluated,omitempty"`
	// Graphs are, per SBOM, the dependency paths that lead to its risky
	// components (see Graph).
	Graphs []Graph `json:"graphs,omitempty"`
}

// Tool names the program that made the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// RegimeRef is the regime the findings are filed under.
type RegimeRef struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Citation string `json:"citation"`
}

// SBOMInfo describes an assessed SBOM and the defects it was read with.
type SBOMInfo struct {
	Name       string           `json:"name"`
	Format     string           `json:"format"`
	Spec       string           `json:"spec"`
	Components int              `json:"components"`
	Warnings   []SBOMWarningRef `json:"warnings,omitempty"`
}

// SBOMWarningRef is a defect of the SBOM and where it is.
type SBOMWarningRef struct {
	Where string `json:"where"`
	What  string `json:"what"`
}

// AdvisoryInfo says what the advisories were.
type AdvisoryInfo struct {
	Source  string `json:"source"`
	Records int    `json:"records"`
}

// CriterionSummary counts the findings under one criterion.
type CriterionSummary struct {
	ID         string                    `json:"id"`
	Text       string                    `json:"text"`
	TextZH     string                    `json:"text_zh"`
	Article    string                    `json:"article"`
	Kind       string                    `json:"kind"` // static or dynamic
	Findings   int                       `json:"findings"`
	BySeverity map[csreview.Severity]int `json:"by_severity"`
	// Highest is the most severe finding that counts (not stated not
	// affected or fixed by VEX), or "" when none.
	Highest csreview.Severity `json:"highest"`
}

// Summary sums the report up.
type Summary struct {
	Components      int                       `json:"components"`
	Vulnerabilities int                       `json:"vulnerabilities"`
	Vulnerable      int                       `json:"vulnerable_components"`
	BySeverity      map[csreview.Severity]int `json:"by_severity"`
	VEXSuppressed   int                       `json:"vex_not_affected_or_fixed"`
	// Highest is the most severe rated finding that counts; Unrated counts
	// the vulnerabilities that count and have no rating, which Highest
	// cannot place.
	Highest csreview.Severity `json:"highest"`
	Unrated int               `json:"unrated"`
	// Recommendation is the engine's reading for the assessor:
	// "no_technical_objection", "remediate_before_decision" or
	// "material_risk", with the reason.
	Recommendation string `json:"recommendation"`
	Reason         string `json:"reason"`
}

// Build assembles a report from per-SBOM results.
func Build(p *regime.Pack, tool Tool, adv AdvisoryInfo, docs []*sbom.Document, names []string, results []*Result, now time.Time) *Report {
	r := &Report{Schema: SchemaVersion, Tool: tool, Generated: now.UTC(), Advisories: adv,
		Regime: RegimeRef{ID: p.ID, Title: p.Title.EN, Citation: p.Citation.EN}, Findings: []*Finding{}}
	r.Summary.BySeverity = map[csreview.Severity]int{}
	vulnerable := map[string]bool{}
	for i, d := range docs {
		info := SBOMInfo{Name: names[i], Format: d.Format, Spec: d.SpecVersion, Components: len(d.Components)}
		for _, w := range d.Warnings {
			info.Warnings = append(info.Warnings, SBOMWarningRef{Where: w.Where, What: w.What})
		}
		r.SBOMs = append(r.SBOMs, info)
		r.Summary.Components += len(d.Components)
		res := results[i]
		for _, f := range res.Findings {
			// With several SBOMs, a finding about an SBOM as a whole (the
			// components without a supplier, say) says which.
			if len(docs) > 1 && f.Component == nil {
				g := *f
				g.Message = names[i] + ": " + f.Message
				f = &g
			}
			r.Findings = append(r.Findings, f)
		}
		r.Unevaluated = append(r.Unevaluated, res.Errors...)
		if g := RiskPaths(d, names[i], res.Findings); g.Risky > 0 {
			r.Graphs = append(r.Graphs, g)
		}
	}
	byCrit := map[string]*CriterionSummary{}
	for _, c := range p.Criteria {
		s := &CriterionSummary{ID: c.ID, Text: c.Text.EN, TextZH: c.Text.ZH, Article: p.Cite(c.Article, "en"), Kind: c.Kind,
			BySeverity: map[csreview.Severity]int{}}
		byCrit[c.ID] = s
		r.Criteria = append(r.Criteria, *s)
	}
	for _, f := range r.Findings {
		s := byCrit[f.Criterion]
		if s != nil {
			s.Findings++
			s.BySeverity[f.Severity]++
			if f.Counts() && Rank(f.Severity) > Rank(s.Highest) {
				s.Highest = f.Severity
			}
		}
		if f.Kind == KindVulnerability {
			r.Summary.Vulnerabilities++
			if f.Component != nil {
				vulnerable[f.Component.SBOM+"\x00"+f.Component.Ref+"\x00"+f.Component.PURL] = true
			}
		}
		if !f.Counts() {
			r.Summary.VEXSuppressed++
			continue
		}
		r.Summary.BySeverity[f.Severity]++
		if f.Severity == csreview.SeverityUnrated {
			r.Summary.Unrated++
		}
		if Rank(f.Severity) > Rank(r.Summary.Highest) {
			r.Summary.Highest = f.Severity
		}
	}
	for i := range r.Criteria {
		r.Criteria[i] = *byCrit[r.Criteria[i].ID]
	}
	r.Summary.Vulnerable = len(vulnerable)
	switch {
	case Rank(r.Summary.Highest) >= Rank(csreview.SeverityCritical):
		r.Summary.Recommendation = "material_risk"
		r.Summary.Reason = "critical findings that the supplier has not stated not affected or fixed"
	case Rank(r.Summary.Highest) >= Rank(csreview.SeverityHigh):
		r.Summary.Recommendation = "remediate_before_decision"
		r.Summary.Reason = "high-severity findings to remediate, or to answer with VEX, before a conclusion"
	default:
		r.Summary.Recommendation = "no_technical_objection"
		r.Summary.Reason = "no finding of high severity or above remains"
	}
	return r
}

// FailsOn reports whether any counting finding reaches the threshold. An
// unrated vulnerability reaches every threshold but none: it is not known
// to be below it.
func (r *Report) FailsOn(threshold string) bool {
	if threshold == "none" || threshold == "" {
		return false
	}
	return r.Summary.Unrated > 0 || Rank(r.Summary.Highest) >= Rank(csreview.Severity(threshold))
}
