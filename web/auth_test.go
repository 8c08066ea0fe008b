package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/csreview/csreview/demo"
)

// fromAddr is a client of ts whose connections come from the loopback
// address ip (any of 127.0.0.0/8), so that per-address limits can be seen.
func fromAddr(t *testing.T, ts *httptest.Server, ip string) *uiClient {
	t.Helper()
	tr := ts.Client().Transport.(*http.Transport).Clone()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: tr, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &uiClient{t: t, base: ts.URL, c: c, lang: "en"}
}

// tryLogin posts the sign-in form and returns the status and the page.
func (u *uiClient) tryLogin(username, password string) (int, string) {
	u.t.Helper()
	form := url.Values{"username": {username}, "password": {password}}
	req, _ := http.NewRequest("POST", u.base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", u.base)
	resp := u.do(req)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAuthentication: an unknown user and a wrong password get the same
// answer; failed sign-ins are throttled per address, per account from one
// address and per account from everywhere, answering 429; disabling an
// account ends its sessions at once.
func TestAuthentication(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)

	t.Run("unknown user and wrong password answer alike", func(t *testing.T) {
		u := fromAddr(t, ts, "127.0.0.10")
		s1, p1 := u.tryLogin("nobody-here", "whatever-it-is")
		s2, p2 := u.tryLogin("office", "whatever-it-is")
		p1 = strings.ReplaceAll(p1, "nobody-here", "NAME")
		p2 = strings.ReplaceAll(p2, `value="office"`, `value="NAME"`)
		if s1 != s2 || s1 != http.StatusUnauthorized && s1 != http.StatusOK && s1 != http.StatusBadRequest {
			t.Errorf("statuses %d and %d", s1, s2)
		}
		if p1 != p2 {
			t.Errorf("the answers differ:\n--- unknown user\n%s\n--- wrong password\n%s", p1, p2)
		}
	})

	t.Run("per address", func(t *testing.T) {
		u := fromAddr(t, ts, "127.0.0.20")
		for i := 0; i < 10; i++ {
			if s, _ := u.tryLogin(fmt.Sprintf("guess%d", i), "x"); s == http.StatusTooManyRequests {
				t.Fatalf("throttled after %d failures, want 10 allowed", i)
			}
		}
		// Now even the right password of another account is refused from
		// this address, and accepted from another.
		if s, _ := u.tryLogin("member", demo.Password); s != http.StatusTooManyRequests {
			t.Errorf("11th attempt from one address: %d, want 429", s)
		}
		if s, _ := fromAddr(t, ts, "127.0.0.21").tryLogin("member", demo.Password); s != http.StatusSeeOther {
			t.Errorf("sign-in from another address: %d, want 303", s)
		}
	})

	t.Run("per account from everywhere", func(t *testing.T) {
		// 50 failures on one account spread over addresses (9 each, under
		// the per-address limit) lock it for every address.
		n := 0
		for a := 30; n < 50; a++ {
			u := fromAddr(t, ts, fmt.Sprintf("127.0.0.%d", a))
			for i := 0; i < 9 && n < 50; i++ {
				if s, _ := u.tryLogin("expert", "wrong"); s == http.StatusTooManyRequests {
					t.Fatalf("throttled after %d failures spread over addresses, want 50", n)
				}
				n++
			}
		}
		if s, _ := fromAddr(t, ts, "127.0.0.99").tryLogin("expert", demo.Password); s != http.StatusTooManyRequests {
			t.Errorf("after 50 failures, a fresh address with the right password: %d, want 429", s)
		}
		if s, _ := fromAddr(t, ts, "127.0.0.99").tryLogin("assessor", demo.Password); s != http.StatusSeeOther {
			t.Errorf("another account from that address: %d, want 303", s)
		}
	})

	t.Run("disabling ends the sessions", func(t *testing.T) {
		victim := signIn(t, ts, "association", "en")
		if resp, _ := victim.get("/account"); resp.StatusCode != http.StatusOK {
			t.Fatalf("signed in: %d", resp.StatusCode)
		}
		admin := signIn(t, ts, "admin", "en")
		who, err := store.FindUserByUsername(adminCtx(), "association")
		if err != nil {
			t.Fatal(err)
		}
		id := itoa(who.ID)
		if resp := admin.post("/users/"+id+"/disable", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: %d", resp.StatusCode)
		}
		if resp, _ := victim.get("/account"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("a disabled account's session still works: %d", resp.StatusCode)
		}
		if s, _ := fromAddr(t, ts, "127.0.0.50").tryLogin("association", demo.Password); s == http.StatusSeeOther {
			t.Error("a disabled account signs in")
		}
	})
}
