package regime

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/csreview/csreview"
)

func TestAddWorkdays(t *testing.T) {
	c, err := DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	// Each expectation was counted by hand on the published arrangements.
	for _, tc := range []struct {
		from csreview.Date
		n    int
		want csreview.Date
	}{
		{"2024-03-04", 10, "2024-03-18"}, // two plain weeks
		{"2024-03-08", 1, "2024-03-11"},  // Friday to Monday
		// 2024 Spring Festival: 10–17 Feb off, Sun 4 Feb and Sun 18 Feb worked.
		{"2024-02-02", 1, "2024-02-04"},
		{"2024-02-08", 1, "2024-02-09"},
		{"2024-02-09", 1, "2024-02-18"},
		{"2024-02-01", 10, "2024-02-20"}, // 2, 4, 5–9, 18, 19, 20 Feb
		// 2025 National Day and Mid-Autumn: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
		{"2025-09-26", 1, "2025-09-28"},
		{"2025-09-30", 1, "2025-10-09"},
		{"2025-09-26", 10, "2025-10-16"}, // 28–30 Sep, 9–11, 13–16 Oct
		// 2026 Spring Festival: 15–23 Feb off, Sat 14 and Sat 28 Feb worked.
		{"2026-02-13", 1, "2026-02-14"},
		{"2026-02-14", 1, "2026-02-24"},
		{"2026-02-10", 15, "2026-03-09"}, // 11–14, 24–28 Feb, 2–6, 9 Mar
		// Backwards.
		{"2025-10-09", -1, "2025-09-30"},
		{"2024-02-18", -1, "2024-02-09"},
		{"2024-03-18", -10, "2024-03-04"},
		{"2024-03-18", 0, "2024-03-18"},
	} {
		if got := c.AddWorkdays(tc.from, tc.n); got != tc.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
		if tc.n > 0 {
			if got := c.WorkdaysBetween(tc.from, tc.want); got != tc.n {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tc.from, tc.want, got, tc.n)
			}
		}
	}
}

func TestCalendarData(t *testing.T) {
	c, err := DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	for y := 2017; y <= 2026; y++ {
		if !c.Covers(csreview.Date(fmt.Sprintf("%d-06-01", y))) {
			t.Errorf("no calendar data for %d", y)
		}
	}
	for d, want := range map[csreview.Date]bool{
		"2017-10-05": false, "2017-09-30": true, "2020-01-31": false, "2020-02-03": true,
		"2022-01-29": true, "2023-10-07": true, "2026-01-04": true, "2026-02-23": false, "2026-11-21": false, "2026-11-20": true,
	} {
		if got := c.IsWorkday(d); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", d, got, want)
		}
	}
}

func TestCalendarExtend(t *testing.T) {
	c, err := DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "2027.json")
	os.WriteFile(p, []byte(`{"years":[{"year":2027,"source":"test notice","holidays":["2027-01-01"],"workdays":["2027-01-02"]}]}`), 0o644)
	if err := c.Extend(p); err != nil {
		t.Fatal(err)
	}
	if c.IsWorkday("2027-01-01") || !c.IsWorkday("2027-01-02") || !c.Covers("2027-06-01") {
		t.Error("extension not applied")
	}
	for _, bad := range []string{`{"years":[{"year":2027,"holidays":[]}]}`, `{"years":[{"year":2027,"source":"x","workdays":["2027-01-04"]}]}`,
		`{"years":[{"year":2027,"source":"x","holidays":["2027-02-30"]}]}`, `{"years":[{"year":2027,"source":"x","bogus":1}]}`} {
		os.WriteFile(p, []byte(bad), 0o644)
		if err := c.Extend(p); err == nil {
			t.Errorf("Extend accepted %s", bad)
		}
	}
}
