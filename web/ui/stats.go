package ui

import (
	"html/template"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) oversightStatsRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.oversight", Method: "GET", Pattern: "/oversight", Handle: s.oversight},
	}
}

type oversightData struct {
	S          *csreview.OversightStats
	Sectors    []site.Option
	PickSector bool
	Checks     template.HTML
	Activity   template.HTML
	Inventory  template.HTML
	Enforce    template.HTML
	Statuses   []string
	Verdicts   []string
	EnfStates  []string
}

func (s *surface) oversight(w http.ResponseWriter, r *http.Request) error {
	st, err := s.OversightStats(r)
	if err != nil {
		return err
	}
	tr := s.I18n.For(r)
	u := csreview.UserFromContext(r.Context())
	d := oversightData{S: st, PickSector: csreview.PicksSector(u), Statuses: csreview.ProductStatuses,
		Verdicts: csreview.Verdicts, EnfStates: csreview.EnforcementStates}
	d.Sectors = s.localised(labelled(csreview.Sectors, "sector."))(r)
	for i := range d.Sectors {
		d.Sectors[i].Selected = d.Sectors[i].Value == string(st.Sector)
	}
	labels := make([]string, len(st.Months))
	for i, m := range st.Months {
		labels[i] = m.Month[2:]
	}
	var checks []series
	for _, v := range csreview.Verdicts {
		sr := series{Label: tr.T("verdict." + v), Class: "s-" + v}
		for _, m := range st.Months {
			sr.Values = append(sr.Values, m.Checks[v])
		}
		checks = append(checks, sr)
	}
	d.Checks = stackedBars(tr.T("oversight.chart_checks"), tr.T("oversight.chart_checks_desc"), labels, checks)
	alerts := series{Label: tr.T("oversight.alerts_raised"), Class: "s-alert"}
	enf := series{Label: tr.T("oversight.enforcement_opened"), Class: "s-enf"}
	for _, m := range st.Months {
		alerts.Values = append(alerts.Values, m.Alerts)
		enf.Values = append(enf.Values, m.Enforcement)
	}
	d.Activity = stackedBars(tr.T("oversight.chart_activity"), tr.T("oversight.chart_activity_desc"), labels, []series{alerts, enf})
	var il []string
	var iv []int
	var ic []string
	for _, k := range csreview.ProductStatuses {
		il, iv, ic = append(il, tr.T("pstatus."+k)), append(iv, st.Inventory[k]), append(ic, "s-"+k)
	}
	d.Inventory = hbars(tr.T("oversight.chart_inventory"), tr.T("oversight.chart_inventory_desc"), il, iv, ic)
	var el []string
	var ev []int
	for _, k := range csreview.EnforcementStates {
		el, ev = append(el, tr.T("enf_state."+k)), append(ev, st.Enforcement[k])
	}
	d.Enforce = hbars(tr.T("oversight.chart_enforcement"), tr.T("oversight.chart_enforcement_desc"), el, ev, []string{"s-enf"})
	return s.Render(w, http.StatusOK, "oversight", s.NewPage(r, "oversight.title", d))
}
