package review

import (
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
