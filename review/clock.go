// Package review is the workflow engine of review cases: the transitions a
// regime pack allows, who may make them, and the statutory clocks they
// start, pause, extend and stop, counted in working days.
package review

import (
	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// ClockStatus is a clock as a case page shows it on a given day.
type ClockStatus struct {
	csreview.CaseClock
	Limit     int           `json:"limit"`     // working days allowed, extensions included
	Used      int           `json:"used"`      // working days counted so far
	Remaining int           `json:"remaining"` // negative when overdue
	Due       csreview.Date `json:"due"`       // projected if paused: as if resumed on the day
	Paused    bool          `json:"paused"`
	Running   bool          `json:"running"`
	Overdue   bool          `json:"overdue"`
	// Provisional: the count or the due date passes through a year whose
	// holiday notice the calendar lacks (ProvisionalYears), so they may
	// change when the notice is published; ProvisionalReason says what
	// was counted there.
	Provisional       bool              `json:"provisional" doc:"The due date or the working days used pass through a year whose holiday notice (State Council General Office) the calendar lacks; they may change when it is published."`
	ProvisionalYears  []int             `json:"provisional_years,omitempty" doc:"The years without a holiday notice the clock passes through."`
	ProvisionalReason ProvisionalReason `json:"provisional_reason,omitempty" doc:"What was counted in those years: holiday_notice_missing, the statutory holidays of the National Holidays Measures Art. 2 (substitute days off and make-up working days unknown); holiday_notice_missing_weekends_only, weekends only (a year before 2014)."`
}

// ProvisionalReason says what a provisional count rests on.
type ProvisionalReason string

const (
	// NoticeMissing: the statutory holidays of 《全国年节及纪念日放假办法》
	// Art. 2 were counted; the substitute days off and make-up working
	// days that the notice will set were not.
	NoticeMissing ProvisionalReason = "holiday_notice_missing"
	// NoticeMissingWeekendsOnly: a year before 2014, whose statutory
	// holidays the calendar does not hold, counted weekends only.
	NoticeMissingWeekendsOnly ProvisionalReason = "holiday_notice_missing_weekends_only"
)

// ProvisionalReasons are the values of ProvisionalReason.
var ProvisionalReasons = []ProvisionalReason{NoticeMissing, NoticeMissingWeekendsOnly}

// Status computes a clock on day on. A clock counts the working days after
// it started; days while it was paused for supplementary materials do not
// count (2021 Measures Art. 15); a stopped clock counts up to its stop.
func Status(cal *regime.Calendar, c csreview.CaseClock, on csreview.Date) ClockStatus {
	s := ClockStatus{CaseClock: c, Limit: c.Workdays + c.Extended}
	end := on
	if c.StoppedOn != "" && c.StoppedOn.Before(end) {
		end = c.StoppedOn
	}
	s.Used = cal.WorkdaysBetween(c.StartedOn, end) - c.PausedDays
	if c.PausedSince != "" && c.StoppedOn == "" {
		s.Used -= cal.WorkdaysBetween(c.PausedSince, end)
		s.Paused = true
	}
	if s.Used < 0 {
		s.Used = 0
	}
	s.Remaining = s.Limit - s.Used
	s.Running = c.StoppedOn == "" && !s.Paused
	if s.Paused {
		s.Due = cal.AddWorkdays(on, s.Remaining)
	} else {
		s.Due = cal.AddWorkdays(c.StartedOn, s.Limit+c.PausedDays)
	}
	s.Overdue = c.StoppedOn == "" && s.Remaining < 0 ||
		c.StoppedOn != "" && s.Due.Before(c.StoppedOn)
	if !s.Overdue && c.StoppedOn == "" && !s.Paused && s.Due.Before(on) {
		s.Overdue = true
	}
	// Every count above looks at days after the start, up to the later of
	// the due date and the day counted to.
	last := end
	if last.Before(s.Due) {
		last = s.Due
	}
	s.ProvisionalYears = cal.MissingYears(c.StartedOn, last)
	if s.Provisional = len(s.ProvisionalYears) > 0; s.Provisional {
		s.ProvisionalReason = NoticeMissing
		for _, y := range s.ProvisionalYears {
			if _, ok := regime.StatutoryHolidays(y); !ok {
				s.ProvisionalReason = NoticeMissingWeekendsOnly
			}
		}
	}
	return s
}

// Pause stops the count from day on, while materials are awaited.
func Pause(c *csreview.CaseClock, on csreview.Date) {
	if c.StoppedOn == "" && c.PausedSince == "" {
		c.PausedSince = on
	}
}

// Resume restarts the count on day on, adding the paused working days.
func Resume(cal *regime.Calendar, c *csreview.CaseClock, on csreview.Date) {
	if c.PausedSince == "" {
		return
	}
	c.PausedDays += cal.WorkdaysBetween(c.PausedSince, on)
	c.PausedSince = ""
}

// Stop ends a clock on day on; a paused clock resumes first, so that its
// pause counts.
func Stop(cal *regime.Calendar, c *csreview.CaseClock, on csreview.Date) {
	Resume(cal, c, on)
	if c.StoppedOn == "" {
		c.StoppedOn = on
	}
}
