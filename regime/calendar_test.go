package regime

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/csreview/csreview"
)

func TestAddWorkdays(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// TestStatutoryHolidaysInNotices checks the lunar calendar against the
// notices: every notice of the shipped data (2017–2026) gives each
// statutory holiday of 《全国年节及纪念日放假办法》 Art. 2 as a holiday, so
// every day StatutoryHolidays computes for a year with a notice must be a
// holiday there. A wrong lunar date or solar term falls on a working day
// in some year.
func TestStatutoryHolidaysInNotices(t *testing.T) {
	t.Parallel()
	c, err := DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Years) < 10 {
		t.Fatalf("%d years of notices, want 2017–2026", len(c.Years))
	}
	for _, y := range c.Years {
		list, ok := StatutoryHolidays(y.Year)
		if !ok || len(list) != 7 {
			t.Fatalf("StatutoryHolidays(%d) = %d holidays, %v; want the 7 of Art. 2", y.Year, len(list), ok)
		}
		n := 0
		for _, h := range list {
			for _, d := range h.Dates {
				n++
				if d.Time().Year() != y.Year {
					t.Errorf("%d: %s on %s, outside the year", y.Year, h.Name.EN, d)
				}
				if !c.holidays[d] {
					t.Errorf("%d: %s (%s) on %s is not a holiday in the notice (%s)", y.Year, h.Name.ZH, h.Name.EN, d, y.Source)
				}
			}
		}
		// 11 days until 2024, 13 from 2025 (Spring Festival +1, Labour Day +1).
		if want := map[bool]int{false: 11, true: 13}[y.Year >= 2025]; n != want {
			t.Errorf("%d: %d statutory days, want %d", y.Year, n, want)
		}
	}
}

// TestStatutoryHolidayDates checks the lunar dates and Qingming of some
// years day by day: against the notices of 2017, 2020, 2023, 2025 and
// 2026 (which show them), and for 2016 and 2027, which have none in the
// data, against the published lunar calendar.
func TestStatutoryHolidayDates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		year                                int
		spring, qingming, dragon, midAutumn string // first day of the Spring Festival
		springDays, labourDays              int
	}{
		{2016, "2016-02-08", "2016-04-04", "2016-06-09", "2016-09-15", 3, 1},
		{2017, "2017-01-28", "2017-04-04", "2017-05-30", "2017-10-04", 3, 1},
		{2020, "2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01", 3, 1},
		{2023, "2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29", 3, 1},
		// From 2025 the Spring Festival begins on 除夕 (2024 amendment).
		{2025, "2025-01-28", "2025-04-04", "2025-05-31", "2025-10-06", 4, 2},
		{2026, "2026-02-16", "2026-04-05", "2026-06-19", "2026-09-25", 4, 2},
		{2027, "2027-02-05", "2027-04-05", "2027-06-09", "2027-09-15", 4, 2},
	} {
		list, ok := StatutoryHolidays(tc.year)
		if !ok {
			t.Fatalf("no statutory holidays for %d", tc.year)
		}
		got := map[string][]csreview.Date{}
		for _, h := range list {
			got[h.ID] = h.Dates
		}
		for id, want := range map[string][2]any{
			"new_year":        {fmt.Sprintf("%d-01-01", tc.year), 1},
			"spring_festival": {tc.spring, tc.springDays},
			"qingming":        {tc.qingming, 1},
			"labour_day":      {fmt.Sprintf("%d-05-01", tc.year), tc.labourDays},
			"dragon_boat":     {tc.dragon, 1},
			"mid_autumn":      {tc.midAutumn, 1},
			"national_day":    {fmt.Sprintf("%d-10-01", tc.year), 3},
		} {
			d := got[id]
			if len(d) != want[1].(int) || len(d) == 0 || string(d[0]) != want[0].(string) {
				t.Errorf("%d %s: %v, want %d days from %s", tc.year, id, d, want[1], want[0])
			}
		}
	}
	if zh, en := HolidaysCite("zh-CN"), HolidaysCite("en"); zh != "《全国年节及纪念日放假办法》第二条" || en != "National Holidays Measures Art. 2" {
		t.Errorf("HolidaysCite: %q, %q", zh, en)
	}
	if _, ok := StatutoryHolidays(2013); ok {
		t.Error("StatutoryHolidays(2013): the calendar does not hold the 2007 text, want false")
	}
}

