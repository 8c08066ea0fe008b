package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/sqlstore/sqltest"
	"github.com/csreview/csreview/web"
)

// The JSON API tests run against the real server, over the real store loaded
// with the demo data, through plain HTTP, authenticated with API tokens: one
// per demo account, so one per role.

// apiToday anchors the demo data's accreditation periods.
const apiToday = "2026-03-15"

func init() {
	// Hashes carry their own parameters, so cheap ones verify like the
	// defaults; the defaults would make every demo account cost tens of
	// milliseconds, far more under -race. Set in init rather than TestMain
	// so that other test files of this package remain free to define
	// TestMain.
	csreview.DefaultArgon2 = csreview.Argon2Params{Memory: 64, Time: 1, Threads: 1}
}

// apiEnv is a running server over a store of its own holding the demo data.
type apiEnv struct {
	URL    string
	Server *web.Server
	Store  *sqlstore.Store
	DB     *sqlstore.DB

	// users are the demo accounts by username (which is also their role).
	users map[string]*csreview.User
	// tokens are the API token secrets of the demo accounts, by username.
	tokens map[string]string
	// names map the Chinese names of the demo objects to their IDs.
	suppliers, products, operators, bodies map[string]int64
}

// apiConfig adjusts the server's configuration for one test.
type apiConfig func(*web.Config)

// forEachAPIEnv runs fn as the subtests "sqlite" and "postgres", each with a
// server of its own over a new store holding the demo data: SQLite in a temp
// file always, PostgreSQL in a fresh schema of $CSREVIEW_TEST_POSTGRES when
// it is set.
func forEachAPIEnv(t *testing.T, fn func(t *testing.T, e *apiEnv), opts ...apiConfig) {
	t.Helper()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		fn(t, newAPIEnv(t, dsn, opts...))
	})
}

// newAPIEnv opens and migrates the store at dsn, loads the demo data, gives
// every demo account an API token and starts the server.
func newAPIEnv(t *testing.T, dsn string, opts ...apiConfig) *apiEnv {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	store := sqlstore.NewStore(db)
	accounts, err := demo.Load(csreview.NewContextWithUser(ctx, csreview.SystemUser("demo")), store, apiToday)
	if err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	cfg := web.Config{Version: "test", DBStats: db.Stats}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := web.New(store, db, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)

	e := &apiEnv{URL: hs.URL, Server: srv, Store: store, DB: db,
		users: map[string]*csreview.User{}, tokens: map[string]string{}}
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
	for _, a := range accounts {
		u, err := store.FindUserByUsername(sys, a.Username)
		if err != nil {
			t.Fatalf("FindUserByUsername(%s): %v", a.Username, err)
		}
		_, secret, err := store.CreateToken(sys, u.ID, "t", 0)
		if err != nil {
			t.Fatalf("CreateToken(%s): %v", a.Username, err)
		}
		e.users[u.Username], e.tokens[u.Username] = u, secret
	}
	if len(e.users) != len(csreview.Roles) {
		t.Fatalf("demo data has %d accounts, want one per role (%d)", len(e.users), len(csreview.Roles))
	}
	page := csreview.Page{Limit: csreview.MaxLimit}
	sups, _, err := store.FindSuppliers(sys, csreview.SupplierFilter{Page: page})
	apiMust(t, err)
	e.suppliers = apiIndex(sups, func(s *csreview.Supplier) (string, int64) { return s.NameZH, s.ID })
	prods, _, err := store.FindProducts(sys, csreview.ProductFilter{Page: page})
	apiMust(t, err)
	e.products = apiIndex(prods, func(p *csreview.Product) (string, int64) { return p.NameZH, p.ID })
	ops, _, err := store.FindOperators(sys, csreview.OperatorFilter{Page: page})
	apiMust(t, err)
	e.operators = apiIndex(ops, func(o *csreview.Operator) (string, int64) { return o.NameZH, o.ID })
	bods, _, err := store.FindBodies(sys, csreview.BodyFilter{Page: page})
	apiMust(t, err)
	e.bodies = apiIndex(bods, func(b *csreview.Body) (string, int64) { return b.NameZH, b.ID })
	return e
}

func apiMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func apiIndex[T any](list []*T, key func(*T) (string, int64)) map[string]int64 {
	m := map[string]int64{}
	for _, v := range list {
		k, id := key(v)
		m[k] = id
	}
	return m
}

// id returns the ID of a demo object by its Chinese name.
func apiID(t *testing.T, m map[string]int64, name string) int64 {
	t.Helper()
	id, ok := m[name]
	if !ok {
		t.Fatalf("no demo object named %q", name)
	}
	return id
}

// Names of demo objects the tests use.
const (
	apiSupXinghe    = "北京星河网络技术有限公司" // the supplier user's supplier
	apiSupHengshu   = "上海恒数软件股份有限公司"
	apiSupCascadia  = "卡斯卡迪亚数据系统公司" // a US supplier
	apiProdXR9000   = "星河 XR-9000 系列核心路由器"
	apiProdHengDB   = "恒数分布式关系型数据库"
	apiOpHaichuan   = "海川商业银行股份有限公司"     // finance: the operator user's operator
	apiOpJinyang    = "晋阳电力集团有限公司"       // energy
	apiBodyHengxin  = "北京衡信网络安全测评技术有限公司" // the assessor's body
	apiBodyChengmin = "上海澄明网络安全检测有限公司"
)

// apiRoles are the demo usernames, one per role.
var apiRoles = []string{"office", "member", "expert", "assessor", "regulator", "operator",
	"supplier", "association", "admin"}

// apiResp is an answer of the server.
type apiResp struct {
	Status int
	Header http.Header
	Body   []byte
}

// apiReq is a request: as names the demo user whose token to send ("" for
// none); body is sent as is if it is a string or []byte, else as its JSON.
type apiReq struct {
	method, path, as string
	body             any
	header           map[string]string
}

// do sends r to the server.
func (e *apiEnv) do(t *testing.T, r apiReq) *apiResp {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal request body: %v", err)
		}
		body = bytes.NewReader(j)
	}
	req, err := http.NewRequest(r.method, e.URL+r.path, body)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.as != "" {
		tok, ok := e.tokens[r.as]
		if !ok {
			t.Fatalf("no token for %q", r.as)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range r.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	return &apiResp{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// get, post, patch and del are do for one method.
func (e *apiEnv) get(t *testing.T, as, path string) *apiResp {
	t.Helper()
	return e.do(t, apiReq{method: "GET", path: path, as: as})
}

func (e *apiEnv) post(t *testing.T, as, path string, body any) *apiResp {
	t.Helper()
	return e.do(t, apiReq{method: "POST", path: path, as: as, body: body})
}

func (e *apiEnv) patch(t *testing.T, as, path string, body any) *apiResp {
	t.Helper()
	return e.do(t, apiReq{method: "PATCH", path: path, as: as, body: body})
}

func (e *apiEnv) del(t *testing.T, as, path string) *apiResp {
	t.Helper()
	return e.do(t, apiReq{method: "DELETE", path: path, as: as})
}

func (r *apiResp) String() string {
	return fmt.Sprintf("%d %s", r.Status, bytes.TrimSpace(r.Body))
}

// wantStatus fails the test unless r has the status want.
func apiWantStatus(t *testing.T, r *apiResp, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("got status %d, want %d (body: %s)", r.Status, want, bytes.TrimSpace(r.Body))
	}
}

// apiDecode decodes r's JSON body into a T.
func apiDecode[T any](t *testing.T, r *apiResp) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, r, err)
	}
	return v
}

// apiOK checks the status and decodes the JSON body.
func apiOK[T any](t *testing.T, r *apiResp, status int) T {
	t.Helper()
	apiWantStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("got Content-Type %q, want application/json", ct)
	}
	return apiDecode[T](t, r)
}

// apiList is the body of a list answer.
type apiList[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// apiProblem is an RFC 9457 problem body.
type apiProblem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Code     string `json:"code"`
	Errors   []struct {
		Field   string `json:"field"`
		Rule    string `json:"rule"`
		Param   string `json:"param"`
		Message string `json:"message"`
	} `json:"errors"`
}

// fields returns the distinct fields of the problem's errors, sorted.
func (p apiProblem) fields() []string {
	var fs []string
	for _, e := range p.Errors {
		fs = append(fs, e.Field)
	}
	slices.Sort(fs)
	return slices.Compact(fs)
}

