// Package enforce is the procedure of an enforcement record (DESIGN §6): the
// orders of the Cybersecurity Law's penalty for using a product that was not
// reviewed or failed, and the steps the Administrative Penalty Law sets
// before and at a fine — the notice of the intended penalty, the party's
// statement and defence, a hearing where the law grants one, and the
// decision with the party's remedies. It is pure: the store loads the record
// and the facts, this package decides the step, the store writes it.
package enforce

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// Facts are what a step needs beside the record.
type Facts struct {
	// On is the day of the step; the laws are cited as in force that day.
	On  csreview.Date
	Cal *regime.Calendar
	// HearingThreshold is the smallest intended fine on the operator that
	// counts as a "fine of a large amount" giving the right to a hearing
	// (Administrative Penalty Law Art. 63(1)). The amount is set by the
	// rules of each region and department, so it is configuration; 0
	// grants the right for every fine.
	HearingThreshold int64
}

func invalid(field, rule string, param ...string) error {
	var v csreview.Invalid
	v.Add(field, rule, param...)
	return v.Err()
}

func cite(law, provision string, on csreview.Date) csreview.Basis {
	t := regime.LawText(law, provision, on)
	return csreview.Basis{Regime: law, Item: provision, Cite: regime.LawCite(law, provision, on),
		Text: csreview.Text{ZH: t.Text.ZH, EN: t.Text.EN}}
}

// Apply takes the record e a step on, in place: it checks that the step is
// allowed from e's state and carries what the step must record, and fills
// the procedure with the step's facts and the rules it rests on.
func Apply(e *csreview.Enforcement, st csreview.EnforcementStep, f Facts) error {
	if !slices.Contains(csreview.EnforcementMoves(e.State), st.To) {
		return invalid("to", "not_allowed_from", e.State)
	}
	p := &e.Procedure
	on := f.On
	switch st.To {
	case csreview.EnfOrdered:
		// The orders are those of the penalty provision in force on the day
		// of the order (CSL Art. 65; Art. 67 from 2026-01-01).
		pen := regime.LawText("csl", "cii_review_penalty", on)
		p.Orders, p.OrderedOn = append([]string(nil), pen.Orders...), on
		if slices.Contains(p.Orders, "rectify") {
			// 限期改正: a time limit is part of the order.
			if !st.RectifyBy.Valid() || !on.Before(st.RectifyBy) {
				return invalid("rectify_by", "required_after", string(on))
			}
			p.RectifyBy = st.RectifyBy
		}
		p.Basis = append(p.Basis, cite("csl", "cii_review_penalty", on))
	case csreview.EnfNotified:
		// Administrative Penalty Law Art. 44: the intended penalty, its
		// facts, reasons and basis, and the party's rights.
		if err := checkFines(e, st.Fine, st.PersonFine); err != nil {
			return err
		}
		if strings.TrimSpace(st.Note) == "" {
			return invalid("note", "required") // the facts and reasons told to the party
		}
		p.NotifiedOn, p.IntendedFine, p.IntendedPerson = on, st.Fine, st.PersonFine
		// Art. 63(1): a fine of a large amount gives the right to a hearing;
		// Art. 64(1): it is asked for within five days of the notice, working
		// days by Art. 85.
		p.HearingRight = st.Fine >= f.HearingThreshold
		if p.HearingRight {
			p.HearingBy = f.Cal.AddWorkdays(on, 5)
			p.HearingByProvisional = f.Cal.Provisional(on, p.HearingBy)
		}
		p.Basis = append(p.Basis, cite("apl", "prior_notice", on), cite("apl", "statement_defence", on))
		if p.HearingRight {
			p.Basis = append(p.Basis, cite("apl", "hearing_right", on), cite("apl", "hearing_procedure", on), cite("apl", "working_days", on))
		}
	case csreview.EnfHeard:
		// Art. 45: the authority hears the party fully; Art. 62: no decision
		// until it has, unless the party waived.
		if st.HearingRequested && !p.HearingRight {
			return invalid("hearing_requested", "no_hearing_right")
		}
		// A request recorded here is one the party made within the five
		// working days (the office records it as received).
		p.HearingRequested = p.HearingRequested || st.HearingRequested
		if p.HearingRequested && !st.HearingHeld {
			return invalid("hearing_held", "required") // Art. 63: the hearing must be held
		}
		statement := strings.TrimSpace(st.Statement)
		if statement == "" && !st.Waived && !st.HearingHeld {
			return invalid("statement", "required")
		}
		if !p.HearingRequested && p.HearingRight && !st.Waived && on.Before(p.HearingBy) && !st.HearingHeld {
			// The party may still ask for a hearing until the time runs out.
			return invalid("on", "before_hearing_deadline", string(p.HearingBy))
		}
		p.HeardOn, p.Statement, p.Waived, p.HearingHeld = on, statement, st.Waived, st.HearingHeld
		p.Basis = append(p.Basis, cite("apl", "no_decision_unheard", on))
	case csreview.EnfPenalised:
		if err := checkFines(e, st.Fine, st.PersonFine); err != nil {
			return err
		}
		// Art. 45: no heavier penalty for having stated a case.
		if st.Fine > p.IntendedFine || st.PersonFine > p.IntendedPerson {
			return invalid("fine", "above_intended", formatYuan(p.IntendedFine))
		}
		p.DecidedOn, p.Fine, p.PersonFine = on, st.Fine, st.PersonFine
		p.ReconsiderBy, p.SueBy = remedies(f.Cal, on)
		p.RemediesProvisional = f.Cal.Provisional(on, p.SueBy)
		p.Basis = append(p.Basis, cite("apl", "decision_document", on), cite("arl", "time_limit", on), cite("all", "direct_suit", on))
	case csreview.EnfNotPenalised:
		if !slices.Contains(csreview.NoFineProvisions, st.NoFine) {
			return invalid("no_fine", "not_allowed", strings.Join(csreview.NoFineProvisions, ", "))
		}
		if strings.TrimSpace(st.Note) == "" {
			return invalid("note", "required")
		}
		p.DecidedOn, p.NoFine = on, st.NoFine
		p.Basis = append(p.Basis, cite("apl", st.NoFine, on))
	case csreview.EnfClosed:
		if p.DecidedOn == "" {
			return invalid("to", "no_decision")
		}
	}
	if p.DecideBy == "" && e.OpenedOn.Valid() {
		// Art. 60: the decision within 90 days of opening the case.
		p.DecideBy = csreview.DateOf(e.OpenedOn.Time().AddDate(0, 0, 90))
	}
	e.State = st.To
	if st.To == csreview.EnfClosed {
		e.ClosedOn = on
	}
	return nil
}

