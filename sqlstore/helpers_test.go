package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// The callers the tests act as.
var (
	anon   = context.Background() // no user: anonymous
	sysCtx = as(csreview.SystemUser("test"))
)

// as returns a context acting as u.
func as(u *csreview.User) context.Context {
	return csreview.NewContextWithUser(context.Background(), u)
}

// password is every test user's password.
const password = "correct horse battery"

// uscc returns the n-th valid unified social credit code: a Beijing
// enterprise prefix, n in nine digits, and the check character.
func uscc(n int) string {
	s := fmt.Sprintf("91110000%09d", n)
	return s + string(csreview.USCCCheck(s))
}

// wantCode fails the test unless err has the code want ("" for nil).
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := csreview.ErrorCode(err); got != want {
		t.Fatalf("got %v, want %v (error: %v)", got, want, err)
	}
}

// wantInvalid fails the test unless err is EINVALID naming exactly fields.
func wantInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, csreview.EINVALID)
	if got, want := fieldNames(err), sortedSet(fields); !slices.Equal(got, want) {
		t.Fatalf("got fields %v, want %v (error: %v)", got, want, err)
	}
}

// fieldNames returns the distinct field names of an *Error, sorted.
func fieldNames(err error) []string {
	e := csreview.AsError(err)
	if e == nil {
		return nil
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return sortedSet(names)
}

func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// fixture builds objects through the store as the system user, on a clock
// the test controls.
type fixture struct {
	db  *sqlstore.DB
	s   *sqlstore.Store
	now time.Time
	n   int // last key number handed out
}

// t0 is when every fixture's clock starts: whole seconds, so it survives
// the store's microsecond timestamps unchanged.
var t0 = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func newFixture(db *sqlstore.DB) *fixture {
	f := &fixture{db: db, s: sqlstore.NewStore(db), now: t0}
	db.Now = func() time.Time { return f.now }
	return f
}

// advance moves the clock on.
func (f *fixture) advance(d time.Duration) { f.now = f.now.Add(d) }

// next returns a number not used before in this fixture.
func (f *fixture) next() int { f.n++; return f.n }

// newSupplier returns a valid, unsaved domestic supplier.
func (f *fixture) newSupplier(name string) *csreview.Supplier {
	return &csreview.Supplier{NameZH: name, Country: "CN", USCC: uscc(f.next())}
}

func (f *fixture) supplier(t *testing.T, name string) *csreview.Supplier {
	t.Helper()
	s := f.newSupplier(name)
	if err := f.s.CreateSupplier(sysCtx, s); err != nil {
		t.Fatalf("CreateSupplier(%s): %v", name, err)
	}
	return s
}

func newProduct(supplierID int64, name string) *csreview.Product {
	return &csreview.Product{SupplierID: supplierID, NameZH: name, Category: csreview.CategorySoftware}
}

func (f *fixture) product(t *testing.T, supplierID int64, name string) *csreview.Product {
	t.Helper()
	p := newProduct(supplierID, name)
	if err := f.s.CreateProduct(sysCtx, p); err != nil {
		t.Fatalf("CreateProduct(%s): %v", name, err)
	}
	return p
}

func (f *fixture) newOperator(name string, sector csreview.Sector) *csreview.Operator {
	return &csreview.Operator{NameZH: name, USCC: uscc(f.next()), Sector: sector}
}

func (f *fixture) operator(t *testing.T, name string, sector csreview.Sector) *csreview.Operator {
	t.Helper()
	o := f.newOperator(name, sector)
	if err := f.s.CreateOperator(sysCtx, o); err != nil {
		t.Fatalf("CreateOperator(%s): %v", name, err)
	}
	return o
}

func (f *fixture) newBody(name string) *csreview.Body {
	n := f.next()
	return &csreview.Body{NameZH: name, USCC: uscc(n), AccreditationNo: fmt.Sprintf("CNAS-%04d", n),
		Scope:     []csreview.Category{csreview.CategorySoftware, csreview.CategoryCloud},
		ValidFrom: "2023-01-01", ValidUntil: "2027-12-31"}
}

func (f *fixture) body(t *testing.T, name string) *csreview.Body {
	t.Helper()
	b := f.newBody(name)
	if err := f.s.CreateBody(sysCtx, b); err != nil {
		t.Fatalf("CreateBody(%s): %v", name, err)
	}
	return b
}

// user creates an account with the given role; bind sets its organisation.
func (f *fixture) user(t *testing.T, username string, role csreview.Role, bind func(*csreview.User)) *csreview.User {
	t.Helper()
	u := &csreview.User{Username: username, DisplayName: "User " + username, Role: role}
	if bind != nil {
		bind(u)
	}
	if err := f.s.CreateUser(sysCtx, u, password); err != nil {
		t.Fatalf("CreateUser(%s): %v", username, err)
	}
	return u
}

// auditTotal returns the number of audit records.
func (f *fixture) auditTotal(t *testing.T) int {
	t.Helper()
	_, total, err := f.s.FindAuditRecords(sysCtx, csreview.AuditFilter{})
	if err != nil {
		t.Fatalf("FindAuditRecords: %v", err)
	}
	return total
}

// lastAudit returns the newest audit record about entity id.
func (f *fixture) lastAudit(t *testing.T, entity string, id int64) *csreview.AuditRecord {
	t.Helper()
	list, _, err := f.s.FindAuditRecords(sysCtx, csreview.AuditFilter{Entity: entity, EntityID: id, Page: csreview.Page{Limit: 1}})
	if err != nil {
		t.Fatalf("FindAuditRecords: %v", err)
	}
	if len(list) == 0 {
		t.Fatalf("no audit record for %s %d", entity, id)
	}
	return list[0]
}

func ptr[T any](v T) *T { return &v }
