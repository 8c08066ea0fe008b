package sqlstore

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// timeLayout is how timestamps are stored: fixed width, UTC, so that text
// order is time order in both engines.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(src any) (time.Time, error) {
	switch v := src.(type) {
	case string:
		return time.Parse(timeLayout, v)
	case []byte:
		return time.Parse(timeLayout, string(v))
	case time.Time:
		return v.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("cannot scan %T into a time", src)
}

// tcol stores a time.Time as text.
type tcol struct{ p *time.Time }

func (c tcol) Value() (driver.Value, error) { return formatTime(*c.p), nil }
func (c tcol) Scan(src any) (err error)     { *c.p, err = parseTime(src); return err }

// ntcol stores a *time.Time as text or NULL; it reads the empty text of a
// NOT NULL DEFAULT ” column as nil too.
type ntcol struct{ p **time.Time }

func (c ntcol) Value() (driver.Value, error) {
	if *c.p == nil {
		return nil, nil
	}
	return formatTime(**c.p), nil
}

func (c ntcol) Scan(src any) error {
	if s, ok := src.(string); src == nil || ok && s == "" || isEmptyBytes(src) {
		*c.p = nil
		return nil
	}
	t, err := parseTime(src)
	*c.p = &t
	return err
}

// idcol stores an optional reference: 0 is NULL.
type idcol struct{ p *int64 }

func (c idcol) Value() (driver.Value, error) {
	if *c.p == 0 {
		return nil, nil
	}
	return *c.p, nil
}

func (c idcol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = 0
	case int64:
		*c.p = v
	case int32:
		*c.p = int64(v)
	default:
		return fmt.Errorf("cannot scan %T into an ID", src)
	}
	return nil
}

// nscol stores an optional string: "" is NULL, so that UNIQUE indexes
// ignore missing values in both engines.
type nscol struct{ p *string }

func (c nscol) Value() (driver.Value, error) {
	if *c.p == "" {
		return nil, nil
	}
	return *c.p, nil
}

func (c nscol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.p = ""
	case string:
		*c.p = v
	case []byte:
		*c.p = string(v)
	default:
		return fmt.Errorf("cannot scan %T into a string", src)
	}
	return nil
}

// jcol stores a value as JSON text.
type jcol[T any] struct{ p *T }

func (c jcol[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(*c.p)
	return string(b), err
}

func (c jcol[T]) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return json.Unmarshal([]byte(v), c.p)
	case []byte:
		return json.Unmarshal(v, c.p)
	}
	return fmt.Errorf("cannot scan %T into JSON", src)
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func isEmptyBytes(src any) bool {
	b, ok := src.([]byte)
	return ok && len(b) == 0
}
