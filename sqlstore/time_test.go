package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestTimesRoundTrip checks, on the real clock, that what a change returns
// is what a later read finds: callers compare UpdatedAt for optimistic
// locking (If-Match), so a create or update must not hand back a time more
// precise than the stored one.
func TestTimesRoundTrip(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		db.Now = func() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.Local) }
		s := sqlstore.NewStore(db)

		sup := &csreview.Supplier{NameZH: "时间", Country: "CN", USCC: uscc(1)}
		if err := s.CreateSupplier(sysCtx, sup); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindSupplierByID(sysCtx, sup.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, sup) {
			t.Fatalf("got %v / %v, want %v / %v", got.CreatedAt, got.UpdatedAt, sup.CreatedAt, sup.UpdatedAt)
		}
		if got, want := sup.CreatedAt, time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.Local).UTC(); got != want {
			t.Fatalf("got %v, want %v", got, want)
		}

		db.Now = time.Now
		u := *sup
		u.NameEN = "Time"
		if err := s.UpdateSupplier(sysCtx, &u); err != nil {
			t.Fatal(err)
		}
		got, err = s.FindSupplierByID(sysCtx, sup.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.UpdatedAt.Equal(u.UpdatedAt) {
			t.Fatalf("got %v, want %v", got.UpdatedAt, u.UpdatedAt)
		}

		tok, _, err := s.CreateToken(sysCtx, mustUser(t, s).ID, "t", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.FindTokens(sysCtx, tok.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if !list[0].CreatedAt.Equal(tok.CreatedAt) || !list[0].ExpiresAt.Equal(*tok.ExpiresAt) {
			t.Fatalf("got %v / %v, want %v / %v", list[0].CreatedAt, list[0].ExpiresAt, tok.CreatedAt, tok.ExpiresAt)
		}
	})
}

func mustUser(t *testing.T, s *sqlstore.Store) *csreview.User {
	t.Helper()
	u := &csreview.User{Username: "timer", DisplayName: "Timer", Role: csreview.RoleOffice}
	if err := s.CreateUser(sysCtx, u, password); err != nil {
		t.Fatal(err)
	}
	return u
}
