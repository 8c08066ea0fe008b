package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/csreview/csreview"
)

// CreateCalendarFeed makes the caller a new feed secret, replacing the old.
func (s *Store) CreateCalendarFeed(ctx context.Context) (string, error) {
	u := actor(ctx)
	if u == nil {
		return "", errUnauthenticated()
	}
	secret := csreview.NewSecret(csreview.CalendarPrefix)
	err := s.DB.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM calendar_feeds WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO calendar_feeds (user_id, secret_hash, created_at) VALUES (?, ?, ?)`,
			u.ID, csreview.HashSecret(secret), formatTime(tx.now)); err != nil {
			return err
		}
		return tx.audit("create", "calendar_feed", u.ID, nil, nil)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// RevokeCalendarFeed ends the caller's feed.
func (s *Store) RevokeCalendarFeed(ctx context.Context) error {
	u := actor(ctx)
	if u == nil {
		return errUnauthenticated()
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`DELETE FROM calendar_feeds WHERE user_id = ?`, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.audit("delete", "calendar_feed", u.ID, nil, nil)
	})
}

// CalendarFeed says since when the caller has a feed.
func (s *Store) CalendarFeed(ctx context.Context) (time.Time, error) {
	u := actor(ctx)
	if u == nil {
		return time.Time{}, errUnauthenticated()
	}
	var at time.Time
	err := s.DB.read(ctx, func(tx *Tx) error {
		err := tx.queryRow(`SELECT created_at FROM calendar_feeds WHERE user_id = ?`, u.ID).Scan(tcol{&at})
		if csreview.ErrorCode(mapError(err)) == csreview.ENOTFOUND {
			return nil
		}
		return mapError(err)
	})
	return at, err
}

// CalendarFeedUser is the enabled account whose feed secret this is.
func (s *Store) CalendarFeedUser(ctx context.Context, secret string) (*csreview.User, error) {
	if !strings.HasPrefix(secret, csreview.CalendarPrefix) {
		return nil, errNotFound("calendar_feed", 0)
	}
	var u *csreview.User
	err := s.DB.read(ctx, func(tx *Tx) error {
		var id int64
		if err := tx.queryRow(`SELECT user_id FROM calendar_feeds WHERE secret_hash = ?`, csreview.HashSecret(secret)).Scan(&id); err != nil {
			return mapError(err)
		}
		var err error
		if u, err = users.get(tx, id); err != nil {
			return err
		}
		if u.Disabled {
			return errNotFound("calendar_feed", 0)
		}
		return nil
	})
	return u, err
}
