// Package regime holds the rules of the review as data: the regime packs of
// the 2017, 2020 and 2021 Measures with their article citations, and the
// working-day calendar that their clocks count in.
package regime

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/csreview/csreview"
)

//go:embed data
var dataFS embed.FS

// Calendar tells working days apart: Monday to Friday, except the PRC public
// holidays, plus the official make-up working days on weekends, as the
// State Council General Office announces them each year. The Measures count
// their time limits in working days (2021 Measures Art. 9, 11, 12, 14).
//
// A year without a notice counts the statutory holidays of
// 《全国年节及纪念日放假办法》 Art. 2 (statutory.go) and nothing else: its
// substitute days off and make-up working days are unknown until the
// notice, so a count through it is provisional (Provisional).
type Calendar struct {
	holidays map[csreview.Date]bool
	workdays map[csreview.Date]bool
	noticed  map[int]bool // the years with a notice
	// Years lists the years the data covers, with their sources.
	Years []CalendarYear
}

// CalendarYear is one year's announcement.
type CalendarYear struct {
	Year     int      `json:"year"`
	Source   string   `json:"source"`
	Holidays []string `json:"holidays"` // dates or "from..to" ranges
	Workdays []string `json:"workdays"` // weekend days that are working days
}

type calendarFile struct {
	Comment string         `json:"comment,omitempty"`
	Years   []CalendarYear `json:"years"`
}

// DefaultCalendar returns the shipped calendar (notices of 2017–2026).
func DefaultCalendar() (*Calendar, error) {
	b, err := dataFS.ReadFile("data/calendar-cn.json")
	if err != nil {
		return nil, err
	}
	c := &Calendar{holidays: map[csreview.Date]bool{}, workdays: map[csreview.Date]bool{}, noticed: map[int]bool{}}
	if err := c.add(b, "data/calendar-cn.json"); err != nil {
		return nil, err
	}
	return c, nil
}

// Extend adds the years of a calendar file in the same format, for years
// the shipped data does not cover or corrections announced later; a date
// it lists overrides what the calendar said of it.
func (c *Calendar) Extend(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return err
	}
	return c.add(b, path)
}

func (c *Calendar) add(b []byte, name string) error {
	var cf calendarFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cf); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, y := range cf.Years {
		if y.Year < 2000 || y.Year > 2100 || y.Source == "" {
			return fmt.Errorf("%s: year %d: a year between 2000 and 2100 and its source are required", name, y.Year)
		}
		for _, spec := range y.Holidays {
			days, err := expand(spec)
			if err != nil {
				return fmt.Errorf("%s: year %d: holidays: %w", name, y.Year, err)
			}
			for _, d := range days {
				c.holidays[d], c.workdays[d] = true, false
			}
		}
		for _, spec := range y.Workdays {
			days, err := expand(spec)
			if err != nil {
				return fmt.Errorf("%s: year %d: workdays: %w", name, y.Year, err)
			}
			for _, d := range days {
				if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
					return fmt.Errorf("%s: year %d: make-up working day %s is not a weekend day", name, y.Year, d)
				}
				c.workdays[d], c.holidays[d] = true, false
			}
		}
		c.Years = append(c.Years, y)
		c.noticed[y.Year] = true
	}
	sort.SliceStable(c.Years, func(i, j int) bool { return c.Years[i].Year < c.Years[j].Year })
	return nil
}

// expand turns "2017-01-27..2017-02-02" or "2017-01-27" into its dates.
func expand(spec string) ([]csreview.Date, error) {
	from, to, isRange := strings.Cut(spec, "..")
	if !isRange {
		to = from
	}
	a, b := csreview.Date(from), csreview.Date(to)
	if !a.Valid() || !b.Valid() || b.Before(a) {
		return nil, fmt.Errorf("bad date or range %q", spec)
	}
	var out []csreview.Date
	for t := a.Time(); !t.After(b.Time()); t = t.AddDate(0, 0, 1) {
		out = append(out, csreview.DateOf(t))
		if len(out) > 60 {
			return nil, fmt.Errorf("range %q is longer than 60 days", spec)
		}
	}
	return out, nil
}

