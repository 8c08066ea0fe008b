package sqlstore

import (
	"database/sql"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/csreview/csreview"
)

// table maps a domain type to a table: each column is declared once,
// beside the Go field it is scanned into and takes its value from
// (directly, or through one of the column wrappers). It gives every entity
// the same find, insert, update and delete, so that the entity files hold
// only what differs: validation, authorization and filters.
type table[T any] struct {
	name   string // table name
	entity string // audit entity name
	id     func(*T) *int64
	// columns are the table's columns but id, each with its field of v.
	columns func(v *T) []column
	// stamps returns the creation and update times, when the type has them.
	stamps func(*T) (created, updated *time.Time)

	once  sync.Once
	names []string
}

// column is one column and the field that holds it.
type column struct {
	name  string
	field any
}

// cols are the column names but id, in declaration order.
func (t *table[T]) cols() []string {
	t.once.Do(func() {
		for _, c := range t.columns(new(T)) {
			t.names = append(t.names, c.name)
		}
	})
	return t.names
}

// fields are v's fields in cols order.
func (t *table[T]) fields(v *T) []any {
	cs := t.columns(v)
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c.field
	}
	return out
}

func (t *table[T]) selectSQL() string {
	return "SELECT id, " + strings.Join(t.cols(), ", ") + " FROM " + t.name
}

func (t *table[T]) scan(row interface{ Scan(...any) error }, extra ...any) (*T, error) {
	v := new(T)
	dest := append([]any{t.id(v)}, t.fields(v)...)
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, mapError(err)
	}
	return v, nil
}

// get returns the row with the given ID, or ENOTFOUND.
func (t *table[T]) get(tx *Tx, id int64) (*T, error) {
	v, err := t.scan(tx.queryRow(t.selectSQL()+" WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, t.entity, id)
	}
	return v, nil
}

// list returns one page of the rows matching where (which may be empty) and
// the total count of matching rows, in one query.
func (t *table[T]) list(tx *Tx, w where, order string, page csreview.Page) ([]*T, int, error) {
	page = page.Normalize()
	q := "SELECT id, " + strings.Join(t.cols(), ", ") + ", COUNT(*) OVER () FROM " + t.name +
		w.sql() + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	rows, err := tx.query(q, append(w.args, page.Limit, page.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*T
	total := 0
	for rows.Next() {
		v, err := t.scan(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, mapError(err)
	}
	if len(out) == 0 && page.Offset > 0 {
		// COUNT(*) OVER () has no row to ride on past the end.
		if err := tx.queryRow("SELECT COUNT(*) FROM "+t.name+w.sql(), w.args...).Scan(&total); err != nil {
			return nil, 0, mapError(err)
		}
	}
	return out, total, nil
}

// insert adds v, sets its ID and records the creation.
func (t *table[T]) insert(tx *Tx, v *T) error {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(t.cols())), ", ")
	q := "INSERT INTO " + t.name + " (" + strings.Join(t.cols(), ", ") + ") VALUES (" + marks + ") RETURNING id"
	if err := tx.queryRow(q, t.fields(v)...).Scan(t.id(v)); err != nil {
		return mapError(err)
	}
	return tx.audit("create", t.entity, *t.id(v), nil, v)
}

// update writes every column of v and records before and after.
func (t *table[T]) update(tx *Tx, before, v *T) error {
	sets := strings.Join(t.cols(), " = ?, ") + " = ?"
	args := append(t.fields(v), *t.id(v))
	if _, err := tx.exec("UPDATE "+t.name+" SET "+sets+" WHERE id = ?", args...); err != nil {
		return err
	}
	return tx.audit("update", t.entity, *t.id(v), before, v)
}

// delete removes the row and records what it was.
func (t *table[T]) delete(tx *Tx, before *T) error {
	id := *t.id(before)
	if _, err := tx.exec("DELETE FROM "+t.name+" WHERE id = ?", id); err != nil {
		return err
	}
	return tx.audit("delete", t.entity, id, before, nil)
}

// audit writes an audit record in tx: who (the context's user), when (the
// transaction's time), what, and the object before and after as JSON.
func (tx *Tx) audit(action, entity string, id int64, before, after any) error {
	var b, a sql.NullString
	for _, x := range []struct {
		v   any
		out *sql.NullString
	}{{before, &b}, {after, &a}} {
		if x.v == nil {
			continue
		}
		j, err := json.Marshal(x.v)
		if err != nil {
			return err
		}
		if string(j) != "null" {
			*x.out = sql.NullString{String: string(j), Valid: true}
		}
	}
	var actorID int64
	actor := "anonymous"
	if tx.actor != nil {
		actorID, actor = tx.actor.ID, tx.actor.Username
	}
	_, err := tx.exec(`INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, before_json, after_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, formatTime(tx.now), idcol{&actorID}, actor, action, entity, idcol{&id}, b, a)
	tx.changed = true
	return err
}

// where is a conjunction of conditions with their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// search adds a case-insensitive substring match over columns.
func (w *where) search(q string, cols ...string) {
	q = strings.TrimSpace(q)
	if q == "" {
		return
	}
	pat := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
	var ors []string
	for _, c := range cols {
		ors = append(ors, "LOWER("+c+") LIKE ? ESCAPE '\\'")
		w.args = append(w.args, pat)
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
}

// scope restricts the rows to what a policy Scope allows, given the columns
// that hold each owner key ("" when the table has none). A scope on a key
// the table lacks selects nothing: deny by default.
func (w *where) scope(s csreview.Scope, supplierCol, operatorCol, bodyCol, userCol, sectorCol string) {
	restrict := func(col string, v any) {
		if col == "" {
			w.add("1 = 0")
			return
		}
		w.add(col+" = ?", v)
	}
	switch {
	case s.None:
		w.add("1 = 0")
	case s.SupplierID != 0:
		restrict(supplierCol, s.SupplierID)
	case s.OperatorID != 0:
		restrict(operatorCol, s.OperatorID)
	case s.BodyID != 0:
		restrict(bodyCol, s.BodyID)
	case s.UserID != 0:
		restrict(userCol, s.UserID)
	case s.Sector != "":
		restrict(sectorCol, string(s.Sector))
	}
	if len(s.States) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(s.States)), ", ")
		args := make([]any, len(s.States))
		for i, st := range s.States {
			args[i] = string(st)
		}
		if s.OrUserID != 0 && userCol != "" {
			w.add("(state IN ("+marks+") OR "+userCol+" = ?)", append(args, s.OrUserID)...)
		} else {
			w.add("state IN ("+marks+")", args...)
		}
	}
}

func (w where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// notFound gives an ENOTFOUND error the entity's name.
func notFound(err error, entity string, id int64) error {
	if csreview.ErrorCode(err) == csreview.ENOTFOUND {
		return csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "%s %d not found.", entity, id)
	}
	return err
}

// errNotFound is what a caller gets for an object it may not see: the same
// as for one that does not exist, so existence does not leak.
func errNotFound(entity string, id int64) error {
	return csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "%s %d not found.", entity, id)
}

func errForbidden() error {
	return csreview.KeyErrorf(csreview.EFORBIDDEN, "err.forbidden", "You are not allowed to do this.")
}

func errUnauthenticated() error {
	return csreview.KeyErrorf(csreview.EUNAUTHORIZED, "err.unauthenticated", "Sign in first.")
}

// exists reports whether a row with the given ID exists.
func (t *table[T]) exists(tx *Tx, id int64) (bool, error) {
	n, err := countOf(tx, "SELECT COUNT(*) FROM "+t.name+" WHERE id = ?", id)
	return n > 0, err
}
