package site

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/publish"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/verify"
)

// PublicServices publish decided cases and serve the public lists, the
// feedback queue and the publication log (DESIGN §5).
type PublicServices interface {
	csreview.PublicationService
	csreview.FeedbackService
	csreview.PublicLog
	// PublicEntries are the entries f selects as the public JSON carries
	// them, each report exactly as its leaf hashed it; every entry when
	// all. It stays here because its type is the verifier's leaf format.
	PublicEntries(ctx context.Context, f csreview.ListFilter, all bool) ([]*verify.Entry, int, error)
}

// feedbackPerHour is how many feedback submissions one address may make
// in an hour; feedbackAllFactor×that is the ceiling for everyone together.
const (
	feedbackPerHour   = 5
	FeedbackAllFactor = 60
)

// publicationData is the office's preview before publishing.
type publicationData struct {
	Case      *csreview.Case
	Reports   []ReportView
	Pack      *regime.Pack
	Basis     bool
	Published []*csreview.ListEntry
	Error     string
	Cite      func(article string) string
}

func (s *Server) publicationData(r *http.Request, id int64) (*publicationData, error) {
	c, err := s.Cases.FindCaseByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	d := &publicationData{Case: c, Pack: s.PackByID[c.Regime]}
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

func (s *Server) uiPublication(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
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

func (s *Server) uiPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	if err := ParseForm(r); err != nil {
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
	Pager
	Trial string // the pack under which feedback opens a review
}

func (s *Server) uiFeedbackQueue(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := csreview.FeedbackFilter{State: q.OneOf("state", csreview.FeedbackStates), Query: q.Str("q"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	rows, total, err := s.Pub.FindFeedback(r.Context(), f)
	if err != nil {
		return err
	}
	d := feedbackQueueData{Rows: rows, State: f.State, States: csreview.FeedbackStates, Query: f.Query, Total: total}
	d.Pager = NewPager(r, "/feedback", f.Page, len(rows), total)
	for _, p := range s.Packs {
		if _, ok := p.Channel("user_feedback"); ok && p.Status != "draft" {
			d.Trial = p.ID
		}
	}
	return s.Render(w, http.StatusOK, "feedback", s.NewPage(r, "feedback.queue", d))
}

func (s *Server) uiFeedbackState(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	if err := ParseForm(r); err != nil {
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

func (s *Server) publicationUIRoutes() []Route {
	return []Route{
		{Name: "ui.case.publication", Method: "GET", Pattern: "/cases/{id}/publication", Handle: s.uiPublication},
		{Name: "ui.case.publish", Method: "POST", Pattern: "/cases/{id}/publication", Handle: s.uiPublish},
		{Name: "ui.feedback", Method: "GET", Pattern: "/feedback", Handle: s.uiFeedbackQueue},
		{Name: "ui.feedback.state", Method: "POST", Pattern: "/feedback/{id}", Handle: s.uiFeedbackState},
	}
}

// Pick returns the English name when the reader reads English and there is
// one.
func Pick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

// ReportView is a public report as the report partial shows it.
type ReportView struct {
	E      *csreview.ListEntry
	R      *csreview.PublicReport
	P      *regime.Pack
	Cite   func(article string) string
	Digest string
}

// ReportView is the public report of e as the report partial shows it;
// raw is the report as its leaf hashes it.
func (s *Server) ReportView(r *http.Request, e *csreview.ListEntry, raw []byte) ReportView {
	lang := s.I18n.For(r).Lang
	v := ReportView{E: e, R: e.Report, P: s.PackByID[e.Regime]}
	v.Cite = func(a string) string {
		if v.P == nil {
			return a
		}
		return v.P.Cite(a, lang)
	}
	if raw != nil {
		v.Digest, _ = verify.ReportHash(raw)
	}
	return v
}
