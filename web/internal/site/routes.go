package site

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

type routeKind int

const (
	KindUI  routeKind = iota // an HTML page or form action
	KindAPI                  // JSON under /api/v1
	KindOps                  // /healthz, /metrics
)

// Route is one entry of the route registry: the mux is built from it, the
// OpenAPI document is generated from it, and tests walk it.
type Route struct {
	Name    string
	Method  string
	Pattern string
	Kind    routeKind
	// Public routes answer anonymous callers; all others need a user
	// (the services then decide per object).
	Public bool
	// For the OpenAPI document:
	Summary  string
	Tag      string
	Params   []Param
	Request  any // a value of the request body's type
	Response any // a value of the success body's type
	Status   int // success status; 200 if 0
	// MaxBody overrides the server's body limit, for uploads.
	MaxBody int64
	// May, when set, refuses (403) a signed-in caller whose role has no
	// business with the route at all, before the request is read: a list
	// it could only ever see empty, a form it could never submit. The
	// services still decide per object.
	May    func(u *csreview.User) bool
	Handle HandlerFunc
}

// Param is a documented query parameter.
type Param struct {
	Name, Type, Description string
	Enum                    []string
}

// API reports whether the route is part of the JSON API.
func (r Route) API() bool { return r.Kind == KindAPI }

var pageParams = []Param{
	{Name: "limit", Type: "integer", Description: fmt.Sprintf("page size, at most %d (default %d)", csreview.MaxLimit, csreview.DefaultLimit)},
	{Name: "offset", Type: "integer", Description: "items to skip"},
}

func withPage(ps ...Param) []Param { return append(ps, pageParams...) }

var qParam = Param{Name: "q", Type: "string", Description: "case-insensitive substring of the names and identifiers"}

// crudRoutes registers the five routes of a resource.
func crudRoutes[T any, F any](rs *resource[T, F], tag string, params []Param, withDelete bool) []Route {
	var zero T
	base := "/api/v1/" + rs.name
	routes := []Route{
		{Name: "api." + rs.name + ".list", Method: "GET", Pattern: base, Kind: KindAPI, Tag: tag,
			Summary: "List " + rs.name, Params: withPage(append([]Param{qParam}, params...)...),
			Response: listBody[T]{}, May: rs.mayList, Handle: rs.listHandler},
		{Name: "api." + rs.name + ".create", Method: "POST", Pattern: base, Kind: KindAPI, Tag: tag,
			Summary: "Create one of " + rs.name, Request: zero, Response: zero, Status: 201, May: rs.mayCreate, Handle: rs.createHandler},
		{Name: "api." + rs.name + ".get", Method: "GET", Pattern: base + "/{id}", Kind: KindAPI, Tag: tag,
			Summary: "Get one of " + rs.name, Response: zero, Handle: rs.getHandler},
		{Name: "api." + rs.name + ".update", Method: "PATCH", Pattern: base + "/{id}", Kind: KindAPI, Tag: tag,
			Summary: "Update one of " + rs.name + " (JSON merge patch)", Request: zero, Response: zero, Handle: rs.updateHandler},
	}
	if withDelete {
		routes = append(routes, Route{Name: "api." + rs.name + ".delete", Method: "DELETE", Pattern: base + "/{id}",
			Kind: KindAPI, Tag: tag, Summary: "Delete one of " + rs.name, Status: 204, Handle: rs.deleteHandler})
	}
	return routes
}

// EnumParam documents a string parameter with a fixed set of values.
func EnumParam(name, desc string, values []string) Param {
	return Param{Name: name, Type: "string", Description: desc, Enum: values}
}

// apiResources are the registry's API resources, shared with the pages.
type apiResources struct {
	suppliers *resource[csreview.Supplier, csreview.SupplierFilter]
	products  *resource[csreview.Product, csreview.ProductFilter]
	operators *resource[csreview.Operator, csreview.OperatorFilter]
	bodies    *resource[csreview.Body, csreview.BodyFilter]
	users     *resource[csreview.User, csreview.UserFilter]
}

