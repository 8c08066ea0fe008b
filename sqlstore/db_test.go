package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// postgresEnv names the variable holding the DSN of a PostgreSQL database the
// suite may create schemas in. CI sets it (see test.sh).
const postgresEnv = "CSREVIEW_TEST_POSTGRES"

func TestMain(m *testing.M) {
	// Hashes store their own argon2 parameters, so cheap ones verify exactly
	// as the defaults do; the defaults (19 MiB, t=2) would make every
	// CreateUser and Authenticate here cost tens of milliseconds, far more
	// under -race.
	csreview.DefaultArgon2 = csreview.Argon2Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

// rawDSNs maps each test DB to the DSN it was opened with, so that tests can
// look at its tables behind the store's back (rawDB).
var rawDSNs sync.Map

// forEachDB runs fn as the subtests "sqlite" and "postgres", each on a new,
// migrated, empty database of its own: SQLite in a temp file always,
// PostgreSQL in a fresh schema of $CSREVIEW_TEST_POSTGRES when it is set.
func forEachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	forEachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		fn(t, db)
	})
}

// forEachEngine is forEachDB without the migrations.
func forEachEngine(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, openDB(t, filepath.Join(t.TempDir(), "csreview.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(postgresEnv)
		if base == "" {
			t.Skip(postgresEnv + " not set: PostgreSQL suite skipped")
		}
		fn(t, openDB(t, postgresSchema(t, base)))
	})
}

// openDB opens the store at dsn and closes it when the test ends.
func openDB(t *testing.T, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	rawDSNs.Store(db, dsn)
	t.Cleanup(func() {
		rawDSNs.Delete(db)
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// postgresSchema creates a schema of its own for the test in the database
// at base, drops it when the test ends, and returns base with search_path set
// to it (pgx passes unknown URL parameters to the server as run-time
// parameters), so that tests never see each other's tables.
func postgresSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", postgresEnv, err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema (is %s a PostgreSQL DSN?): %v", postgresEnv, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// rawDB opens a second, plain connection to db's database, for checks on
// what is actually stored. Queries on it must not use placeholders, which
// differ between the engines.
func rawDB(t *testing.T, db *sqlstore.DB) *sql.DB {
	t.Helper()
	dsn, ok := rawDSNs.Load(db)
	if !ok {
		t.Fatal("rawDB: db not opened by openDB")
	}
	driver := "sqlite"
	if db.Dialect == sqlstore.Postgres {
		driver = "pgx"
	}
	r, err := sql.Open(driver, dsn.(string))
	if err != nil {
		t.Fatalf("rawDB: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// countRows returns the number of rows of table.
func countRows(t *testing.T, db *sqlstore.DB, table string) int {
	t.Helper()
	var n int
	if err := rawDB(t, db).QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}
