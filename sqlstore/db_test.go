package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/sqlstore/sqltest"
)

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
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		fn(t, openDB(t, dsn))
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
