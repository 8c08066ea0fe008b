package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) selfReviewRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.selfreview.form", May: csreview.CanSelfReview, Method: "GET", Pattern: "/self-review", Handle: s.selfReviewForm},
		{Name: "ui.selfreview.create", May: csreview.CanSelfReview, Method: "POST", Pattern: "/self-review", Handle: s.createSelfReview},
		{Name: "ui.selfreview", Method: "GET", Pattern: "/self-review/{id}", Handle: s.selfReview},
		{Name: "ui.selfreview.report", Method: "GET", Pattern: "/self-review/{id}/report.txt", Handle: s.selfReviewReport},
	}
}

type selfReviewForm struct {
	Versions  []site.Option
	VersionID int64
	Questions []csreview.Question
	Answers   map[string]string
	Problem   string
	Mine      []*csreview.SelfReview
	Names     *answerNames
}

func (s *surface) renderSelfReviewForm(w http.ResponseWriter, r *http.Request, d selfReviewForm, status int) error {
	d.Versions, d.Questions, d.Names = s.versionOptions(r), csreview.SelfReviewQuestions, s.answerNames(r)
	if d.Answers == nil {
		d.Answers = map[string]string{}
	}
	mine, err := s.SelfReviews.FindSelfReviews(r.Context(), 0)
	if err != nil {
		return err
	}
	d.Mine = mine
	return s.Render(w, status, "selfreview_form", s.NewPage(r, "selfreview.title", d))
}

func (s *surface) selfReviewForm(w http.ResponseWriter, r *http.Request) error {
	vid, _ := strconv.ParseInt(r.URL.Query().Get("version_id"), 10, 64)
	return s.renderSelfReviewForm(w, r, selfReviewForm{VersionID: vid}, http.StatusOK)
}

func (s *surface) createSelfReview(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	vid, _ := strconv.ParseInt(r.PostForm.Get("version_id"), 10, 64)
	sr := &csreview.SelfReview{VersionID: vid, Answers: map[string]string{}, Notes: map[string]string{}, Lang: s.I18n.For(r).Lang}
	for _, q := range csreview.SelfReviewQuestions {
		sr.Answers[q.ID] = r.PostForm.Get("q_" + q.ID)
		if n := r.PostForm.Get("n_" + q.ID); n != "" {
			sr.Notes[q.ID] = n
		}
	}
	if err := s.SelfReviews.CreateSelfReview(r.Context(), sr); err != nil {
		code := csreview.ErrorCode(err)
		if code != csreview.EINVALID && code != csreview.ENOTFOUND {
			return err
		}
		return s.renderSelfReviewForm(w, r, selfReviewForm{VersionID: vid, Answers: sr.Answers, Problem: s.ProblemOf(r, err).Detail},
			http.StatusBadRequest)
	}
	return redirect(w, r, fmt.Sprintf("/self-review/%d", sr.ID), "")
}

type selfReviewData struct {
	R        *csreview.SelfReview
	Pack     *regime.Pack
	Names    *answerNames
	Text     func(t csreview.Text) string
	Question map[string]csreview.Question
	CanFile  bool
}

func (s *surface) selfReview(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	sr, err := s.SelfReviews.FindSelfReview(r.Context(), id)
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	d := selfReviewData{R: sr, Pack: s.Rules.Packs[sr.Regime], Names: s.answerNames(r), Question: map[string]csreview.Question{},
		CanFile: csreview.CanFileFromSelfReview(csreview.UserFromContext(r.Context()), sr),
		Text:    langText(lang)}
	for _, q := range csreview.SelfReviewQuestions {
		d.Question[q.ID] = q
	}
	return s.Render(w, http.StatusOK, "selfreview", s.NewPage(r, "selfreview.result", d))
}

func (s *surface) selfReviewReport(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	sr, err := s.SelfReviews.FindSelfReview(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="impact-report-draft-%d.txt"`, sr.ID))
	_, err = w.Write([]byte(sr.Report))
	return err
}
