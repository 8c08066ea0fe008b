package web_test

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/demo"
)

// uiClient is a browser-like client signed in over TLS (the session cookie
// is __Host- and Secure), speaking one language.
type uiClient struct {
	t    *testing.T
	base string
	c    *http.Client
	lang string
}

func signIn(t *testing.T, ts *httptest.Server, username, lang string) *uiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := *ts.Client() // a copy: ts.Client() is shared by every caller
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	u := &uiClient{t: t, base: ts.URL, c: &c, lang: lang}
	resp := u.post("/login", url.Values{"username": {username}, "password": {demo.Password}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", username, resp.StatusCode)
	}
	return u
}

func (u *uiClient) do(req *http.Request) *http.Response {
	u.t.Helper()
	req.Header.Set("Accept-Language", u.lang)
	resp, err := u.c.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	return resp
}

func (u *uiClient) get(path string) (*http.Response, string) {
	u.t.Helper()
	req, _ := http.NewRequest("GET", u.base+path, nil)
	resp := u.do(req)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func (u *uiClient) post(path string, form url.Values) *http.Response {
	u.t.Helper()
	req, _ := http.NewRequest("POST", u.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", u.base)
	resp := u.do(req)
	resp.Body.Close()
	return resp
}

// TestPagesEveryRole opens every registry page as every role in both
// languages: none may fail with a 5xx or show an untranslated key.
// hrefRE finds the links of a page within the site.
var hrefRE = regexp.MustCompile(`href="(/[^"/][^"]*)"`)

func TestPagesEveryRole(t *testing.T) {
	t.Parallel()
	ts, _ := demoTLSServer(t)
	pages := []string{"/", "/suppliers", "/suppliers/1", "/suppliers/new", "/suppliers/1/edit", "/products",
		"/products/1", "/products/new", "/products/1/edit", "/products?category=cloud", "/operators", "/operators/1",
		"/operators/new", "/bodies", "/bodies/1", "/bodies/new", "/users", "/users/1", "/users/new", "/account",
		"/audit", "/no-such-page", "/suppliers/999999", "/regimes", "/regimes/cac-2017-draft", "/regimes/cac-2017-trial",
		"/regimes/cac-2020", "/regimes/cac-2021", "/regimes/nope", "/cases", "/cases/new", "/cases/new?regime=cac-2017-trial",
		"/cases/999", "/inventory", "/inventory/1", "/inventory/new", "/inventory/1/edit", "/inventory/import",
		"/determinations", "/determinations/1", "/determinations/new", "/procurement", "/procurement/checks/1",
		"/procurement?operator_id=1&version_id=1", "/alerts", "/alerts/1", "/alerts?state=open", "/prohibitions",
		"/prohibitions?all=true", "/webhooks", "/enforcement", "/enforcement/1", "/enforcement?state=open", "/oversight", "/oversight?sector=finance&months=6", "/self-review",
		"/self-review/1", "/cases/new?channel=operator_filing&self_review_id=1"}
	for _, role := range csreview.Roles {
		for _, lang := range []string{"zh-CN", "en"} {
			t.Run(string(role)+"/"+lang, func(t *testing.T) {
				u := signIn(t, ts, string(role), lang)
				links := map[string]string{} // link → the page that shows it
				for _, p := range pages {
					resp, body := u.get(p)
					if resp.StatusCode == http.StatusOK && lang == "zh-CN" {
						for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
							l := html.UnescapeString(m[1])
							if links[l] == "" && !strings.HasPrefix(l, "/static/") && !strings.HasPrefix(l, "/lang") {
								links[l] = p
							}
						}
					}
					if resp.StatusCode >= 500 {
						t.Errorf("GET %s: status %d", p, resp.StatusCode)
					}
					if strings.Contains(body, "⟦") {
						i := strings.Index(body, "⟦")
						t.Errorf("GET %s: untranslated message %q", p, body[i:min(len(body), i+60)])
					}
					if ct := resp.Header.Get("Content-Type"); resp.StatusCode < 300 && !strings.HasPrefix(ct, "text/html") {
						t.Errorf("GET %s: Content-Type %q", p, ct)
					}
				}
				// No page shows a role a link it may not follow.
				for l, from := range links {
					if resp, _ := u.get(l); resp.StatusCode == http.StatusForbidden {
						t.Errorf("%s links to %s, which refuses the %s (403)", from, l, role)
					}
				}
			})
		}
	}
}

// TestPageVisibility checks that the pages show each role only its own
// organisation's objects, and answer 404 for the others.
func TestPageVisibility(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	ctx := adminCtx()
	supplierUser, err := store.FindUserByUsername(ctx, "supplier")
	if err != nil {
		t.Fatal(err)
	}
	products, _, err := store.FindProducts(ctx, csreview.ProductFilter{})
	if err != nil {
		t.Fatal(err)
	}
	u := signIn(t, ts, "supplier", "en")
	for _, p := range products {
		resp, _ := u.get("/products/" + itoa(p.ID))
		want := http.StatusNotFound
		if p.SupplierID == supplierUser.SupplierID {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("supplier GET /products/%d (supplier %d): got %d, want %d", p.ID, p.SupplierID, resp.StatusCode, want)
		}
	}
	_, list := u.get("/suppliers")
	if got := strings.Count(list, `<a href="/suppliers/`); got != 1 {
		t.Errorf("supplier sees %d suppliers in the list, want 1", got)
	}
	resp, _ := u.get("/operators")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("supplier GET /operators: %d", resp.StatusCode)
	}
	resp, _ = u.get("/users/1")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("supplier GET /users/1: got %d, want 404", resp.StatusCode)
	}
	resp, _ = u.get("/audit")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("supplier GET /audit: got %d, want 403", resp.StatusCode)
	}
}

