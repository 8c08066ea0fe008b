package review

import (
	"fmt"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

func calendar(t *testing.T) *regime.Calendar {
	t.Helper()
	c, err := regime.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestClockScreening follows a 2021 screening clock (10 working days, Art.
// 9) across the 2025 National Day holiday with a pause for supplementary
// materials (Art. 15). Dates counted by hand on the 2025 arrangement: 1–8
// Oct off, Sun 28 Sep and Sat 11 Oct worked.
func TestClockScreening(t *testing.T) {
	t.Parallel()
	cal := calendar(t)
	c := csreview.CaseClock{Clock: "screening", StartedOn: "2025-09-24", Workdays: 10}

	// Wed 24 Sep + 10 working days: 25, 26, 28, 29, 30 Sep, 9, 10, 11, 13, 14 Oct.
	s := Status(cal, c, "2025-09-24")
	if s.Due != "2025-10-14" || s.Remaining != 10 || !s.Running || s.Overdue {
		t.Fatalf("at start: %+v", s)
	}
	// Three working days later (25, 26, 28 Sep) the office asks for materials.
	Pause(&c, "2025-09-28")
	s = Status(cal, c, "2025-10-10")
	if !s.Paused || s.Used != 3 || s.Remaining != 7 || s.Running {
		t.Fatalf("paused: %+v", s)
	}
	// Materials arrive on Thu 9 Oct: 29, 30 Sep and 9 Oct did not count.
	Resume(cal, &c, "2025-10-09")
	s = Status(cal, c, "2025-10-09")
	if s.PausedDays != 3 || s.Used != 3 || s.Due != "2025-10-17" {
		t.Fatalf("resumed: %+v", s)
	}
	// On Mon 20 Oct it is one working day overdue.
	s = Status(cal, c, "2025-10-20")
	if !s.Overdue || s.Remaining != -1 {
		t.Fatalf("overdue: %+v", s)
	}
	// Stopped in time, it is not overdue however late one looks.
	Stop(cal, &c, "2025-10-16")
	s = Status(cal, c, "2026-01-05")
	if s.Overdue || s.Running || s.Used != 9 {
		t.Fatalf("stopped: %+v", s)
	}
}

// TestClockExtension: the 2021 preliminary review takes 30 working days,
// 45 with the Art. 11 extension; a start before the 2026 Spring Festival
// (15–23 Feb off; Sat 14 and Sat 28 Feb worked) moves the due date.
func TestClockExtension(t *testing.T) {
	t.Parallel()
	cal := calendar(t)
	c := csreview.CaseClock{Clock: "preliminary", StartedOn: "2026-02-02", Workdays: 30}
	// 3–6, 9–14, 24–28 Feb (15), 2–6, 9–13, 16–20 Mar (30).
	if s := Status(cal, c, "2026-02-02"); s.Due != "2026-03-20" {
		t.Fatalf("due %s, want 2026-03-20", s.Due)
	}
	c.Extended = 15
	// 23–27 Mar, 30 Mar–3 Apr, 7–10 Apr (4–6 Apr Qingming), 13 Apr.
	if s := Status(cal, c, "2026-02-02"); s.Due != "2026-04-13" || s.Limit != 45 {
		t.Fatalf("extended: due %s limit %d, want 2026-04-13 and 45", s.Due, s.Limit)
	}
}

// TestClockStopWhilePaused: stopping a paused clock closes the pause.
func TestClockStopWhilePaused(t *testing.T) {
	t.Parallel()
	cal := calendar(t)
	c := csreview.CaseClock{Clock: "screening", StartedOn: "2024-03-04", Workdays: 10}
	Pause(&c, "2024-03-06")
	Stop(cal, &c, "2024-03-11")
	if c.PausedSince != "" || c.PausedDays != 3 || c.StoppedOn != "2024-03-11" {
		t.Fatalf("%+v", c)
	}
	if s := Status(cal, c, "2024-04-01"); s.Used != 2 || s.Overdue || s.Paused {
		t.Fatalf("%+v", s)
	}
}

// TestClockProvisional: a clock whose count reaches into 2027, which has no
// holiday notice in the shipped calendar, is provisional; its due date
// counts the statutory holidays (1 January 2027) all the same.
func TestClockProvisional(t *testing.T) {
	t.Parallel()
	cal := calendar(t)
	// The 2021 preliminary review (30 working days, Art. 11) from Fri 4
	// Dec 2026: 7–31 Dec (19), 4–15 Jan (29), 18 Jan.
	c := csreview.CaseClock{Clock: "preliminary", StartedOn: "2026-12-04", Workdays: 30}
	s := Status(cal, c, "2026-12-04")
	if s.Due != "2027-01-18" || !s.Provisional || s.ProvisionalReason != NoticeMissing || fmt.Sprint(s.ProvisionalYears) != "[2027]" {
		t.Fatalf("into 2027: %+v", s)
	}
	// Within 2026 it is not.
	c = csreview.CaseClock{Clock: "screening", StartedOn: "2026-12-04", Workdays: 10}
	if s := Status(cal, c, "2026-12-04"); s.Due != "2026-12-18" || s.Provisional || s.ProvisionalReason != "" || s.ProvisionalYears != nil {
		t.Fatalf("within 2026: %+v", s)
	}
	// Paused after two working days (7, 8 Dec), its due date is projected
	// from the day: 8 working days from 24 Dec 2026 are 25, 28–31 Dec and
	// 4–6 Jan 2027.
	Pause(&c, "2026-12-08")
	if s := Status(cal, c, "2026-12-24"); !s.Paused || s.Due != "2027-01-06" || !s.Provisional {
		t.Fatalf("paused: %+v", s)
	}
	// Stopped in 2026 before its due date in 2026: not provisional, however
	// late one looks.
	c = csreview.CaseClock{Clock: "screening", StartedOn: "2026-12-01", Workdays: 10, StoppedOn: "2026-12-10"}
	if s := Status(cal, c, "2027-03-01"); s.Provisional {
		t.Fatalf("stopped: %+v", s)
	}
	// A clock started in 2026 and looked at in 2027 counts its used days
	// through 2027, even if its due date was in 2026.
	c = csreview.CaseClock{Clock: "screening", StartedOn: "2026-12-01", Workdays: 10}
	if s := Status(cal, c, "2027-01-05"); !s.Overdue || !s.Provisional {
		t.Fatalf("overdue into 2027: %+v", s)
	}
	// Before 2014 the calendar holds no statutory holidays: weekends only.
	c = csreview.CaseClock{Clock: "screening", StartedOn: "2013-12-20", Workdays: 10}
	if s := Status(cal, c, "2013-12-20"); s.ProvisionalReason != NoticeMissingWeekendsOnly || fmt.Sprint(s.ProvisionalYears) != "[2013 2014]" {
		t.Fatalf("2013: %+v", s)
	}
}
