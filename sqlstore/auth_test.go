package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		u := f.user(t, "zhang.san", csreview.RoleOffice, nil)
		off := f.user(t, "disabled", csreview.RoleOffice, nil)
		if err := f.s.SetUserDisabled(sysCtx, off.ID, true); err != nil {
			t.Fatal(err)
		}

		t.Run("OK", func(t *testing.T) {
			f.advance(time.Minute)
			audits := f.auditTotal(t)
			got, err := f.s.Authenticate(anon, " Zhang.San ", password)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != u.ID || got.LastLoginAt == nil || !got.LastLoginAt.Equal(f.now) {
				t.Fatalf("got %+v", got)
			}
			stored, err := f.s.FindUserByID(sysCtx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.LastLoginAt == nil || !stored.LastLoginAt.Equal(f.now) {
				t.Fatalf("got last login %v, want %v", stored.LastLoginAt, f.now)
			}
			if got, want := f.auditTotal(t), audits+1; got != want {
				t.Fatalf("got %v audit records, want %v", got, want)
			}
			r := f.lastAudit(t, "user", u.ID)
			if r.Action != "login" || r.ActorID != u.ID || r.Actor != "zhang.san" || !r.At.Equal(f.now) {
				t.Fatalf("got %+v", r)
			}
		})

		// Every failure looks the same, so that the answer does not tell
		// which usernames exist or are disabled.
		var first error
		for _, tt := range []struct {
			name, username, password string
		}{
			{"ErrWrongPassword", "zhang.san", "not the password"},
			{"ErrEmptyPassword", "zhang.san", ""},
			{"ErrUnknownUser", "li.si", password},
			{"ErrEmptyUsername", "", password},
			{"ErrDisabled", "disabled", password},
		} {
			t.Run(tt.name, func(t *testing.T) {
				audits := f.auditTotal(t)
				got, err := f.s.Authenticate(anon, tt.username, tt.password)
				wantCode(t, err, csreview.EUNAUTHORIZED)
				if got != nil {
					t.Fatalf("got user %+v with an error", got)
				}
				if first == nil {
					first = err
				}
				if got, want := err.Error(), first.Error(); got != want {
					t.Fatalf("got message %q, want %q", got, want)
				}
				if got, want := csreview.AsError(err).Key, csreview.AsError(first).Key; got != want {
					t.Fatalf("got key %q, want %q", got, want)
				}
				if got, want := f.auditTotal(t), audits; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
			})
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		u := f.user(t, "alice", csreview.RoleOffice, nil)
		other := f.user(t, "bob", csreview.RoleOffice, nil)
		raw := rawDB(t, db)

		newSession := func(t *testing.T, id int64, old string) string {
			t.Helper()
			s, err := f.s.CreateSession(anon, id, old)
			if err != nil {
				t.Fatal(err)
			}
			if len(s) < 40 {
				t.Fatalf("session secret %q is too short", s)
			}
			return s
		}
		wantUser := func(t *testing.T, secret string, want *csreview.User) {
			t.Helper()
			got, err := f.s.UserBySession(anon, secret)
			if err != nil {
				t.Fatalf("UserBySession: %v", err)
			}
			if got.ID != want.ID || got.Username != want.Username || got.Role != want.Role {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		}
		wantRefused := func(t *testing.T, secret string) {
			t.Helper()
			got, err := f.s.UserBySession(anon, secret)
			wantCode(t, err, csreview.EUNAUTHORIZED)
			if got != nil {
				t.Fatalf("got user %+v with an error", got)
			}
		}

		var s1 string
		t.Run("Create", func(t *testing.T) {
			s1 = newSession(t, u.ID, "")
			wantUser(t, s1, u)
		})
		t.Run("StoredHashed", func(t *testing.T) {
			var n int
			q := fmt.Sprintf("SELECT COUNT(*) FROM sessions WHERE secret_hash = '%s'", csreview.HashSecret(s1))
			if err := raw.QueryRow(q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("got %d sessions with the secret's hash, want 1", n)
			}
			q = fmt.Sprintf("SELECT COUNT(*) FROM sessions WHERE secret_hash = '%s'", s1)
			if err := raw.QueryRow(q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Fatal("the session secret is stored in the clear")
			}
		})
		t.Run("ErrUnknown", func(t *testing.T) {
			wantRefused(t, "")
			wantRefused(t, "no-such-session")
			wantRefused(t, csreview.HashSecret(s1)) // the stored value is not a key
		})
		var s2 string
		t.Run("Rotation", func(t *testing.T) {
			s2 = newSession(t, u.ID, s1)
			wantRefused(t, s1)
			wantUser(t, s2, u)
		})
		t.Run("SessionsAreIndependent", func(t *testing.T) {
			b := newSession(t, other.ID, "")
			wantUser(t, b, other)
			wantUser(t, s2, u)
			if err := f.s.DeleteSession(anon, b); err != nil {
				t.Fatal(err)
			}
			wantUser(t, s2, u)
		})
		t.Run("Delete", func(t *testing.T) {
			if err := f.s.DeleteSession(anon, s2); err != nil {
				t.Fatal(err)
			}
			wantRefused(t, s2)
		})
		t.Run("Expiry", func(t *testing.T) {
			s := newSession(t, u.ID, "")
			f.advance(csreview.SessionLifetime - time.Minute)
			wantUser(t, s, u) // and slides the expiry forward
			f.advance(csreview.SessionLifetime - time.Minute)
			wantUser(t, s, u)
			f.advance(csreview.SessionLifetime + time.Second)
			wantRefused(t, s)
		})
		t.Run("RoleChangeEndsSessions", func(t *testing.T) {
			s := newSession(t, u.ID, "")
			x, err := f.s.FindUserByID(sysCtx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			x.DisplayName = "Alice"
			if err := f.s.UpdateUser(sysCtx, x); err != nil {
				t.Fatal(err)
			}
			wantUser(t, s, x) // same role: the session goes on
			x.Role = csreview.RoleMember
			if err := f.s.UpdateUser(sysCtx, x); err != nil {
				t.Fatal(err)
			}
			wantRefused(t, s)
		})
		t.Run("DisableEndsSessionsAndTokens", func(t *testing.T) {
			s := newSession(t, u.ID, "")
			_, tok, err := f.s.CreateToken(as(u), u.ID, "ci", 0)
			if err != nil {
				t.Fatal(err)
			}
			bs := newSession(t, other.ID, "")
			if _, err := f.s.UserByToken(anon, tok); err != nil {
				t.Fatal(err)
			}
			if err := f.s.SetUserDisabled(sysCtx, u.ID, true); err != nil {
				t.Fatal(err)
			}
			wantRefused(t, s)
			_, err = f.s.UserByToken(anon, tok)
			wantCode(t, err, csreview.EUNAUTHORIZED)
			wantUser(t, bs, other) // other accounts are untouched
			// Ended, not merely suspended: enabling the account again does
			// not bring them back.
			if err := f.s.SetUserDisabled(sysCtx, u.ID, false); err != nil {
				t.Fatal(err)
			}
			wantRefused(t, s)
			_, err = f.s.UserByToken(anon, tok)
			wantCode(t, err, csreview.EUNAUTHORIZED)
		})
		t.Run("DisabledUserSessionRefused", func(t *testing.T) {
			// A session created for an account while it is disabled (the
			// web layer authenticates first, but the store must not trust
			// that) does not let it in.
			if err := f.s.SetUserDisabled(sysCtx, other.ID, true); err != nil {
				t.Fatal(err)
			}
			wantRefused(t, newSession(t, other.ID, ""))
		})
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		alice := f.user(t, "alice", csreview.RoleOffice, nil)
		bob := f.user(t, "bob", csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = f.supplier(t, "供应商").ID })
		admin := f.user(t, "root", csreview.RoleAdmin, nil)
		raw := rawDB(t, db)

		var tok *csreview.APIToken
		var secret string
		t.Run("Create", func(t *testing.T) {
			var err error
			tok, secret, err = f.s.CreateToken(as(alice), alice.ID, " ci pipeline ", 0)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(secret, csreview.TokenPrefix) || len(secret) < 40 {
				t.Fatalf("got secret %q", secret)
			}
			if tok.ID == 0 || tok.UserID != alice.ID || tok.Name != "ci pipeline" || tok.ExpiresAt != nil ||
				!strings.HasPrefix(secret, tok.Hint) || len(tok.Hint) >= len(secret)/2 || !tok.CreatedAt.Equal(t0) {
				t.Fatalf("got %+v", tok)
			}
		})
		t.Run("Use", func(t *testing.T) {
			f.advance(time.Hour)
			got, err := f.s.UserByToken(anon, secret)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != alice.ID {
				t.Fatalf("got user %d, want %d", got.ID, alice.ID)
			}
			list, err := f.s.FindTokens(as(alice), alice.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].ID != tok.ID || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(f.now) {
				t.Fatalf("got %+v", list)
			}
		})
		t.Run("StoredHashed", func(t *testing.T) {
			rows, err := raw.Query("SELECT id, user_id, name, hint, secret_hash, created_at, " +
				"COALESCE(last_used_at, ''), COALESCE(expires_at, '') FROM api_tokens")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
				var id, userID int64
				var name, hint, hash, created, used, expires string
				if err := rows.Scan(&id, &userID, &name, &hint, &hash, &created, &used, &expires); err != nil {
					t.Fatal(err)
				}
				if got, want := hash, csreview.HashSecret(secret); got != want {
					t.Fatalf("got hash %v, want %v", got, want)
				}
				for _, col := range []string{name, hint, hash, created, used, expires} {
					if strings.Contains(col, secret[len(csreview.TokenPrefix)+4:]) {
						t.Fatalf("api_tokens holds the secret: %q", col)
					}
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Fatalf("got %d tokens, want 1", n)
			}
			// Nor does the audit log.
			var leaks int
			q := "SELECT COUNT(*) FROM audit_log WHERE COALESCE(before_json, '') || COALESCE(after_json, '') LIKE '%" +
				secret[len(csreview.TokenPrefix)+4:] + "%'"
			if err := raw.QueryRow(q).Scan(&leaks); err != nil {
				t.Fatal(err)
			}
			if leaks != 0 {
				t.Fatal("the audit log holds the token secret")
			}
		})
		t.Run("ErrUnknown", func(t *testing.T) {
			for _, s := range []string{"", "csr_nonsense", strings.TrimPrefix(secret, csreview.TokenPrefix),
				csreview.HashSecret(secret), secret + "x"} {
				_, err := f.s.UserByToken(anon, s)
				wantCode(t, err, csreview.EUNAUTHORIZED)
			}
		})
		t.Run("TTL", func(t *testing.T) {
			tk, s, err := f.s.CreateToken(as(alice), alice.ID, "short-lived", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if tk.ExpiresAt == nil || !tk.ExpiresAt.Equal(f.now.Add(time.Hour)) {
				t.Fatalf("got expiry %v, want %v", tk.ExpiresAt, f.now.Add(time.Hour))
			}
			f.advance(59 * time.Minute)
			if _, err := f.s.UserByToken(anon, s); err != nil {
				t.Fatalf("before expiry: %v", err)
			}
			f.advance(2 * time.Minute)
			_, err = f.s.UserByToken(anon, s)
			wantCode(t, err, csreview.EUNAUTHORIZED)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			_, _, err := f.s.CreateToken(as(alice), alice.ID, " ", 0)
			wantInvalid(t, err, "name")
			_, _, err = f.s.CreateToken(as(alice), alice.ID, strings.Repeat("n", 101), 0)
			wantInvalid(t, err, "name")
			_, _, err = f.s.CreateToken(as(alice), alice.ID, "ci", -time.Hour)
			wantInvalid(t, err, "ttl")
		})

		for _, tt := range []struct {
			name  string
			actor *csreview.User
			owner *csreview.User
			want  string
		}{
			{"CreateOwn", bob, bob, ""},
			{"AdminForOther", admin, bob, ""},
			{"SystemForOther", csreview.SystemUser("cli"), bob, ""},
			{"ErrForOther", bob, alice, csreview.ENOTFOUND},
			{"ErrAnonymous", nil, alice, csreview.EUNAUTHORIZED},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, s, err := f.s.CreateToken(as(tt.actor), tt.owner.ID, "token", 0)
				wantCode(t, err, tt.want)
				if err == nil {
					got, err := f.s.UserByToken(anon, s)
					if err != nil {
						t.Fatal(err)
					}
					if got.ID != tt.owner.ID {
						t.Fatalf("got user %d, want %d", got.ID, tt.owner.ID)
					}
				}
			})
		}

		t.Run("FindTokens", func(t *testing.T) {
			list, err := f.s.FindTokens(as(bob), bob.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(list), 3; got != want { // own, admin's, system's
				t.Fatalf("got %v, want %v", got, want)
			}
			_, err = f.s.FindTokens(as(bob), alice.ID)
			wantCode(t, err, csreview.ENOTFOUND)
			_, err = f.s.FindTokens(anon, alice.ID)
			wantCode(t, err, csreview.ENOTFOUND)
			if list, err := f.s.FindTokens(as(admin), alice.ID); err != nil || len(list) != 2 {
				t.Fatalf("admin got %d tokens of alice (%v), want 2", len(list), err)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			wantCode(t, f.s.DeleteToken(as(bob), tok.ID), csreview.ENOTFOUND) // alice's
			wantCode(t, f.s.DeleteToken(anon, tok.ID), csreview.ENOTFOUND)
			if _, err := f.s.UserByToken(anon, secret); err != nil {
				t.Fatalf("token revoked by a refused delete: %v", err)
			}
			if err := f.s.DeleteToken(as(alice), tok.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.UserByToken(anon, secret)
			wantCode(t, err, csreview.EUNAUTHORIZED)
			wantCode(t, f.s.DeleteToken(as(alice), tok.ID), csreview.ENOTFOUND)
			r := f.lastAudit(t, "api_token", tok.ID)
			if r.Action != "delete" || r.ActorID != alice.ID {
				t.Fatalf("got %+v", r)
			}
		})
		t.Run("ErrDisabledOwner", func(t *testing.T) {
			if err := f.s.SetUserDisabled(sysCtx, bob.ID, true); err != nil {
				t.Fatal(err)
			}
			_, _, err := f.s.CreateToken(as(admin), bob.ID, "token", 0)
			wantCode(t, err, csreview.ECONFLICT)
		})
	})
}
