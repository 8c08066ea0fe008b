package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/csreview/csreview/sqlstore"
)

func TestMigrations(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// TestMigrateLegacyStates: a database written before the penalty procedure
// and the engine's actions keeps its records: a dismissed enforcement
// record is closed, a rectified one stays ordered, and a 2017 case the
// review committee held goes to the office's decision (migrations 0011,
// 0012), on both engines.
func TestMigrateLegacyStates(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if err := db.MigrateUpTo(ctx, 10); err != nil {
			t.Fatal(err)
		}
		const ts = "2025-01-01T00:00:00Z"
		for _, q := range []string{
			`INSERT INTO suppliers (id, name_zh, country, created_at, updated_at) VALUES (1, '甲', 'CN', '` + ts + `', '` + ts + `')`,
			`INSERT INTO products (id, supplier_id, name_zh, category, created_at, updated_at) VALUES (1, 1, '产品', 'database', '` + ts + `', '` + ts + `')`,
			`INSERT INTO product_versions (id, product_id, version, created_at) VALUES (1, 1, '1.0', '` + ts + `')`,
			`INSERT INTO operators (id, name_zh, uscc, sector, created_at, updated_at) VALUES (1, '乙', '91110000000000000X', 'finance', '` + ts + `', '` + ts + `')`,
			`INSERT INTO inventory (id, operator_id, product_id, version_id, system, sector, stage, created_at, updated_at) VALUES (1, 1, 1, 1, 's', 'finance', 'in_use', '` + ts + `', '` + ts + `')`,
			`INSERT INTO inventory (id, operator_id, product_id, version_id, system, sector, stage, created_at, updated_at) VALUES (2, 1, 1, 1, 't', 'finance', 'in_use', '` + ts + `', '` + ts + `')`,
			`INSERT INTO enforcement (id, ref, inventory_id, operator_id, product_id, version_id, sector, regime, finding, amount, fine_min, fine_max,
				person_min, person_max, basis_json, state, opened_on, created_at, updated_at) VALUES
				(1, 'ENF-2025-0001', 1, 1, 1, 1, 'finance', 'cac-2021', 'not_reviewed', 1, 1, 10, 10000, 100000, '[]', 'dismissed', '2025-01-01', '` + ts + `', '` + ts + `'),
				(2, 'ENF-2025-0002', 2, 1, 1, 1, 'finance', 'cac-2021', 'not_reviewed', 1, 1, 10, 10000, 100000, '[]', 'rectified', '2025-01-01', '` + ts + `', '` + ts + `')`,
			`INSERT INTO cases (id, ref, regime, channel, state, title, supplier_id, filed_on, created_at, updated_at) VALUES
				(1, 'CSR-2019-0001', 'cac-2017-trial', 'office_ex_officio', 'committee', '审查', 1, '2019-06-03', '` + ts + `', '` + ts + `')`,
		} {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]string{
			`SELECT state FROM enforcement WHERE id = 1`:          "closed",
			`SELECT state FROM enforcement WHERE id = 2`:          "ordered",
			`SELECT state FROM cases WHERE id = 1`:                "decision",
			`SELECT procedure_json FROM enforcement WHERE id = 2`: "{}",
		} {
			var got string
			if err := rawDB(t, db).QueryRow(q).Scan(&got); err != nil || got != want {
				t.Errorf("%s: %q %v, want %q", q, got, err, want)
			}
		}
	})
}
