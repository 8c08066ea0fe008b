package sqlstore

import (
	"context"

	"github.com/csreview/csreview"
)

var users = &table[csreview.User]{
	name:   "users",
	entity: "user",
	id:     func(u *csreview.User) *int64 { return &u.ID },
	columns: func(u *csreview.User) []column {
		return []column{
			{"username", &u.Username},
			{"display_name", &u.DisplayName},
			{"email", &u.Email},
			{"role", &u.Role},
			{"supplier_id", idcol{&u.SupplierID}},
			{"operator_id", idcol{&u.OperatorID}},
			{"body_id", idcol{&u.BodyID}},
			{"sector", &u.Sector},
			{"org", &u.Org},
			{"disabled", &u.Disabled},
			{"password_hash", &u.PasswordHash},
			{"created_at", tcol{&u.CreatedAt}},
			{"last_login_at", ntcol{&u.LastLoginAt}},
		}
	},
}

// FindUserByID returns an account the caller may see.
func (s *Store) FindUserByID(ctx context.Context, id int64) (u *csreview.User, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		u, err = findVisible(tx, users, id, csreview.CanReadUser)
		return err
	})
	return u, err
}

// FindUserByUsername returns an account the caller may see.
func (s *Store) FindUserByUsername(ctx context.Context, username string) (u *csreview.User, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		u, err = userByName(tx, username)
		if err == nil && !csreview.CanReadUser(tx.actor, u) {
			err = csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "User %q not found.", username)
		}
		return err
	})
	return u, err
}

func userByName(tx *Tx, username string) (*csreview.User, error) {
	u, err := users.scan(tx.queryRow(users.selectSQL()+" WHERE username = ?", username))
	if csreview.ErrorCode(err) == csreview.ENOTFOUND {
		return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "User %q not found.", username)
	}
	return u, err
}

// FindUsers lists accounts: all for admins, one's own for others.
func (s *Store) FindUsers(ctx context.Context, f csreview.UserFilter) (list []*csreview.User, total int, err error) {
	var w where
	w.scope(csreview.UserScope(actor(ctx)), "", "", "", "id", "")
	w.search(f.Query, "username", "display_name", "email", "org")
	if f.Role != "" {
		w.add("role = ?", string(f.Role))
	}
	if f.Disabled != nil {
		w.add("disabled = ?", *f.Disabled)
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, total, err = users.list(tx, w, "username", f.Page)
		return err
	})
	return list, total, err
}

// CreateUser creates an account with a hashed password.
func (s *Store) CreateUser(ctx context.Context, u *csreview.User, password string) error {
	if !csreview.CanManageUsers(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	// Report a bad password with the other fields, in one round.
	verr, perr := u.Validate(), csreview.CheckPasswordRules(password)
	if verr != nil || perr != nil {
		var v csreview.Invalid
		for _, e := range []error{verr, perr} {
			if ae := csreview.AsError(e); ae != nil {
				v.Fields = append(v.Fields, ae.Fields...)
			}
		}
		return v.Err()
	}
	hash, err := csreview.HashPassword(password)
	if err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		if err := checkUserOrg(tx, u); err != nil {
			return err
		}
		u.PasswordHash, u.CreatedAt, u.LastLoginAt, u.Disabled = hash, tx.now, nil, false
		return users.insert(tx, u)
	})
}

// UpdateUser saves an account's profile, role and organisation.
func (s *Store) UpdateUser(ctx context.Context, u *csreview.User) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, users, u.ID, csreview.CanReadUser)
		if err != nil {
			return err
		}
		if !csreview.CanManageUsers(tx.actor) {
			return errForbidden()
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := checkUserOrg(tx, u); err != nil {
			return err
		}
		u.PasswordHash, u.CreatedAt, u.LastLoginAt, u.Disabled = before.PasswordHash, before.CreatedAt, before.LastLoginAt, before.Disabled
		if err := users.update(tx, before, u); err != nil {
			return err
		}
		if u.Role != before.Role || u.SupplierID != before.SupplierID || u.OperatorID != before.OperatorID ||
			u.BodyID != before.BodyID || u.Sector != before.Sector {
			// New authority: end the sessions and tokens held under the old.
			if err := endSessions(tx, u.ID); err != nil {
				return err
			}
			_, err := tx.exec(`DELETE FROM api_tokens WHERE user_id = ?`, u.ID)
			return err
		}
		return nil
	})
}

// SetUserDisabled disables or enables an account; disabling ends its
// sessions and revokes its API tokens in the same transaction.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, users, id, csreview.CanReadUser)
		if err != nil {
			return err
		}
		if !csreview.CanManageUsers(tx.actor) || (disabled && tx.actor.ID == id) {
			return errForbidden()
		}
		after := *before
		after.Disabled = disabled
		if err := users.update(tx, before, &after); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		if err := endSessions(tx, id); err != nil {
			return err
		}
		_, err = tx.exec(`DELETE FROM api_tokens WHERE user_id = ?`, id)
		return err
	})
}

// SetPassword changes a password: an admin for anyone, a user for itself.
// Every session of the account ends, so a reset after a compromise locks
// the intruder out; the web layer signs the caller in again.
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	hash, err := csreview.HashPassword(password)
	if err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, users, id, csreview.CanReadUser)
		if err != nil {
			return err
		}
		if !csreview.CanManageUsers(tx.actor) && tx.actor.ID != id {
			return errForbidden()
		}
		if _, err := tx.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return err
		}
		if err := endSessions(tx, id); err != nil {
			return err
		}
		// A reset after a compromise must lock the intruder out of the API
		// too.
		if _, err := tx.exec(`DELETE FROM api_tokens WHERE user_id = ?`, id); err != nil {
			return err
		}
		// The audit record says the password changed, never what to.
		return tx.audit("set_password", "user", id, nil, map[string]any{"username": before.Username})
	})
}

// checkUserOrg checks that the organisation a role binds to exists, and
// clears the bindings the role does not use.
func checkUserOrg(tx *Tx, u *csreview.User) error {
	var v csreview.Invalid
	var failed error
	check := func(field string, id int64, t interface {
		exists(*Tx, int64) (bool, error)
	}) {
		ok, err := t.exists(tx, id)
		if err != nil && failed == nil {
			failed = err
		}
		if !ok {
			v.Add(field, "unknown")
		}
	}
	// An account is tied to the one organisation its role acts for, and to
	// no other.
	bound := csreview.AccountBinding(u.Role)
	if bound != "supplier_id" {
		u.SupplierID = 0
	} else {
		check(bound, u.SupplierID, suppliers)
	}
	if bound != "operator_id" {
		u.OperatorID = 0
	} else {
		check(bound, u.OperatorID, operators)
	}
	if bound != "body_id" {
		u.BodyID = 0
	} else {
		check(bound, u.BodyID, bodies)
	}
	if bound != "sector" {
		u.Sector = ""
	}
	if failed != nil {
		return failed
	}
	return v.Err()
}

func endSessions(tx *Tx, userID int64) error {
	_, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}
