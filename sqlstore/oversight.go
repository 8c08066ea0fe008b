package sqlstore

import (
	"context"
	"time"

	"github.com/csreview/csreview"
)

var _ csreview.OversightService = (*Store)(nil)

// OversightStats computes a sector's figures: a regulator gets its own
// sector whatever it asks; the office, admins and member units any sector
// or all ("").
func (s *Store) OversightStats(ctx context.Context, sector csreview.Sector, months int) (*csreview.OversightStats, error) {
	u := actor(ctx)
	switch sc := csreview.StatsScope(u); {
	case sc.None:
		return nil, forbidOrUnauth(ctx)
	case sc.Sector != "":
		sector = sc.Sector
	}
	months = min(max(months, 1), 36)
	st := &csreview.OversightStats{Sector: sector, Inventory: map[string]int{}, Checks: map[string]int{}, Enforcement: map[string]int{}}
	err := s.DB.read(ctx, func(tx *Tx) error {
		sec := func(col string) (string, []any) {
			if sector == "" {
				return "1 = 1", nil
			}
			return col + " = ?", []any{string(sector)}
		}
		c, a := sec("sector")
		if err := tx.queryRow(`SELECT COUNT(*) FROM operators WHERE cii = ? AND `+c, append([]any{true}, a...)...).Scan(&st.Operators); err != nil {
			return mapError(err)
		}
		// Inventory by status, as the state sees it.
		entries, _, err := inventory.list(tx, where{conds: []string{"stage <> ?", c}, args: append([]any{csreview.StageRetired}, a...)},
			"id", csreview.Page{Limit: 1 << 30})
		if err != nil {
			return err
		}
		sys := tx.asSystem()
		for _, e := range entries {
			version, err := versionOf(tx, e.VersionID)
			if err != nil {
				return err
			}
			f, err := versionStatus(sys, e.VersionID, version, e.ProductID, e.OperatorID, false)
			if err != nil {
				return err
			}
			st.Inventory[f.status]++
		}
		count := func(m map[string]int, q string, args ...any) error {
			rows, err := tx.query(q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var k string
				var n int
				if err := rows.Scan(&k, &n); err != nil {
					return mapError(err)
				}
				m[k] = n
			}
			return mapError(rows.Err())
		}
		if err := count(st.Checks, `SELECT verdict, COUNT(*) FROM procurement_checks WHERE `+c+` GROUP BY verdict`, a...); err != nil {
			return err
		}
		if err := count(st.Enforcement, `SELECT state, COUNT(*) FROM enforcement WHERE `+c+` GROUP BY state`, a...); err != nil {
			return err
		}
		oc, oa := sec("o.sector")
		alertsIn := `SELECT DISTINCT ao.alert_id FROM alert_operators ao JOIN operators o ON o.id = ao.operator_id WHERE ` + oc
		if sector == "" {
			alertsIn = `SELECT id FROM alerts`
		}
		if err := tx.queryRow(`SELECT COUNT(*) FROM alerts WHERE state IN (?, ?) AND id IN (`+alertsIn+`)`,
			append([]any{csreview.AlertOpen, csreview.AlertAcknowledged}, oa...)...).Scan(&st.Alerts); err != nil {
			return mapError(err)
		}
		// Trends: month by month, in Beijing time.
		now := tx.now.In(beijing)
		first := time.Date(now.Year(), now.Month()-time.Month(months-1), 1, 0, 0, 0, 0, beijing)
		idx := map[string]int{}
		for i := 0; i < months; i++ {
			m := first.AddDate(0, i, 0).Format("2006-01")
			idx[m] = i
			st.Months = append(st.Months, csreview.MonthStats{Month: m, Checks: map[string]int{}})
		}
		since := formatTime(first)
		each := func(q string, args []any, fn func(m *csreview.MonthStats, key string)) error {
			rows, err := tx.query(q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var at, key string
				if err := rows.Scan(&at, &key); err != nil {
					return mapError(err)
				}
				t, err := parseTime(at)
				if err != nil {
					return err
				}
				if i, ok := idx[t.In(beijing).Format("2006-01")]; ok {
					fn(&st.Months[i], key)
				}
			}
			return mapError(rows.Err())
		}
		if err := each(`SELECT at, verdict FROM procurement_checks WHERE at >= ? AND `+c, append([]any{since}, a...),
			func(m *csreview.MonthStats, k string) { m.Checks[k]++ }); err != nil {
			return err
		}
		if err := each(`SELECT at, kind FROM alerts WHERE at >= ? AND id IN (`+alertsIn+`)`, append([]any{since}, oa...),
			func(m *csreview.MonthStats, _ string) { m.Alerts++ }); err != nil {
			return err
		}
		return each(`SELECT created_at, state FROM enforcement WHERE created_at >= ? AND `+c, append([]any{since}, a...),
			func(m *csreview.MonthStats, _ string) { m.Enforcement++ })
	})
	return st, err
}