// Covers reports whether the calendar has the holiday notice of d's year;
// outside them, the statutory holidays and weekends are known, make-up
// working days are not.
func (c *Calendar) Covers(d csreview.Date) bool { return c.HasNotice(d.Time().Year()) }

// HasNotice reports whether the calendar has the holiday notice of year.
func (c *Calendar) HasNotice(year int) bool { return c.noticed[year] }

// IsWorkday reports whether d is a working day: what the notices say of
// it, else Monday to Friday except, in a year without a notice, the
// statutory holidays of 《全国年节及纪念日放假办法》 Art. 2.
func (c *Calendar) IsWorkday(d csreview.Date) bool {
	if c.workdays[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	if wd := d.Time().Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return c.Covers(d) || !isStatutoryHoliday(d)
}

// AddWorkdays returns the date n working days after d (before it for
// negative n). Day d itself does not count: a time limit of 10 working days
// from the day materials are complete ends on the 10th working day after it.
func (c *Calendar) AddWorkdays(d csreview.Date, n int) csreview.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	t := d.Time()
	for n > 0 {
		t = t.AddDate(0, 0, step)
		if c.IsWorkday(csreview.DateOf(t)) {
			n--
		}
	}
	return csreview.DateOf(t)
}

// WorkdaysBetween counts the working days after from up to and including
// to; negative when to is before from.
func (c *Calendar) WorkdaysBetween(from, to csreview.Date) int {
	if to.Before(from) {
		return -c.WorkdaysBetween(to, from)
	}
	n := 0
	for t := from.Time().AddDate(0, 0, 1); !t.After(to.Time()); t = t.AddDate(0, 0, 1) {
		if c.IsWorkday(csreview.DateOf(t)) {
			n++
		}
	}
	return n
}

// Provisional reports whether a count of working days between from and to
// (AddWorkdays from from to its result, WorkdaysBetween from to) passes
// through a year without a holiday notice: its result may change when the
// notice is published. MissingYears names the years.
func (c *Calendar) Provisional(from, to csreview.Date) bool { return len(c.MissingYears(from, to)) > 0 }

// MissingYears lists, in order, the years without a holiday notice among
// the days a count between from and to looks at: the days after from up to
// and including to, or when to is before from, the days from to up to and
// including from (AddWorkdays backwards looks at to but not from,
// WorkdaysBetween the other way round).
//
// A year is judged by its own notice. The next year's notice may also move
// days at the end of December (the 2019 notice made Saturday 29 December
// 2018 a working day and Monday 31 December a holiday); the calendar does
// not mark the last days of a year provisional for that.
func (c *Calendar) MissingYears(from, to csreview.Date) []int {
	first, last := from.Time().AddDate(0, 0, 1), to.Time()
	if to.Before(from) {
		first, last = to.Time(), from.Time()
	}
	var out []int
	for y := first.Year(); y <= last.Year() && !first.After(last); y++ {
		if !c.HasNotice(y) {
			out = append(out, y)
		}
	}
	return out
}

// NoticeWatchMonth is the month from whose first day (1 November) the
// office needs next year's holiday notice in the calendar: the State
// Council General Office publishes it in the last months of the year
// before, and due dates in the next year are provisional until the
// calendar has it. The day is the office's practice, not a legal rule.
const NoticeWatchMonth = time.November

// MissingNotices lists the years whose holiday notice the calendar should
// hold on day on and lacks: on's own year, and from 1 November the next
// (NoticeWatchMonth). The working-day time limits of the Measures (2021
// Measures Art. 9, 11, 12, 14) are counted on them.
func (c *Calendar) MissingNotices(on csreview.Date) []int {
	t := on.Time()
	y := t.Year()
	var out []int
	if !c.HasNotice(y) {
		out = append(out, y)
	}
	if t.Month() >= NoticeWatchMonth && !c.HasNotice(y+1) {
		out = append(out, y+1)
	}
	return out
}