// checkFines holds the fines within the law's range: one to ten times the
// purchase amount on the operator, 10,000 to 100,000 yuan on each
// responsible person (CSL Art. 65/67; CII Regulations Art. 41).
func checkFines(e *csreview.Enforcement, fine, person int64) error {
	var v csreview.Invalid
	if fine < e.FineMin || fine > e.FineMax || fine <= 0 {
		v.Add("fine", "out_of_range", formatYuan(e.FineMin)+"–"+formatYuan(e.FineMax))
	}
	if person != 0 && (person < e.PersonMin || person > e.PersonMax) {
		v.Add("person_fine", "out_of_range", formatYuan(e.PersonMin)+"–"+formatYuan(e.PersonMax))
	}
	return v.Err()
}

// remedies are the last days for the party's remedies against a decision
// served on day on: 60 days for reconsideration (Administrative
// Reconsideration Law Art. 20), 6 months for a suit (Administrative
// Litigation Law Art. 46). The day of service does not count, and a last
// day that falls on a holiday moves to the next working day (Civil
// Procedure Law Art. 85, applied by ARL Art. 88 and ALL Art. 101).
func remedies(cal *regime.Calendar, on csreview.Date) (reconsider, sue csreview.Date) {
	t := on.Time()
	return nextWorkday(cal, t.AddDate(0, 0, 60)), nextWorkday(cal, addMonths(t, 6))
}

// addMonths is the day n months after t: the same day of the month, or the
// month's last day where it has no such day (a six-month period from
// 31 August ends on the last day of February), not Go's AddDate, which runs
// on into March.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	if last := first.AddDate(0, 1, -1).Day(); d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, t.Location())
}

func nextWorkday(cal *regime.Calendar, t time.Time) csreview.Date {
	for !cal.IsWorkday(csreview.DateOf(t)) {
		t = t.AddDate(0, 0, 1)
	}
	return csreview.DateOf(t)
}

func formatYuan(n int64) string {
	str := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range str {
		if i > 0 && (len(str)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
