package procure

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

func packs(t *testing.T) map[string]*regime.Pack {
	t.Helper()
	list, err := regime.Packs()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*regime.Pack{}
	for _, p := range list {
		m[p.ID] = p
	}
	return m
}

var (
	affects   = &csreview.Determination{ID: 7, Affects: true, DecidedOn: "2019-03-01"}
	noEffect  = &csreview.Determination{ID: 8, Affects: false, DecidedOn: "2019-03-01"}
	statuses  = csreview.ProductStatuses
	mayBuy    = csreview.VerdictMayBuy
	fileFirst = csreview.VerdictFileFirst
	mustNot   = csreview.VerdictMustNotBuy
)

// TestVerdictTable walks every regime, every way the need for review is
// settled, and every product status, against the table of DESIGN §6.
func TestVerdictTable(t *testing.T) {
	byID := packs(t)
	type need struct {
		name     string
		cii      bool
		forecast string
		det      *csreview.Determination
		notReq   string
	}
	// What each need yields, per kind of pack.
	type want struct{ determination, forecast string }
	needs := []struct {
		need
		required want
	}{
		{need{name: "not CII"}, want{"no", "no"}},
		{need{name: "CII, nothing recorded", cii: true}, want{"undetermined", "undetermined"}},
		{need{name: "CII, forecast may affect", cii: true, forecast: "may_affect"}, want{"undetermined", "yes"}},
		{need{name: "CII, forecast no effect", cii: true, forecast: "no_effect"}, want{"undetermined", "no"}},
		{need{name: "CII, determination affects", cii: true, det: affects}, want{"yes", "yes"}},
		{need{name: "CII, determination affects, forecast no effect", cii: true, forecast: "no_effect", det: affects}, want{"yes", "yes"}},
		{need{name: "CII, determination no effect", cii: true, det: noEffect}, want{"no", "no"}},
		{need{name: "CII, determination no effect, forecast may affect", cii: true, forecast: "may_affect", det: noEffect}, want{"no", "yes"}},
		{need{name: "CII, office decided no review", cii: true, notReq: "CSR-2026-0003"}, want{"no", "no"}},
	}
	// The verdict for a status, given whether review is required.
	verdict := func(status, required string, cii bool) string {
		switch status {
		case csreview.StatusPassed:
			return mayBuy
		case csreview.StatusFailed, csreview.StatusRevoked:
			if cii {
				return mustNot
			}
			return mayBuy
		}
		if required == "no" {
			return mayBuy
		}
		return fileFirst
	}
	for _, id := range []string{"cac-2017-draft", "cac-2017-trial", "cac-2020", "cac-2021"} {
		p := byID[id]
		for _, n := range needs {
			wantReq := n.required.forecast
			if p.Procurement.Decides == "determination" {
				wantReq = n.required.determination
			}
			for _, st := range statuses {
				t.Run(id+"/"+n.name+"/"+st, func(t *testing.T) {
					a := Decide(Facts{Pack: p, Packs: byID, CII: n.cii, Forecast: n.forecast, Determination: n.det,
						NotRequiredRef: n.notReq, Status: st, StatusRef: "ref"})
					if a.Required != wantReq {
						t.Errorf("required = %s, want %s", a.Required, wantReq)
					}
					if w := verdict(st, wantReq, n.cii); a.Verdict != w {
						t.Errorf("verdict = %s, want %s", a.Verdict, w)
					}
					if a.Status != st || a.Regime != id {
						t.Errorf("status %s regime %s", a.Status, a.Regime)
					}
					for _, part := range a.Parts {
						if len(part.Basis) == 0 {
							t.Errorf("part %s has no basis", part.Part)
						}
						for _, b := range part.Basis {
							if b.Cite.ZH == "" || !strings.Contains(b.Cite.EN, "Art. ") || b.Text.ZH == "" || b.Text.EN == "" {
								t.Errorf("part %s: incomplete basis %+v", part.Part, b)
							}
						}
					}
					pen := a.Part("penalty")
					if (pen != nil) != (n.cii && a.Verdict != mayBuy) {
						t.Errorf("penalty part present = %v for verdict %s (CII %v)", pen != nil, a.Verdict, n.cii)
					}
				})
			}
		}
	}
}

// TestCitations pins the articles that decide the need for review in each
// regime: 2017 draft Art. 11, trial Art. 10, 2020 and 2021 Art. 5, and
// CSL Art. 35 for operators outside CII.
func TestCitations(t *testing.T) {
	byID := packs(t)
	for _, tc := range []struct {
		pack, forecast string
		det            *csreview.Determination
		cii            bool
		want           string
	}{
		{"cac-2017-draft", "", affects, true, "2017 draft Measures Art. 11"},
		{"cac-2017-trial", "", affects, true, "2017 trial Measures Art. 10"},
		{"cac-2017-trial", "", nil, true, "2017 trial Measures Art. 10"},
		{"cac-2020", "may_affect", nil, true, "2020 Measures Art. 5"},
		{"cac-2021", "may_affect", nil, true, "2021 Measures Art. 5"},
		{"cac-2021", "", affects, true, "2017 trial Measures Art. 10"},
		{"cac-2021", "", nil, false, "CSL Art. 35"},
	} {
		a := Decide(Facts{Pack: byID[tc.pack], Packs: byID, CII: tc.cii, Forecast: tc.forecast, Determination: tc.det,
			Status: csreview.StatusNotReviewed})
		var cites []string
		for _, b := range a.Part("required").Basis {
			cites = append(cites, b.Cite.EN)
		}
		if !strings.Contains(strings.Join(cites, "; "), tc.want) {
			t.Errorf("%s forecast %q det %v CII %v: required cites %v, want %s", tc.pack, tc.forecast, tc.det != nil, tc.cii, cites, tc.want)
		}
	}
	a := Decide(Facts{Pack: byID["cac-2021"], Packs: byID, CII: true, Forecast: "may_affect", Status: csreview.StatusFailed})
	var cites []string
	for _, b := range a.Part("penalty").Basis {
		cites = append(cites, b.Cite.ZH)
	}
	if got := strings.Join(cites, "、"); got != "《网络安全法》第六十五条、《关键信息基础设施安全保护条例》第四十一条" {
		t.Errorf("2021 penalty cites %s", got)
	}
}
