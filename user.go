package csreview

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// User is an account. Its role decides what it may do; the organisation it
// belongs to (a supplier, an operator, a body, a sector) decides on which
// objects.
type User struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Email       string `json:"email,omitempty"`
	Role        Role   `json:"role"`
	// SupplierID binds a supplier user to its supplier.
	SupplierID int64 `json:"supplier_id,omitempty"`
	// OperatorID binds an operator user to its operator.
	OperatorID int64 `json:"operator_id,omitempty"`
	// BodyID binds an assessor to its assessment body.
	BodyID int64 `json:"body_id,omitempty"`
	// Sector is a regulator's sector.
	Sector Sector `json:"sector,omitempty"`
	// Org names the member unit, expert's institution or association.
	Org         string     `json:"org,omitempty"`
	Disabled    bool       `json:"disabled"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`

	// PasswordHash is the argon2id hash in PHC format; never serialised.
	PasswordHash string `json:"-"`
	// System marks the built-in actor of the command line and start-up
	// tasks; it is never stored.
	System bool `json:"-"`
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// Validate checks the fields a user enters and that the organisation the
// role needs is set.
func (u *User) Validate() error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	var v Invalid
	if v.Required("username", u.Username) && !usernameRE.MatchString(u.Username) {
		v.Add("username", "invalid_username")
	}
	v.Required("display_name", u.DisplayName)
	v.MaxLen("display_name", u.DisplayName, 100)
	v.MaxLen("email", u.Email, 200)
	if u.Email != "" && !strings.Contains(u.Email, "@") {
		v.Add("email", "invalid_email")
	}
	if v.Required("role", string(u.Role)) {
		v.OneOf("role", string(u.Role), names(Roles))
	}
	switch u.Role {
	case RoleSupplier:
		if u.SupplierID <= 0 {
			v.Add("supplier_id", "required")
		}
	case RoleOperator:
		if u.OperatorID <= 0 {
			v.Add("operator_id", "required")
		}
	case RoleAssessor:
		if u.BodyID <= 0 {
			v.Add("body_id", "required")
		}
	case RoleRegulator:
		if v.Required("sector", string(u.Sector)) {
			v.OneOf("sector", string(u.Sector), names(Sectors))
		}
	}
	v.MaxLen("org", u.Org, 200)
	return v.Err()
}

// Is reports whether u has one of the roles.
func (u *User) Is(roles ...Role) bool {
	return u != nil && !u.Disabled && oneOf(u.Role, roles)
}

// SystemUser is the actor of the command line and of start-up tasks such as
// loading the demo data: it may do what an admin may, and is recorded in the
// audit log under name.
func SystemUser(name string) *User {
	return &User{Username: name, DisplayName: name, Role: RoleAdmin, System: true}
}

// UserFilter selects users.
type UserFilter struct {
	Query    string
	Role     Role
	Disabled *bool
	Page
}

// UserService manages accounts. Only admins manage other users; every user
// may read its own account.
type UserService interface {
	// FindUserByID returns an account: ENOTFOUND unless CanReadUser.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUserByUsername returns an account by its exact username:
	// ENOTFOUND unless CanReadUser.
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	// FindUsers lists one page of the accounts in UserScope and the total.
	// Only internal errors.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// CreateUser hashes password (at least MinPasswordLength characters):
	// EUNAUTHORIZED when anonymous, EFORBIDDEN unless CanManageUsers,
	// EINVALID naming each bad field (an unknown organisation among them),
	// ECONFLICT on a duplicate username.
	CreateUser(ctx context.Context, u *User, password string) error
	// UpdateUser saves the profile, role and organisation of u.ID, ending
	// its sessions and tokens when its authority changes: ENOTFOUND unless
	// CanReadUser, EFORBIDDEN unless CanManageUsers, EINVALID, ECONFLICT.
	UpdateUser(ctx context.Context, u *User) error
	// SetUserDisabled disables or enables an account; disabling ends its
	// sessions and API tokens at once. ENOTFOUND unless CanReadUser,
	// EFORBIDDEN unless CanManageUsers or when disabling oneself.
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	// SetPassword changes a password: admins for anyone, a user for itself.
	// EINVALID for a short password (checked before anything else), else
	// ENOTFOUND unless CanReadUser; all its sessions and tokens end.
	SetPassword(ctx context.Context, id int64, password string) error
}

type userKey struct{}

// NewContextWithUser returns ctx carrying the acting user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the acting user, or nil for an anonymous caller.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}