func (s *Server) apiResources() apiResources {
	suppliers := &resource[csreview.Supplier, csreview.SupplierFilter]{name: "suppliers",
		find: s.registry.FindSupplierByID, list: s.registry.FindSuppliers, create: s.registry.CreateSupplier,
		update: s.registry.UpdateSupplier, del: s.registry.DeleteSupplier,
		id: func(v *csreview.Supplier) *int64 { return &v.ID },
		filter: func(q *Query) csreview.SupplierFilter {
			return csreview.SupplierFilter{Query: q.Str("q"), Country: strings.ToUpper(q.Str("country")), Domestic: q.Bool("domestic"), Page: q.Page()}
		}}
	products := &resource[csreview.Product, csreview.ProductFilter]{name: "products", mayCreate: csreview.CanCreateProducts,
		find: s.registry.FindProductByID, list: s.registry.FindProducts, create: s.registry.CreateProduct,
		update: s.registry.UpdateProduct, del: s.registry.DeleteProduct,
		id: func(v *csreview.Product) *int64 { return &v.ID },
		filter: func(q *Query) csreview.ProductFilter {
			return csreview.ProductFilter{Query: q.Str("q"), SupplierID: q.Int("supplier_id"),
				Category: csreview.Category(q.OneOf("category", Strs(csreview.Categories))), Page: q.Page()}
		}}
	operators := &resource[csreview.Operator, csreview.OperatorFilter]{name: "operators",
		find: s.registry.FindOperatorByID, list: s.registry.FindOperators, create: s.registry.CreateOperator,
		update: s.registry.UpdateOperator, del: s.registry.DeleteOperator,
		id: func(v *csreview.Operator) *int64 { return &v.ID },
		filter: func(q *Query) csreview.OperatorFilter {
			return csreview.OperatorFilter{Query: q.Str("q"), Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				CII: q.Bool("cii"), Page: q.Page()}
		}}
	bodies := &resource[csreview.Body, csreview.BodyFilter]{name: "bodies",
		find: s.registry.FindBodyByID, list: s.registry.FindBodies, create: s.registry.CreateBody,
		update: s.registry.UpdateBody, del: s.registry.DeleteBody,
		id: func(v *csreview.Body) *int64 { return &v.ID },
		filter: func(q *Query) csreview.BodyFilter {
			f := csreview.BodyFilter{Query: q.Str("q"), Category: csreview.Category(q.OneOf("category", Strs(csreview.Categories))),
				ValidOn: csreview.Date(q.Str("valid_on")), Page: q.Page()}
			if f.ValidOn != "" && !f.ValidOn.Valid() {
				q.Bad.Add("valid_on", "invalid_date")
			}
			return f
		}}
	users := &resource[csreview.User, csreview.UserFilter]{name: "users",
		find: s.accounts.FindUserByID, list: s.accounts.FindUsers, update: s.accounts.UpdateUser,
		id: func(v *csreview.User) *int64 { return &v.ID },
		filter: func(q *Query) csreview.UserFilter {
			return csreview.UserFilter{Query: q.Str("q"), Role: csreview.Role(q.OneOf("role", Strs(csreview.Roles))),
				Disabled: q.Bool("disabled"), Page: q.Page()}
		}}

	return apiResources{suppliers, products, operators, bodies, users}
}

