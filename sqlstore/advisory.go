package sqlstore

import (
	"context"
	"strings"

	"github.com/csreview/csreview"
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
}

// ImportStats counts what an import did.
type ImportStats struct {
	Read, Added, Updated, Unchanged, Withdrawn int
}

// ImportAdvisories stores a batch of records in one transaction: a record
// whose modified time is unchanged is skipped; a changed one replaces the
// stored one and its package index. Only the office and admins (and the
// command line) import.
func (s *Store) ImportAdvisories(ctx context.Context, rows []*AdvisoryRow, st *ImportStats) error {
	if !actor(ctx).Is(csreview.RoleAdmin, csreview.RoleOffice) {
		return forbidOrUnauth(ctx)
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		ids := make([]any, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		stored := map[string]string{}
		for start := 0; start < len(ids); start += 500 {
			end := min(start+500, len(ids))
			marks := strings.TrimSuffix(strings.Repeat("?, ", end-start), ", ")
			q, err := tx.query(`SELECT id, modified FROM advisories WHERE id IN (`+marks+`)`, ids[start:end]...)
			if err != nil {
				return err
			}
			for q.Next() {
				var id, mod string
				if err := q.Scan(&id, &mod); err != nil {
					q.Close()
					return mapError(err)
				}
				stored[id] = mod
			}
			q.Close()
		}
		for _, r := range rows {
			st.Read++
			if r.Withdrawn != "" {
				st.Withdrawn++
			}
			mod, ok := stored[r.ID]
			switch {
			case ok && mod == r.Modified:
				st.Unchanged++
				continue
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
		return nil
	})
}

// AdvisoriesFor returns the raw records that name any of the packages,
// withdrawn ones left out: the candidates a matcher then checks version by
// version.
func (s *Store) AdvisoriesFor(ctx context.Context, packages [][2]string) (map[[2]string][][]byte, error) {
	out := map[[2]string][][]byte{}
	err := s.DB.read(ctx, func(tx *Tx) error {
		for _, p := range packages {
			rows, err := tx.query(`SELECT a.raw FROM advisory_packages ap JOIN advisories a ON a.id = ap.advisory_id
				WHERE ap.ecosystem = ? AND ap.name = ? AND a.withdrawn = '' ORDER BY a.id`, p[0], p[1])
			if err != nil {
				return err
			}
			for rows.Next() {
				var raw string
				if err := rows.Scan(&raw); err != nil {
					rows.Close()
					return mapError(err)
				}
				out[p] = append(out[p], []byte(raw))
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
	return out, err
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
