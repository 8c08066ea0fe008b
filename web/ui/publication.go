package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/publish"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web/internal/site"
)

// publicationData is the office's preview before publishing.
type publicationData struct {
	Case      *csreview.Case
	Reports   []site.ReportView
	Pack      *regime.Pack
	Basis     bool
	Published []*csreview.ListEntry
	Error     string
	Cite      func(article string) string
}

func (s *surface) publicationData(r *http.Request, id int64) (*publicationData, error) {
	c, err := s.Cases.FindCaseByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	d := &publicationData{Case: c, Pack: s.Rules.Packs[c.Regime]}
	d.Basis = publish.HasBasis(d.Pack)
	lang := s.I18n.For(r).Lang
	d.Cite = func(a string) string {
		if d.Pack == nil {
			return a
		}
		return d.Pack.Cite(a, lang)
	}
	d.Published, _, err = s.Pub.FindListEntries(r.Context(), csreview.ListFilter{CaseRef: c.Ref, Page: csreview.Page{Limit: csreview.MaxLimit}})
	if err != nil {
		return nil, err
	}
	if len(d.Published) > 0 {
		for _, e := range d.Published {
			d.Reports = append(d.Reports, s.ReportView(r, e, nil))
		}
		return d, nil
	}
	entries, err := s.Pub.PreviewPublication(r.Context(), id)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		d.Reports = append(d.Reports, s.ReportView(r, e, nil))
	}
	return d, nil
}

func (s *surface) publication(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.publicationData(r, id)
	if err != nil {
		return err
	}
	tr := s.I18n.For(r)
	pg := s.NewPage(r, "", d)
	pg.Title = tr.T("publication.title", "ref", d.Case.Ref)
	return s.Render(w, http.StatusOK, "publication", pg)
}

func (s *surface) publish(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := site.ParseForm(r); err != nil {
		return err
	}
	entries, err := s.Pub.PublishCase(r.Context(), id, csreview.PublishOptions{ConfirmNoBasis: r.PostForm.Get("confirm_no_basis") == "1"})
	if err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		d, derr := s.publicationData(r, id)
		if derr != nil {
			return derr
		}
		tr := s.I18n.For(r)
		d.Error = tr.T("publication.confirm_needed")
		pg := s.NewPage(r, "", d)
		pg.Title = tr.T("publication.title", "ref", d.Case.Ref)
		return s.Render(w, http.StatusUnprocessableEntity, "publication", pg)
	}
	s.PubCache.Invalidate()
	return redirect(w, r, fmt.Sprintf("/public/products/%d", entries[0].ProductID), "flash.published")
}

type feedbackQueueData struct {
	Rows   []*csreview.Feedback
	State  string
	States []string
	Query  string
	Total  int
	site.Pager
	Trial string // the pack under which feedback opens a review
}

func (s *surface) feedbackQueue(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := csreview.FeedbackFilter{State: q.OneOf("state", csreview.FeedbackStates), Query: q.Str("q"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	rows, total, err := s.Pub.FindFeedback(r.Context(), f)
	if err != nil {
		return err
	}
	d := feedbackQueueData{Rows: rows, State: f.State, States: csreview.FeedbackStates, Query: f.Query, Total: total}
	d.Pager = site.NewPager(r, "/feedback", f.Page, len(rows), total)
	for _, p := range s.Rules.List {
		if _, ok := p.Channel("user_feedback"); ok && p.Status != "draft" {
			d.Trial = p.ID
		}
	}
	return s.Render(w, http.StatusOK, "feedback", s.NewPage(r, "feedback.queue", d))
}

func (s *surface) feedbackState(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := site.ParseForm(r); err != nil {
		return err
	}
	if _, err := s.Pub.SetFeedbackState(r.Context(), id, r.PostForm.Get("state"), r.PostForm.Get("note")); err != nil {
		return err
	}
	back := "/feedback"
	if b := r.PostForm.Get("back"); strings.HasPrefix(b, "/feedback") && !strings.HasPrefix(b, "//") {
		back = b
	}
	return redirect(w, r, back, "flash.saved")
}

func (s *surface) publicationRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.case.publication", Method: "GET", Pattern: "/cases/{id}/publication", Handle: s.publication},
		{Name: "ui.case.publish", Method: "POST", Pattern: "/cases/{id}/publication", Handle: s.publish},
		{Name: "ui.feedback", Method: "GET", Pattern: "/feedback", Handle: s.feedbackQueue},
		{Name: "ui.feedback.state", Method: "POST", Pattern: "/feedback/{id}", Handle: s.feedbackState},
	}
}
