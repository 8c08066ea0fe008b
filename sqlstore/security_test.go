package sqlstore_test

import (
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestSetPasswordEndsSessions: sqlstore.SetPassword's comment says "Other
// sessions of the account end", and a reset after a compromise must lock the
// intruder out; today the sessions and tokens survive.
func TestSetPasswordEndsSessions(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		alice := f.user(t, "alice", csreview.RoleOffice, nil)
		admin := f.user(t, "root", csreview.RoleAdmin, nil)
		secret, err := f.s.CreateSession(anon, alice.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		adminSession, err := f.s.CreateSession(anon, admin.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetPassword(as(admin), alice.ID, "reset after a breach"); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.UserBySession(anon, secret)
		wantCode(t, err, csreview.EUNAUTHORIZED)
		if _, err := f.s.UserBySession(anon, adminSession); err != nil {
			t.Fatalf("the admin's own session ended: %v", err)
		}
	})
}

// TestSearchFoldsNonASCII: search is documented as case-insensitive; on
// SQLite, LOWER() folds only ASCII while the query is folded by Go, so a
// foreign supplier cannot be found even by its exact name.
func TestSearchFoldsNonASCII(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		x := &csreview.Supplier{NameZH: "奥地利邮政", NameEN: "Österreichische Post", Country: "AT", RegistrationNo: "FN 180219d"}
		if err := f.s.CreateSupplier(sysCtx, x); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"Österreichische", "österreichische", "ÖSTERREICHISCHE POST"} {
			t.Run(q, func(t *testing.T) {
				_, total, err := f.s.FindSuppliers(sysCtx, csreview.SupplierFilter{Query: q})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := total, 1; got != want {
					t.Fatalf("got %v, want %v", got, want)
				}
			})
		}
	})
}
