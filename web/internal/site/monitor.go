package site

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/csreview/csreview"
)

// The monitoring pages and API (DESIGN §4): alerts, the prohibited list and
// the webhooks alerts are also sent to.

type alertPatch struct {
	State  string `json:"state"`
	CaseID int64  `json:"case_id,omitempty"`
}

type prohibitionAdded struct {
	Prohibition *csreview.Prohibition   `json:"prohibition"`
	Touched     *csreview.MonitorResult `json:"touched"`
}

func (s *Server) monitorRoutes() []Route {
	return []Route{
		{Name: "api.alerts.list", May: csreview.CanReceiveAlerts, Method: "GET", Pattern: "/api/v1/alerts", Kind: KindAPI, Tag: "Monitoring",
			Summary: "Monitoring alerts the caller may see, newest first", Params: withPage(
				EnumParam("state", "alert state", csreview.AlertStates),
				EnumParam("kind", "what raised it", []string{csreview.AlertAdvisory, csreview.AlertProhibition}),
				Param{Name: "version_id", Type: "integer", Description: "product version"}),
			Response: listBody[csreview.Alert]{}, Handle: s.apiAlerts},
		{Name: "api.alerts.get", Method: "GET", Pattern: "/api/v1/alerts/{id}", Kind: KindAPI, Tag: "Monitoring",
			Summary: "One alert", Response: csreview.Alert{}, Handle: getByID(s.monitoring.FindAlert)},
		{Name: "api.alerts.update", Method: "PATCH", Pattern: "/api/v1/alerts/{id}", Kind: KindAPI, Tag: "Monitoring",
			Summary: "Acknowledge or close an alert, or link the re-review opened from it (office)", Request: alertPatch{},
			Response: csreview.Alert{}, Handle: s.apiPatchAlert},
		{Name: "api.prohibitions.list", Method: "GET", Pattern: "/api/v1/prohibitions", Kind: KindAPI, Tag: "Monitoring",
			Summary: "The prohibited list", Params: withPage(Param{Name: "all", Type: "boolean", Description: "include lifted entries"}),
			Response: listBody[csreview.Prohibition]{}, Handle: s.apiProhibitions},
		{Name: "api.prohibitions.create", Method: "POST", Pattern: "/api/v1/prohibitions", Kind: KindAPI, Tag: "Monitoring",
			Summary: "Put a component (purl) or supplier on the prohibited list; alerts are raised at once (office)",
			Request: csreview.Prohibition{}, Response: prohibitionAdded{}, Status: 201, Handle: s.apiAddProhibition},
		{Name: "api.prohibitions.lift", Method: "POST", Pattern: "/api/v1/prohibitions/{id}/lift", Kind: KindAPI, Tag: "Monitoring",
			Summary: "Take an entry off the prohibited list (office)", Status: 204, Handle: actByID(s.monitoring.LiftProhibition, noContent)},
		{Name: "api.webhooks.list", May: csreview.CanOwnWebhook, Method: "GET", Pattern: "/api/v1/webhooks", Kind: KindAPI, Tag: "Monitoring",
			Summary: "The caller's webhooks, with delivery counts", Response: listBody[csreview.Webhook]{}, Handle: s.apiWebhooks},
		{Name: "api.webhooks.create", May: csreview.CanOwnWebhook, Method: "POST", Pattern: "/api/v1/webhooks", Kind: KindAPI, Tag: "Monitoring",
			Summary: "Register a webhook for the caller's alerts; the signing secret is in this answer only",
			Request: csreview.Webhook{}, Response: csreview.Webhook{}, Status: 201, Handle: s.apiCreateWebhook},
		{Name: "api.webhooks.delete", Method: "DELETE", Pattern: "/api/v1/webhooks/{id}", Kind: KindAPI, Tag: "Monitoring",
			Summary: "Remove a webhook and its queued deliveries", Status: 204, Handle: actByID(s.monitoring.DeleteWebhook, noContent)},

		{Name: "ui.alerts", May: csreview.CanReceiveAlerts, Method: "GET", Pattern: "/alerts", Handle: s.uiAlerts},
		{Name: "ui.alert", Method: "GET", Pattern: "/alerts/{id}", Handle: s.uiAlert},
		{Name: "ui.alert.state", Method: "POST", Pattern: "/alerts/{id}", Handle: s.uiAlertState},
		{Name: "ui.prohibitions", Method: "GET", Pattern: "/prohibitions", Handle: s.uiProhibitions},
		{Name: "ui.prohibitions.add", Method: "POST", Pattern: "/prohibitions", Handle: s.uiAddProhibition},
		{Name: "ui.prohibitions.lift", Method: "POST", Pattern: "/prohibitions/{id}/lift", Handle: actByID(s.monitoring.LiftProhibition, redirectTo("/prohibitions"))},
		{Name: "ui.webhooks", May: csreview.CanOwnWebhook, Method: "GET", Pattern: "/webhooks", Handle: s.uiWebhooks},
		{Name: "ui.webhooks.create", May: csreview.CanOwnWebhook, Method: "POST", Pattern: "/webhooks", Handle: s.uiCreateWebhook},
		{Name: "ui.webhooks.delete", Method: "POST", Pattern: "/webhooks/{id}/delete", Handle: actByID(s.monitoring.DeleteWebhook, redirectTo("/webhooks"))},
	}
}

