package api

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) oversightStatsRoutes() []site.Route {
	return []site.Route{
		{Name: "api.oversight", Method: "GET", Pattern: "/api/v1/oversight", Kind: site.KindAPI, Tag: "Enforcement",
			Summary: "A sector's figures: operators, inventory by product status, procurement checks, alerts, enforcement, and monthly trends (regulators get their own sector)",
			Params: []site.Param{site.EnumParam("sector", "sector (office; empty for all)", site.Strs(csreview.Sectors)),
				{Name: "months", Type: "integer", Description: "months of trend (1–36, default 12)"}},
			Response: csreview.OversightStats{}, Handle: s.oversight},
	}
}

func (s *surface) oversight(w http.ResponseWriter, r *http.Request) error {
	st, err := s.OversightStats(r)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, st)
}
