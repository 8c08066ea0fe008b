package sqlstore

import (
	"context"

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
