package api

import (
	"fmt"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) selfReviewRoutes() []site.Route {
	return []site.Route{
		{Name: "api.selfreviews.create", May: csreview.CanSelfReview, Method: "POST", Pattern: "/api/v1/self-reviews", Kind: site.KindAPI, Tag: "Operators",
			Summary: "Self-review a product version: engine findings per criterion, the questionnaire on non-technical factors, and the draft analysis report on national-security impact",
			Request: csreview.SelfReview{}, Response: csreview.SelfReview{}, Status: 201, Handle: s.createSelfReview},
		{Name: "api.selfreviews.get", Method: "GET", Pattern: "/api/v1/self-reviews/{id}", Kind: site.KindAPI, Tag: "Operators",
			Summary: "One self-review", Response: csreview.SelfReview{}, Handle: site.GetByID(s.SelfReviews.FindSelfReview)},
	}
}

func (s *surface) createSelfReview(w http.ResponseWriter, r *http.Request) error {
	var b csreview.SelfReview
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	sr := &csreview.SelfReview{ProductID: b.ProductID, VersionID: b.VersionID, Regime: b.Regime, Answers: b.Answers,
		Notes: b.Notes, Lang: b.Lang}
	if err := s.SelfReviews.CreateSelfReview(r.Context(), sr); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/self-reviews/%d", sr.ID))
	return site.WriteJSON(w, http.StatusCreated, sr)
}
