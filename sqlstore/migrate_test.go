package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/csreview/csreview/sqlstore"
)

func TestMigrations(t *testing.T) {
	ms, err := sqlstore.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range ms {
		if i > 0 && m.Version <= ms[i-1].Version {
			t.Errorf("migration %s does not come after %s", m.Name, ms[i-1].Name)
		}
		if strings.TrimSpace(m.SQL) == "" {
			t.Errorf("migration %s is empty", m.Name)
		}
	}
}

func TestMigrate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		ms, err := sqlstore.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, m := range ms {
			all = append(all, m.Name)
		}

		t.Run("EmptyDB", func(t *testing.T) {
			applied, err := db.Migrate(ctx)
			if err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			if got, want := applied, all; !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			if got, want := countRows(t, db, "schema_migrations"), len(ms); got != want {
				t.Fatalf("got %v, want %v", got, want)
			}
			// Every table the store uses exists and is empty.
			for _, table := range []string{"suppliers", "products", "product_versions", "operators",
				"bodies", "users", "sessions", "api_tokens", "audit_log"} {
				if got, want := countRows(t, db, table), 0; got != want {
					t.Fatalf("%s: got %v rows, want %v", table, got, want)
				}
			}
		})

		t.Run("Again", func(t *testing.T) {
			applied, err := db.Migrate(ctx)
			if err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			if got, want := len(applied), 0; got != want {
				t.Fatalf("got %v applied (%v), want %v", got, applied, want)
			}
		})

		t.Run("Reopened", func(t *testing.T) {
			dsn, _ := rawDSNs.Load(db)
			db2 := openDB(t, dsn.(string))
			applied, err := db2.Migrate(ctx)
			if err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			if got, want := len(applied), 0; got != want {
				t.Fatalf("got %v applied (%v), want %v", got, applied, want)
			}
			if got, want := countRows(t, db, "schema_migrations"), len(ms); got != want {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	})
}
