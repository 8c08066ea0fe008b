package api

import (
	"fmt"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web/internal/site"
)

var pageParams = []site.Param{
	{Name: "limit", Type: "integer", Description: fmt.Sprintf("page size, at most %d (default %d)", csreview.MaxLimit, csreview.DefaultLimit)},
	{Name: "offset", Type: "integer", Description: "items to skip"},
}

func withPage(ps ...site.Param) []site.Param { return append(ps, pageParams...) }

var qParam = site.Param{Name: "q", Type: "string", Description: "case-insensitive substring of the names and identifiers"}

// crudRoutes registers the five routes of a resource.
func crudRoutes[T any, F any](rs *site.Resource[T, F], tag string, params []site.Param, withDelete bool) []site.Route {
	var zero T
	base := "/api/v1/" + rs.Name
	routes := []site.Route{
		{Name: "api." + rs.Name + ".list", Method: "GET", Pattern: base, Kind: site.KindAPI, Tag: tag,
			Summary: "List " + rs.Name, Params: withPage(append([]site.Param{qParam}, params...)...),
			Response: site.ListBody[T]{}, May: rs.MayList, Handle: rs.ListHandler},
		{Name: "api." + rs.Name + ".create", Method: "POST", Pattern: base, Kind: site.KindAPI, Tag: tag,
			Summary: "Create one of " + rs.Name, Request: zero, Response: zero, Status: 201, May: rs.MayCreate, Handle: rs.CreateHandler},
		{Name: "api." + rs.Name + ".get", Method: "GET", Pattern: base + "/{id}", Kind: site.KindAPI, Tag: tag,
			Summary: "Get one of " + rs.Name, Response: zero, Handle: rs.GetHandler},
		{Name: "api." + rs.Name + ".update", Method: "PATCH", Pattern: base + "/{id}", Kind: site.KindAPI, Tag: tag,
			Summary: "Update one of " + rs.Name + " (JSON merge patch)", Request: zero, Response: zero, Handle: rs.UpdateHandler},
	}
	if withDelete {
		routes = append(routes, site.Route{Name: "api." + rs.Name + ".delete", Method: "DELETE", Pattern: base + "/{id}",
			Kind: site.KindAPI, Tag: tag, Summary: "Delete one of " + rs.Name, Status: 204, Handle: rs.DeleteHandler})
	}
	return routes
}

