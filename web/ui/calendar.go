package ui

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

// The calendar feed: each user's due dates as iCalendar (RFC 5545) at a
// secret URL that a calendar program subscribes to without signing in.
// It shows case numbers and due dates only, never what a case holds, and
// the user can make a new link (revoking the old) or revoke it.

func (s *surface) createCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	secret, err := s.Accounts.CreateCalendarFeed(r.Context())
	if err != nil {
		return err
	}
	feed := s.PublicURL() + "/calendar/" + secret + ".ics?lang=" + s.I18n.For(r).Lang
	return s.renderAccount(w, r, accountData{NewFeed: feed}, http.StatusCreated)
}

func (s *surface) revokeCalendarFeed(w http.ResponseWriter, r *http.Request) error {
	if err := s.Accounts.RevokeCalendarFeed(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/account", "flash.calendar_revoked")
}

// calendarFeed answers GET /calendar/{secret}.ics: the due date of every
// running clock of the open cases the feed's owner may see.
func (s *surface) calendarFeed(w http.ResponseWriter, r *http.Request) error {
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_page", "There is no such page.")
	}
	u, err := s.Accounts.CalendarFeedUser(r.Context(), secret)
	if err != nil {
		if csreview.ErrorCode(err) == csreview.ENOTFOUND {
			return csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_page", "There is no such page.")
		}
		return err
	}
	ctx := csreview.NewContextWithUser(r.Context(), u)
	tr := s.I18n.Lang(r.URL.Query().Get("lang"))
	today := csreview.DateOf(s.Now().In(site.Shanghai))
	clocks, err := s.RunningClocks(ctx, today)
	if err != nil {
		return err
	}
	var b strings.Builder
	line := func(format string, args ...any) { b.WriteString(icsFold(fmt.Sprintf(format, args...)) + "\r\n") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//csreview//deadlines//%s", strings.ToUpper(tr.Lang))
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:%s", icsText(tr.T("calendar.name")))
	stamp := s.Now().UTC().Format("20060102T150405Z")
	host := strings.TrimPrefix(strings.TrimPrefix(s.PublicURL(), "https://"), "http://")
	for _, rc := range clocks {
		c, st := rc.Case, rc.Status
		if st.Paused || st.Due == "" {
			continue // a paused clock has no due date until it runs again
		}
		day := st.Due.Time()
		// The case number and the date, nothing of the case: not even
		// which stage it is in (a special review says something).
		summary := tr.T("calendar.event_plain", "ref", c.Ref)
		if st.Provisional {
			summary += tr.T("calendar.provisional")
		}
		line("BEGIN:VEVENT")
		line("UID:%s-%s@%s", c.Ref, st.Clock, host)
		line("DTSTAMP:%s", stamp)
		line("DTSTART;VALUE=DATE:%s", day.Format("20060102"))
		line("DTEND;VALUE=DATE:%s", day.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY:%s", icsText(summary))
		line("URL:%s/cases/%d", s.PublicURL(), c.ID)
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, err = w.Write([]byte(b.String()))
	return err
}

// icsFold folds a content line longer than 75 octets (RFC 5545 §3.1):
// CRLF and a space before each further run, never inside a UTF-8
// character.
func icsFold(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		size := utf8.RuneLen(r)
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	return b.String()
}

// icsText escapes a TEXT value (RFC 5545 §3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "").Replace(s)
}

func (s *surface) calendarRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.account.calendar", Method: "POST", Pattern: "/account/calendar", Handle: s.createCalendarFeed},
		{Name: "ui.account.calendar.delete", Method: "POST", Pattern: "/account/calendar/delete", Handle: s.revokeCalendarFeed},
		// Public: the secret in the URL is the credential (a calendar
		// program cannot sign in); an unknown one is no page.
		{Name: "ui.calendar", Method: "GET", Pattern: "/calendar/{file}", Public: true, Handle: s.calendarFeed},
	}
}
