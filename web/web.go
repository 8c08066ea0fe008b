// Package web serves csreview over HTTP: the JSON API under /api/v1, the
// server-rendered pages, the public site, /healthz and /metrics, all from
// one route registry (web/internal/site), to which web/api, web/ui and
// web/public each bring their routes.
package web

import (
	"log/slog"

	"github.com/csreview/csreview/web/api"
	"github.com/csreview/csreview/web/internal/site"
	"github.com/csreview/csreview/web/public"
	"github.com/csreview/csreview/web/ui"
)

type (
	// Server is the HTTP side of csreview.
	Server = site.Server
	// Config holds the server's settings.
	Config = site.Config
	// Route is one entry of the route registry.
	Route = site.Route
	// Services is everything the web layer calls.
	Services = site.Services
	// Pinger checks the database for /healthz.
	Pinger = site.Pinger
	// Catalogs are the message catalogues by language.
	Catalogs = site.Catalogs
)

// Missing is what a catalogue gives for a key it has no message for.
const Missing = site.Missing

// New builds the server; it fails if a template or catalogue is broken, so
// that a bad build never starts.
func New(svc Services, db Pinger, log *slog.Logger, cfg Config) (*Server, error) {
	return site.New(svc, db, log, cfg, public.Routes, api.Routes, ui.Routes)
}

// LoadCatalogs reads the embedded message catalogues.
func LoadCatalogs() (Catalogs, error) { return site.LoadCatalogs() }
