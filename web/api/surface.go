// Package api is csreview's JSON API under /api/v1: the registry, the
// cases, versions and their SBOMs, publication, operators' inventories and
// procurement checks, monitoring and enforcement. Its routes join the one
// registry of web/internal/site, which builds the mux and the OpenAPI
// document from them and applies the gates declared with each route.
package api

import "github.com/csreview/csreview/web/internal/site"

// surface is the server as the API's handlers see it.
type surface struct{ *site.Server }

// Routes are the API's entries of the route registry.
func Routes(srv *site.Server) []site.Route { return (&surface{srv}).all() }
