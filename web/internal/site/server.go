// Package site is what csreview's HTTP surfaces share: the server, its
// route registry and middleware, the problem answers, the catalogues and
// the templates. Handlers decode, call the services and render;
// authorization is the services' business.
package site

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
)

// Services is everything the web layer calls; New takes each part of it
// as a dependency of its own.
type Services interface {
	Registry
	Accounts
	CaseServices
	VersionServices
	PublicServices
	OversightServices
	Monitoring
	Enforcement
	csreview.SelfReviewService
}

// Registry is the register of suppliers, products, operators and bodies.
type Registry interface {
	csreview.SupplierService
	csreview.ProductService
	csreview.OperatorService
	csreview.BodyService
}

// Accounts are the users, their sign-in and the audit log.
type Accounts interface {
	csreview.UserService
	csreview.AuthService
	csreview.AuditService
	csreview.CalendarFeedService
}

// Monitoring is continuous monitoring: alerts, the prohibited list and
// webhooks.
type Monitoring interface {
	csreview.MonitorService
	csreview.WebhookService
}

// Enforcement is the enforcement records and the oversight figures.
type Enforcement interface {
	csreview.EnforcementService
	csreview.OversightService
}

// Pinger checks the database for /healthz.
type Pinger interface {
	Ping(ctx context.Context) error
}

//go:embed static
var staticFS embed.FS

// Config holds the server's settings.
type Config struct {
	// MaxBodyBytes bounds every request body.
	MaxBodyBytes int64
	// Version is shown in the footer and /healthz.
	Version string
	// DBStats gives the connection pool's statistics for /metrics.
	DBStats func() sql.DBStats
	// Rules are the regime packs and calendar; nil loads the shipped ones.
	Rules *review.Rules
	// Now is the server's clock, which decides today's date for the
	// working-day clocks; nil is time.Now.
	Now func() time.Time
	// PublicCacheFor is how long the public answers trust the tree size
	// they were made for before looking at the log again: 0 means one
	// second; negative turns the public cache off (benchmarks).
	PublicCacheFor time.Duration
	// PublicURL is the scheme, host and any path prefix the public reach
	// the server at (https://csreview.example.gov.cn): every absolute URL
	// the server writes (feeds, receipts, notices) starts with it, never
	// with a request's Host header, which any client may set. Empty means
	// http://localhost.
	PublicURL string
	// RetentionYears is how long a closed case's archive is to be kept,
	// from the day it closed; the archive's manifest states the date.
	// 0 means DefaultRetentionYears.
	RetentionYears int
}

// DefaultRetentionYears is the retention of a case archive when none is
// configured.
const DefaultRetentionYears = 30

// Server is the HTTP side of csreview.
type Server struct {
	// The dependencies, one field each.
	Registry    Registry
	Accounts    Accounts
	Cases       CaseServices
	Versions    VersionServices
	Pub         PublicServices
	Oversight   OversightServices
	Monitoring  Monitoring
	Enforcement Enforcement
	SelfReviews csreview.SelfReviewService
	db          Pinger

	Log      *slog.Logger
	cfg      Config
	I18n     Catalogs
	pages    *pages
	routes   []Route
	gates    map[string]func(*csreview.User) bool // Route.May by route name
	named    map[string]bool                      // every route's name
	metrics  *metrics
	Throttle *Throttle
	handler  http.Handler
	// Rules are the regime packs (Rules.List in order, Rules.Packs by ID)
	// and the working-day calendar.
	Rules    *review.Rules
	PubCache *publicCache
	// Feedback limits public feedback per address and overall.
	Feedback *Throttle
	// Now is the server's clock.
	Now func() time.Time

	openapiOnce sync.Once
	openapiJSON []byte
	openapiErr  error
}

