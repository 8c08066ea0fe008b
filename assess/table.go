package assess

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/csreview/csreview"
)

// WriteTable prints the findings grouped by criterion, then a summary, for
// a terminal.
func WriteTable(w io.Writer, r *Report) error {
	for _, s := range r.SBOMs {
		fmt.Fprintf(w, "%s: %s %s, %d components", s.Name, s.Format, s.Spec, s.Components)
		if len(s.Warnings) > 0 {
			fmt.Fprintf(w, ", %d defects read past:", len(s.Warnings))
			for i, wn := range s.Warnings {
				if i == 5 {
					fmt.Fprintf(w, "\n  … %d more (see --format json)", len(s.Warnings)-5)
					break
				}
				fmt.Fprintf(w, "\n  %s: %s", wn.Where, wn.What)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Regime %s (%s)\n", r.Regime.ID, r.Regime.Title)
	writeDatabase(w, r.Advisories)
	byCrit := map[string][]*Finding{}
	for _, f := range r.Findings {
		byCrit[f.Criterion] = append(byCrit[f.Criterion], f)
	}
	for _, c := range r.Criteria {
		fs := byCrit[c.ID]
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n== %s [%s] — %s\n", c.Text, c.Article, plural(len(fs), "finding", "findings"))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEVERITY\tRATED BY\tCOMPONENT\tADVISORY\tVEX\tFINDING")
		for _, f := range fs {
			comp, adv, vex, rated := "", "", "", ""
			if f.Component != nil {
				comp = f.Component.Name + "@" + f.Component.Version
			} else if len(f.Components) > 0 {
				comp = "(" + plural(len(f.Components), "component", "components") + ")"
			}
			if f.Advisory != nil {
				adv = strings.Join(f.Advisory.Aliases, " ")
				rated = ratedBy(f.Advisory)
			}
			if f.VEX != nil {
				vex = f.VEX.Status
			}
			msg := f.Message
			if f.Advisory != nil {
				msg = f.Advisory.Summary
				if len(f.Advisory.Fixed) > 0 {
					msg += " (fixed in " + strings.Join(f.Advisory.Fixed, ", ") + ")"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, rated, comp, adv, vex, clip(msg, 100))
		}
		tw.Flush()
	}
	s := r.Summary
	fmt.Fprintf(w, "\nSummary: %d components, %d vulnerabilities in %d components", s.Components, s.Vulnerabilities, s.Vulnerable)
	for _, sev := range Severities {
		if n := s.BySeverity[sev]; n > 0 {
			fmt.Fprintf(w, ", %d %s", n, sev)
		}
	}
	if n := s.BySeverity[csreview.SeverityUnrated]; n > 0 {
		fmt.Fprintf(w, ", %d unrated (no rating in their records)", n)
	}
	if s.VEXSuppressed > 0 {
		fmt.Fprintf(w, "; %d stated not affected or fixed by the supplier (VEX)", s.VEXSuppressed)
	}
	fmt.Fprintf(w, "\nRecommendation: %s — %s\n", s.Recommendation, s.Reason)
	if len(r.Unevaluated) > 0 {
		fmt.Fprintf(w, "%d advisory checks could not be evaluated (see --format json)\n", len(r.Unevaluated))
	}
	return nil
}

// ratedBy is the short form of where a rating came from, for a column.
func ratedBy(a *AdvisoryRef) string {
	switch a.Rating.Source {
	case RatingCVSS:
		return fmt.Sprintf("CVSS %.1f", a.Score)
	case RatingAliasCVSS:
		return fmt.Sprintf("CVSS %.1f via %s", a.Score, a.Rating.Record)
	case RatingDatabase:
		return "database: " + a.Rating.Word
	}
	return "-"
}

// writeDatabase says which advisory database was used, and warns.
func writeDatabase(w io.Writer, a AdvisoryInfo) {
	fmt.Fprintf(w, "Advisories: %s, from %s", plural(a.Records, "record", "records"), a.Source)
	if len(a.Ecosystems) > 0 {
		ecos := make([]string, 0, len(a.Ecosystems))
		for e := range a.Ecosystems {
			ecos = append(ecos, e)
		}
		sort.Strings(ecos)
		for i, e := range ecos {
			ecos[i] = fmt.Sprintf("%s %d", e, a.Ecosystems[e])
		}
		fmt.Fprintf(w, " (%s)", strings.Join(ecos, ", "))
	}
	if a.NewestModified != nil {
		fmt.Fprintf(w, "; newest record modified %s", a.NewestModified.Format("2006-01-02"))
	}
	if a.LastImport != nil {
		fmt.Fprintf(w, "; last imported %s", a.LastImport.Format("2006-01-02 15:04 MST"))
	}
	fmt.Fprintln(w)
	for _, n := range a.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", n.EN)
	}
}

// plural writes n with the noun's singular or plural form.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func clip(s string, n int) string {
	return csreview.Clip(strings.ReplaceAll(s, "\n", " "), n)
}