func alertFilter(q *Query) csreview.AlertFilter {
	return csreview.AlertFilter{State: q.OneOf("state", csreview.AlertStates),
		Kind: q.OneOf("kind", []string{csreview.AlertAdvisory, csreview.AlertProhibition}), VersionID: q.Int("version_id"), Page: q.Page()}
}

func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := alertFilter(q)
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.monitoring.FindAlerts(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, f.Page)
}

func (s *Server) apiPatchAlert(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	var b alertPatch
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	a, err := s.monitoring.SetAlertState(r.Context(), id, b.State, b.CaseID)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, a)
}

func (s *Server) apiProhibitions(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	all := q.Bool("all")
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.monitoring.FindProhibitions(r.Context(), all == nil || !*all, q.Page())
	if err != nil {
		return err
	}
	return writeList(w, list, total, q.Page())
}

func (s *Server) apiAddProhibition(w http.ResponseWriter, r *http.Request) error {
	var p csreview.Prohibition
	if err := DecodeJSON(r, &p); err != nil {
		return err
	}
	res, err := s.monitoring.AddProhibition(r.Context(), &p)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, prohibitionAdded{Prohibition: &p, Touched: res})
}

func (s *Server) apiWebhooks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.monitoring.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, list, len(list), csreview.Page{Limit: max(1, len(list))})
}

func (s *Server) apiCreateWebhook(w http.ResponseWriter, r *http.Request) error {
	var b csreview.Webhook
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	wh := &csreview.Webhook{URL: b.URL}
	if err := s.monitoring.CreateWebhook(r.Context(), wh); err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, wh)
}

// Pages.

type alertsData struct {
	Rows   []*csreview.Alert
	Total  int
	F      csreview.AlertFilter
	States []string
	Names  *answerNames
	Pager
}

func (s *Server) uiAlerts(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := alertFilter(q)
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.monitoring.FindAlerts(r.Context(), f)
	if err != nil {
		return err
	}
	d := alertsData{Rows: list, Total: total, F: f, States: csreview.AlertStates, Names: s.answerNames(r),
		Pager: NewPager(r, "/alerts", f.Page, len(list), total)}
	return s.Render(w, http.StatusOK, "alerts", s.NewPage(r, "alerts.title", d))
}

type alertData struct {
	A         *csreview.Alert
	Names     *answerNames
	CanManage bool
	// ReviewURL opens the proposed re-review (or a first review) prefilled.
	ReviewURL string
}

func (s *Server) uiAlert(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.monitoring.FindAlert(r.Context(), id)
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

func (s *Server) uiAlertState(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if _, err := s.monitoring.SetAlertState(r.Context(), id, r.PostForm.Get("state"), 0); err != nil {
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
	Pager
}

func (s *Server) prohibitionsPage(w http.ResponseWriter, r *http.Request, d prohibitionsData, status int) error {
	q := NewQuery(r)
	d.All = q.Str("all") == "true"
	page := q.Page()
	list, total, err := s.monitoring.FindProhibitions(r.Context(), !d.All, page)
	if err != nil {
		return err
	}
	d.Rows, d.Total = list, total
	d.Pager = NewPager(r, "/prohibitions", page, len(list), total)
	d.CanManage = csreview.CanManageMonitoring(csreview.UserFromContext(r.Context()))
	return s.Render(w, status, "prohibitions", s.NewPage(r, "prohibitions.title", d))
}

func (s *Server) uiProhibitions(w http.ResponseWriter, r *http.Request) error {
	return s.prohibitionsPage(w, r, prohibitionsData{}, http.StatusOK)
}

func (s *Server) uiAddProhibition(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := csreview.Prohibition{PURL: r.PostForm.Get("purl"), Supplier: r.PostForm.Get("supplier"), Reason: r.PostForm.Get("reason")}
	res, err := s.monitoring.AddProhibition(r.Context(), &p)
	if err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		return s.prohibitionsPage(w, r, prohibitionsData{Problem: s.problemOf(r, err).Detail, Form: p}, http.StatusBadRequest)
	}
	return s.prohibitionsPage(w, r, prohibitionsData{Touched: res}, http.StatusOK)
}

type webhooksData struct {
	Rows    []*csreview.Webhook
	Created *csreview.Webhook
	Problem string
	URL     string
}

func (s *Server) webhooksPage(w http.ResponseWriter, r *http.Request, d webhooksData, status int) error {
	if !csreview.CanOwnWebhook(csreview.UserFromContext(r.Context())) {
		return errForbiddenPage
	}
	list, err := s.monitoring.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	d.Rows = list
	return s.Render(w, status, "webhooks", s.NewPage(r, "webhooks.title", d))
}

func (s *Server) uiWebhooks(w http.ResponseWriter, r *http.Request) error {
	return s.webhooksPage(w, r, webhooksData{}, http.StatusOK)
}

func (s *Server) uiCreateWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	wh := &csreview.Webhook{URL: r.PostForm.Get("url")}
	if err := s.monitoring.CreateWebhook(r.Context(), wh); err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		return s.webhooksPage(w, r, webhooksData{Problem: s.problemOf(r, err).Detail, URL: wh.URL}, http.StatusBadRequest)
	}
	return s.webhooksPage(w, r, webhooksData{Created: wh}, http.StatusCreated)
}
