package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web/internal/site"
)

// The findings table: the latest analysis's findings, filtered, sorted and
// paged, with the lab's triage (Dependency-Track's audit workflow, filed
// under the review criteria) beside the supplier's VEX.

type findingsData struct {
	Case           *csreview.Case
	Table          *site.FindingsTable
	F              site.FindingsFilter
	Pager          site.Pager
	States         []csreview.TriageState
	Severities     []csreview.Severity
	Justifications []string
	CritNames      map[string]string
	CritTexts      map[string]string
	CanTriage      bool
	// Back is this page's query, for the forms to return to.
	Back  string
	Rated func(*assess.AdvisoryRef) string
}

func (s *surface) findings(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.CaseView(r, id)
	if err != nil {
		return err
	}
	q := site.NewQuery(r)
	f := site.FindingsFilterOf(q)
	if err := q.Err(); err != nil {
		return err
	}
	if f.Page.Limit == 0 {
		f.Page.Limit = 50
	}
	t, err := s.CaseFindings(r, id, f)
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	d := findingsData{Case: v.Case, Table: t, F: f, States: csreview.TriageStates, Justifications: csreview.TriageJustifications,
		Severities: []csreview.Severity{csreview.SeverityCritical, csreview.SeverityHigh, csreview.SeverityMedium, csreview.SeverityLow,
			csreview.SeverityInfo, csreview.SeverityUnrated},
		CritNames: map[string]string{}, CanTriage: v.May.Triage, Back: r.URL.RawQuery,
		Pager: site.NewPager(r, fmt.Sprintf("/cases/%d/findings", id), f.Page, len(t.Rows), t.Total),
		Rated: func(a *assess.AdvisoryRef) string {
			en, zh := a.Describe()
			if strings.HasPrefix(lang, "en") {
				return en
			}
			return zh
		}}
	// The criterion as its article, short enough for a column; its text
	// is the cell's title.
	d.CritTexts = map[string]string{}
	p := s.Rules.Packs[v.Case.Regime]
	for _, c := range t.Criteria {
		d.CritTexts[c.ID] = c.TextZH
		if strings.HasPrefix(lang, "en") {
			d.CritTexts[c.ID] = c.Text
		}
		d.CritNames[c.ID] = d.CritTexts[c.ID]
		if p == nil {
			continue
		}
		if pc, ok := p.Criterion(c.ID); ok {
			d.CritNames[c.ID] = pc.Article
			if !strings.HasPrefix(lang, "en") {
				d.CritNames[c.ID] = regime.ArticleZH(pc.Article)
			}
		}
	}
	return s.Render(w, http.StatusOK, "findings", s.NewPage(r, "findings.title", d))
}

func (s *surface) setTriage(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := site.ParseForm(r); err != nil {
		return err
	}
	t := &csreview.Triage{CaseID: id, Key: r.PathValue("key"), State: csreview.TriageState(r.PostFormValue("state")),
		Justification: r.PostFormValue("justification"), Comment: r.PostFormValue("comment")}
	if t.State != csreview.TriageNotAffected {
		t.Justification = "" // the form offers one for every state; only not_affected takes it
	}
	back := fmt.Sprintf("/cases/%d/findings", id)
	if q, err := url.ParseQuery(r.PostFormValue("back")); err == nil && len(q) > 0 {
		q.Del("flash")
		back += "?" + q.Encode()
	}
	if err := s.Cases.SetTriage(r.Context(), t); err != nil {
		if code := csreview.ErrorCode(err); code == csreview.EINVALID || code == csreview.ECONFLICT {
			msg, status := s.problemText(r, err, "findings.")
			return s.Render(w, status, "error", s.NewPage(r, "findings.title", map[string]any{"Message": msg, "Back": back}))
		}
		return err
	}
	return redirect(w, r, back+"#f-"+t.Key, "flash.saved")
}

type triageHistoryData struct {
	Case    *csreview.Case
	Key     string
	History []*csreview.Triage
}

func (s *surface) triageHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.Cases.FindCaseByID(r.Context(), id)
	if err != nil {
		return err
	}
	h, err := s.Cases.TriageHistory(r.Context(), id, r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.Render(w, http.StatusOK, "triage_history", s.NewPage(r, "findings.history", triageHistoryData{Case: c, Key: r.PathValue("key"), History: h}))
}

func (s *surface) findingsRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.case.findings", Method: "GET", Pattern: "/cases/{id}/findings", Handle: s.findings},
		// The cockpit is the office's: it counts the working-day limits.
		{Name: "ui.deadlines", May: csreview.CanWatchCalendar, Method: "GET", Pattern: "/deadlines", Handle: s.deadlines},
		{Name: "ui.case.findings.vex", Method: "GET", Pattern: "/cases/{id}/findings/vex.json", Handle: s.ServeTriageVEX},
		{Name: "ui.case.finding", Method: "GET", Pattern: "/cases/{id}/findings/{key}", Handle: s.triageHistory},
		{Name: "ui.case.finding.triage", Method: "POST", Pattern: "/cases/{id}/findings/{key}", Handle: s.setTriage},
	}
}
