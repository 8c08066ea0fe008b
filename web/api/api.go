package api

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

// writeList answers a list endpoint.
func writeList[T any](w http.ResponseWriter, items []*T, total int, page csreview.Page) error {
	if items == nil {
		items = []*T{}
	}
	p := page.Normalize()
	return site.WriteJSON(w, http.StatusOK, site.ListBody[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset})
}

// noContent answers 204.
func noContent(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}
