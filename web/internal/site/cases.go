package site

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
)

// CaseServices is what the case pages and API call beyond the registry.
type CaseServices interface {
	csreview.CaseService
	csreview.AnalysisService
	review.WorkService
}

// CaseView is a case with what its page shows: clocks on the day, the
// timeline, what the caller may do and who must act next.
type CaseView struct {
	Case       *csreview.Case        `json:"case"`
	Clocks     []clockView           `json:"clocks"`
	Events     []*csreview.CaseEvent `json:"events"`
	Actions    []string              `json:"actions"`
	NextActors []csreview.Role       `json:"next_actors"`
	// Offers are the actions open in the case's state, each with who may
	// take it, what it must carry and its article, from the regime pack.
	Offers []review.Offer       `json:"offers"`
	Roster []csreview.Consultee `json:"roster,omitempty"`
	// May is what the caller may do with the case beyond its actions.
	May   csreview.CaseAccess `json:"may"`
	Today csreview.Date       `json:"today"`
}

// clockView is a clock on the day, with why its due date is provisional in
// the reader's language.
type clockView struct {
	review.ClockStatus
	ProvisionalNote string `json:"provisional_note,omitempty" doc:"Why the due date is provisional, in the language of the request (Accept-Language or the lang cookie)."`
}

func (s *Server) CaseView(r *http.Request, id int64) (*CaseView, error) {
	ctx := r.Context()
	c, err := s.Cases.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	clocks, err := s.Cases.FindCaseClocks(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.Cases.FindCaseEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &CaseView{Case: c, Events: events, Today: csreview.DateOf(s.Now().In(Shanghai))}
	tr := s.I18n.For(r)
	for _, clk := range clocks {
		st := review.Status(s.rules.Cal, *clk, v.Today)
		v.Clocks = append(v.Clocks, clockView{ClockStatus: st, ProvisionalNote: tr.Provisional(st)})
	}
	work, err := s.Cases.FindCaseWork(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Actions, v.NextActors, v.Offers, v.Roster, v.May = work.Actions, work.NextActors, work.Offers, work.Roster, work.May
	return v, nil
}
