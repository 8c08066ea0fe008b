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
type Calendar struct {
	holidays map[csreview.Date]bool
	workdays map[csreview.Date]bool
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

// DefaultCalendar returns the shipped calendar (2017–2026).
func DefaultCalendar() (*Calendar, error) {
	b, err := dataFS.ReadFile("data/calendar-cn.json")
	if err != nil {
		return nil, err
	}
	c := &Calendar{holidays: map[csreview.Date]bool{}, workdays: map[csreview.Date]bool{}}
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

// Covers reports whether the calendar has data for d's year; outside them,
// only weekends are known.
func (c *Calendar) Covers(d csreview.Date) bool {
	y := d.Time().Year()
	for _, cy := range c.Years {
		if cy.Year == y {
			return true
		}
	}
	return false
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d csreview.Date) bool {
	if c.workdays[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	wd := d.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
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
