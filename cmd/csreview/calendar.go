package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// loadCalendar returns the shipped working-day calendar, extended by the
// file named in --calendar (or CSREVIEW_CALENDAR) if any.
func loadCalendar(path string) (*regime.Calendar, error) {
	c, err := regime.DefaultCalendar()
	if err != nil {
		return nil, err
	}
	if path != "" {
		if err := c.Extend(path); err != nil {
			return nil, usagef("--calendar: %v", err)
		}
	}
	return c, nil
}

func runCalendar(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(e.stdout, calendarUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "add" {
		return usagef("use: csreview calendar add DATE N")
	}
	fs := newFlags(e, "calendar add", "[--calendar FILE] DATE N",
		"Print the date N working days after DATE (before it for negative N), as YYYY-MM-DD.\n"+
			"Working days follow the State Council's holiday arrangements for 2017-2026: weekends and\n"+
			"public holidays are not working days, official make-up days are. The Measures count their\n"+
			"time limits this way (e.g. 2021 Measures Art. 9: 10 working days). In a year without a\n"+
			"notice the statutory holidays of the National Holidays Measures Art. 2 are counted, but\n"+
			"nothing is moved off a weekend and no make-up working day is known: the date is then\n"+
			"provisional, which standard error says; standard output is the date alone.")
	cal := fs.String("calendar", e.getenv("CSREVIEW_CALENDAR"), "calendar file that extends or corrects the shipped one (env CSREVIEW_CALENDAR)")
	if err := parse(fs, e, reorderNegative(args[1:])); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usagef("give a DATE (YYYY-MM-DD) and a number of working days N")
	}
	d := csreview.Date(fs.Arg(0))
	if !d.Valid() {
		return usagef("%q is not a date: use YYYY-MM-DD", fs.Arg(0))
	}
	n, err := strconv.Atoi(fs.Arg(1))
	if err != nil || n > 10000 || n < -10000 {
		return usagef("%q is not a number of working days", fs.Arg(1))
	}
	c, err := loadCalendar(*cal)
	if err != nil {
		return err
	}
	out := c.AddWorkdays(d, n)
	if !out.Valid() {
		return usagef("%s + %d working days falls outside the years 0001-9999", d, n)
	}
	fmt.Fprintln(e.stdout, out)
	// A count through a year without a notice is provisional: the notice
	// may still move days (《全国年节及纪念日放假办法》 Art. 2 fixes only
	// the statutory holidays).
	var counted, weekends []string
	for _, y := range c.MissingYears(d, out) {
		if _, ok := regime.StatutoryHolidays(y); ok {
			counted = append(counted, strconv.Itoa(y))
		} else {
			weekends = append(weekends, strconv.Itoa(y))
		}
	}
	if len(counted) > 0 {
		fmt.Fprintf(e.stderr, "csreview calendar: %s is provisional: the calendar has no holiday notice of the State Council General Office for %s. "+
			"The statutory holidays were counted (%s); holidays on a weekend were not moved, "+
			"and make-up working days are unknown until the notice is published. Add it with --calendar FILE.\n",
			out, strings.Join(counted, ", "), regime.HolidaysCite("en"))
	}
	if len(weekends) > 0 {
		fmt.Fprintf(e.stderr, "csreview calendar: %s is provisional: the calendar has no holiday notice for %s, nor the statutory holidays "+
			"before 2014; only weekends were skipped there.\n", out, strings.Join(weekends, ", "))
	}
	return nil
}

// reorderNegative lets "add 2024-01-01 -5" through the flag parser, which
// would take "-5" for a flag: arguments after the first positional one are
// passed after "--".
func reorderNegative(args []string) []string {
	for i, a := range args {
		if len(a) > 0 && a[0] != '-' {
			return append(append(append([]string{}, args[:i]...), "--"), args[i:]...)
		}
	}
	return args
}

const calendarUsage = `Usage: csreview calendar add [--calendar FILE] DATE N

Working-day arithmetic on the PRC calendar (weekends, public holidays and
official make-up working days, 2017-2026, from the State Council General
Office's notices; in other years the statutory holidays only, and the date
is provisional). Run 'csreview calendar add -h' for details.
`
