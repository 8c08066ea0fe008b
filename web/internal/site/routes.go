package site

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/csreview/csreview"
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

// EnumParam documents a string parameter with a fixed set of values.
func EnumParam(name, desc string, values []string) Param {
	return Param{Name: name, Type: "string", Description: desc, Enum: values}
}

// Resources are the registry's API resources, shared with the pages.
type Resources struct {
	Suppliers *Resource[csreview.Supplier, csreview.SupplierFilter]
	Products  *Resource[csreview.Product, csreview.ProductFilter]
	Operators *Resource[csreview.Operator, csreview.OperatorFilter]
	Bodies    *Resource[csreview.Body, csreview.BodyFilter]
	Users     *Resource[csreview.User, csreview.UserFilter]
}

// Resources builds the registry's resources over the server's services.
func (s *Server) Resources() Resources {
	suppliers := &Resource[csreview.Supplier, csreview.SupplierFilter]{Name: "suppliers",
		Find: s.Registry.FindSupplierByID, List: s.Registry.FindSuppliers, Create: s.Registry.CreateSupplier,
		Update: s.Registry.UpdateSupplier, Del: s.Registry.DeleteSupplier,
		ID: func(v *csreview.Supplier) *int64 { return &v.ID },
		Filter: func(q *Query) csreview.SupplierFilter {
			return csreview.SupplierFilter{Query: q.Str("q"), Country: strings.ToUpper(q.Str("country")), Domestic: q.Bool("domestic"), Page: q.Page()}
		}}
	products := &Resource[csreview.Product, csreview.ProductFilter]{Name: "products", MayCreate: csreview.CanCreateProducts,
		Find: s.Registry.FindProductByID, List: s.Registry.FindProducts, Create: s.Registry.CreateProduct,
		Update: s.Registry.UpdateProduct, Del: s.Registry.DeleteProduct,
		ID: func(v *csreview.Product) *int64 { return &v.ID },
		Filter: func(q *Query) csreview.ProductFilter {
			return csreview.ProductFilter{Query: q.Str("q"), SupplierID: q.Int("supplier_id"),
				Category: csreview.Category(q.OneOf("category", Strs(csreview.Categories))), Page: q.Page()}
		}}
	operators := &Resource[csreview.Operator, csreview.OperatorFilter]{Name: "operators",
		Find: s.Registry.FindOperatorByID, List: s.Registry.FindOperators, Create: s.Registry.CreateOperator,
		Update: s.Registry.UpdateOperator, Del: s.Registry.DeleteOperator,
		ID: func(v *csreview.Operator) *int64 { return &v.ID },
		Filter: func(q *Query) csreview.OperatorFilter {
			return csreview.OperatorFilter{Query: q.Str("q"), Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				CII: q.Bool("cii"), Page: q.Page()}
		}}
	bodies := &Resource[csreview.Body, csreview.BodyFilter]{Name: "bodies",
		Find: s.Registry.FindBodyByID, List: s.Registry.FindBodies, Create: s.Registry.CreateBody,
		Update: s.Registry.UpdateBody, Del: s.Registry.DeleteBody,
		ID: func(v *csreview.Body) *int64 { return &v.ID },
		Filter: func(q *Query) csreview.BodyFilter {
			f := csreview.BodyFilter{Query: q.Str("q"), Category: csreview.Category(q.OneOf("category", Strs(csreview.Categories))),
				ValidOn: csreview.Date(q.Str("valid_on")), Page: q.Page()}
			if f.ValidOn != "" && !f.ValidOn.Valid() {
				q.Bad.Add("valid_on", "invalid_date")
			}
			return f
		}}
	users := &Resource[csreview.User, csreview.UserFilter]{Name: "users",
		Find: s.Accounts.FindUserByID, List: s.Accounts.FindUsers, Update: s.Accounts.UpdateUser,
		ID: func(v *csreview.User) *int64 { return &v.ID },
		Filter: func(q *Query) csreview.UserFilter {
			return csreview.UserFilter{Query: q.Str("q"), Role: csreview.Role(q.OneOf("role", Strs(csreview.Roles))),
				Disabled: q.Bool("disabled"), Page: q.Page()}
		}}

	return Resources{suppliers, products, operators, bodies, users}
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
	rs = append(rs, s.opsRoutes()...)
	// The gates, by route name, for the pages' links (the "may" template
	// function); each is declared with its route.
	s.gates = map[string]func(*csreview.User) bool{}
	s.named = map[string]bool{}
	for _, r := range rs {
		s.named[r.Name] = true
		if r.May != nil {
			s.gates[r.Name] = r.May
		}
	}
	return rs
}

// Gates shared by several routes (see Route.May), each the policy of
// DESIGN §2 it applies.
var (
	MayInventory = func(u *csreview.User) bool { return !csreview.InventoryScope(u).None }
	MayOversight = func(u *csreview.User) bool { return !csreview.OversightScope(u).None }
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.Log.Error("healthz: database", "err", err)
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
