package site

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/indent"
)

// ListBody is the answer of every list endpoint.
type ListBody[T any] struct {
	Items  []*T `json:"items"`
	Total  int  `json:"total"`
	Limit  int  `json:"limit"`
	Offset int  `json:"offset"`
}

// Resource is the JSON API of one registry entity: list, get, create,
// update (a JSON merge patch onto the stored object) and delete, each a thin
// call of the entity's service, which decides authorization.
type Resource[T any, F any] struct {
	Name   string // path segment, e.g. "suppliers"
	Find   func(context.Context, int64) (*T, error)
	List   func(context.Context, F) ([]*T, int, error)
	Create func(context.Context, *T) error
	Update func(context.Context, *T) error
	Del    func(context.Context, int64) error
	Filter func(q *Query) F
	ID     func(*T) *int64
	// MayList and MayCreate gate the list and create routes (Route.May);
	// nil leaves them to the services.
	MayList, MayCreate func(*csreview.User) bool
}

// ListHandler answers GET on the collection: a page of what the filter
// selects and the caller may see.
func (rs *Resource[T, F]) ListHandler(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := rs.Filter(q)
	if err := q.Err(); err != nil {
		return err
	}
	items, total, err := rs.List(r.Context(), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*T{}
	}
	p := q.Page().Normalize()
	return WriteJSON(w, http.StatusOK, ListBody[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset})
}

// GetHandler answers GET …/{id}.
func (rs *Resource[T, F]) GetHandler(w http.ResponseWriter, r *http.Request) error {
	return GetByID(rs.Find)(w, r)
}

// GetByID answers GET …/{id} with what find returns for the path's ID.
func GetByID[T any](find func(context.Context, int64) (*T, error)) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := PathID(r, "id")
		if err != nil {
			return err
		}
		v, err := find(r.Context(), id)
		if err != nil {
			return err
		}
		return WriteJSON(w, http.StatusOK, v)
	}
}

// ActByID calls act with the path's ID, then answers with done: 204 for
// the API, a redirect for a page.
func ActByID(act func(context.Context, int64) error, done HandlerFunc) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := PathID(r, "id")
		if err != nil {
			return err
		}
		if err := act(r.Context(), id); err != nil {
			return err
		}
		return done(w, r)
	}
}

// CreateHandler answers POST on the collection with the created object.
func (rs *Resource[T, F]) CreateHandler(w http.ResponseWriter, r *http.Request) error {
	v := new(T)
	if err := DecodeJSON(r, v); err != nil {
		return err
	}
	*rs.ID(v) = 0
	if err := rs.Create(r.Context(), v); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/%s/%d", rs.Name, *rs.ID(v)))
	return WriteJSON(w, http.StatusCreated, v)
}

// UpdateHandler applies a JSON merge patch to the stored object.
func (rs *Resource[T, F]) UpdateHandler(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := rs.Find(r.Context(), id)
	if err != nil {
		return err
	}
	if err := MergePatch(r, v); err != nil {
		return err
	}
	*rs.ID(v) = id
	if err := rs.Update(r.Context(), v); err != nil {
		return err
	}
	// Answer with what is stored, not with what was sent.
	if v, err = rs.Find(r.Context(), id); err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, v)
}

// DeleteHandler answers DELETE …/{id} with 204.
func (rs *Resource[T, F]) DeleteHandler(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	if err := rs.Del(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	b, err := indent.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// DecodeJSON decodes a JSON request body into v, refusing unknown fields,
// trailing data and other media types, and says where the body is wrong.
func DecodeJSON(r *http.Request, v any) error {
	body, err := readJSONBody(r)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// errBodyTooLarge is the answer to a body over the route's limit.
func errBodyTooLarge(limit int64) error {
	return csreview.KeyErrorf(csreview.ETOOLARGE, "err.too_large", "The request body is larger than %d bytes.", limit)
}

// readJSONBody reads a body sent as JSON, within the size limit.
func readJSONBody(r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "application/merge-patch+json") {
			return nil, csreview.KeyErrorf(csreview.EUNSUPPORTED, "err.media_type", "Send the body as application/json.")
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errBodyTooLarge(mbe.Limit)
		}
		return nil, err
	}
	// JSON is UTF-8 (RFC 8259 §8.1); Go's decoder would quietly store bad
	// bytes as U+FFFD, so they are refused.
	if !utf8.Valid(body) {
		return nil, BodyError("body", "invalid_utf8", "")
	}
	return body, nil
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return JSONError(body, err, v)
	}
	if dec.More() {
		return BodyError("body", "trailing_data", "")
	}
	return nil
}