// rule returns the rule of the first error about field.
func (p apiProblem) rule(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Rule
		}
	}
	return ""
}

// wantProblem fails the test unless r is problem JSON with the given status
// and code and, when fields are given, errors about exactly those fields.
func apiWantProblem(t *testing.T, r *apiResp, status int, code string, fields ...string) apiProblem {
	t.Helper()
	apiWantStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("got Content-Type %q, want application/problem+json (body: %s)", ct, r.Body)
	}
	p := apiDecode[apiProblem](t, r)
	if p.Status != status {
		t.Fatalf("got problem status %d, want %d", p.Status, status)
	}
	if p.Code != code {
		t.Fatalf("got problem code %q, want %q (body: %s)", p.Code, code, r.Body)
	}
	if p.Type != "urn:csreview:problem:"+code || p.Title == "" || p.Detail == "" {
		t.Fatalf("incomplete problem: %s", r.Body)
	}
	if len(fields) > 0 {
		want := slices.Clone(fields)
		slices.Sort(want)
		if got := p.fields(); !slices.Equal(got, want) {
			t.Fatalf("got error fields %v, want %v (body: %s)", got, want, r.Body)
		}
		for _, e := range p.Errors {
			if e.Rule == "" || e.Message == "" || strings.Contains(e.Message, web.Missing) {
				t.Fatalf("field error without rule or message: %s", r.Body)
			}
		}
	}
	return p
}

// apiSeq numbers the unique keys the tests make up.
var apiSeq atomic.Int64

// newUSCC returns a valid unified social credit code not used before in
// this process, and not by the demo data (whose codes start with 91 and a
// region code other than 990000).
func apiUSCC() string {
	s := fmt.Sprintf("91990000%09d", apiSeq.Add(1))
	return s + string(csreview.USCCCheck(s))
}

// newName returns a unique name with the given prefix.
func apiName(prefix string) string { return fmt.Sprintf("%s %d", prefix, apiSeq.Add(1)) }

// audit returns the newest audit record about entity id, read through the
// API as the office.
func (e *apiEnv) lastAudit(t *testing.T, entity string, id int64) csreview.AuditRecord {
	t.Helper()
	r := e.get(t, "office", fmt.Sprintf("/api/v1/audit?entity=%s&entity_id=%d&limit=1", entity, id))
	l := apiOK[apiList[csreview.AuditRecord]](t, r, http.StatusOK)
	if len(l.Items) == 0 {
		t.Fatalf("no audit record for %s %d", entity, id)
	}
	return l.Items[0]
}

// wantAudit fails the test unless the newest audit record about entity id
// is action by the demo user as.
func (e *apiEnv) wantAudit(t *testing.T, entity string, id int64, action, as string) {
	t.Helper()
	a := e.lastAudit(t, entity, id)
	if a.Action != action || a.Actor != as || a.ActorID != e.users[as].ID {
		t.Fatalf("newest audit record of %s %d: got %s by %q (%d), want %s by %q (%d)",
			entity, id, a.Action, a.Actor, a.ActorID, action, as, e.users[as].ID)
	}
}

// auditTotal returns the number of audit records, read behind the API.
func (e *apiEnv) auditTotal(t *testing.T) int {
	t.Helper()
	_, n, err := e.Store.FindAuditRecords(csreview.NewContextWithUser(context.Background(), csreview.SystemUser("test")),
		csreview.AuditFilter{Page: csreview.Page{Limit: 1}})
	apiMust(t, err)
	return n
}

// locationID returns the ID at the end of r's Location header, checking that
// it starts with prefix.
func apiLocationID(t *testing.T, r *apiResp, prefix string) int64 {
	t.Helper()
	loc := r.Header.Get("Location")
	rest, ok := strings.CutPrefix(loc, prefix)
	var id int64
	if !ok || rest == "" {
		t.Fatalf("got Location %q, want %s<id>", loc, prefix)
	}
	if _, err := fmt.Sscanf(rest, "%d", &id); err != nil || fmt.Sprint(id) != rest || id <= 0 {
		t.Fatalf("got Location %q, want %s<id>", loc, prefix)
	}
	return id
}