// TestCalendarBeyondNotices: 2027 has no notice in the shipped data. Its
// statutory holidays are not working days, nothing is moved off a weekend,
// and every count through it is provisional.
func TestCalendarBeyondNotices(t *testing.T) {
	t.Parallel()
	c, err := DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	for d, want := range map[csreview.Date]bool{
		"2027-01-01": false, // Friday, 元旦
		"2027-01-04": true,
		"2027-02-04": true,
		"2027-02-05": false, // Friday, 除夕
		"2027-02-08": false, // Monday, 正月初三
		"2027-02-09": true,
		"2027-04-05": false, // Monday, 清明
		"2027-05-03": true,  // 1–2 May are a weekend: no substitute day before the notice
		"2027-06-09": false, // 端午
		"2027-09-15": false, // 中秋
		"2027-10-01": false,
		"2027-10-04": true, // 2–3 October are a weekend
		"2027-10-09": false,
		"2016-02-10": false, // no notice in the data, the 2013 text: 正月初三
		"2016-02-11": true,
		"2013-10-01": true, // before 2014: weekends only
	} {
		if got := c.IsWorkday(d); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", d, got, want)
		}
	}
	// 30 working days from Fri 4 Dec 2026: 7 Dec–31 Dec (19), 4–15 Jan (29),
	// 18 Jan; 1 January is a holiday.
	if got := c.AddWorkdays("2026-12-04", 30); got != "2027-01-18" {
		t.Errorf("AddWorkdays(2026-12-04, 30) = %s, want 2027-01-18", got)
	}
	for _, tc := range []struct {
		from, to csreview.Date
		want     []int
	}{
		{"2026-12-04", "2027-01-18", []int{2027}},
		{"2026-02-02", "2026-04-13", nil},
		{"2026-12-31", "2026-12-31", nil},
		{"2026-12-30", "2026-12-31", nil},
		{"2026-12-31", "2027-01-01", []int{2027}},
		{"2027-01-05", "2026-12-20", []int{2027}}, // backwards
		{"2027-01-01", "2026-12-31", []int{2027}},
		{"2016-12-01", "2017-01-10", []int{2016}},
		{"2026-06-01", "2029-01-01", []int{2027, 2028, 2029}},
	} {
		got := c.MissingYears(tc.from, tc.to)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("MissingYears(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
		if p := c.Provisional(tc.from, tc.to); p != (len(tc.want) > 0) {
			t.Errorf("Provisional(%s, %s) = %v", tc.from, tc.to, p)
		}
	}
	for on, want := range map[csreview.Date][]int{
		"2026-06-01": nil, "2026-10-31": nil, "2026-11-01": {2027}, "2026-12-04": {2027}, "2026-12-31": {2027},
		"2027-01-04": {2027}, "2027-11-01": {2027, 2028}, "2025-11-01": nil,
	} {
		if got := c.MissingNotices(on); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("MissingNotices(%s) = %v, want %v", on, got, want)
		}
	}

	// Once the 2027 notice is added, it alone decides 2027.
	p := filepath.Join(t.TempDir(), "2027.json")
	os.WriteFile(p, []byte(`{"years":[{"year":2027,"source":"test notice","holidays":["2027-01-01..2027-01-03"],"workdays":[]}]}`), 0o644)
	if err := c.Extend(p); err != nil {
		t.Fatal(err)
	}
	if c.Provisional("2026-12-04", "2027-01-18") || c.MissingNotices("2026-12-04") != nil {
		t.Error("2027 still provisional with its notice")
	}
	if !c.IsWorkday("2027-02-05") {
		t.Error("a test notice without the Spring Festival: 2027-02-05 should follow the notice")
	}
}
