package api

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web/internal/site"
)

// regimeSummary is a pack in the list of regimes.
type regimeSummary struct {
	ID           string        `json:"id"`
	Title        regime.Text   `json:"title"`
	Status       string        `json:"status"`
	Issued       csreview.Date `json:"issued"`
	InForce      csreview.Date `json:"in_force,omitempty"`
	SupersededBy string        `json:"superseded_by,omitempty"`
}

func summarize(p *regime.Pack) regimeSummary {
	return regimeSummary{ID: p.ID, Title: p.Title, Status: p.Status, Issued: p.Issued, InForce: p.InForce, SupersededBy: p.SupersededBy}
}

func (s *surface) listRegimes(w http.ResponseWriter, r *http.Request) error {
	items := make([]*regimeSummary, len(s.Rules.List))
	for i, p := range s.Rules.List {
		sum := summarize(p)
		items[i] = &sum
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[regimeSummary]{Items: items, Total: len(items), Limit: len(items)})
}

func (s *surface) getRegime(w http.ResponseWriter, r *http.Request) error {
	p, err := s.FindPack(r)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, p)
}
