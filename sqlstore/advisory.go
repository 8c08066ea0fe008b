package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/internal/osvcompact"
	"github.com/csreview/csreview/internal/par"
)

// AdvisoryRow is an OSV record as stored: its identity, its modification
// time for incremental imports, and the packages it names, by ecosystem
// and normalised name.
type AdvisoryRow struct {
	ID        string
	Modified  string // RFC 3339, as the record gives it
	Withdrawn string
	Aliases   []string
	Summary   string
	Raw       []byte
	Packages  [][2]string // (ecosystem, normalised name)
	// Record is the parsed record, if the caller has it; else Raw is
	// parsed for monitoring.
	Record *advisory.Record
}

// RowOf is a parsed record as the store keeps it.
func RowOf(r *advisory.Record) *AdvisoryRow {
	row := &AdvisoryRow{ID: r.ID, Modified: r.Modified.UTC().Format(time.RFC3339Nano), Aliases: r.Aliases,
		Summary: r.Summary, Raw: r.Raw, Record: r}
	if r.IsWithdrawn() {
		row.Withdrawn = r.Withdrawn.UTC().Format(time.RFC3339Nano)
	}
	for _, a := range r.Affected {
		if a.Package.Name == "" {
			continue
		}
		row.Packages = append(row.Packages, [2]string{BaseEcosystem(a.Package.Ecosystem),
			advisory.NormalizeName(a.Package.Ecosystem, a.Package.Name)})
	}
	return row
}

// ImportStats counts what an import did.
type ImportStats struct {
	Read, Added, Updated, Unchanged, Withdrawn int
	// Monitor is what the added and changed records touched: alerts raised
	// on product versions, passed products and inventories.
	Monitor csreview.MonitorResult
}

