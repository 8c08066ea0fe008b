package enforce

import (
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

func cal(t *testing.T) *regime.Calendar {
	t.Helper()
	c, err := regime.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRemedies: 60 days for reconsideration (ARL Art. 20) and six months
// for a suit (ALL Art. 46), the day of service not counted; a period in
// months ends on the same day of the month or, lacking one, the month's
// last day; a last day on a holiday moves to the next working day (CPL
// Art. 85).
func TestRemedies(t *testing.T) {
	t.Parallel()
	c := cal(t)
	for _, tc := range []struct {
		on, reconsider, sue csreview.Date
		provisional         bool
	}{
		// 2024-05-03 falls in the Labour Day holiday → 2024-05-06.
		{"2024-03-04", "2024-05-06", "2024-09-04", false},
		// Six months from 31 August end on 28 February 2027, a Sunday → 1 March.
		{"2026-08-31", "2026-10-30", "2027-03-01", true},
		// ... and on 29 February in a leap year.
		{"2027-08-31", "2027-11-01", "2028-02-29", true}, // 30 October 2027 is a Saturday
		// Six months from 31 March: 30 September 2026, a Wednesday.
		{"2026-03-31", "2026-06-01", "2026-09-30", false},
	} {
		r, s := remedies(c, tc.on)
		if r != tc.reconsider || s != tc.sue {
			t.Errorf("decided %s: reconsider by %s, sue by %s; want %s, %s", tc.on, r, s, tc.reconsider, tc.sue)
		}
		if got := c.Provisional(tc.on, s); got != tc.provisional {
			t.Errorf("decided %s: provisional %v", tc.on, got)
		}
	}
}

// TestProcedure: the steps in order, each refusing what the law forbids.
func TestProcedure(t *testing.T) {
	e := &csreview.Enforcement{State: csreview.EnfOpen, OpenedOn: "2026-03-02", Amount: 1_000_000, FineMin: 1_000_000, FineMax: 10_000_000,
		PersonMin: 10_000, PersonMax: 100_000}
	f := Facts{On: "2026-03-02", Cal: cal(t), HearingThreshold: 5_000_000}
	step := func(st csreview.EnforcementStep) error { return Apply(e, st, f) }
	if err := step(csreview.EnforcementStep{To: csreview.EnfPenalised, Fine: 1_000_000}); csreview.ErrorCode(err) != csreview.EINVALID {
		t.Fatalf("a fine straight from open: %v", err)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfOrdered, RectifyBy: "2026-03-02"}); csreview.ErrorCode(err) != csreview.EINVALID {
		t.Fatalf("a time limit that is not after the order: %v", err)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfOrdered, RectifyBy: "2026-04-30"}); err != nil {
		t.Fatal(err)
	}
	// Below the configured "large amount": no hearing right.
	if err := step(csreview.EnforcementStep{To: csreview.EnfNotified, Fine: 2_000_000, Note: "事实"}); err != nil {
		t.Fatal(err)
	}
	if e.Procedure.HearingRight || e.Procedure.DecideBy != "2026-05-31" {
		t.Errorf("notice %+v", e.Procedure)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfHeard, HearingRequested: true, HearingHeld: true}); csreview.ErrorCode(err) != csreview.EINVALID {
		t.Fatalf("a hearing without the right: %v", err)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfHeard}); csreview.ErrorCode(err) != csreview.EINVALID {
		t.Fatalf("heard with no statement nor waiver: %v", err)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfHeard, Waived: true}); err != nil {
		t.Fatal(err)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfPenalised, Fine: 2_000_000, PersonFine: 200_000}); csreview.ErrorCode(err) != csreview.EINVALID {
		t.Fatalf("a personal fine above the law's range: %v", err)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfPenalised, Fine: 1_500_000}); err != nil {
		t.Fatal(err)
	}
	if err := step(csreview.EnforcementStep{To: csreview.EnfClosed}); err != nil || e.ClosedOn != "2026-03-02" {
		t.Fatalf("close: %v %s", err, e.ClosedOn)
	}
}
