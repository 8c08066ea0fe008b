package csreview

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the parameters of new password hashes. The defaults are
// OWASP's minimum for argon2id (Password Storage Cheat Sheet: m=19 MiB, t=2,
// p=1). Stored hashes carry their own parameters, so raising these later
// does not break existing passwords.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2 is used for new hashes. Tests may lower it for speed.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// CheckPasswordRules returns EINVALID for a password too short to accept.
func CheckPasswordRules(password string) error {
	var v Invalid
	if len([]rune(password)) < MinPasswordLength {
		v.Add("password", "too_short", fmt.Sprint(MinPasswordLength))
	}
	return v.Err()
}

// HashPassword returns an argon2id hash in PHC string format.
func HashPassword(password string) (string, error) {
	if err := CheckPasswordRules(password); err != nil {
		return "", err
	}
	p := DefaultArgon2
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC hash, in time that
// does not depend on where they differ.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || p.Memory > 1<<22 || p.Time > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a username is unknown, so that an
// unknown user and a wrong password take the same time.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("dummy-password-never-matches")
	return h
})

// CheckPasswordOrDummy checks password against hash, or against a dummy hash
// with the default parameters when hash is empty, and reports a match.
func CheckPasswordOrDummy(hash, password string) bool {
	if hash == "" {
		CheckPassword(dummyHash(), password)
		return false
	}
	return CheckPassword(hash, password)
}

// NewSecret returns a random secret with the given prefix, for session
// cookies and API tokens: 32 random bytes, URL-safe base64.
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the hex SHA-256 of a secret; secrets are stored only
// as this hash, so a copy of the database does not give access.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// TokenPrefix starts every API token, so that secret scanners recognise one.
const TokenPrefix = "csr_"

// APIToken is a bearer token for the JSON API. Its secret is shown once, at
// creation, and stored hashed.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Hint       string     `json:"hint"` // the first characters of the secret
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
}

// Session is a signed-in browser session; only the hash of its cookie value
// is stored.
type Session struct {
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionLifetime is how long a session lasts without use.
const SessionLifetime = 12 * time.Hour

// SessionMaxAge is the longest a session lasts, however much it is used.
const SessionMaxAge = 7 * 24 * time.Hour

// AuthService authenticates users and manages their sessions and tokens.
type AuthService interface {
	// Authenticate checks a username and password. It returns EUNAUTHORIZED
	// with the same message for an unknown user, a wrong password and a
	// disabled account.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	// CreateSession starts a session for userID and ends the session
	// oldSecret (rotation at login), returning the new cookie secret. It
	// checks no caller (call it after Authenticate): ECONFLICT for an
	// unknown userID, else only internal errors.
	CreateSession(ctx context.Context, userID int64, oldSecret string) (string, error)
	// UserBySession returns the user of a live session, extending it, or
	// EUNAUTHORIZED when the session is unknown, expired, past
	// SessionMaxAge or its user disabled.
	UserBySession(ctx context.Context, secret string) (*User, error)
	// DeleteSession ends a session (logout); an unknown secret is no error.
	// Only internal errors.
	DeleteSession(ctx context.Context, secret string) error
	// UserByToken returns the user of a valid API token, or EUNAUTHORIZED
	// when the token is malformed, unknown, expired or its user disabled.
	UserByToken(ctx context.Context, secret string) (*User, error)
	// CreateToken creates a token for userID (the caller itself unless it is
	// an admin) and returns it with its secret: EUNAUTHORIZED when
	// anonymous, EINVALID for a missing name or negative ttl, ENOTFOUND
	// unless CanReadUser, ECONFLICT when the account is disabled.
	CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (*APIToken, string, error)
	// FindTokens lists userID's tokens, newest first: ENOTFOUND unless
	// CanReadUser (one's own account, or any for an admin).
	FindTokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// DeleteToken revokes one of the caller's tokens (any, for
	// CanManageUsers): ENOTFOUND when it is unknown or not the caller's.
	DeleteToken(ctx context.Context, id int64) error
}
