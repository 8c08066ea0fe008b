package ui

import (
	"net/http"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func setSessionCookie(w http.ResponseWriter, secret string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: site.SessionCookie, Value: secret, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// login checks the credentials, throttled per account and per address, and
// starts a new session, ending the one the browser had (rotation).
func (s *surface) login(w http.ResponseWriter, r *http.Request, username, password string) (*csreview.User, error) {
	u, err := s.checkPassword(r, username, password)
	if err != nil {
		return nil, err
	}
	old := ""
	if ck, err := r.Cookie(site.SessionCookie); err == nil {
		old = ck.Value
	}
	secret, err := s.Accounts.CreateSession(r.Context(), u.ID, old)
	if err != nil {
		return nil, err
	}
	setSessionCookie(w, secret, int(csreview.SessionLifetime.Seconds()))
	return u, nil
}

// Throttle keys: per address, per account from one address, and per
// account from everywhere with a higher bound, so that a guesser spread
// over many addresses is slowed while one address cannot lock a user out.
const accountWideFactor = 5

// checkPassword checks credentials under the throttle. Each attempt is
// counted before the hash is computed, so concurrent guesses cannot
// outrun the count.
func (s *surface) checkPassword(r *http.Request, username, password string) (*csreview.User, error) {
	ip := site.ClientIP(r)
	name := strings.ToLower(strings.TrimSpace(username))
	keys := []string{"ip:" + ip, "ua:" + name + "|" + ip}
	if !s.Throttle.Take(keys[0], 1) || !s.Throttle.Take(keys[1], 1) || !s.Throttle.Take("u:"+name, accountWideFactor) {
		return nil, csreview.KeyErrorf(csreview.ETOOMANYREQUEST, "err.throttled", "Too many failed sign-ins; wait a few minutes.")
	}
	u, err := s.Accounts.Authenticate(r.Context(), username, password)
	if err != nil {
		return nil, err
	}
	// A success gives its attempt back: only failures add up.
	s.Throttle.Refund(keys[0])
	s.Throttle.Refund("u:" + name)
	s.Throttle.Reset(keys[1])
	return u, nil
}

// logout ends the session and clears the cookie.
func (s *surface) logout(w http.ResponseWriter, r *http.Request) error {
	if ck, err := r.Cookie(site.SessionCookie); err == nil && ck.Value != "" {
		if err := s.Accounts.DeleteSession(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	setSessionCookie(w, "", -1)
	return nil
}
