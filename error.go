package csreview

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to one HTTP status (web.statusOf) and one CLI exit
// code; the message of an *Error is safe to show to users, internal details
// never are.
const (
	ECONFLICT       = "conflict"     // a natural key or state clash: 409
	EINTERNAL       = "internal"     // a fault of ours: 500, details only in the log
	EINVALID        = "invalid"      // bad input: 400, Fields says which
	ENOTFOUND       = "not_found"    // unknown, or not visible to the caller: 404
	EUNAUTHORIZED   = "unauthorized" // no or bad credentials: 401
	EFORBIDDEN      = "forbidden"    // visible but not allowed: 403
	ETOOLARGE       = "too_large"    // a body or upload over its limit: 413
	ETOOMANYREQUEST = "too_many"     // throttled: 429
	EUNSUPPORTED    = "unsupported"  // a media type we do not take: 415
	EUNAVAILABLE    = "unavailable"  // a dependency is down: 503
	EMETHOD         = "method"       // method not allowed on a resource: 405
	EPRECONDITION   = "precondition" // a stale If-Match: 412
)

// Error is an application error: a code, a message safe for users, and, for
// EINVALID, the fields that failed. Key names the message in the i18n
// catalogues so the web layer can show it in the user's language; Message is
// the English fallback and what Error() returns.
type Error struct {
	Code    string
	Key     string
	Message string
	Fields  []FieldError
	// Allowed lists what the caller may do instead, e.g. the transitions
	// allowed from a case's current state.
	Allowed []string
	// Params are the values the message names, as name, value pairs, for
	// its translations ("{name}" in a catalogue).
	Params []string
}

// FieldError says which input field is wrong and why. Field is the JSON name
// of the field; Rule is a short machine code ("required", "too_long"…) that
// is also the i18n key suffix "field.<rule>"; Param is the rule's parameter
// (a maximum length, a list of allowed values).
type FieldError struct {
	Field string `json:"field"`
	Rule  string `json:"rule"`
	Param string `json:"param,omitempty"`
}

// Error returns the English message, followed by the failed fields.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// String renders a field error in English for logs and the CLI.
func (f FieldError) String() string {
	s := f.Field + " " + strings.ReplaceAll(f.Rule, "_", " ")
	if f.Param != "" {
		s += " (" + f.Param + ")"
	}
	return s
}

// Errorf returns an *Error with the given code and an English message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// KeyErrorf is Errorf with an i18n key for the message.
func KeyErrorf(code, key, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Message: fmt.Sprintf(format, args...)}
}

// KeyErrorp is KeyErrorf with the values that the translations of key
// name, as name, value pairs: KeyErrorp(EFORBIDDEN, "err.x", []string{"name",
// f.Name}, "%s: …", f.Name).
func KeyErrorp(code, key string, params []string, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Params: params, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the *Error's message, or
// a generic one for internal errors, whose text may hold details.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Invalid collects field errors; Err returns nil when there are none, so a
// Validate method reads as a list of checks.
type Invalid struct {
	Fields []FieldError
}

// Add records that field broke rule (with an optional parameter).
func (v *Invalid) Add(field, rule string, param ...string) {
	f := FieldError{Field: field, Rule: rule}
	if len(param) > 0 {
		f.Param = param[0]
	}
	v.Fields = append(v.Fields, f)
}

// Required adds a "required" error when s is blank.
func (v *Invalid) Required(field, s string) bool {
	if strings.TrimSpace(s) == "" {
		v.Add(field, "required")
		return false
	}
	return true
}

// MaxLen adds a "too_long" error when s has more than n characters.
func (v *Invalid) MaxLen(field, s string, n int) {
	if len([]rune(s)) > n {
		v.Add(field, "too_long", fmt.Sprint(n))
	}
}

// OneOf adds a "not_allowed" error when s is not one of allowed.
func (v *Invalid) OneOf(field, s string, allowed []string) {
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	v.Add(field, "not_allowed", strings.Join(allowed, ", "))
}

// Err returns the collected errors as an EINVALID *Error, or nil.
func (v *Invalid) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: "err.invalid", Message: "Invalid input", Fields: v.Fields}
}

// Wrap annotates *errp, when it is not nil, with the call that failed, keeping
// the error chain (and so its code) intact:
//
//	defer csreview.Wrap(&err, "FindSupplierByID(%d)", id)
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
