package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/csreview/csreview"
)

// errBadLogin is the one answer to a failed sign-in, whatever failed, so
// that it does not tell which usernames exist.
func errBadLogin() error {
	return csreview.KeyErrorf(csreview.EUNAUTHORIZED, "err.bad_login", "Wrong username or password.")
}

// Authenticate checks a username and password. An unknown user costs the
// same hashing work as a wrong password. Success is recorded in the audit
// log and as the last sign-in.
func (s *Store) Authenticate(ctx context.Context, username, password string) (*csreview.User, error) {
	var u *csreview.User
	err := s.DB.read(ctx, func(tx *Tx) (err error) {
		u, err = userByName(tx, strings.ToLower(strings.TrimSpace(username)))
		return err
	})
	if err != nil && csreview.ErrorCode(err) != csreview.ENOTFOUND {
		return nil, err
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	if !csreview.CheckPasswordOrDummy(hash, password) || u == nil || u.Disabled {
		return nil, errBadLogin()
	}
	err = s.DB.write(csreview.NewContextWithUser(ctx, u), func(tx *Tx) error {
		now := tx.now
		u.LastLoginAt = &now
		if _, err := tx.exec(`UPDATE users SET last_login_at = ? WHERE id = ?`, formatTime(now), u.ID); err != nil {
			return err
		}
		return tx.audit("login", "user", u.ID, nil, nil)
	})
	return u, err
}

// CreateSession starts a session, ending oldSecret's session if any, so a
// session fixed before sign-in is never the one signed in.
func (s *Store) CreateSession(ctx context.Context, userID int64, oldSecret string) (string, error) {
	secret := csreview.NewSecret("")
	err := s.DB.write(ctx, func(tx *Tx) error {
		if oldSecret != "" {
			if _, err := tx.exec(`DELETE FROM sessions WHERE secret_hash = ?`, csreview.HashSecret(oldSecret)); err != nil {
				return err
			}
		}
		// Sweep this user's expired sessions while here.
		if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ? AND expires_at < ?`, userID, formatTime(tx.now)); err != nil {
			return err
		}
		_, err := tx.exec(`INSERT INTO sessions (secret_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			csreview.HashSecret(secret), userID, formatTime(tx.now), formatTime(tx.now.Add(csreview.SessionLifetime)))
		return err
	})
	return secret, err
}

// UserBySession returns the user of a live session. The session's expiry
// slides forward at most once a minute, to keep reads cheap.
func (s *Store) UserBySession(ctx context.Context, secret string) (*csreview.User, error) {
	if secret == "" {
		return nil, errUnauthenticated()
	}
	h := csreview.HashSecret(secret)
	var u *csreview.User
	var expires, created time.Time
	err := s.DB.read(ctx, func(tx *Tx) (err error) {
		u, err = users.scan(tx.queryRow(`SELECT u.id, u.`+strings.Join(users.cols(), ", u.")+`, s.expires_at, s.created_at
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = ?`, h), tcol{&expires}, tcol{&created})
		return err
	})
	now := s.DB.Now().UTC()
	// A session slides while used, but no session outlives a week.
	if err != nil || u.Disabled || expires.Before(now) || now.Sub(created) > csreview.SessionMaxAge {
		if err != nil && csreview.ErrorCode(err) != csreview.ENOTFOUND {
			return nil, err
		}
		return nil, errUnauthenticated()
	}
	if next := now.Add(csreview.SessionLifetime); next.Sub(expires) > time.Minute {
		err := s.DB.write(ctx, func(tx *Tx) error {
			_, err := tx.exec(`UPDATE sessions SET expires_at = ? WHERE secret_hash = ?`, formatTime(next), h)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`DELETE FROM sessions WHERE secret_hash = ?`, csreview.HashSecret(secret))
		return err
	})
}

var tokenCols = "id, user_id, name, hint, created_at, last_used_at, expires_at"

func scanToken(row interface{ Scan(...any) error }) (*csreview.APIToken, error) {
	t := new(csreview.APIToken)
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hint, tcol{&t.CreatedAt}, ntcol{&t.LastUsedAt}, ntcol{&t.ExpiresAt})
	return t, mapError(err)
}