// apiRoutes is the JSON API.
func (s *Server) apiRoutes() []Route {
	a := s.apiResources()
	suppliers, products, operators, bodies, users := a.suppliers, a.products, a.operators, a.bodies, a.users
	var rs []Route
	rs = append(rs, crudRoutes(suppliers, "Registry", []Param{
		{Name: "country", Type: "string", Description: "ISO 3166-1 alpha-2 country of registration"},
		{Name: "domestic", Type: "boolean", Description: "true: registered in mainland China"}}, true)...)
	rs = append(rs, crudRoutes(products, "Registry", []Param{
		{Name: "supplier_id", Type: "integer", Description: "supplier"},
		EnumParam("category", "product category (2021 Measures Art. 21)", Strs(csreview.Categories))}, true)...)
	rs = append(rs,
		Route{Name: "api.products.versions.create", Method: "POST", Pattern: "/api/v1/products/{id}/versions", Kind: KindAPI,
			Tag: "Registry", Summary: "Add a version to a product", Request: csreview.ProductVersion{},
			Response: csreview.ProductVersion{}, Status: 201, Handle: s.apiCreateVersion},
		Route{Name: "api.products.versions.update", Method: "PATCH", Pattern: "/api/v1/products/{id}/versions/{vid}", Kind: KindAPI,
			Tag: "Registry", Summary: "Update a product version", Request: csreview.ProductVersion{},
			Response: csreview.ProductVersion{}, Handle: s.apiUpdateVersion},
		Route{Name: "api.products.versions.delete", Method: "DELETE", Pattern: "/api/v1/products/{id}/versions/{vid}", Kind: KindAPI,
			Tag: "Registry", Summary: "Delete a product version", Status: 204, Handle: s.apiDeleteVersion},
	)
	rs = append(rs, crudRoutes(operators, "Registry", []Param{
		EnumParam("sector", "CII sector (CSL Art. 31; Art. 33 from 2026-01-01)", Strs(csreview.Sectors)),
		{Name: "cii", Type: "boolean", Description: "identified as a CII operator"}}, true)...)
	rs = append(rs, crudRoutes(bodies, "Registry", []Param{
		EnumParam("category", "accreditation covers this category", Strs(csreview.Categories)),
		{Name: "valid_on", Type: "string", Description: "accreditation valid on this date (YYYY-MM-DD)"}}, true)...)
	userRoutes := crudRoutes(users, "Accounts", []Param{
		EnumParam("role", "role", Strs(csreview.Roles)),
		{Name: "disabled", Type: "boolean", Description: "disabled accounts"}}, false)
	userRoutes[1] = Route{Name: "api.users.create", Method: "POST", Pattern: "/api/v1/users", Kind: KindAPI, Tag: "Accounts",
		Summary: "Create an account (admins)", Request: newUserBody{}, Response: csreview.User{}, Status: 201, Handle: s.apiCreateUser}
	rs = append(rs, userRoutes...)
	rs = append(rs,
		Route{Name: "api.users.disable", Method: "POST", Pattern: "/api/v1/users/{id}/disable", Kind: KindAPI, Tag: "Accounts",
			Summary: "Disable an account, ending its sessions and tokens", Response: csreview.User{}, Handle: s.apiSetDisabled(true)},
		Route{Name: "api.users.enable", Method: "POST", Pattern: "/api/v1/users/{id}/enable", Kind: KindAPI, Tag: "Accounts",
			Summary: "Enable an account", Response: csreview.User{}, Handle: s.apiSetDisabled(false)},
		Route{Name: "api.me", Method: "GET", Pattern: "/api/v1/me", Kind: KindAPI, Tag: "Accounts",
			Summary: "The calling user", Response: csreview.User{}, Handle: s.apiMe},
		Route{Name: "api.tokens.list", Method: "GET", Pattern: "/api/v1/tokens", Kind: KindAPI, Tag: "Accounts",
			Summary: "The caller's API tokens", Response: listBody[csreview.APIToken]{}, Handle: s.apiListTokens},
		Route{Name: "api.tokens.create", Method: "POST", Pattern: "/api/v1/tokens", Kind: KindAPI, Tag: "Accounts",
			Summary: "Create an API token; its secret is in this answer only", Request: newTokenBody{},
			Response: createdToken{}, Status: 201, Handle: s.apiCreateToken},
		Route{Name: "api.tokens.delete", Method: "DELETE", Pattern: "/api/v1/tokens/{id}", Kind: KindAPI, Tag: "Accounts",
			Summary: "Revoke an API token", Status: 204, Handle: s.apiDeleteToken},
		Route{Name: "api.audit.list", Method: "GET", Pattern: "/api/v1/audit", Kind: KindAPI, Tag: "Audit",
			Summary: "The audit log, newest first (office and admins)", Params: withPage(
				Param{Name: "entity", Type: "string", Description: "entity name, e.g. supplier"},
				Param{Name: "entity_id", Type: "integer", Description: "entity ID"},
				Param{Name: "actor_id", Type: "integer", Description: "acting user"},
				Param{Name: "action", Type: "string", Description: "create, update, delete, login…"}),
			Response: listBody[csreview.AuditRecord]{}, Handle: s.apiAudit},
		Route{Name: "api.bodies.relations.create", Method: "POST", Pattern: "/api/v1/bodies/{id}/relations", Kind: KindAPI, Tag: "Registry",
			Summary: "Record a body's consulting relationship or advice on a product, which bars it from assessing conflicted cases",
			Request: csreview.BodyRelation{}, Response: csreview.BodyRelation{}, Status: 201, Handle: s.apiCreateBodyRelation},
		Route{Name: "api.regimes.list", Method: "GET", Pattern: "/api/v1/regimes", Kind: KindAPI, Public: true, Tag: "Rules",
			Summary: "The regime packs (2017 draft, 2017 trial, 2020, 2021)", Response: listBody[regimeSummary]{}, Handle: s.apiListRegimes},
		Route{Name: "api.regimes.get", Method: "GET", Pattern: "/api/v1/regimes/{regime}", Kind: KindAPI, Public: true, Tag: "Rules",
			Summary:  "One regime pack: scope, channels, materials, methods, criteria, procedure, clocks, outcomes, publication, each item with its article",
			Response: regime.Pack{}, Handle: s.apiGetRegime},
		Route{Name: "api.openapi", Method: "GET", Pattern: "/api/v1/openapi.json", Kind: KindAPI, Public: true, Tag: "Meta",
			Summary: "This OpenAPI 3.1 document", Handle: s.apiOpenAPI},
	)
	return rs
}

