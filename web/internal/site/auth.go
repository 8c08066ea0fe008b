package site

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/csreview/csreview"
)

// SessionCookie holds the session secret. The __Host- prefix makes the
// browser insist on Secure, Path=/ and no Domain, so no other host or path
// can set or read it.
const SessionCookie = "__Host-csreview_session"

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
		u, err := s.Accounts.UserByToken(ctx, strings.TrimSpace(secret))
		if err != nil {
			if csreview.ErrorCode(err) == csreview.EUNAUTHORIZED {
				return r, csreview.KeyErrorf(csreview.EUNAUTHORIZED, "err.bad_token", "The API token is unknown, expired or revoked.")
			}
			return r, err
		}
		return r.WithContext(csreview.NewContextWithUser(ctx, u)), nil
	}
	ck, err := r.Cookie(SessionCookie)
	if err != nil || ck.Value == "" {
		return r, nil
	}
	u, err := s.Accounts.UserBySession(ctx, ck.Value)
	if err != nil {
		if csreview.ErrorCode(err) == csreview.EUNAUTHORIZED {
			return r, nil
		}
		return r, err
	}
	return r.WithContext(csreview.NewContextWithUser(ctx, u)), nil
}

// ClientIP is the peer address; csreview expects to face clients directly or
// through a proxy that it is not told to trust.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// SafeNext keeps a post-login redirect on this site.
func SafeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// Throttle counts failures per key in a window; past max, it refuses until
// the window has passed since the first failure.
type Throttle struct {
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

func newThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{max: max, window: window, now: time.Now, fails: map[string]*failCount{}}
}

// Take counts an attempt under key and reports whether it is within
// factor×max attempts in the window. A success resets the per-account key,
// so only failures and guesses in flight accumulate.
func (t *Throttle) Take(key string, factor int) bool {
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
	return f.n <= t.max*factor
}

// Refund gives back one attempt taken under key (a success).
func (t *Throttle) Refund(key string) {
	t.mu.Lock()
	if f := t.fails[key]; f != nil && f.n > 0 {
		f.n--
	}
	t.mu.Unlock()
}

// Reset forgets the failures counted under key.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	delete(t.fails, key)
	t.mu.Unlock()
}