// UserByToken returns the user of a valid API token and notes its use (at
// most once a minute).
func (s *Store) UserByToken(ctx context.Context, secret string) (*csreview.User, error) {
	if !strings.HasPrefix(secret, csreview.TokenPrefix) {
		return nil, errUnauthenticated()
	}
	h := csreview.HashSecret(secret)
	var u *csreview.User
	var t *csreview.APIToken
	err := s.DB.read(ctx, func(tx *Tx) (err error) {
		if t, err = scanToken(tx.queryRow(`SELECT `+tokenCols+` FROM api_tokens WHERE secret_hash = ?`, h)); err != nil {
			return err
		}
		u, err = users.get(tx, t.UserID)
		return err
	})
	now := s.DB.Now().UTC()
	if err != nil || u.Disabled || (t.ExpiresAt != nil && t.ExpiresAt.Before(now)) {
		if err != nil && csreview.ErrorCode(err) != csreview.ENOTFOUND {
			return nil, err
		}
		return nil, errUnauthenticated()
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		err := s.DB.write(ctx, func(tx *Tx) error {
			_, err := tx.exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(now), t.ID)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// CreateToken creates an API token. A user creates tokens for itself; an
// admin (and the command line) for anyone.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (*csreview.APIToken, string, error) {
	a := actor(ctx)
	if a == nil {
		return nil, "", errUnauthenticated()
	}
	name = strings.TrimSpace(name)
	var v csreview.Invalid
	v.Required("name", name)
	v.MaxLen("name", name, 100)
	if ttl < 0 {
		v.Add("ttl", "negative")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	secret := csreview.NewSecret(csreview.TokenPrefix)
	t := &csreview.APIToken{UserID: userID, Name: name, Hint: secret[:len(csreview.TokenPrefix)+4]}
	err := s.DB.write(ctx, func(tx *Tx) error {
		owner, err := findVisible(tx, users, userID, csreview.CanReadUser)
		if err != nil {
			return err
		}
		if owner.ID != a.ID && !csreview.CanManageUsers(a) {
			return errForbidden()
		}
		if owner.Disabled {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.user_disabled", "The account is disabled.")
		}
		t.CreatedAt = tx.now
		var expires sql.NullString
		if ttl > 0 {
			e := tx.now.Add(ttl)
			t.ExpiresAt = &e
			expires = sql.NullString{String: formatTime(e), Valid: true}
		}
		if err := tx.queryRow(`INSERT INTO api_tokens (user_id, name, hint, secret_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, userID, name, t.Hint, csreview.HashSecret(secret),
			formatTime(tx.now), expires).Scan(&t.ID); err != nil {
			return mapError(err)
		}
		return tx.audit("create", "api_token", t.ID, nil, t)
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// FindTokens lists a user's tokens: one's own, or anyone's for an admin.
func (s *Store) FindTokens(ctx context.Context, userID int64) ([]*csreview.APIToken, error) {
	var list []*csreview.APIToken
	err := s.DB.read(ctx, func(tx *Tx) error {
		if _, err := findVisible(tx, users, userID, csreview.CanReadUser); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			list = append(list, t)
		}
		return mapError(rows.Err())
	})
	return list, err
}

// DeleteToken revokes a token of the caller's (or any, for an admin).
func (s *Store) DeleteToken(ctx context.Context, id int64) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		t, err := scanToken(tx.queryRow(`SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`, id))
		if err != nil || tx.actor == nil || (t.UserID != tx.actor.ID && !csreview.CanManageUsers(tx.actor)) {
			if err != nil && csreview.ErrorCode(err) != csreview.ENOTFOUND {
				return err
			}
			return errNotFound("api_token", id)
		}
		if _, err := tx.exec(`DELETE FROM api_tokens WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit("delete", "api_token", id, t, nil)
	})
}