// MergePatch applies a JSON merge patch (RFC 7396) from the request body to
// v: fields sent replace v's, fields sent as null are cleared, others stay.
func MergePatch(r *http.Request, v any) error {
	body, err := readJSONBody(r)
	if err != nil {
		return err
	}
	var patch map[string]json.RawMessage
	if err := decodeStrict(body, &patch); err != nil {
		return err
	}
	if patch == nil {
		return BodyError("body", "type", "object")
	}
	cur := map[string]json.RawMessage{}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &cur); err != nil {
		return err
	}
	for k, raw := range patch {
		if string(bytes.TrimSpace(raw)) == "null" {
			delete(cur, k)
		} else {
			cur[k] = raw
		}
	}
	merged, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	reflect.ValueOf(v).Elem().SetZero()
	return decodeStrict(merged, v)
}

// JSONError turns an error of decoding body into v into EINVALID naming
// the field, or the line and column of a syntax error.
func JSONError(body []byte, err error, v any) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(body, se.Offset)
		return BodyError("body", "syntax", fmt.Sprintf("line %d, column %d: %s", line, col, se.Error()))
	case errors.As(err, &te):
		field := jsonField(reflect.TypeOf(v), te.Field)
		if field == "" {
			field = "body"
		}
		return BodyError(field, "type", te.Type.String())
	case errors.Is(err, io.EOF):
		return BodyError("body", "required", "")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return BodyError("body", "syntax", "unexpected end of input")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return BodyError(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "unknown_field", "")
	}
	return BodyError("body", "syntax", err.Error())
}

// BodyError is EINVALID naming the body field and the rule it breaks.
func BodyError(field, rule, param string) error {
	var v csreview.Invalid
	v.Add(field, rule, param)
	return v.Err()
}

// lineCol returns the line and column, counted in characters from 1, of
// the byte at which a json.SyntaxError was found: its Offset counts the bytes
// read, the offending one included.
func lineCol(b []byte, off int64) (int, int) {
	line, col := 1, 1
	for i := int64(0); i < off-1 && i < int64(len(b)); i++ {
		switch {
		case b[i] == '\n':
			line, col = line+1, 1
		case b[i]&0xC0 != 0x80: // not a UTF-8 continuation byte
			col++
		}
	}
	return line, col
}

// jsonField turns the path of a json.UnmarshalTypeError into the JSON path
// of the field: encoding/json names the embedded structs it passes through
// by their Go names ("User.role" for the role of a newUserBody), which are
// no part of the JSON the client sent.
func jsonField(t reflect.Type, path string) string {
	if path == "" {
		return ""
	}
	var out []string
	for _, seg := range strings.Split(path, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice ||
			t.Kind() == reflect.Array || t.Kind() == reflect.Map) {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct {
			out, t = append(out, seg), nil
			continue
		}
		if f, ok := t.FieldByName(seg); ok && f.Anonymous {
			t = f.Type
			continue
		}
		out, t = append(out, seg), jsonFieldType(t, seg)
	}
	return strings.Join(out, ".")
}

// jsonFieldType returns the type of the field of struct t whose JSON name is
// name, or nil.
func jsonFieldType(t reflect.Type, name string) reflect.Type {
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous || !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "" {
			tag = f.Name
		}
		if tag == name {
			return f.Type
		}
	}
	return nil
}

// PathID parses a positive integer path value.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "Not found.")
	}
	return id, nil
}

// Query reads query parameters and collects their errors.
type Query struct {
	v   map[string][]string
	Bad csreview.Invalid
}

// NewQuery reads the request's query parameters.
func NewQuery(r *http.Request) *Query { return &Query{v: r.URL.Query()} }

// Str is the parameter, trimmed; "" when absent.
func (q *Query) Str(name string) string {
	if vs := q.v[name]; len(vs) > 0 {
		return strings.TrimSpace(vs[0])
	}
	return ""
}

// Int is the parameter as a non-negative integer, 0 when absent; anything
// else is recorded as an error.
func (q *Query) Int(name string) int64 {
	s := q.Str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		q.Bad.Add(name, "not_a_number")
	}
	return n
}

// Bool is the parameter as true or false, nil when absent; anything else
// is recorded as an error.
func (q *Query) Bool(name string) *bool {
	switch q.Str(name) {
	case "":
		return nil
	case "true", "1", "yes":
		t := true
		return &t
	case "false", "0", "no":
		f := false
		return &f
	}
	q.Bad.Add(name, "not_a_boolean")
	return nil
}

// OneOf returns the parameter if it is one of allowed, else records an error.
func (q *Query) OneOf(name string, allowed []string) string {
	s := q.Str(name)
	if s == "" {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	q.Bad.Add(name, "not_allowed", strings.Join(allowed, ", "))
	return ""
}

// Page is the limit and offset parameters, the limit at most
// csreview.MaxLimit.
func (q *Query) Page() csreview.Page {
	p := csreview.Page{Limit: int(q.Int("limit")), Offset: int(q.Int("offset"))}
	if p.Limit > csreview.MaxLimit {
		q.Bad.Add("limit", "too_large", strconv.Itoa(csreview.MaxLimit))
	}
	return p
}

// Err is the errors recorded so far, as one EINVALID naming each parameter.
func (q *Query) Err() error { return q.Bad.Err() }

// Strs returns the values of a string-typed list as strings.
func Strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = string(x)
	}
	return out
}
