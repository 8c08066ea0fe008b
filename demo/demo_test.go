package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/sqlstore/sqltest"
	"github.com/csreview/csreview/verify"
)

func TestMain(m *testing.M) {
	// Cheap hashes: the tests create and sign in nine accounts per load.
	csreview.DefaultArgon2 = csreview.Argon2Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

// today is a fixed day, so that the accreditation periods are predictable.
const today csreview.Date = "2026-03-15"

func newStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return sqlstore.NewStore(db)
}

func systemCtx() context.Context {
	return csreview.NewContextWithUser(context.Background(), csreview.SystemUser("demo"))
}

func load(t *testing.T) (*sqlstore.Store, []demo.Account) {
	t.Helper()
	store := newStore(t)
	accounts, err := demo.Load(systemCtx(), store, today)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return store, accounts
}

// counts returns how many records of each kind the store holds.
func counts(t *testing.T, store *sqlstore.Store) map[string]int {
	t.Helper()
	ctx := systemCtx()
	n := map[string]int{}
	var err error
	if _, n["suppliers"], err = store.FindSuppliers(ctx, csreview.SupplierFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, n["products"], err = store.FindProducts(ctx, csreview.ProductFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, n["operators"], err = store.FindOperators(ctx, csreview.OperatorFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, n["bodies"], err = store.FindBodies(ctx, csreview.BodyFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, n["users"], err = store.FindUsers(ctx, csreview.UserFilter{}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoad(t *testing.T) {
	t.Parallel()
	store, accounts := load(t)
	ctx := systemCtx()

	t.Run("EveryCategory", func(t *testing.T) {
		for _, c := range csreview.Categories {
			list, n, err := store.FindProducts(ctx, csreview.ProductFilter{Category: c})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("no product in category %s", c)
			}
			for _, p := range list {
				if c == csreview.CategoryCloud && !p.Service {
					t.Errorf("cloud product %s is not a service", p.NameZH)
				}
			}
		}
	})

	t.Run("Versions", func(t *testing.T) {
		list, n, err := store.FindProducts(ctx, csreview.ProductFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if n < 10 {
			t.Errorf("got %d products, want at least 10", n)
		}
		for _, p := range list {
			p, err := store.FindProductByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(p.Versions); got < 1 || got > 3 {
				t.Errorf("%s: got %d versions, want 1 to 3", p.NameZH, got)
			}
			for _, v := range p.Versions {
				if v.ReleasedOn == "" {
					t.Errorf("%s %s: no release date", p.NameZH, v.Version)
				}
			}
		}
	})

	t.Run("EverySector", func(t *testing.T) {
		for _, s := range csreview.Sectors {
			list, _, err := store.FindOperators(ctx, csreview.OperatorFilter{Sector: s})
			if err != nil {
				t.Fatal(err)
			}
			cii := false
			for _, o := range list {
				cii = cii || o.CII
			}
			if !cii {
				t.Errorf("no CII operator in sector %s", s)
			}
		}
	})

	t.Run("PlatformOverThreshold", func(t *testing.T) {
		list, _, err := store.FindOperators(ctx, csreview.OperatorFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, o := range list {
			// 2021 Measures Art. 7: more than one million users.
			found = found || (o.Platform && o.PersonalInfoUsers > 1_000_000)
		}
		if !found {
			t.Error("no platform operator holding personal information of more than 1,000,000 users")
		}
	})

	t.Run("DomesticAndForeignSuppliers", func(t *testing.T) {
		for _, domestic := range []bool{true, false} {
			list, n, err := store.FindSuppliers(ctx, csreview.SupplierFilter{Domestic: &domestic})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("no supplier with Domestic=%v", domestic)
			}
			for _, s := range list {
				if s.Domestic() != domestic {
					t.Errorf("%s: Domestic() = %v, filtered as %v", s.NameZH, s.Domestic(), domestic)
				}
				if domestic && !csreview.ValidUSCC(s.USCC) {
					t.Errorf("%s: invalid USCC %q", s.NameZH, s.USCC)
				}
				if !domestic && s.RegistrationNo == "" {
					t.Errorf("%s: no registration number", s.NameZH)
				}
			}
		}
	})

	t.Run("SupplierSharesGroupWithBody", func(t *testing.T) {
		suppliers, _, err := store.FindSuppliers(ctx, csreview.SupplierFilter{})
		if err != nil {
			t.Fatal(err)
		}
		bodies, _, err := store.FindBodies(ctx, csreview.BodyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		shared := false
		for _, s := range suppliers {
			for _, b := range bodies {
				shared = shared || (s.Group != "" && s.Group == b.Group)
			}
		}
		if !shared {
			t.Error("no supplier shares a group with a body: nothing to show a conflict of interest with")
		}
	})

	t.Run("LapsedAndValidBodies", func(t *testing.T) {
		bodies, total, err := store.FindBodies(ctx, csreview.BodyFilter{})
		if err != nil {
			t.Fatal(err)
		}
		_, valid, err := store.FindBodies(ctx, csreview.BodyFilter{ValidOn: today})
		if err != nil {
			t.Fatal(err)
		}
		if valid == 0 || valid >= total {
			t.Errorf("%d of %d bodies valid on %s, want some but not all", valid, total, today)
		}
		lapsed := 0
		for _, b := range bodies {
			if b.ValidUntil.Before(today) && b.ValidUntil.Time().Year() == today.Time().Year()-1 {
				lapsed++
			}
		}
		if lapsed != 1 {
			t.Errorf("got %d bodies lapsed last year, want 1", lapsed)
		}
	})

	t.Run("OneAccountPerRole", func(t *testing.T) {
		if got, want := len(accounts), len(csreview.Roles); got != want {
			t.Fatalf("got %d accounts, want %d", got, want)
		}
		for i, r := range csreview.Roles {
			a := accounts[i]
			if a.Username != string(r) || a.Role != r || a.Password != demo.Password {
				t.Errorf("account %d = %+v, want username and role %s with the demo password", i, a, r)
			}
			if a.Org == "" && r != csreview.RoleAdmin {
				t.Errorf("account %s: no organisation", a.Username)
			}
		}
	})

	for _, r := range csreview.Roles {
		t.Run("SignIn/"+string(r), func(t *testing.T) {
			ctx := context.Background()
			u, err := store.Authenticate(ctx, string(r), demo.Password)
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if got, want := u.Role, r; got != want {
				t.Fatalf("got role %s, want %s", got, want)
			}
			if _, err := store.Authenticate(ctx, string(r), demo.Password+"x"); csreview.ErrorCode(err) != csreview.EUNAUTHORIZED {
				t.Fatalf("wrong password: got %v, want %s", err, csreview.EUNAUTHORIZED)
			}
			checkBinding(t, store, u)
		})
	}

	t.Run("Audited", func(t *testing.T) {
		n := counts(t, store)
		for entity, want := range map[string]int{"supplier": n["suppliers"], "operator": n["operators"],
			"body": n["bodies"], "product": n["products"], "user": n["users"]} {
			records, _, err := store.FindAuditRecords(ctx, csreview.AuditFilter{Entity: entity, Action: "create",
				Page: csreview.Page{Limit: csreview.MaxLimit}})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(records); got != want {
				t.Errorf("%d create records for %s, want %d", got, entity, want)
			}
			for _, r := range records {
				if r.Actor != "demo" {
					t.Errorf("%s %d created by %q, want demo", entity, r.EntityID, r.Actor)
				}
			}
		}
	})
}

// checkBinding checks that a signed-in demo user reaches the objects its
// role is for: the policy functions scope by the organisation it is bound to.
func checkBinding(t *testing.T, store *sqlstore.Store, u *csreview.User) {
	t.Helper()
	ctx := csreview.NewContextWithUser(context.Background(), u)
	switch u.Role {
	case csreview.RoleSupplier:
		list, n, err := store.FindProducts(ctx, csreview.ProductFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Error("the supplier user sees no products")
		}
		for _, p := range list {
			if p.SupplierID != u.SupplierID {
				t.Errorf("the supplier user sees %s of supplier %d", p.NameZH, p.SupplierID)
			}
		}
	case csreview.RoleOperator:
		o, err := store.FindOperatorByID(ctx, u.OperatorID)
		if err != nil {
			t.Fatal(err)
		}
		if !o.CII {
			t.Errorf("the operator user's %s is not a CII operator", o.NameZH)
		}
	case csreview.RoleRegulator:
		if u.Sector != csreview.SectorFinance {
			t.Errorf("regulator sector %s, want %s", u.Sector, csreview.SectorFinance)
		}
		list, _, err := store.FindOperators(ctx, csreview.OperatorFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			t.Error("the regulator sees no operators in its sector")
		}
		for _, o := range list {
			if o.Sector != u.Sector {
				t.Errorf("the regulator sees %s of sector %s", o.NameZH, o.Sector)
			}
		}
	case csreview.RoleAssessor:
		b, err := store.FindBodyByID(ctx, u.BodyID)
		if err != nil {
			t.Fatal(err)
		}
		if !b.AccreditedOn(today) {
			t.Errorf("the assessor's body %s is not accredited on %s", b.NameZH, today)
		}
	}
}

func TestLoadTwice(t *testing.T) {
	t.Parallel()
	store, _ := load(t)
	before := counts(t, store)
	_, err := demo.Load(systemCtx(), store, today)
	if got, want := csreview.ErrorCode(err), csreview.ECONFLICT; got != want {
		t.Fatalf("second Load: got %v (%q), want %s", err, got, want)
	}
	after := counts(t, store)
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d after the second Load, %d before", k, after[k], n)
		}
	}
}

func TestLoadRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		ctx   context.Context
		today csreview.Date
		code  string
	}{
		{"ErrAnonymous", context.Background(), today, csreview.EUNAUTHORIZED},
		{"ErrNotAllowed", csreview.NewContextWithUser(context.Background(),
			&csreview.User{ID: 1, Username: "expert", Role: csreview.RoleExpert}), today, csreview.EFORBIDDEN},
		{"ErrInvalidToday", systemCtx(), "2026-02-30", csreview.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := newStore(t)
			_, err := demo.Load(tt.ctx, store, tt.today)
			if got := csreview.ErrorCode(err); got != tt.code {
				t.Fatalf("got %v (%q), want %s", err, got, tt.code)
			}
			for k, n := range counts(t, store) {
				if n != 0 {
					t.Errorf("%d %s written by a refused Load", n, k)
				}
			}
		})
	}
}

// TestLoadLeapDay: the accreditation periods are computed from today, which
// may be any day of the calendar.
func TestLoadLeapDay(t *testing.T) {
	t.Parallel()
	if _, err := demo.Load(systemCtx(), newStore(t), "2028-02-29"); err != nil {
		t.Fatal(err)
	}
}

// TestLoadAll walks the demo cases: three published decisions, one of them
// revoked by a failed re-review, one case still in assessment; the log
// verifies.
func TestLoadAll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return today.Time().Add(2 * time.Hour) }
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store := sqlstore.NewStore(db)
	if _, err := demo.LoadAll(systemCtx(), store, today); err != nil {
		t.Fatal(err)
	}
	all, _, err := store.FindListEntries(ctx, csreview.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var passed, failed, revoked int
	for _, e := range all {
		switch {
		case e.RevokedAt != "":
			revoked++
		case e.List == csreview.ListPassed:
			passed++
		default:
			failed++
		}
	}
	if passed != 1 || failed != 2 || revoked != 1 {
		t.Errorf("lists: %d passed, %d failed, %d revoked; want 1, 2, 1", passed, failed, revoked)
	}
	cases, _, err := store.FindCases(systemCtx(), csreview.CaseFilter{})
	if err != nil || len(cases) != 5 {
		t.Fatalf("cases: %v %d", err, len(cases))
	}
	r, _, err := verify.Run(ctx, store.VerifySource(), nil, verify.Options{})
	if err != nil || !r.OK() || r.Leaves != 5 {
		t.Fatalf("verify: %v %+v", err, r)
	}
}

// TestDemoDueDateBeyondCalendar: loaded on 4 December 2026, when the
// calendar has no holiday notice for 2027, the demo case left in
// assessment (CSR-2026-0005) has its preliminary review (2021 Measures Art.
// 11, 30 working days) due on 2027-01-18, 1 January being a statutory
// holiday (《全国年节及纪念日放假办法》 Art. 2), not on 2027-01-15 as
// weekends alone would have it, and the due date is provisional.
func TestDemoDueDateBeyondCalendar(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		const day csreview.Date = "2026-12-04"
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now = func() time.Time { return day.Time().Add(2 * time.Hour) } // 10:00 in Beijing
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		store := sqlstore.NewStore(db)
		if _, err := demo.LoadAll(systemCtx(), store, day); err != nil {
			t.Fatal(err)
		}
		rules, err := review.DefaultRules()
		if err != nil {
			t.Fatal(err)
		}
		cases, _, err := store.FindCases(systemCtx(), csreview.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, c := range cases {
			if c.Ref != "CSR-2026-0005" {
				continue
			}
			clocks, err := store.FindCaseClocks(systemCtx(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, clk := range clocks {
				if clk.Clock != "preliminary" {
					continue
				}
				found = true
				s := review.Status(rules.Cal, *clk, day)
				if s.Due != "2027-01-18" || !s.Provisional || s.ProvisionalReason != review.NoticeMissing {
					t.Errorf("CSR-2026-0005 preliminary review: due %s, provisional %v (%s); want 2027-01-18, provisional",
						s.Due, s.Provisional, s.ProvisionalReason)
				}
			}
		}
		if !found {
			t.Fatal("no running preliminary review clock on CSR-2026-0005")
		}
	})
}
