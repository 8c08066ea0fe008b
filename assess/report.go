package assess

import (
	"fmt"
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

// AdvisoryInfo says which advisory database the assessment used: where
// from, how many records of which ecosystems, the newest record's modified
// time and the last import, with warnings when it is empty or stale. A
// finding's absence means only as much as this database covers.
type AdvisoryInfo struct {
	Source     string         `json:"source"`
	Records    int            `json:"records"`
	Ecosystems map[string]int `json:"ecosystems,omitempty"`
	// NewestModified and LastImport are absent when unknown (files read
	// for this run have no import).
	NewestModified *time.Time `json:"newest_modified,omitempty"`
	LastImport     *time.Time `json:"last_import,omitempty"`
	Warnings       []Note     `json:"warnings,omitempty"`
}

// Note is a warning in both languages, with a code for programs.
type Note struct {
	Code string `json:"code"`
	EN   string `json:"en"`
	ZH   string `json:"zh"`
}

// StaleAfter is how old the last import (or, for files, the newest record)
// may be before the report warns that the database may be stale: OSV's
// databases change daily, and a week without an import misses what was
// published that week.
const StaleAfter = 7 * 24 * time.Hour

// DatabaseInfo describes db read from source, with the warnings due at
// now: no records (no vulnerability can be found), or an import, or for
// files the newest record, older than StaleAfter.
func DatabaseInfo(source string, db csreview.AdvisoryDB, now time.Time) AdvisoryInfo {
	info := AdvisoryInfo{Source: source, Records: db.Records, Ecosystems: db.Ecosystems}
	if !db.NewestModified.IsZero() {
		t := db.NewestModified.UTC()
		info.NewestModified = &t
	}
	if !db.LastImport.IsZero() {
		t := db.LastImport.UTC()
		info.LastImport = &t
	}
	if db.Records == 0 {
		info.Warnings = append(info.Warnings, Note{Code: "advisories_empty",
			EN: "The advisory database is empty: no vulnerability can be found, and none found means nothing.",
			ZH: "漏洞库为空：无法发现任何漏洞，“未发现漏洞”不说明任何问题。"})
		return info
	}
	age, what, whatZH := time.Duration(0), "", ""
	switch {
	case info.LastImport != nil:
		age, what, whatZH = now.Sub(*info.LastImport), "last imported on "+info.LastImport.Format("2006-01-02"),
			"最近一次导入于 "+info.LastImport.Format("2006-01-02")
	case info.NewestModified != nil:
		age, what, whatZH = now.Sub(*info.NewestModified), "newest record modified on "+info.NewestModified.Format("2006-01-02"),
			"最新记录修改于 "+info.NewestModified.Format("2006-01-02")
	}
	if age > StaleAfter {
		days := int(age.Hours() / 24)
		info.Warnings = append(info.Warnings, Note{Code: "advisories_stale",
			EN: fmt.Sprintf("The advisory database may be stale: %s, %d days ago. Vulnerabilities published since are not found.", what, days),
			ZH: fmt.Sprintf("漏洞库可能已过时：%s，距今 %d 天，此后公布的漏洞无法发现。", whatZH, days)})
	}
	return info
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
	// Highest is the most severe rated finding that counts (not stated
	// not affected or fixed by VEX), or "" when none; Unrated counts the
	// unrated vulnerabilities that count, which Highest cannot place.
	Highest csreview.Severity `json:"highest"`
	Unrated int               `json:"unrated"`
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
	// Recommendation is the engine's reading for the assessor (one of the
	// Recommend… values), with the reason. It never reads "no technical
	// objection" while an unrated vulnerability counts.
	Recommendation string `json:"recommendation"`
	Reason         string `json:"reason"`
	ReasonZH       string `json:"reason_zh"`
}

// The engine's recommendations, gravest first.
const (
	RecommendMaterialRisk = "material_risk"
	RecommendRemediate    = "remediate_before_decision"
	RecommendRatingNeeded = "assessor_rating_needed"
	RecommendNoObjection  = "no_technical_objection"
)

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
				g.MessageZH = names[i] + "：" + f.MessageZH
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
			if f.Counts() && f.Severity == csreview.SeverityUnrated {
				s.Unrated++
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
	sum := &r.Summary
	switch {
	case Rank(sum.Highest) >= Rank(csreview.SeverityCritical):
		sum.Recommendation = RecommendMaterialRisk
		sum.Reason = "critical findings that the supplier has not stated not affected or fixed"
		sum.ReasonZH = "存在供应商未声明不受影响或已修复的严重风险发现"
	case Rank(sum.Highest) >= Rank(csreview.SeverityHigh):
		sum.Recommendation = RecommendRemediate
		sum.Reason = "high-severity findings to remediate, or to answer with VEX, before a conclusion"
		sum.ReasonZH = "存在高风险发现，应在作出结论前修复，或由供应商以 VEX 声明说明"
	case sum.Unrated > 0:
		// No rating is not a low rating: the assessor rates them first.
		sum.Recommendation = RecommendRatingNeeded
		sum.Reason = plural(sum.Unrated, "vulnerability that no record rates needs", "vulnerabilities that no record rates need") +
			" the assessor's rating before a conclusion"
		sum.ReasonZH = fmt.Sprintf("有 %d 个漏洞未被任何记录评级，须由评估人员评级后方可得出结论", sum.Unrated)
	default:
		sum.Recommendation = RecommendNoObjection
		sum.Reason = "no finding of high severity or above remains, and every vulnerability is rated"
		sum.ReasonZH = "未见高风险及以上的发现，且所有漏洞均已评级"
	}
	if sum.Unrated > 0 && sum.Recommendation != RecommendRatingNeeded {
		sum.Reason += "; " + plural(sum.Unrated, "unrated vulnerability also needs", "unrated vulnerabilities also need") + " the assessor's rating"
		sum.ReasonZH += fmt.Sprintf("；另有 %d 个未评级漏洞须由评估人员评级", sum.Unrated)
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
