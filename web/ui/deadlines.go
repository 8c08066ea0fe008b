package ui

import (
	"net/http"
	"sort"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/web/internal/site"
)

// The deadline cockpit: every running clock of every open case the
// reader may see, nearest due first, with its pause and the escalation
// at 3 and 1 working days left.

// escalateAt are the working days left at which a clock is flagged: 3
// (soon) and 1 (today or tomorrow).
var escalateAt = [2]int{3, 1}

type deadlineRow struct {
	Case   *csreview.Case
	Clock  regime.Clock
	Pack   *regime.Pack
	Status review.ClockStatus
	// Level is overdue, due1 (1 working day or less), due3 (3 or less) or
	// "" (more time).
	Level string
	Note  string // why the due date is provisional, in the reader's language
}

type deadlinesData struct {
	Rows                     []deadlineRow
	Overdue, Due1, Due3, All int
	Today                    csreview.Date
}

func (s *surface) deadlines(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tr := s.I18n.For(r)
	today := csreview.DateOf(s.Now().In(site.Shanghai))
	d := deadlinesData{Today: today}
	clocks, err := s.RunningClocks(ctx, today)
	if err != nil {
		return err
	}
	for _, rc := range clocks {
		p := s.Rules.Packs[rc.Case.Regime]
		if p == nil {
			continue
		}
		st := rc.Status
		def, _ := p.Clock(st.Clock)
		row := deadlineRow{Case: rc.Case, Clock: def, Pack: p, Status: st, Note: tr.Provisional(st)}
		switch {
		case st.Overdue:
			row.Level = "overdue"
			d.Overdue++
		case !st.Paused && st.Remaining <= escalateAt[1]:
			row.Level = "due1"
			d.Due1++
		case !st.Paused && st.Remaining <= escalateAt[0]:
			row.Level = "due3"
			d.Due3++
		}
		d.Rows = append(d.Rows, row)
	}
	d.All = len(d.Rows)
	sort.SliceStable(d.Rows, func(i, j int) bool {
		a, b := d.Rows[i].Status, d.Rows[j].Status
		if a.Paused != b.Paused {
			return !a.Paused
		}
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		return d.Rows[i].Case.Ref < d.Rows[j].Case.Ref
	})
	return s.Render(w, http.StatusOK, "deadlines", s.NewPage(r, "deadlines.title", d))
}
