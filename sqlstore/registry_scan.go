package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
)

// Registry-wide matching, for re-matching everything after a change of
// rules and for the monitoring benchmark (bench/monitor).

// AffectedBy returns the product versions an advisory touches, with their
// components: what monitoring does on import, without raising alerts.
func (db *DB) AffectedBy(ctx context.Context, rec *advisory.Record) (map[int64][]string, error) {
	var h hits
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		h, err = advisoryHits(tx, rec)
		return err
	})
	return h, err
}

// ScanComponents reads every row of the component table, as a full scan,
// and returns how many it read: the bound the re-match is measured
// against.
func (db *DB) ScanComponents(ctx context.Context) (int, error) {
	n := 0
	err := db.eachComponent(ctx, func(int64, string, string, string) { n++ })
	return n, err
}

// eachComponent calls fn for every row of the component table.
func (db *DB) eachComponent(ctx context.Context, fn func(versionID int64, eco, name, version string)) error {
	return db.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT version_id, ecosystem, name, version, purl FROM version_components`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var vid int64
		var eco, name, version, purl string
		for rows.Next() {
			if err := rows.Scan(&vid, &eco, &name, &version, &purl); err != nil {
				return mapError(err)
			}
			fn(vid, eco, name, version)
		}
		return mapError(rows.Err())
	})
}

// Rematch matches every component of the registry against the records, in
// one scan of the component table with the records indexed in memory by
// base ecosystem and normalised name; it returns the (version, advisory)
// pairs found.
func (db *DB) Rematch(ctx context.Context, recs []*advisory.Record) (map[int64][]string, int, error) {
	index := map[[2]string][]*advisory.Record{}
	for _, r := range recs {
		if r.IsWithdrawn() {
			continue
		}
		seen := map[[2]string]bool{}
		for _, a := range r.Affected {
			k := [2]string{BaseEcosystem(a.Package.Ecosystem), advisory.NormalizeName(a.Package.Ecosystem, a.Package.Name)}
			if a.Package.Name != "" && !seen[k] {
				seen[k] = true
				index[k] = append(index[k], r)
			}
		}
	}
	out := map[int64][]string{}
	// The same component at the same version recurs across many product
	// versions: match each (ecosystem, name, version) once.
	memo := map[[3]string][]string{}
	scanned := 0
	var matcher advisory.Matcher // each version parsed once
	err := db.eachComponent(ctx, func(vid int64, eco, name, version string) {
		scanned++
		cands := index[[2]string{BaseEcosystem(eco), name}]
		if len(cands) == 0 || version == "" {
			return
		}
		key := [3]string{eco, name, version}
		ids, done := memo[key]
		if !done {
			for _, r := range cands {
				if ok, _ := matcher.Affects(r, eco, name, version); ok {
					ids = append(ids, r.ID)
				}
			}
			memo[key] = ids
		}
		out[vid] = append(out[vid], ids...)
	})
	return out, scanned, err
}

// GeneratedComponent is one row GenerateRegistry writes.
type GeneratedComponent struct {
	Ecosystem, Name, Version, PURL, Supplier string
}

// GenerateRegistry writes a synthetic registry for benchmarks: a supplier,
// products of versions, and perVersion components in each version, as gen
// describes them. Rows go in with multi-row INSERTs in batches, each batch
// its own transaction.
func (db *DB) GenerateRegistry(ctx context.Context, versions, perVersion int, gen func(v, i int) GeneratedComponent) error {
	ctx = csreview.NewContextWithUser(ctx, csreview.SystemUser("bench"))
	var supplierID int64
	err := db.write(ctx, func(tx *Tx) error {
		return mapError(tx.queryRow(`INSERT INTO suppliers (name_zh, country, registration_no, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, "基准测试供应商", "CN", "BENCH", formatTime(tx.now), formatTime(tx.now)).Scan(&supplierID))
	})
	if err != nil {
		return err
	}
	const perProduct = 10
	for v := 0; v < versions; v += perProduct {
		err := db.write(ctx, func(tx *Tx) error {
			var pid int64
			if err := tx.queryRow(`INSERT INTO products (supplier_id, name_zh, category, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
				RETURNING id`, supplierID, fmt.Sprintf("基准产品 %d", v/perProduct), "software", formatTime(tx.now), formatTime(tx.now)).Scan(&pid); err != nil {
				return mapError(err)
			}
			for k := v; k < min(v+perProduct, versions); k++ {
				var vid int64
				if err := tx.queryRow(`INSERT INTO product_versions (product_id, version, created_at) VALUES (?, ?, ?) RETURNING id`,
					pid, fmt.Sprintf("%d.0", k), formatTime(tx.now)).Scan(&vid); err != nil {
					return mapError(err)
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
					if _, err := tx.exec(q, args...); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if db.Dialect == Postgres {
		return db.write(ctx, func(tx *Tx) error { _, err := tx.exec(`ANALYZE version_components`); return err })
	}
	return db.write(ctx, func(tx *Tx) error { _, err := tx.exec(`ANALYZE`); return err })
}
