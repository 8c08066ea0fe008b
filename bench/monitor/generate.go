package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/csreview/csreview/sqlstore"
)

// component is one row generate writes.
type component struct {
	Ecosystem, Name, Version, PURL, Supplier string
}

// generate writes a synthetic registry straight into a migrated database: a
// supplier, products of versions, and perVersion components in each
// version, as gen describes them. Rows go in with multi-row INSERTs in
// batches, each product its own transaction. It is benchmark set-up, so it
// lives here and not in the store; it writes the store's tables as
// migrated, and the store then reads them as its own.
func generate(ctx context.Context, dsn string, dialect sqlstore.Dialect, versions, perVersion int, gen func(v, i int) component) error {
	driver, source := "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
	if dialect == sqlstore.Postgres {
		driver, source = "pgx", dsn
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// bind turns ? into $n for PostgreSQL.
	bind := func(q string) string {
		if dialect != sqlstore.Postgres {
			return q
		}
		var b strings.Builder
		n := 0
		for _, r := range q {
			if r == '?' {
				n++
				fmt.Fprintf(&b, "$%d", n)
				continue
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	var supplierID int64
	if err := db.QueryRowContext(ctx, bind(`INSERT INTO suppliers (name_zh, country, registration_no, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), "基准测试供应商", "CN", "BENCH", now, now).Scan(&supplierID); err != nil {
		return fmt.Errorf("supplier: %w", err)
	}
	const perProduct = 10
	for v := 0; v < versions; v += perProduct {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := generateProduct(ctx, tx, bind, now, supplierID, v, min(v+perProduct, versions), perVersion, gen); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	analyze := `ANALYZE`
	if dialect == sqlstore.Postgres {
		analyze = `ANALYZE version_components`
	}
	_, err = db.ExecContext(ctx, analyze)
	return err
}

// generateProduct writes one product with versions [from, to).
func generateProduct(ctx context.Context, tx *sql.Tx, bind func(string) string, now string, supplierID int64, from, to, perVersion int,
	gen func(v, i int) component) error {
	var pid int64
	if err := tx.QueryRowContext(ctx, bind(`INSERT INTO products (supplier_id, name_zh, category, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), supplierID, fmt.Sprintf("基准产品 %d", from/10), "software", now, now).Scan(&pid); err != nil {
		return fmt.Errorf("product: %w", err)
	}
	for k := from; k < to; k++ {
		var vid int64
		if err := tx.QueryRowContext(ctx, bind(`INSERT INTO product_versions (product_id, version, created_at) VALUES (?, ?, ?) RETURNING id`),
			pid, fmt.Sprintf("%d.0", k), now).Scan(&vid); err != nil {
			return fmt.Errorf("version: %w", err)
		}
		const batch = 100
		for i := 0; i < perVersion; i += batch {
			n := min(batch, perVersion-i)
			args := make([]any, 0, n*7)
			for j := i; j < i+n; j++ {
				c := gen(k, j)
				args = append(args, vid, fmt.Sprint(j), c.Ecosystem, c.Name, c.Version, c.PURL, c.Supplier)
			}
			q := `INSERT INTO version_components (version_id, ref, ecosystem, name, version, purl, supplier) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", n), ", ")
			if _, err := tx.ExecContext(ctx, bind(q), args...); err != nil {
				return fmt.Errorf("components: %w", err)
			}
		}
	}
	return nil
}