// registryRoutes are the registry, the accounts, the audit log and the
// rules.
func (s *surface) registryRoutes() []site.Route {
	a := s.Resources()
	suppliers, products, operators, bodies, users := a.Suppliers, a.Products, a.Operators, a.Bodies, a.Users
	var rs []site.Route
	rs = append(rs, crudRoutes(suppliers, "Registry", []site.Param{
		{Name: "country", Type: "string", Description: "ISO 3166-1 alpha-2 country of registration"},
		{Name: "domestic", Type: "boolean", Description: "true: registered in mainland China"}}, true)...)
	rs = append(rs, crudRoutes(products, "Registry", []site.Param{
		{Name: "supplier_id", Type: "integer", Description: "supplier"},
		site.EnumParam("category", "product category (2021 Measures Art. 21)", site.Strs(csreview.Categories))}, true)...)
	rs = append(rs,
		site.Route{Name: "api.products.versions.create", Method: "POST", Pattern: "/api/v1/products/{id}/versions", Kind: site.KindAPI,
			Tag: "Registry", Summary: "Add a version to a product", Request: csreview.ProductVersion{},
			Response: csreview.ProductVersion{}, Status: 201, Handle: s.createVersion},
		site.Route{Name: "api.products.versions.update", Method: "PATCH", Pattern: "/api/v1/products/{id}/versions/{vid}", Kind: site.KindAPI,
			Tag: "Registry", Summary: "Update a product version", Request: csreview.ProductVersion{},
			Response: csreview.ProductVersion{}, Handle: s.updateVersion},
		site.Route{Name: "api.products.versions.delete", Method: "DELETE", Pattern: "/api/v1/products/{id}/versions/{vid}", Kind: site.KindAPI,
			Tag: "Registry", Summary: "Delete a product version", Status: 204, Handle: s.deleteVersion},
	)
	rs = append(rs, crudRoutes(operators, "Registry", []site.Param{
		site.EnumParam("sector", "CII sector (CSL Art. 31; Art. 33 from 2026-01-01)", site.Strs(csreview.Sectors)),
		{Name: "cii", Type: "boolean", Description: "identified as a CII operator"}}, true)...)
	rs = append(rs, crudRoutes(bodies, "Registry", []site.Param{
		site.EnumParam("category", "accreditation covers this category", site.Strs(csreview.Categories)),
		{Name: "valid_on", Type: "string", Description: "accreditation valid on this date (YYYY-MM-DD)"}}, true)...)
	userRoutes := crudRoutes(users, "Accounts", []site.Param{
		site.EnumParam("role", "role", site.Strs(csreview.Roles)),
		{Name: "disabled", Type: "boolean", Description: "disabled accounts"}}, false)
	userRoutes[1] = site.Route{Name: "api.users.create", Method: "POST", Pattern: "/api/v1/users", Kind: site.KindAPI, Tag: "Accounts",
		Summary: "Create an account (admins)", Request: newUserBody{}, Response: csreview.User{}, Status: 201, Handle: s.createUser}
	rs = append(rs, userRoutes...)
	rs = append(rs,
		site.Route{Name: "api.users.disable", Method: "POST", Pattern: "/api/v1/users/{id}/disable", Kind: site.KindAPI, Tag: "Accounts",
			Summary: "Disable an account, ending its sessions and tokens", Response: csreview.User{}, Handle: s.setDisabled(true)},
		site.Route{Name: "api.users.enable", Method: "POST", Pattern: "/api/v1/users/{id}/enable", Kind: site.KindAPI, Tag: "Accounts",
			Summary: "Enable an account", Response: csreview.User{}, Handle: s.setDisabled(false)},
		site.Route{Name: "api.me", Method: "GET", Pattern: "/api/v1/me", Kind: site.KindAPI, Tag: "Accounts",
			Summary: "The calling user", Response: csreview.User{}, Handle: s.me},
		site.Route{Name: "api.tokens.list", Method: "GET", Pattern: "/api/v1/tokens", Kind: site.KindAPI, Tag: "Accounts",
			Summary: "The caller's API tokens", Response: site.ListBody[csreview.APIToken]{}, Handle: s.listTokens},
		site.Route{Name: "api.tokens.create", Method: "POST", Pattern: "/api/v1/tokens", Kind: site.KindAPI, Tag: "Accounts",
			Summary: "Create an API token; its secret is in this answer only", Request: newTokenBody{},
			Response: createdToken{}, Status: 201, Handle: s.createToken},
		site.Route{Name: "api.tokens.delete", Method: "DELETE", Pattern: "/api/v1/tokens/{id}", Kind: site.KindAPI, Tag: "Accounts",
			Summary: "Revoke an API token", Status: 204, Handle: s.deleteToken},
		site.Route{Name: "api.audit.list", Method: "GET", Pattern: "/api/v1/audit", Kind: site.KindAPI, Tag: "Audit",
			Summary: "The audit log, newest first (office and admins)", Params: withPage(
				site.Param{Name: "entity", Type: "string", Description: "entity name, e.g. supplier"},
				site.Param{Name: "entity_id", Type: "integer", Description: "entity ID"},
				site.Param{Name: "actor_id", Type: "integer", Description: "acting user"},
				site.Param{Name: "action", Type: "string", Description: "create, update, delete, login…"}),
			Response: site.ListBody[csreview.AuditRecord]{}, Handle: s.audit},
		site.Route{Name: "api.bodies.relations.create", Method: "POST", Pattern: "/api/v1/bodies/{id}/relations", Kind: site.KindAPI, Tag: "Registry",
			Summary: "Record a body's consulting relationship or advice on a product, which bars it from assessing conflicted cases",
			Request: csreview.BodyRelation{}, Response: csreview.BodyRelation{}, Status: 201, Handle: s.createBodyRelation},
		site.Route{Name: "api.regimes.list", Method: "GET", Pattern: "/api/v1/regimes", Kind: site.KindAPI, Public: true, Tag: "Rules",
			Summary: "The regime packs (2017 draft, 2017 trial, 2020, 2021)", Response: site.ListBody[regimeSummary]{}, Handle: s.listRegimes},
		site.Route{Name: "api.regimes.get", Method: "GET", Pattern: "/api/v1/regimes/{regime}", Kind: site.KindAPI, Public: true, Tag: "Rules",
			Summary:  "One regime pack: scope, channels, materials, methods, criteria, procedure, clocks, outcomes, publication, each item with its article",
			Response: regime.Pack{}, Handle: s.getRegime},
		site.Route{Name: "api.openapi", Method: "GET", Pattern: "/api/v1/openapi.json", Kind: site.KindAPI, Public: true, Tag: "Meta",
			Summary: "This OpenAPI 3.1 document", Handle: s.ServeOpenAPI},
	)
	return rs
}

// all is the JSON API under /api/v1.
func (s *surface) all() []site.Route {
	var rs []site.Route
	rs = append(rs, s.registryRoutes()...)
	rs = append(rs, s.caseRoutes()...)
	rs = append(rs, s.versionRoutes()...)
	rs = append(rs, s.publicationRoutes()...)
	rs = append(rs, s.oversightRoutes()...)
	rs = append(rs, s.monitorRoutes()...)
	rs = append(rs, s.enforcementRoutes()...)
	rs = append(rs, s.oversightStatsRoutes()...)
	rs = append(rs, s.selfReviewRoutes()...)
	return rs
}
