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
	t.Parallel()
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
		// Under 2020 and 2021 the operator owes its own forecast (Art. 5):
		// a department's finding of no effect does not stand in for it.
		{need{name: "CII, determination no effect", cii: true, det: noEffect}, want{"no", "undetermined"}},
		{need{name: "CII, determination no effect, forecast may affect", cii: true, forecast: "may_affect", det: noEffect}, want{"no", "yes"}},
		{need{name: "CII, office decided no review", cii: true, notReq: "CSR-2026-0003"}, want{"no", "no"}},
	}
	// The verdict for a status, given whether review is required.
	verdict := func(status, required string) string {
		switch {
		case required == "no":
			return mayBuy
		case required == "undetermined":
			return csreview.VerdictDetermineFirst
		case status == csreview.StatusPassed:
			return mayBuy
		case status == csreview.StatusFailed || status == csreview.StatusRevoked:
			return mustNot
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
					a := Decide(Facts{Pack: p, Packs: byID, On: "2026-12-04", CII: n.cii, Forecast: n.forecast, Determination: n.det,
						NotRequiredRef: n.notReq, Status: st, StatusRef: "ref"})
					if a.Required != wantReq {
						t.Errorf("required = %s, want %s", a.Required, wantReq)
					}
					if w := verdict(st, wantReq); a.Verdict != w {
						t.Errorf("verdict = %s, want %s", a.Verdict, w)
					}
					if a.Required == csreview.RequiredUndetermined && a.Verdict == mayBuy {
						t.Error("may buy while the need for review is undetermined")
					}
					if a.Status != st || a.Regime != id {
						t.Errorf("status %s regime %s", a.Status, a.Regime)
					}
					for _, part := range a.Parts {
						if len(part.Basis) == 0 {
							t.Errorf("part %s has no basis", part.Part)
						}
						for _, b := range part.Basis {
							if b.Cite.ZH == "" || !strings.Contains(b.Cite.EN, "Art. ") && !b.Practice || b.Text.ZH == "" || b.Text.EN == "" {
								t.Errorf("part %s: incomplete basis %+v", part.Part, b)
							}
						}
					}
					// The penalty is for using what had to be reviewed.
					pen := a.Part("penalty")
					if (pen != nil) != (n.cii && wantReq == "yes" && a.Verdict != mayBuy) {
						t.Errorf("penalty part present = %v for verdict %s, required %s", pen != nil, a.Verdict, wantReq)
					}
					// A filing is offered only where the operator can file.
					_, canFile := p.Channel("operator_filing")
					if (a.Filing != nil) != (a.Verdict == fileFirst && canFile) {
						t.Errorf("filing offered = %v for verdict %s (channel %v)", a.Filing != nil, a.Verdict, canFile)
					}
				})
			}
		}
	}
}

// TestAnotherOperatorsConclusion: under 2020 and 2021 a review covers one
// operator's purchase (Art. 2, 5); another operator's pass is never a
// "may buy", and using it is an unreviewed use. Under the 2017 Measures a
// product passes for every buyer.
func TestAnotherOperatorsConclusion(t *testing.T) {
	t.Parallel()
	byID := packs(t)
	for _, c := range []struct {
		pack, forecast, status string
		verdict                string
		breach                 bool
	}{
		{"cac-2021", "", csreview.StatusPassed, csreview.VerdictDetermineFirst, false},
		{"cac-2021", "may_affect", csreview.StatusPassed, fileFirst, true},
		{"cac-2020", "may_affect", csreview.StatusPassed, fileFirst, true},
		{"cac-2021", "may_affect", csreview.StatusFailed, fileFirst, true},
		{"cac-2021", "no_effect", csreview.StatusPassed, mayBuy, false},
		{"cac-2017-trial", "", csreview.StatusPassed, mayBuy, false},
	} {
		f := Facts{Pack: byID[c.pack], Packs: byID, On: "2026-12-04", CII: true, Forecast: c.forecast,
			Status: c.status, StatusRef: "CSR-2025-0001", StatusOther: true, OperatorID: 2, ProductID: 3, VersionID: 4}
		if c.pack == "cac-2017-trial" {
			f.Determination = affects
		}
		a := Decide(f)
		if a.Verdict != c.verdict {
			t.Errorf("%s %s %s for another operator: verdict %s, want %s", c.pack, c.forecast, c.status, a.Verdict, c.verdict)
		}
		other := false
		for _, b := range a.Part("status").Basis {
			other = other || b.Item == "other_operator"
		}
		if want := c.pack != "cac-2017-trial"; other != want {
			t.Errorf("%s: status says another operator's conclusion = %v, want %v", c.pack, other, want)
		}
		if breach, _ := Breach(f); breach != c.breach {
			t.Errorf("%s %s %s: breach %v, want %v", c.pack, c.forecast, c.status, breach, c.breach)
		}
		if a.Verdict == fileFirst && (a.Filing == nil || a.Filing.OperatorID != 2 || a.Filing.VersionID != 4 || a.Filing.Channel != "operator_filing") {
			t.Errorf("%s: filing offer %+v", c.pack, a.Filing)
		}
	}
	// The operator's own open case: file first, but no second filing.
	a := Decide(Facts{Pack: byID["cac-2021"], Packs: byID, On: "2026-12-04", CII: true, Forecast: "may_affect",
		Status: csreview.StatusUnderReview, StatusRef: "CSR-2026-0009", OwnOpenRef: "CSR-2026-0009"})
	if a.Verdict != fileFirst || a.Filing != nil || a.Part("verdict").Note != "CSR-2026-0009" {
		t.Errorf("own open case: verdict %s filing %+v", a.Verdict, a.Filing)
	}
}

