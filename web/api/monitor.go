package api

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

type alertPatch struct {
	State  string `json:"state"`
	CaseID int64  `json:"case_id,omitempty"`
}

type prohibitionAdded struct {
	Prohibition *csreview.Prohibition   `json:"prohibition"`
	Touched     *csreview.MonitorResult `json:"touched"`
}

func (s *surface) monitorRoutes() []site.Route {
	return []site.Route{
		{Name: "api.alerts.list", May: csreview.CanReceiveAlerts, Method: "GET", Pattern: "/api/v1/alerts", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "Monitoring alerts the caller may see, newest first", Params: withPage(
				site.EnumParam("state", "alert state", csreview.AlertStates),
				site.EnumParam("kind", "what raised it", []string{csreview.AlertAdvisory, csreview.AlertProhibition}),
				site.Param{Name: "version_id", Type: "integer", Description: "product version"}),
			Response: site.ListBody[csreview.Alert]{}, Handle: s.alerts},
		{Name: "api.alerts.get", Method: "GET", Pattern: "/api/v1/alerts/{id}", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "One alert", Response: csreview.Alert{}, Handle: site.GetByID(s.Monitoring.FindAlert)},
		{Name: "api.alerts.update", Method: "PATCH", Pattern: "/api/v1/alerts/{id}", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "Acknowledge or close an alert, or link the re-review opened from it (office)", Request: alertPatch{},
			Response: csreview.Alert{}, Handle: s.patchAlert},
		{Name: "api.prohibitions.list", Method: "GET", Pattern: "/api/v1/prohibitions", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "The prohibited list", Params: withPage(site.Param{Name: "all", Type: "boolean", Description: "include lifted entries"}),
			Response: site.ListBody[csreview.Prohibition]{}, Handle: s.prohibitions},
		{Name: "api.prohibitions.create", Method: "POST", Pattern: "/api/v1/prohibitions", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "Put a component (purl) or supplier on the prohibited list; alerts are raised at once (office)",
			Request: csreview.Prohibition{}, Response: prohibitionAdded{}, Status: 201, Handle: s.addProhibition},
		{Name: "api.prohibitions.lift", Method: "POST", Pattern: "/api/v1/prohibitions/{id}/lift", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "Take an entry off the prohibited list (office)", Status: 204, Handle: site.ActByID(s.Monitoring.LiftProhibition, noContent)},
		{Name: "api.webhooks.list", May: csreview.CanOwnWebhook, Method: "GET", Pattern: "/api/v1/webhooks", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "The caller's webhooks, with delivery counts", Response: site.ListBody[csreview.Webhook]{}, Handle: s.webhooks},
		{Name: "api.webhooks.create", May: csreview.CanOwnWebhook, Method: "POST", Pattern: "/api/v1/webhooks", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "Register a webhook for the caller's alerts; the signing secret is in this answer only",
			Request: csreview.Webhook{}, Response: csreview.Webhook{}, Status: 201, Handle: s.createWebhook},
		{Name: "api.webhooks.delete", Method: "DELETE", Pattern: "/api/v1/webhooks/{id}", Kind: site.KindAPI, Tag: "Monitoring",
			Summary: "Remove a webhook and its queued deliveries", Status: 204, Handle: site.ActByID(s.Monitoring.DeleteWebhook, noContent)},
	}
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
	return writeList(w, list, total, f.Page)
}

func (s *surface) patchAlert(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var b alertPatch
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	a, err := s.Monitoring.SetAlertState(r.Context(), id, b.State, b.CaseID)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, a)
}

func (s *surface) prohibitions(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	all := q.Bool("all")
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Monitoring.FindProhibitions(r.Context(), all == nil || !*all, q.Page())
	if err != nil {
		return err
	}
	return writeList(w, list, total, q.Page())
}

func (s *surface) addProhibition(w http.ResponseWriter, r *http.Request) error {
	var p csreview.Prohibition
	if err := site.DecodeJSON(r, &p); err != nil {
		return err
	}
	res, err := s.Monitoring.AddProhibition(r.Context(), &p)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusCreated, prohibitionAdded{Prohibition: &p, Touched: res})
}

func (s *surface) webhooks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Monitoring.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, list, len(list), csreview.Page{Limit: max(1, len(list))})
}

func (s *surface) createWebhook(w http.ResponseWriter, r *http.Request) error {
	var b csreview.Webhook
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	wh := &csreview.Webhook{URL: b.URL}
	if err := s.Monitoring.CreateWebhook(r.Context(), wh); err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusCreated, wh)
}