// New builds the server; it fails if a template or catalogue is broken, so
// that a bad build never starts.
//
// Each surface (the public site, the API, the pages) adds its routes to the
// one registry.
func New(svc Services, db Pinger, log *slog.Logger, cfg Config, surfaces ...Surface) (*Server, error) {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	cat, err := LoadCatalogs()
	if err != nil {
		return nil, err
	}
	s := &Server{Registry: svc, Accounts: svc, Cases: svc, Versions: svc, Pub: svc, Oversight: svc, Monitoring: svc,
		Enforcement: svc, SelfReviews: svc,
		db: db, Log: log, cfg: cfg, I18n: cat, metrics: newMetrics(), Throttle: newThrottle(10, 15*time.Minute), Now: time.Now,
		Rules: cfg.Rules, PubCache: newPublicCache(cfg.PublicCacheFor), Feedback: newThrottle(feedbackPerHour, time.Hour)}
	if cfg.Now != nil {
		s.Now = cfg.Now
	}
	if s.Rules == nil {
		if s.Rules, err = review.DefaultRules(); err != nil {
			return nil, err
		}
	}
	if s.pages, err = loadPages(s); err != nil {
		return nil, err
	}
	s.routes = s.allRoutes(surfaces)
	mux := http.NewServeMux()
	allowed := map[string][]string{} // API pattern → methods, for 405 answers
	var patterns []string
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
		if !rt.API() {
			continue
		}
		if allowed[rt.Pattern] == nil {
			patterns = append(patterns, rt.Pattern)
		}
		allowed[rt.Pattern] = append(allowed[rt.Pattern], rt.Method)
	}
	for _, p := range patterns {
		methods := strings.Join(allowed[p], ", ")
		mux.Handle(p, s.wrap(Route{Name: "method_not_allowed", Kind: KindAPI, Public: true,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Allow", methods)
				e := csreview.KeyErrorf(csreview.EMETHOD, "err.method", "Method %s is not allowed here; use %s.", r.Method, methods)
				e.Allowed = allowed[p]
				return e
			}}))
	}
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.Handle("/", s.wrap(Route{Name: "notfound", Kind: KindUI, Handle: func(w http.ResponseWriter, r *http.Request) error {
		if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/public/v1/") {
			return csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_route", "No such API route.")
		}
		return errNotFoundPage
	}}))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeProblem(w, r, csreview.KeyErrorf(csreview.EFORBIDDEN, "err.cross_origin", "Cross-origin request refused."))
	}))
	s.handler = s.recoverer(s.securityHeaders(cop.Handler(mux)))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns the route registry.
func (s *Server) Routes() []Route { return s.routes }

// securityHeaders sets the headers every answer carries: a strict CSP (no
// inline script or style), HSTS, no sniffing, no framing, no referrer
// leaking to other origins.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 without details, and logs it.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap applies a route's middleware: body limit, authentication, the
// route's access rule, error rendering, logging and metrics.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		limit := s.cfg.MaxBodyBytes
		if rt.MaxBody > limit {
			limit = rt.MaxBody
		}
		r.Body = http.MaxBytesReader(sw, r.Body, limit)
		r, err := s.withUser(r)
		// A body declared larger than the limit is refused before a byte
		// of it is read.
		if err == nil && r.ContentLength > limit {
			err = errBodyTooLarge(limit)
		}
		if err == nil && !rt.Public && csreview.UserFromContext(r.Context()) == nil {
			err = errSignIn
		}
		if err == nil && rt.May != nil && !rt.May(csreview.UserFromContext(r.Context())) {
			err = ErrForbiddenPage
		}
		if err == nil {
			err = rt.Handle(sw, r)
		}
		if err != nil {
			s.renderError(sw, r, rt, err)
		}
		d := time.Since(start)
		s.metrics.observe(rt.Name, r.Method, sw.status, d)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.Log.Log(r.Context(), level, "request", "method", r.Method, "path", logPath(r.URL.Path), "route", rt.Name,
			"status", sw.status, "bytes", sw.bytes, "dur_ms", float64(d.Microseconds())/1000, "user", userName(r))
	})
}

// logPath is a request's path as the log keeps it: a path that is itself
// a credential (a calendar feed's secret) is not written down.
func logPath(p string) string {
	if strings.HasPrefix(p, "/calendar/") {
		return "/calendar/[secret]"
	}
	return p
}

func userName(r *http.Request) string {
	if u := csreview.UserFromContext(r.Context()); u != nil {
		return u.Username
	}
	return ""
}

// renderError writes err as problem JSON for the API, or as an error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, rt Route, err error) {
	if rt.Kind == KindAPI || rt.Kind == KindOps || strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/public/v1/") {
		s.writeProblem(w, r, err)
		return
	}
	if csreview.ErrorCode(err) == csreview.EUNAUTHORIZED && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(SafeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	s.errorPage(w, r, err)
}

// PublicURL is the configured public address, without a trailing slash.
func (s *Server) PublicURL() string {
	if s.cfg.PublicURL == "" {
		return "http://localhost"
	}
	return strings.TrimRight(s.cfg.PublicURL, "/")
}
