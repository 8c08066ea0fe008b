// Package sqlstore is csreview's one SQL store. It runs on SQLite (embedded,
// pure Go, WAL, one writer) and on PostgreSQL (pgx), with one SQL subset:
// "?" placeholders rebound for PostgreSQL, INSERT … RETURNING, COUNT(*)
// OVER() for totals. Timestamps are stored as fixed-width UTC text so both
// engines sort and compare them alike.
//
// The services of this package are csreview's service layer: every method
// takes the acting user from the context, asks the policy functions of the
// root package, and writes its change and the audit record in one
// transaction.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/csreview/csreview"
)

func init() {
	// SQLite's own lower() folds only ASCII; searches lower-case both sides,
	// so fold Unicode as PostgreSQL does ("Österreich" finds "ÖSTERREICH").
	sqlite.MustRegisterDeterministicScalarFunction("lower", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

// Dialect names a database engine.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open store. For SQLite it holds one writer connection, so writes
// queue in Go instead of failing on SQLITE_BUSY, and a pool of readers; for
// PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	w, r    *sql.DB
	// Now returns the current time; tests replace it to control clocks.
	Now func() time.Time
	// DSN is what Open was given, with any password removed.
	DSN string
}

// Open opens the store named by dsn: a postgres:// or postgresql:// URL, or
// a SQLite file path (optionally "sqlite:" or "file:" prefixed). It does not
// migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{Now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.Dialect = Postgres
		db.DSN = redact(dsn)
		if db.w, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		db.w.SetMaxOpenConns(20)
		db.w.SetConnMaxIdleTime(5 * time.Minute)
		db.r = db.w
	} else {
		db.Dialect = SQLite
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		db.DSN = path
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, err
			}
		}
		// busy_timeout first, so that setting WAL waits rather than fails
		// when another process holds the file.
		base := "file:" + (&url.URL{Path: path}).EscapedPath() +
			"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
		if db.w, err = sql.Open("sqlite", base+"&_txlock=immediate"); err != nil {
			return nil, err
		}
		db.w.SetMaxOpenConns(1)
		db.w.SetConnMaxLifetime(0)
		if db.r, err = sql.Open("sqlite", base+"&_pragma=query_only(1)"); err != nil {
			db.w.Close()
			return nil, err
		}
		// Keep every reader open: database/sql keeps two idle by default,
		// and reopening one re-reads the schema, which under concurrent
		// readers costs more than the queries.
		db.r.SetMaxOpenConns(8)
		db.r.SetMaxIdleConns(8)
		db.r.SetConnMaxLifetime(0)
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	// The writer creates a SQLite file and puts it in WAL mode. An existing
	// file is checked with a reader: a command that only reads (assess,
	// verify) then never opens the writer, whose opening costs as much as
	// its queries.
	ping := db.w
	if _, err := os.Stat(db.DSN); db.Dialect == SQLite && err == nil {
		ping = db.r
	}
	if err := ping.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", db.DSN, err)
	}
	return db, nil
}

// Close closes the connections.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		if err2 := db.r.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Stats returns the writer pool's statistics, for /metrics.
func (db *DB) Stats() sql.DBStats { return db.w.Stats() }

// Ping checks that the database answers, for /healthz.
func (db *DB) Ping(ctx context.Context) error { return db.w.PingContext(ctx) }

// Tx is a transaction with the time it started, the acting user, and the
// dialect to rebind its queries for.
type Tx struct {
	tx      *sql.Tx
	db      *DB
	ctx     context.Context
	now     time.Time
	actor   *csreview.User
	changed bool // an audit record was written
}

// begin starts a transaction; write transactions go to the single writer.
func (db *DB) begin(ctx context.Context, write bool) (*Tx, error) {
	pool := db.r
	opts := &sql.TxOptions{ReadOnly: !write}
	if write {
		pool = db.w
		opts = nil
	}
	if db.Dialect == SQLite {
		opts = nil // modernc's read-only option is not needed: the reader pool is query_only
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, mapError(err)
	}
	return &Tx{tx: tx, db: db, ctx: ctx, now: db.Now().UTC().Truncate(time.Microsecond), actor: csreview.UserFromContext(ctx)}, nil
}

// read runs fn in a read-only transaction.
func (db *DB) read(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return err
	}
	defer tx.tx.Rollback()
	return fn(tx)
}

// write runs fn in a write transaction and commits if fn returns nil: every
// change and its audit record are one unit, all or nothing.
func (db *DB) write(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return mapError(tx.tx.Commit())
}

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(tx.ctx, tx.db.rebind(query), args...)
	return res, mapError(err)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, tx.db.rebind(query), args...)
	return rows, mapError(err)
}

// ids returns the first column of every row of a query, as IDs.
func (tx *Tx) ids(query string, args ...any) ([]int64, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, mapError(err)
		}
		out = append(out, id)
	}
	return out, mapError(rows.Err())
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(tx.ctx, tx.db.rebind(query), args...)
}

// rebind turns "?" placeholders into PostgreSQL's "$n", leaving quoted text
// alone.
func (db *DB) rebind(q string) string {
	if db.Dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// mapError turns driver errors into csreview errors by their codes, never by
// message text: unique violations are ECONFLICT, foreign-key violations are
// ECONFLICT (something still refers to the row), no rows is ENOTFOUND.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "Not found.")
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return conflictErr(err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			return inUseErr(err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return conflictErr(err)
		case "23503":
			return inUseErr(err)
		}
	}
	return err
}

// conflictErr and inUseErr keep the driver error in the chain for the log.
func conflictErr(err error) error {
	return fmt.Errorf("%w [%v]", csreview.KeyErrorf(csreview.ECONFLICT, "err.duplicate",
		"Another record already has this identifying value."), err)
}

func inUseErr(err error) error {
	return fmt.Errorf("%w [%v]", csreview.KeyErrorf(csreview.ECONFLICT, "err.in_use",
		"The record is referred to by other records, or refers to one that does not exist."), err)
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// lookups the store makes often, each returning its error.

// operatorSectorOf returns an operator's sector.
func operatorSectorOf(tx *Tx, id int64) (csreview.Sector, error) {
	var s string
	if err := tx.queryRow(`SELECT sector FROM operators WHERE id = ?`, id).Scan(&s); err != nil {
		return "", notFound(err, "operator", id)
	}
	return csreview.Sector(s), nil
}

// versionOf returns a product version's version string.
func versionOf(tx *Tx, id int64) (string, error) {
	var v string
	if err := tx.queryRow(`SELECT version FROM product_versions WHERE id = ?`, id).Scan(&v); err != nil {
		return "", notFound(err, "version", id)
	}
	return v, nil
}

// countOf runs a COUNT query.
func countOf(tx *Tx, query string, args ...any) (int, error) {
	var n int
	if err := tx.queryRow(query, args...).Scan(&n); err != nil {
		return 0, mapError(err)
	}
	return n, nil
}
