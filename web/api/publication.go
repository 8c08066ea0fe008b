package api

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) previewPublication(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	entries, err := s.Pub.PreviewPublication(r.Context(), id)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.ListEntry]{Items: entries, Total: len(entries), Limit: len(entries)})
}

func (s *surface) publish(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var opt csreview.PublishOptions
	if r.ContentLength != 0 {
		if err := site.DecodeJSON(r, &opt); err != nil {
			return err
		}
	}
	entries, err := s.Pub.PublishCase(r.Context(), id, opt)
	if err != nil {
		return err
	}
	s.PubCache.Invalidate()
	return site.WriteJSON(w, http.StatusCreated, site.ListBody[csreview.ListEntry]{Items: entries, Total: len(entries), Limit: len(entries)})
}

func (s *surface) listFeedback(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := csreview.FeedbackFilter{State: q.OneOf("state", csreview.FeedbackStates), Query: q.Str("q"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	rows, total, err := s.Pub.FindFeedback(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, rows, total, f.Page)
}

type feedbackStateBody struct {
	State string `json:"state"`
	Note  string `json:"note,omitempty"`
}

func (s *surface) feedbackState(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var b feedbackStateBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	f, err := s.Pub.SetFeedbackState(r.Context(), id, b.State, b.Note)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, f)
}

// publicationRoutes are the office's side of publication: the preview and
// the publishing of a decided case, and the queue of the public's feedback.
func (s *surface) publicationRoutes() []site.Route {
	return []site.Route{
		{Name: "api.cases.publication.preview", Method: "GET", Pattern: "/api/v1/cases/{id}/publication", Kind: site.KindAPI, Tag: "Publication",
			Summary: "What publishing the decided case would put on the public lists (office)", Response: site.ListBody[csreview.ListEntry]{},
			Handle: s.previewPublication},
		{Name: "api.cases.publication.publish", Method: "POST", Pattern: "/api/v1/cases/{id}/publication", Kind: site.KindAPI, Tag: "Publication",
			Summary: "Publish the decided case: list entries, public reports, log leaves (office)", Request: csreview.PublishOptions{},
			Response: site.ListBody[csreview.ListEntry]{}, Status: 201, Handle: s.publish},
		{Name: "api.feedback.list", Method: "GET", Pattern: "/api/v1/feedback", Kind: site.KindAPI, Tag: "Publication",
			Summary: "The office's queue of public feedback", Params: withPage(
				site.EnumParam("state", "state", csreview.FeedbackStates), qParam),
			Response: site.ListBody[csreview.Feedback]{}, Handle: s.listFeedback},
		{Name: "api.feedback.update", Method: "PATCH", Pattern: "/api/v1/feedback/{id}", Kind: site.KindAPI, Tag: "Publication",
			Summary: "Mark feedback noted or dismissed, with a note (office)", Request: feedbackStateBody{},
			Response: csreview.Feedback{}, Handle: s.feedbackState},
	}
}