// TestFormErrorsInLanguage posts an invalid supplier form: it comes back
// with the user's values and a message at each field, in their language.
func TestFormErrorsInLanguage(t *testing.T) {
	t.Parallel()
	ts, _ := demoTLSServer(t)
	for _, tc := range []struct{ lang, want string }{
		{"zh-CN", "不是有效的统一社会信用代码"},
		{"en", "Not a valid unified social credit code"},
	} {
		u := signIn(t, ts, "office", tc.lang)
		req, _ := http.NewRequest("POST", ts.URL+"/suppliers", strings.NewReader(url.Values{
			"name_zh": {"测试供应商"}, "country": {"CN"}, "uscc": {"91110000123456789X"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp := u.do(req)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: status %d, want 400", tc.lang, resp.StatusCode)
		}
		body := string(b)
		if !strings.Contains(body, tc.want) || !strings.Contains(body, `value="测试供应商"`) {
			t.Errorf("%s: form lacks the message or the entered value:\n%s", tc.lang, body)
		}
	}
}

// TestSessionRotationAndLogout checks that signing in replaces the
// browser's session and signing out ends it on the server.
func TestSessionRotationAndLogout(t *testing.T) {
	t.Parallel()
	ts, _ := demoTLSServer(t)
	u := signIn(t, ts, "office", "en")
	first := sessionCookie(u)
	resp := u.post("/login", url.Values{"username": {"office"}, "password": {demo.Password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d", resp.StatusCode)
	}
	second := sessionCookie(u)
	if first == "" || second == "" || first == second {
		t.Fatalf("session not rotated: %q then %q", first, second)
	}
	// The old session is dead on the server, not just forgotten by the jar.
	old := signInWithCookie(t, ts, first)
	if resp, _ := old.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("old session still works: %d", resp.StatusCode)
	}
	u.post("/logout", nil)
	again := signInWithCookie(t, ts, second)
	if resp, _ := again.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("session works after logout: %d", resp.StatusCode)
	}
}

func sessionCookie(u *uiClient) string {
	base, _ := url.Parse(u.base)
	for _, c := range u.c.Jar.Cookies(base) {
		if c.Name == "__Host-csreview_session" {
			return c.Value
		}
	}
	return ""
}

// signInWithCookie is a client that presents a given session cookie.
func signInWithCookie(t *testing.T, ts *httptest.Server, value string) *uiClient {
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(ts.URL)
	jar.SetCookies(base, []*http.Cookie{{Name: "__Host-csreview_session", Value: value, Path: "/", Secure: true}})
	c := *ts.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &uiClient{t: t, base: ts.URL, c: &c, lang: "en"}
}

// TestErrorPageLeadsBack: a refused form's error page links back to the
// page the form was on (and only within the site).
func TestErrorPageLeadsBack(t *testing.T) {
	t.Parallel()
	ts, _ := demoTLSServer(t)
	u := signIn(t, ts, "supplier", "zh-CN")
	for _, tc := range []struct{ referer, want string }{
		{ts.URL + "/prohibitions?all=true", `href="/prohibitions?all=true"`},
		{"https://elsewhere.example/x", ""},
	} {
		req, _ := http.NewRequest("POST", ts.URL+"/prohibitions", strings.NewReader("supplier=x&reason=y"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", ts.URL)
		req.Header.Set("Referer", tc.referer)
		resp := u.do(req)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		back := strings.Contains(string(body), "返回上一页")
		if resp.StatusCode != http.StatusForbidden || back != (tc.want != "") || !strings.Contains(string(body), tc.want) {
			t.Errorf("refused form from %s: %d, back link %v:\n%s", tc.referer, resp.StatusCode, back, body)
		}
	}
}
