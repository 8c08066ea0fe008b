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
}

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
