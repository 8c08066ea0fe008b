// Package sqltest gives tests a database of their own on each engine: a
// SQLite file always, and a fresh PostgreSQL schema when the environment
// names a server (CSREVIEW_TEST_POSTGRES), so the same tests prove the
// store on both.
package sqltest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/csreview/csreview/internal/testenv"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// PostgresEnv names the variable holding the PostgreSQL test server's DSN.
const PostgresEnv = "CSREVIEW_TEST_POSTGRES"

// ForEachEngine runs fn as the subtests "sqlite" and "postgres", each with
// the DSN of an empty database of its own. Without a PostgreSQL server the
// "postgres" subtest is skipped, saying so.
func ForEachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, SQLiteDSN(t))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, PostgresDSN(t))
	})
}

// SQLiteDSN returns the path of a new SQLite database in a temp dir.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "csreview.db")
}

// PostgresDSN creates a schema of its own for the test on the server named
// by PostgresEnv, drops it when the test ends, and returns the DSN with
// search_path set to it (pgx passes unknown URL parameters to the server as
// run-time parameters), so that tests never see each other's tables. It
// skips the test when no server is named.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		testenv.Skip(t, PostgresEnv+" not set: no PostgreSQL server")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema (is %s a PostgreSQL DSN?): %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
