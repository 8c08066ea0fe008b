// Package ui is csreview's signed-in pages and their forms: the home page
// with what awaits the user, the registry, the cases with their notices
// and analyses, publication, inventories and procurement checks,
// monitoring, enforcement and self-reviews. Its routes join the one
// registry of web/internal/site, which holds the templates, builds the mux
// and applies the gates declared with each route.
package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/csreview/csreview/web/internal/site"
)

// surface is the server as the pages' handlers see it.
type surface struct{ *site.Server }

// Routes are the pages' entries of the route registry.
func Routes(srv *site.Server) []site.Route { return (&surface{srv}).all() }

// all is the signed-in pages and their forms.
func (s *surface) all() []site.Route {
	var rs []site.Route
	rs = append(rs, s.pageRoutes()...)
	rs = append(rs, s.findingsRoutes()...)
	rs = append(rs, s.calendarRoutes()...)
	rs = append(rs, s.versionRoutes()...)
	rs = append(rs, s.publicationRoutes()...)
	rs = append(rs, s.oversightRoutes()...)
	rs = append(rs, s.monitorRoutes()...)
	rs = append(rs, s.enforcementRoutes()...)
	rs = append(rs, s.oversightStatsRoutes()...)
	rs = append(rs, s.selfReviewRoutes()...)
	return rs
}

// redirect answers a form post with 303 See Other.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "flash=" + url.QueryEscape(flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// redirectTo answers a form with a redirect to a page and a saved flash.
func redirectTo(to string) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error { return redirect(w, r, to, "flash.saved") }
}
