package api

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) enforcementRoutes() []site.Route {
	return []site.Route{
		{Name: "api.enforcement.sweep", Method: "POST", Pattern: "/api/v1/sweeps", Kind: site.KindAPI, Tag: "Enforcement",
			Summary:  "Find operators using failed, revoked or unreviewed products where review was required, and prepare enforcement records (office; a regulator for its sector)",
			Response: csreview.SweepResult{}, Handle: s.sweep},
		{Name: "api.enforcement.list", May: site.MayOversight, Method: "GET", Pattern: "/api/v1/enforcement", Kind: site.KindAPI, Tag: "Enforcement",
			Summary: "Enforcement records, newest first", Params: withPage(site.EnumParam("state", "state", csreview.EnforcementStates),
				site.Param{Name: "operator_id", Type: "integer", Description: "operator"}),
			Response: site.ListBody[csreview.Enforcement]{}, Handle: s.enforcements},
		{Name: "api.enforcement.get", Method: "GET", Pattern: "/api/v1/enforcement/{id}", Kind: site.KindAPI, Tag: "Enforcement",
			Summary: "One enforcement record with its history", Response: csreview.Enforcement{}, Handle: site.GetByID(s.Enforcement.FindEnforcement)},
		{Name: "api.enforcement.move", Method: "POST", Pattern: "/api/v1/enforcement/{id}/move", Kind: site.KindAPI, Tag: "Enforcement",
			Summary: "Take a record a step on: the orders (CSL Art. 65/67), the notice of the intended penalty, the party heard, " +
				"the decision with a fine or the provision under which none was imposed (Administrative Penalty Law Art. 44-64), closed",
			Request: csreview.EnforcementStep{}, Response: csreview.Enforcement{}, Handle: s.moveEnforcement},
	}
}

func (s *surface) sweep(w http.ResponseWriter, r *http.Request) error {
	res, err := s.Enforcement.Sweep(r.Context())
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, res)
}

func (s *surface) enforcements(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := site.EnforcementFilter(q)
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Enforcement.FindEnforcements(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, f.Page)
}

func (s *surface) moveEnforcement(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var b csreview.EnforcementStep
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	e, err := s.Enforcement.StepEnforcement(r.Context(), id, b)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, e)
}