// ImportAdvisories stores a batch of records in one transaction, each with
// its compact form: a record whose modified time is unchanged is skipped
// (only its compact form is written if it was stored without one, or with
// one of an older layout); a changed one replaces the stored one and its
// package index. Each added or changed record is matched against the
// registry's SBOM components at once, and raises its alerts in the same
// transaction. Only the office and admins (and the command line) import.
func (s *Store) ImportAdvisories(ctx context.Context, rows []*AdvisoryRow, st *ImportStats) error {
	if !csreview.CanImportAdvisories(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		ids := make([]any, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		stored, noCompact := map[string]string{}, map[string]bool{}
		for start := 0; start < len(ids); start += 500 {
			end := min(start+500, len(ids))
			marks := strings.TrimSuffix(strings.Repeat("?, ", end-start), ", ")
			// The first byte of a compact form is its layout's version.
			q, err := tx.query(`SELECT a.id, a.modified, substr(c.compact, 1, 1) FROM advisories a
				LEFT JOIN advisory_compact c ON c.advisory_id = a.id WHERE a.id IN (`+marks+`)`, ids[start:end]...)
			if err != nil {
				return err
			}
			for q.Next() {
				var id, mod string
				var head []byte
				if err := q.Scan(&id, &mod, &head); err != nil {
					q.Close()
					return mapError(err)
				}
				stored[id], noCompact[id] = mod, !osvcompact.IsCurrent(head)
			}
			q.Close()
		}
		var compacts []any // id, withdrawn, form, id…: written together after the loop
		for _, r := range rows {
			st.Read++
			if r.Withdrawn != "" {
				st.Withdrawn++
			}
			mod, ok := stored[r.ID]
			if ok && mod == r.Modified && !noCompact[r.ID] {
				st.Unchanged++
				continue
			}
			rec := r.Record
			if rec == nil {
				var err error
				if rec, err = advisory.ParseRecord(r.Raw); err != nil {
					return err
				}
			}
			compact := osvcompact.Encode(rec)
			unchanged := ok && mod == r.Modified // its compact form missing or old: only that is written
			switch {
			case unchanged:
				st.Unchanged++
			case ok:
				st.Updated++
				if _, err := tx.exec(`DELETE FROM advisory_packages WHERE advisory_id = ?`, r.ID); err != nil {
					return err
				}
				if _, err := tx.exec(`UPDATE advisories SET modified = ?, withdrawn = ?, aliases = ?, summary = ?, raw = ?, imported_at = ?
					WHERE id = ?`, r.Modified, r.Withdrawn, strings.Join(r.Aliases, " "), r.Summary, string(r.Raw),
					formatTime(tx.now), r.ID); err != nil {
					return err
				}
			default:
				st.Added++
				if _, err := tx.exec(`INSERT INTO advisories (id, modified, withdrawn, aliases, summary, raw, imported_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, r.Modified, r.Withdrawn, strings.Join(r.Aliases, " "), r.Summary,
					string(r.Raw), formatTime(tx.now)); err != nil {
					return err
				}
			}
			compacts = append(compacts, r.ID, r.Withdrawn, compact)
			if unchanged {
				continue
			}
			res, err := monitorAdvisory(tx, rec)
			if err != nil {
				return err
			}
			addResult(&st.Monitor, res)
			seen := map[[2]string]bool{}
			for _, p := range r.Packages {
				if seen[p] {
					continue
				}
				seen[p] = true
				if _, err := tx.exec(`INSERT INTO advisory_packages (advisory_id, ecosystem, name) VALUES (?, ?, ?)`,
					r.ID, p[0], p[1]); err != nil {
					return err
				}
			}
		}
		// The compact forms, 100 to a statement: one statement per record
		// had cost a tenth of the import.
		for start := 0; start < len(compacts); start += 300 {
			chunk := compacts[start:min(start+300, len(compacts))]
			marks := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(chunk)/3), ", ")
			if _, err := tx.exec(`INSERT INTO advisory_compact (advisory_id, withdrawn, compact) VALUES `+marks+`
				ON CONFLICT (advisory_id) DO UPDATE SET compact = excluded.compact, withdrawn = excluded.withdrawn`, chunk...); err != nil {
				return err
			}
		}
		return nil
	})
}

// StoredAdvisory is a stored record as the engine reads it: its compact
// form (internal/osvcompact), and its OSV JSON only when that form is
// missing.
type StoredAdvisory struct {
	ID           string
	Compact, Raw []byte
}

// Record returns the parsed record, from its compact form when that is
// current, else from its OSV JSON.
func (a StoredAdvisory) Record() (*advisory.Record, error) {
	if r, ok := osvcompact.Decode(a.Compact); ok {
		return r, nil
	}
	if len(a.Raw) == 0 {
		return nil, csreview.Errorf(csreview.EINTERNAL, "advisory %s: its compact form is unreadable and its OSV JSON was not read", a.ID)
	}
	return advisory.ParseRecord(a.Raw)
}

// AdvisoriesFor returns the records that name any of the packages,
// withdrawn ones left out, each package's in the order of their IDs: the
// candidates a matcher then checks version by version. It asks once per
// ecosystem, the names passed as one value (a JSON array on SQLite, an
// array on PostgreSQL): an SBOM of thousands of components costs a query
// per ecosystem, and a short one to prepare. The query reads the package
// index and the compact forms only; the OSV JSON of a record stored
// without a compact form, or with one of an older layout, is read by a
// second query.
func (s *Store) AdvisoriesFor(ctx context.Context, packages [][2]string) (map[[2]string][]StoredAdvisory, error) {
	out := map[[2]string][]StoredAdvisory{}
	byEco := map[string][]string{}
	for _, p := range packages {
		byEco[p[0]] = append(byEco[p[0]], p[1])
	}
	err := s.DB.read(ctx, func(tx *Tx) error {
		var bare []string // IDs of records stored without a compact form
		for eco, names := range byEco {
			list, in, err := s.listParam(names)
			if err != nil {
				return err
			}
			rows, err := tx.query(`SELECT ap.name, ap.advisory_id, c.compact
				FROM advisory_packages ap LEFT JOIN advisory_compact c ON c.advisory_id = ap.advisory_id
				WHERE ap.ecosystem = ? AND ap.name `+in+` AND COALESCE(c.withdrawn, '') = ''`, eco, list)
			if err != nil {
				return err
			}
			for rows.Next() {
				var name string
				var a StoredAdvisory
				if err := rows.Scan(&name, &a.ID, &a.Compact); err != nil {
					rows.Close()
					return mapError(err)
				}
				if !osvcompact.IsCurrent(a.Compact) { // none, or of an older layout
					a.Compact = nil
					bare = append(bare, a.ID)
				}
				k := [2]string{eco, name}
				out[k] = append(out[k], a)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return mapError(err)
			}
		}
		if len(bare) == 0 {
			return nil
		}
		// Their OSV JSON, withdrawn ones dropped.
		list, in, err := s.listParam(bare)
		if err != nil {
			return err
		}
		rows, err := tx.query(`SELECT id, withdrawn, raw FROM advisories WHERE id `+in, list)
		if err != nil {
			return err
		}
		raw, withdrawn := map[string][]byte{}, map[string]bool{}
		for rows.Next() {
			var id, w string
			var b []byte
			if err := rows.Scan(&id, &w, &b); err != nil {
				rows.Close()
				return mapError(err)
			}
			raw[id], withdrawn[id] = b, w != ""
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		for k, list := range out {
			kept := list[:0]
			for _, a := range list {
				if a.Compact == nil {
					if withdrawn[a.ID] {
						continue
					}
					a.Raw = raw[a.ID]
				}
				kept = append(kept, a)
			}
			out[k] = kept
		}
		return nil
	})
	for k, list := range out {
		if len(list) == 0 {
			delete(out, k)
			continue
		}
		slices.SortFunc(list, func(a, b StoredAdvisory) int { return strings.Compare(a.ID, b.ID) })
	}
	return out, err
}

// listParam passes a list of strings as one parameter, with the SQL that
// tests a value against it: a JSON array read by json_each on SQLite, an
// array on PostgreSQL.
func (s *Store) listParam(values []string) (list any, in string, err error) {
	if s.DB.Dialect == Postgres {
		return values, `= ANY(?)`, nil
	}
	b, err := json.Marshal(values)
	if err != nil {
		return nil, "", err
	}
	return string(b), `IN (SELECT value FROM json_each(?))`, nil
}

// CountAdvisories returns how many records are stored, and how many of
// them are withdrawn.
func (s *Store) CountAdvisories(ctx context.Context) (total, withdrawn int, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		return mapError(tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN withdrawn <> '' THEN 1 ELSE 0 END), 0) FROM advisories`).
			Scan(&total, &withdrawn))
	})
	return total, withdrawn, err
}

// AdvisoryDatabase describes the stored advisories: the records not
// withdrawn, how many name a package of each ecosystem, the newest
// record's modified time and the last import.
func (s *Store) AdvisoryDatabase(ctx context.Context) (*csreview.AdvisoryDB, error) {
	db := &csreview.AdvisoryDB{Ecosystems: map[string]int{}}
	err := s.DB.read(ctx, func(tx *Tx) error {
		var newest, last string
		if err := tx.queryRow(`SELECT COUNT(*), COALESCE(MAX(modified), ''), COALESCE(MAX(imported_at), '')
			FROM advisories WHERE withdrawn = ''`).Scan(&db.Records, &newest, &last); err != nil {
			return mapError(err)
		}
		db.NewestModified, _ = time.Parse(time.RFC3339Nano, newest)
		db.LastImport, _ = time.Parse(timeLayout, last)
		rows, err := tx.query(`SELECT ap.ecosystem, COUNT(DISTINCT ap.advisory_id) FROM advisory_packages ap
			JOIN advisories a ON a.id = ap.advisory_id WHERE a.withdrawn = '' GROUP BY ap.ecosystem`)
		if err != nil {
			return mapError(err)
		}
		defer rows.Close()
		for rows.Next() {
			var eco string
			var n int
			if err := rows.Scan(&eco, &n); err != nil {
				return mapError(err)
			}
			db.Ecosystems[eco] = n
		}
		return mapError(rows.Err())
	})
	return db, err
}

// BaseEcosystem drops an ecosystem's ":suffix" ("Debian:11" → "Debian"):
// the index keys packages by the base ecosystem, as matching does.
func BaseEcosystem(e string) string {
	base, _, _ := strings.Cut(e, ":")
	return base
}

// AdvisorySource serves the stored advisories to the assessment engine:
// the records naming a package, parsed once and kept for the source's
// lifetime (one assessment).
type AdvisorySource struct {
	s     *Store
	ctx   context.Context
	cache map[[2]string][]*advisory.Record
	byID  map[string]*advisory.Record
}

// AdvisorySource is NewAdvisorySource as the engine's source, for the
// analysis runner.
func (s *Store) AdvisorySource(ctx context.Context) assess.Source { return s.NewAdvisorySource(ctx) }

// NewAdvisorySource returns a source over the store.
func (s *Store) NewAdvisorySource(ctx context.Context) *AdvisorySource {
	return &AdvisorySource{s: s, ctx: ctx, cache: map[[2]string][]*advisory.Record{}, byID: map[string]*advisory.Record{}}
}

// Prefetch loads the candidates of many packages at once (ecosystem and
// name pairs as the components give them).
func (a *AdvisorySource) Prefetch(packages [][2]string) error {
	var keys [][2]string
	for _, p := range packages {
		k := [2]string{BaseEcosystem(p[0]), advisory.NormalizeName(p[0], p[1])}
		if _, ok := a.cache[k]; !ok {
			a.cache[k] = nil
			keys = append(keys, k)
		}
	}
	raw, err := a.s.AdvisoriesFor(a.ctx, keys)
	if err != nil {
		return err
	}
	// Parse each record not yet parsed, on every core.
	var todo []StoredAdvisory
	seen := map[string]bool{}
	for _, list := range raw {
		for _, sa := range list {
			if _, done := a.byID[sa.ID]; !done && !seen[sa.ID] {
				seen[sa.ID] = true
				todo = append(todo, sa)
			}
		}
	}
	recs := make([]*advisory.Record, len(todo))
	errs := make([]error, len(todo))
	par.Each(len(todo), func(i int) { recs[i], errs[i] = todo[i].Record() })
	for i, sa := range todo {
		if errs[i] != nil {
			return errs[i]
		}
		a.byID[sa.ID] = recs[i]
	}
	for k, list := range raw {
		for _, sa := range list {
			a.cache[k] = append(a.cache[k], a.byID[sa.ID])
		}
	}
	return nil
}

// parse parses a record once, however many packages it names.
func (a *AdvisorySource) parse(sa StoredAdvisory) (*advisory.Record, error) {
	if r, ok := a.byID[sa.ID]; ok {
		return r, nil
	}
	r, err := sa.Record()
	if err != nil {
		return nil, err
	}
	a.byID[sa.ID] = r
	return r, nil
}

// Records returns the stored, not withdrawn records with these IDs, for
// the engine to rate a vulnerability by an alias record
// (assess.Resolver). Records already parsed are not read again.
func (a *AdvisorySource) Records(ids []string) ([]*advisory.Record, error) {
	var out []*advisory.Record
	var want []string
	for _, id := range ids {
		if r, ok := a.byID[id]; ok {
			out = append(out, r)
		} else {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	raw, err := a.s.AdvisoriesByID(a.ctx, want)
	if err != nil {
		return nil, err
	}
	for _, sa := range raw {
		r, err := a.parse(sa)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// AdvisoriesByID returns the stored, not withdrawn records with these IDs,
// in the order of their IDs; IDs not stored are left out.
func (s *Store) AdvisoriesByID(ctx context.Context, ids []string) ([]StoredAdvisory, error) {
	var out []StoredAdvisory
	err := s.DB.read(ctx, func(tx *Tx) error {
		list, in, err := s.listParam(ids)
		if err != nil {
			return err
		}
		rows, err := tx.query(`SELECT a.id, c.compact, CASE WHEN c.compact IS NULL THEN a.raw ELSE '' END
			FROM advisories a LEFT JOIN advisory_compact c ON c.advisory_id = a.id
			WHERE a.id `+in+` AND a.withdrawn = '' ORDER BY a.id`, list)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sa StoredAdvisory
			var raw string
			if err := rows.Scan(&sa.ID, &sa.Compact, &raw); err != nil {
				return mapError(err)
			}
			if !osvcompact.IsCurrent(sa.Compact) {
				sa.Compact = nil
			}
			sa.Raw = []byte(raw)
			out = append(out, sa)
		}
		return mapError(rows.Err())
	})
	return out, err
}

// Candidates returns the stored, not withdrawn records naming the package.
func (a *AdvisorySource) Candidates(ecosystem, name string) ([]*advisory.Record, error) {
	key := [2]string{BaseEcosystem(ecosystem), advisory.NormalizeName(ecosystem, name)}
	if recs, ok := a.cache[key]; ok {
		return recs, nil
	}
	raw, err := a.s.AdvisoriesFor(a.ctx, [][2]string{key})
	if err != nil {
		return nil, err
	}
	var recs []*advisory.Record
	for _, b := range raw[key] {
		r, err := a.parse(b)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	a.cache[key] = recs
	return recs, nil
}
