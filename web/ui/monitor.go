package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

// The monitoring pages and API (DESIGN §4): alerts, the prohibited list and
// the webhooks alerts are also sent to.

func (s *surface) monitorRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.alerts", May: csreview.CanReceiveAlerts, Method: "GET", Pattern: "/alerts", Handle: s.alerts},
		{Name: "ui.alert", Method: "GET", Pattern: "/alerts/{id}", Handle: s.alert},
		{Name: "ui.alert.state", Method: "POST", Pattern: "/alerts/{id}", Handle: s.alertState},
		{Name: "ui.prohibitions", Method: "GET", Pattern: "/prohibitions", Handle: s.prohibitions},
		{Name: "ui.prohibitions.add", Method: "POST", Pattern: "/prohibitions", Handle: s.addProhibition},
		{Name: "ui.prohibitions.lift", Method: "POST", Pattern: "/prohibitions/{id}/lift", Handle: site.ActByID(s.Monitoring.LiftProhibition, redirectTo("/prohibitions"))},
		{Name: "ui.webhooks", May: csreview.CanOwnWebhook, Method: "GET", Pattern: "/webhooks", Handle: s.webhooks},
		{Name: "ui.webhooks.create", May: csreview.CanOwnWebhook, Method: "POST", Pattern: "/webhooks", Handle: s.createWebhook},
		{Name: "ui.webhooks.delete", Method: "POST", Pattern: "/webhooks/{id}/delete", Handle: site.ActByID(s.Monitoring.DeleteWebhook, redirectTo("/webhooks"))},
	}
}

type alertsData struct {
	Rows   []*csreview.Alert
	Total  int
	F      csreview.AlertFilter
	States []string
	Names  *answerNames
	site.Pager
}

func (s *surface) alerts(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := site.AlertFilter(q)
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Monitoring.FindAlerts(r.Context(), f)
	if err != nil {
		return err
	}
	d := alertsData{Rows: list, Total: total, F: f, States: csreview.AlertStates, Names: s.answerNames(r),
		Pager: site.NewPager(r, "/alerts", f.Page, len(list), total)}
	return s.Render(w, http.StatusOK, "alerts", s.NewPage(r, "alerts.title", d))
}

type alertData struct {
	A         *csreview.Alert
	Names     *answerNames
	CanManage bool
	// ReviewURL opens the proposed re-review (or a first review) prefilled.
	ReviewURL string
}

func (s *surface) alert(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Monitoring.FindAlert(r.Context(), id)
	if err != nil {
		return err
	}
	d := alertData{A: a, Names: s.answerNames(r), CanManage: csreview.CanManageMonitoring(csreview.UserFromContext(r.Context()))}
	if d.CanManage && a.CaseID == 0 {
		tr := s.I18n.For(r)
		title := tr.T("alerts.review_title", "trigger", a.Trigger, "product", d.Names.Version(a.VersionID))
		v := fmt.Sprintf("channel=office_ex_officio&version_id=%d&alert_id=%d&title=%s", a.VersionID, a.ID, url.QueryEscape(title))
		if a.ParentCaseID != 0 {
			v += "&parent_id=" + strconv.FormatInt(a.ParentCaseID, 10)
		}
		d.ReviewURL = "/cases/new?" + v
	}
	p := s.NewPage(r, "", d)
	p.Title = s.I18n.For(r).T("alerts.one", "id", a.ID)
	return s.Render(w, http.StatusOK, "alert", p)
}

func (s *surface) alertState(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if _, err := s.Monitoring.SetAlertState(r.Context(), id, r.PostForm.Get("state"), 0); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/alerts/%d", id), "flash.saved")
}

type prohibitionsData struct {
	Rows      []*csreview.Prohibition
	Total     int
	All       bool
	CanManage bool
	Problem   string
	Form      csreview.Prohibition
	Touched   *csreview.MonitorResult
	site.Pager
}

func (s *surface) prohibitionsPage(w http.ResponseWriter, r *http.Request, d prohibitionsData, status int) error {
	q := site.NewQuery(r)
	d.All = q.Str("all") == "true"
	page := q.Page()
	list, total, err := s.Monitoring.FindProhibitions(r.Context(), !d.All, page)
	if err != nil {
		return err
	}
	d.Rows, d.Total = list, total
	d.Pager = site.NewPager(r, "/prohibitions", page, len(list), total)
	d.CanManage = csreview.CanManageMonitoring(csreview.UserFromContext(r.Context()))
	return s.Render(w, status, "prohibitions", s.NewPage(r, "prohibitions.title", d))
}

func (s *surface) prohibitions(w http.ResponseWriter, r *http.Request) error {
	return s.prohibitionsPage(w, r, prohibitionsData{}, http.StatusOK)
}

func (s *surface) addProhibition(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := csreview.Prohibition{PURL: r.PostForm.Get("purl"), Supplier: r.PostForm.Get("supplier"), Reason: r.PostForm.Get("reason")}
	res, err := s.Monitoring.AddProhibition(r.Context(), &p)
	if err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		return s.prohibitionsPage(w, r, prohibitionsData{Problem: s.ProblemOf(r, err).Detail, Form: p}, http.StatusBadRequest)
	}
	return s.prohibitionsPage(w, r, prohibitionsData{Touched: res}, http.StatusOK)
}

type webhooksData struct {
	Rows    []*csreview.Webhook
	Created *csreview.Webhook
	Problem string
	URL     string
}

func (s *surface) webhooksPage(w http.ResponseWriter, r *http.Request, d webhooksData, status int) error {
	if !csreview.CanOwnWebhook(csreview.UserFromContext(r.Context())) {
		return site.ErrForbiddenPage
	}
	list, err := s.Monitoring.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	d.Rows = list
	return s.Render(w, status, "webhooks", s.NewPage(r, "webhooks.title", d))
}

func (s *surface) webhooks(w http.ResponseWriter, r *http.Request) error {
	return s.webhooksPage(w, r, webhooksData{}, http.StatusOK)
}

func (s *surface) createWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	wh := &csreview.Webhook{URL: r.PostForm.Get("url")}
	if err := s.Monitoring.CreateWebhook(r.Context(), wh); err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		return s.webhooksPage(w, r, webhooksData{Problem: s.ProblemOf(r, err).Detail, URL: wh.URL}, http.StatusBadRequest)
	}
	return s.webhooksPage(w, r, webhooksData{Created: wh}, http.StatusCreated)
}