// opsRoutes are for operators of the service itself.
func (s *Server) opsRoutes() []Route {
	return []Route{
		{Name: "healthz", Method: "GET", Pattern: "/healthz", Kind: KindOps, Public: true, Handle: s.healthz},
		{Name: "metrics", Method: "GET", Pattern: "/metrics", Kind: KindOps, Public: true, Handle: s.serveMetrics},
	}
}

// Surface gives the routes of one part of the site, for the registry.
type Surface func(*Server) []Route

func (s *Server) allRoutes(surfaces []Surface) []Route {
	var rs []Route
	for _, surface := range surfaces {
		rs = append(rs, surface(s)...)
	}
	rs = append(rs, s.apiRoutes()...)
	rs = append(rs, s.caseRoutes()...)
	rs = append(rs, s.versionRoutes()...)
	rs = append(rs, s.publicationRoutes()...)
	rs = append(rs, s.oversightRoutes()...)
	rs = append(rs, s.monitorRoutes()...)
	rs = append(rs, s.enforcementRoutes()...)
	rs = append(rs, s.oversightStatsRoutes()...)
	rs = append(rs, s.selfReviewRoutes()...)
	rs = append(rs, s.opsRoutes()...)
	rs = append(rs, s.uiRoutes()...)
	// The gates, by route name, for the pages' links (the "may" template
	// function); each is declared with its route.
	s.gates = map[string]func(*csreview.User) bool{}
	for _, r := range rs {
		if r.May != nil {
			s.gates[r.Name] = r.May
		}
	}
	return rs
}

// Gates shared by several routes (see Route.May), each the policy of
// DESIGN §2 it applies.
var (
	mayInventory = func(u *csreview.User) bool { return !csreview.InventoryScope(u).None }
	mayOversight = func(u *csreview.User) bool { return !csreview.OversightScope(u).None }
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Error("healthz: database", "err", err)
		return csreview.KeyErrorf(csreview.EUNAVAILABLE, "err.db_down", "The database does not answer.")
	}
	return WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w, func(w io.Writer) {
		s.calendarMetrics(w)
		s.extraMetrics(w)
	})
	return nil
}
