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
		u, err := s.Accounts.UserByToken(ctx, strings.TrimSpace(secret))
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
	u, err := s.Accounts.UserBySession(ctx, ck.Value)
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
	u, err := s.checkPassword(r, username, password)
	if err != nil {
		return nil, err
	}
	old := ""
	if ck, err := r.Cookie(sessionCookie); err == nil {
		old = ck.Value
	}
	secret, err := s.Accounts.CreateSession(r.Context(), u.ID, old)
	if err != nil {
		return nil, err
	}
	setSessionCookie(w, secret, int(csreview.SessionLifetime.Seconds()))
	return u, nil
}

// throttle keys: per address, per account from one address, and per
// account from everywhere with a higher bound, so that a guesser spread
// over many addresses is slowed while one address cannot lock a user out.
const accountWideFactor = 5

// checkPassword checks credentials under the throttle. Each attempt is
// counted before the hash is computed, so concurrent guesses cannot
// outrun the count.
func (s *Server) checkPassword(r *http.Request, username, password string) (*csreview.User, error) {
	ip := ClientIP(r)
	name := strings.ToLower(strings.TrimSpace(username))
	keys := []string{"ip:" + ip, "ua:" + name + "|" + ip}
	if !s.throttle.Take(keys[0], 1) || !s.throttle.Take(keys[1], 1) || !s.throttle.Take("u:"+name, accountWideFactor) {
		return nil, csreview.KeyErrorf(csreview.ETOOMANYREQUEST, "err.throttled", "Too many failed sign-ins; wait a few minutes.")
	}
	u, err := s.Accounts.Authenticate(r.Context(), username, password)
	if err != nil {
		return nil, err
	}
	// A success gives its attempt back: only failures add up.
	s.throttle.Refund(keys[0])
	s.throttle.Refund("u:" + name)
	s.throttle.reset(keys[1])
	return u, nil
}

// logout ends the session and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.Accounts.DeleteSession(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	setSessionCookie(w, "", -1)
	return nil
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

func (t *Throttle) reset(key string) {
	t.mu.Lock()
	delete(t.fails, key)
	t.mu.Unlock()
}
