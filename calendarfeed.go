package csreview

import (
	"context"
	"time"
)

// CalendarPrefix begins every calendar feed secret.
const CalendarPrefix = "csrcal_"

// CalendarFeedService keeps each user's iCalendar feed of due dates at a
// secret URL. The feed shows case numbers and due dates only, never what
// a case holds.
type CalendarFeedService interface {
	// CreateCalendarFeed makes the caller a new feed secret, shown this
	// once, revoking the one before: EUNAUTHORIZED when anonymous.
	CreateCalendarFeed(ctx context.Context) (secret string, err error)
	// RevokeCalendarFeed ends the caller's feed: EUNAUTHORIZED when
	// anonymous; revoking none is no error.
	RevokeCalendarFeed(ctx context.Context) error
	// CalendarFeed says since when the caller has a feed; the zero time
	// when none. EUNAUTHORIZED when anonymous.
	CalendarFeed(ctx context.Context) (time.Time, error)
	// CalendarFeedUser is the enabled account whose feed secret this is:
	// ENOTFOUND for an unknown, revoked or disabled one.
	CalendarFeedUser(ctx context.Context, secret string) (*User, error)
}
