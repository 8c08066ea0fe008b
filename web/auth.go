package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/csreview/csreview"
)

// sessionCookie holds the session secret. The __Host- prefix makes the
// browser insist on Secure, Path=/ and no Domain, so no other host or path
// can set or read it.
const sessionCookie = "__Host-csreview_session"

var errSignIn = csreview.KeyErrorf(csreview.EUNAUTHORIZED, "err.unauthenticated", "Sign in first.")

// withUser authenticates the request, from a bearer token or the session
// cookie, and puts the user in its context. A bad bearer token is refused;
// a stale cookie is simply no session.
func (s *Server) withUser(r *http.Request) (*http.Request, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return r, csreview.KeyErrorf(csreview.EUNAUTHORIZED, "err.bad_token", "Use an API token: Authorization: Bearer csr_….")
		}
		u, err := s.svc.UserByToken(ctx, strings.TrimSpace(secret))
		if err != nil {
			if csreview.ErrorCode(err) == csreview.EUNAUTHORIZED {
				return r, csreview.KeyErrorf(csreview.EUNAUTHORIZED, "err.bad_token", "The API token is unknown, expired or revoked.")
			}
			return r, err
		}
		return r.WithContext(csreview.NewContextWithUser(ctx, u)), nil
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return r, nil
	}
	u, err := s.svc.UserBySession(ctx, ck.Value)
	if err != nil {
		if csreview.ErrorCode(err) == csreview.EUNAUTHORIZED {
			return r, nil
		}
		return r, err
	}
	return r.WithContext(csreview.NewContextWithUser(ctx, u)), nil
}

func setSessionCookie(w http.ResponseWriter, secret string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// login checks the credentials, throttled per account and per address, and
// starts a new session, ending the one the browser had (rotation).
func (s *Server) login(w http.ResponseWriter, r *http.Request, username, password string) (*csreview.User, error) {
	ip := clientIP(r)
	acct := "u:" + strings.ToLower(strings.TrimSpace(username))
	if !s.throttle.allow("ip:"+ip) || !s.throttle.allow(acct) {
		return nil, csreview.KeyErrorf(csreview.ETOOMANYREQUEST, "err.throttled", "Too many failed sign-ins; wait a few minutes.")
	}
	u, err := s.svc.Authenticate(r.Context(), username, password)
	if err != nil {
		if csreview.ErrorCode(err) == csreview.EUNAUTHORIZED {
			s.throttle.fail("ip:" + ip)
			s.throttle.fail(acct)
		}
		return nil, err
	}
	s.throttle.reset(acct)
	old := ""
	if ck, err := r.Cookie(sessionCookie); err == nil {
		old = ck.Value
	}
	secret, err := s.svc.CreateSession(r.Context(), u.ID, old)
	if err != nil {
		return nil, err
	}
	setSessionCookie(w, secret, int(csreview.SessionLifetime.Seconds()))
	return u, nil
}

// logout ends the session and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.svc.DeleteSession(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	setSessionCookie(w, "", -1)
	return nil
}

// clientIP is the peer address; csreview expects to face clients directly or
// through a proxy that it is not told to trust.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// throttle counts failures per key in a window; past max, it refuses until
// the window has passed since the first failure.
type throttle struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	fails  map[string]*failCount
}

type failCount struct {
	n     int
	since time.Time
}

func newThrottle(max int, window time.Duration) *throttle {
	return &throttle{max: max, window: window, now: time.Now, fails: map[string]*failCount{}}
}

func (t *throttle) allow(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.fails[key]
	if f == nil {
		return true
	}
	if t.now().Sub(f.since) > t.window {
		delete(t.fails, key)
		return true
	}
	return f.n < t.max
}

func (t *throttle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.fails) > 100000 { // bound memory under a spray of usernames
		for k, f := range t.fails {
			if t.now().Sub(f.since) > t.window {
				delete(t.fails, k)
			}
		}
	}
	f := t.fails[key]
	if f == nil || t.now().Sub(f.since) > t.window {
		f = &failCount{since: t.now()}
		t.fails[key] = f
	}
	f.n++
}

func (t *throttle) reset(key string) {
	t.mu.Lock()
	delete(t.fails, key)
	t.mu.Unlock()
}
