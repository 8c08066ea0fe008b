package assess

import (
	"fmt"
	"io"
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
	fmt.Fprintf(w, "Regime %s (%s); advisories: %d records from %s\n", r.Regime.ID, r.Regime.Title, r.Advisories.Records, r.Advisories.Source)
	byCrit := map[string][]*Finding{}
	for _, f := range r.Findings {
		byCrit[f.Criterion] = append(byCrit[f.Criterion], f)
	}
	for _, c := range r.Criteria {
		fs := byCrit[c.ID]
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n== %s [%s] — %d findings\n", c.Text, c.Article, len(fs))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEVERITY\tCOMPONENT\tADVISORY\tVEX\tFINDING")
		for _, f := range fs {
			comp, adv, vex := "", "", ""
			if f.Component != nil {
				comp = f.Component.Name + "@" + f.Component.Version
			} else if len(f.Components) > 0 {
				comp = fmt.Sprintf("(%d components)", len(f.Components))
			}
			if f.Advisory != nil {
				adv = strings.Join(f.Advisory.Aliases, " ")
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
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Severity, comp, adv, vex, clip(msg, 100))
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

func clip(s string, n int) string {
	return csreview.Clip(strings.ReplaceAll(s, "\n", " "), n)
}
