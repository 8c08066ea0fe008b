package csreview

import "time"

// Date is a calendar date, "YYYY-MM-DD", with no time zone: accreditation
// validity, release dates and, later, working-day clocks are all dates.
type Date string

// DateLayout is the layout of Date.
const DateLayout = "2006-01-02"

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date { return Date(t.Format(DateLayout)) }

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool {
	t, err := time.Parse(DateLayout, string(d))
	return err == nil && t.Format(DateLayout) == string(d)
}

// Time returns d at midnight UTC; the zero time if d is not valid.
func (d Date) Time() time.Time {
	t, _ := time.Parse(DateLayout, string(d))
	return t
}

// Before reports whether d is earlier than e. Both must be valid.
func (d Date) Before(e Date) bool { return d < e }

// AddDays is the date n calendar days after d ("" for an invalid d).
func (d Date) AddDays(n int) Date {
	if !d.Valid() {
		return ""
	}
	return DateOf(d.Time().AddDate(0, 0, n))
}
