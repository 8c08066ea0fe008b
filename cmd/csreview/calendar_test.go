package main

import (
	"strings"
	"testing"
)

// TestCalendarProvisional: 30 working days from Fri 4 Dec 2026 reach into
// 2027, which has no holiday notice in the shipped calendar. Standard
// output is the date alone, counted with 1 January as a statutory holiday
// (2027-01-18, not 2027-01-15); standard error says the date is
// provisional, that the statutory holidays were counted and that make-up
// working days are unknown. A count within 2026 says nothing.
func TestCalendarProvisional(t *testing.T) {
	t.Parallel()
	code, out, errOut := cli(t, "", "calendar", "add", "2026-12-04", "30")
	if code != 0 || out != "2027-01-18\n" {
		t.Fatalf("exit %d, stdout %q, want 0 and \"2027-01-18\\n\"\nstderr: %s", code, out, errOut)
	}
	for _, want := range []string{"2027-01-18 is provisional", "no holiday notice of the State Council General Office for 2027",
		"statutory holidays were counted (National Holidays Measures Art. 2)", "make-up working days are unknown", "--calendar FILE"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	code, out, errOut = cli(t, "", "calendar", "add", "2026-12-04", "10")
	if code != 0 || out != "2026-12-18\n" || errOut != "" {
		t.Errorf("within 2026: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
