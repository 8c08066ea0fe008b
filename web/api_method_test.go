package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/csreview/csreview"
)

// TestAPIMethodNotAllowed: a known API path with a method it does not take
// answers 405 with an Allow header, not 404.
func TestAPIMethodNotAllowed(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		for _, tc := range []struct{ method, path, allow string }{
			{"DELETE", "/api/v1/users/1", "GET, PATCH"},
			{"PUT", "/api/v1/suppliers/1", "GET, PATCH, DELETE"},
			{"POST", "/api/v1/me", "GET"},
		} {
			r := e.do(t, apiReq{method: tc.method, path: tc.path, as: "admin"})
			if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != tc.allow {
				t.Errorf("%s %s: %s, Allow %q; want 405 with Allow %q", tc.method, tc.path, r, r.Header.Get("Allow"), tc.allow)
			}
		}
		if r := e.do(t, apiReq{method: "GET", path: "/api/v1/nothing", as: "admin"}); r.Status != http.StatusNotFound {
			t.Errorf("unknown path: %s, want 404", r)
		}
	})
}

// TestAPIMergePatchNull: null clears a field (RFC 7396), a PATCH answers
// with what is stored, and versions cannot be smuggled in through it.
func TestAPIMergePatchNull(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		sid := apiID(t, e.suppliers, apiSupXinghe)
		r := e.patch(t, "office", fmt.Sprintf("/api/v1/suppliers/%d", sid), `{"contact": null, "address": "北京市海淀区"}`)
		var s csreview.Supplier
		if err := json.Unmarshal(r.Body, &s); err != nil || r.Status != http.StatusOK {
			t.Fatalf("PATCH: %s", r)
		}
		if s.Contact != "" || s.Address != "北京市海淀区" {
			t.Errorf("after PATCH: contact %q, address %q", s.Contact, s.Address)
		}
		if r := e.patch(t, "office", fmt.Sprintf("/api/v1/suppliers/%d", sid), `[1, 2]`); r.Status != http.StatusBadRequest {
			t.Errorf("PATCH with an array: %s, want 400", r)
		}
		pid := apiID(t, e.products, apiProdXR9000)
		before := e.get(t, "office", fmt.Sprintf("/api/v1/products/%d", pid))
		r = e.patch(t, "office", fmt.Sprintf("/api/v1/products/%d", pid), `{"versions": [{"version": "fake"}]}`)
		after := e.get(t, "office", fmt.Sprintf("/api/v1/products/%d", pid))
		if r.Status != http.StatusOK || string(r.Body) != string(after.Body) || string(before.Body) == "" {
			t.Fatalf("PATCH versions: %s\nstored: %s", r, after)
		}
		var p csreview.Product
		json.Unmarshal(after.Body, &p)
		for _, v := range p.Versions {
			if v.Version == "fake" {
				t.Errorf("a version was created through PATCH of the product")
			}
		}
	})
}