// TestTrialOffersNoFiling: under the 2017 trial Measures enterprises do not
// file; the CII protection department decides whether the purchase affects
// national security (Art. 10), and no filing is offered.
func TestTrialOffersNoFiling(t *testing.T) {
	t.Parallel()
	byID := packs(t)
	p := byID["cac-2017-trial"]
	if _, ok := p.Channel("operator_filing"); ok {
		t.Fatal("the trial pack has an operator filing channel")
	}
	a := Decide(Facts{Pack: p, Packs: byID, On: "2019-03-01", CII: true, Status: csreview.StatusNotReviewed})
	if a.Verdict != csreview.VerdictDetermineFirst || a.Filing != nil {
		t.Errorf("verdict %s filing %+v", a.Verdict, a.Filing)
	}
	if got := a.Part("verdict").Basis[0].Cite.EN; got != "2017 trial Measures Art. 10" {
		t.Errorf("the undetermined verdict cites %s", got)
	}
	a = Decide(Facts{Pack: p, Packs: byID, On: "2019-03-01", CII: true, Determination: affects, Status: csreview.StatusNotReviewed})
	if a.Verdict != fileFirst || a.Filing != nil {
		t.Errorf("required: verdict %s filing %+v", a.Verdict, a.Filing)
	}
}

// TestCitations pins the articles that decide the need for review in each
// regime — 2017 draft Art. 11, trial Art. 10, 2020 and 2021 Art. 5, and the
// CSL's review duty for operators outside CII, Art. 35 until 2025 and
// Art. 37 from 2026 — and the penalties, by the day of the answer.
func TestCitations(t *testing.T) {
	t.Parallel()
	byID := packs(t)
	for _, tc := range []struct {
		pack, forecast string
		det            *csreview.Determination
		cii            bool
		on             csreview.Date
		want           string
	}{
		{"cac-2017-draft", "", affects, true, "2017-03-01", "2017 draft Measures Art. 11"},
		{"cac-2017-trial", "", affects, true, "2019-03-01", "2017 trial Measures Art. 10"},
		{"cac-2017-trial", "", nil, true, "2019-03-01", "2017 trial Measures Art. 10"},
		{"cac-2020", "may_affect", nil, true, "2021-03-01", "2020 Measures Art. 5"},
		{"cac-2021", "may_affect", nil, true, "2025-03-01", "2021 Measures Art. 5"},
		{"cac-2021", "", affects, true, "2025-03-01", "2021 Measures Art. 5"},
		{"cac-2021", "", nil, false, "2025-12-31", "CSL Art. 35"},
		{"cac-2021", "", nil, false, "2026-01-01", "CSL Art. 37"},
	} {
		a := Decide(Facts{Pack: byID[tc.pack], Packs: byID, On: tc.on, CII: tc.cii, Forecast: tc.forecast, Determination: tc.det,
			Status: csreview.StatusNotReviewed})
		var cites []string
		for _, b := range a.Part("required").Basis {
			cites = append(cites, b.Cite.EN)
		}
		if !strings.Contains(strings.Join(cites, "; "), tc.want) {
			t.Errorf("%s forecast %q det %v CII %v on %s: required cites %v, want %s", tc.pack, tc.forecast, tc.det != nil, tc.cii, tc.on, cites, tc.want)
		}
		for _, b := range a.Part("required").Basis {
			if strings.Contains(b.Cite.EN, "trial") && tc.pack == "cac-2021" {
				t.Errorf("the 2021 answer cites the repealed %s", b.Cite.EN)
			}
		}
	}
	penalty := func(on csreview.Date, status string) string {
		a := Decide(Facts{Pack: byID["cac-2021"], Packs: byID, On: on, CII: true, Forecast: "may_affect", Status: status})
		var cites []string
		for _, b := range a.Part("penalty").Basis {
			cites = append(cites, b.Cite.ZH)
		}
		return strings.Join(cites, "、")
	}
	for _, c := range []struct {
		on           csreview.Date
		status, want string
	}{
		{"2025-12-31", csreview.StatusNotReviewed, "《网络安全法》第六十五条、《关键信息基础设施安全保护条例》第四十一条"},
		{"2026-01-01", csreview.StatusNotReviewed, "《网络安全法》第六十七条、《关键信息基础设施安全保护条例》第四十一条"},
		// CII Regulations Art. 41 is about purchases made without review,
		// not about using a product that failed.
		{"2026-01-01", csreview.StatusFailed, "《网络安全法》第六十七条"},
	} {
		if got := penalty(c.on, c.status); got != c.want {
			t.Errorf("penalty on %s for %s cites %s, want %s", c.on, c.status, got, c.want)
		}
	}
	// CII Regulations Art. 19 stands beside the Measures where review is
	// required, from 2021-09-01.
	for on, want := range map[csreview.Date]bool{"2021-08-31": false, "2025-03-01": true} {
		a := Decide(Facts{Pack: byID["cac-2020"], Packs: byID, On: on, CII: true, Forecast: "may_affect", Status: csreview.StatusNotReviewed})
		got := false
		for _, b := range a.Part("required").Basis {
			got = got || b.Cite.EN == "CII Regulations Art. 19"
		}
		if got != want {
			t.Errorf("on %s: CII Regulations Art. 19 cited %v", on, got)
		}
	}
	// No penalty where the answer says review is not required.
	a := Decide(Facts{Pack: byID["cac-2021"], Packs: byID, On: "2026-01-01", CII: true, Forecast: "no_effect", Status: csreview.StatusFailed})
	if a.Part("penalty") != nil {
		t.Errorf("penalty cited although review is not required: %+v", a.Part("penalty"))
	}
}
