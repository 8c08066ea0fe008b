package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// world is a registry with two of everything that is owned, and one user of
// each role (plus the system actor and a disabled admin).
type world struct {
	supA, supB      *csreview.Supplier
	prodA, prodB    *csreview.Product
	opFin, opEnergy *csreview.Operator
	body            *csreview.Body
	target          *csreview.User // an account only admins may see
	users           map[string]*csreview.User
}

// roles are the callers of the authorization tests, by name; "anonymous"
// maps to nil.
var roles = []string{"anonymous", "admin", "system", "office", "member", "expert", "assessor",
	"regulator", "operator", "supplier", "association", "disabled"}

func newWorld(t *testing.T, f *fixture) *world {
	t.Helper()
	w := &world{users: map[string]*csreview.User{"anonymous": nil, "system": csreview.SystemUser("cli")}}
	w.supA = f.supplier(t, "甲供应商")
	w.supB = f.supplier(t, "乙供应商")
	w.prodA = f.product(t, w.supA.ID, "甲产品")
	w.prodB = f.product(t, w.supB.ID, "乙产品")
	w.opFin = f.operator(t, "金融运营者", csreview.SectorFinance)
	w.opEnergy = f.operator(t, "能源运营者", csreview.SectorEnergy)
	w.body = f.body(t, "测评机构")
	w.target = f.user(t, "target", csreview.RoleOffice, nil)
	for name, bind := range map[string]func(*csreview.User){
		"admin":       nil,
		"office":      nil,
		"member":      nil,
		"expert":      nil,
		"association": nil,
		"assessor":    func(u *csreview.User) { u.BodyID = w.body.ID },
		"regulator":   func(u *csreview.User) { u.Sector = csreview.SectorFinance },
		"operator":    func(u *csreview.User) { u.OperatorID = w.opFin.ID },
		"supplier":    func(u *csreview.User) { u.SupplierID = w.supA.ID },
	} {
		w.users[name] = f.user(t, name+"-user", csreview.Role(name), bind)
	}
	// A disabled admin: being disabled must outweigh any role.
	d := f.user(t, "disabled-admin", csreview.RoleAdmin, nil)
	if err := f.s.SetUserDisabled(sysCtx, d.ID, true); err != nil {
		t.Fatal(err)
	}
	d, err := f.s.FindUserByID(sysCtx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Disabled {
		t.Fatal("user not disabled")
	}
	w.users["disabled"] = d
	return w
}

// Role sets of the matrix.
var (
	registrars = []string{"admin", "system", "office"}
	// registryReaders see the whole supplier and product registry.
	registryReaders = []string{"admin", "system", "office", "member", "expert", "assessor", "regulator",
		"operator", "association"}
	signedIn = append(slices.Clone(registryReaders), "supplier")
)

func with(set []string, more ...string) []string { return append(slices.Clone(set), more...) }

// TestAuthzMatrix checks each service call against each role: deny by
// default, ENOTFOUND for what the caller may not see, EFORBIDDEN for what
// it sees but may not change, EUNAUTHORIZED for anonymous creation.
func TestAuthzMatrix(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		w := newWorld(t, f)
		s := f.s
		nf, fb, ua, inv := csreview.ENOTFOUND, csreview.EFORBIDDEN, csreview.EUNAUTHORIZED, csreview.EINVALID

		// fresh returns a name not used before, for objects a row creates.
		fresh := func(prefix string) string { return fmt.Sprintf("%s%d", prefix, f.next()) }
		self := func(ctx context.Context) *csreview.User { return csreview.UserFromContext(ctx) }

		for _, row := range []struct {
			name   string
			do     func(t *testing.T, ctx context.Context) error
			ok     []string          // roles allowed
			deny   string            // the answer to other signed-in roles
			anon   string            // the answer to anonymous callers
			except map[string]string // roles with another answer
		}{
			// Suppliers.
			{"ReadOwnSupplier", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindSupplierByID(ctx, w.supA.ID)
				return err
			}, with(registryReaders, "supplier"), nf, nf, nil},
			{"ReadOtherSupplier", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindSupplierByID(ctx, w.supB.ID)
				return err
			}, registryReaders, nf, nf, nil},
			{"CreateSupplier", func(t *testing.T, ctx context.Context) error {
				return s.CreateSupplier(ctx, f.newSupplier(fresh("供应商")))
			}, registrars, fb, ua, nil},
			{"UpdateOwnSupplier", func(t *testing.T, ctx context.Context) error {
				u := *w.supA
				u.Contact = fresh("联系人")
				return s.UpdateSupplier(ctx, &u)
			}, with(registrars, "supplier"), fb, nf, map[string]string{"disabled": nf}},
			{"UpdateOtherSupplier", func(t *testing.T, ctx context.Context) error {
				u := *w.supB
				u.Contact = fresh("联系人")
				return s.UpdateSupplier(ctx, &u)
			}, registrars, fb, nf, map[string]string{"supplier": nf, "disabled": nf}},
			{"DeleteOwnSupplier", func(t *testing.T, ctx context.Context) error {
				// A supplier with a product cannot be deleted by anyone, so
				// the supplier user's own cannot be the object here: only
				// the refusal is checked.
				if self(ctx) == nil || !self(ctx).Is(csreview.RoleSupplier) {
					return s.DeleteSupplier(ctx, f.supplier(t, fresh("待删供应商")).ID)
				}
				return s.DeleteSupplier(ctx, w.supA.ID)
			}, registrars, fb, nf, map[string]string{"disabled": nf}},
			{"DeleteOtherSupplier", func(t *testing.T, ctx context.Context) error {
				return s.DeleteSupplier(ctx, f.supplier(t, fresh("待删供应商")).ID)
			}, registrars, fb, nf, map[string]string{"supplier": nf, "disabled": nf}},

			// Products.
			{"ReadOwnProduct", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindProductByID(ctx, w.prodA.ID)
				return err
			}, with(registryReaders, "supplier"), nf, nf, nil},
			{"ReadOtherProduct", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindProductByID(ctx, w.prodB.ID)
				return err
			}, registryReaders, nf, nf, nil},
			{"CreateOwnProduct", func(t *testing.T, ctx context.Context) error {
				return s.CreateProduct(ctx, newProduct(w.supA.ID, fresh("产品")))
			}, with(registrars, "supplier"), fb, ua, nil},
			{"CreateOtherProduct", func(t *testing.T, ctx context.Context) error {
				return s.CreateProduct(ctx, newProduct(w.supB.ID, fresh("产品")))
			}, registrars, fb, ua, map[string]string{"supplier": inv}},
			{"UpdateOwnProduct", func(t *testing.T, ctx context.Context) error {
				u := *w.prodA
				u.Description = fresh("说明")
				return s.UpdateProduct(ctx, &u)
			}, with(registrars, "supplier"), fb, nf, map[string]string{"disabled": nf}},
			{"UpdateOtherProduct", func(t *testing.T, ctx context.Context) error {
				u := *w.prodB
				u.Description = fresh("说明")
				return s.UpdateProduct(ctx, &u)
			}, registrars, fb, nf, map[string]string{"supplier": nf, "disabled": nf}},
			{"DeleteOwnProduct", func(t *testing.T, ctx context.Context) error {
				return s.DeleteProduct(ctx, f.product(t, w.supA.ID, fresh("待删产品")).ID)
			}, with(registrars, "supplier"), fb, nf, map[string]string{"disabled": nf}},
			{"DeleteOtherProduct", func(t *testing.T, ctx context.Context) error {
				return s.DeleteProduct(ctx, f.product(t, w.supB.ID, fresh("待删产品")).ID)
			}, registrars, fb, nf, map[string]string{"supplier": nf, "disabled": nf}},
			{"CreateOwnVersion", func(t *testing.T, ctx context.Context) error {
				return s.CreateProductVersion(ctx, &csreview.ProductVersion{ProductID: w.prodA.ID, Version: fresh("v")})
			}, with(registrars, "supplier"), fb, nf, map[string]string{"disabled": nf}},
			{"CreateOtherVersion", func(t *testing.T, ctx context.Context) error {
				return s.CreateProductVersion(ctx, &csreview.ProductVersion{ProductID: w.prodB.ID, Version: fresh("v")})
			}, registrars, fb, nf, map[string]string{"supplier": nf, "disabled": nf}},

			// Operators.
			{"ReadFinanceOperator", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindOperatorByID(ctx, w.opFin.ID)
				return err
			}, []string{"admin", "system", "office", "member", "regulator", "operator"}, nf, nf, nil},
			{"ReadEnergyOperator", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindOperatorByID(ctx, w.opEnergy.ID)
				return err
			}, []string{"admin", "system", "office", "member"}, nf, nf, nil},
			{"CreateFinanceOperator", func(t *testing.T, ctx context.Context) error {
				return s.CreateOperator(ctx, f.newOperator(fresh("运营者"), csreview.SectorFinance))
			}, with(registrars, "regulator"), fb, ua, nil},
			{"CreateEnergyOperator", func(t *testing.T, ctx context.Context) error {
				return s.CreateOperator(ctx, f.newOperator(fresh("运营者"), csreview.SectorEnergy))
			}, registrars, fb, ua, nil},
			{"UpdateFinanceOperator", func(t *testing.T, ctx context.Context) error {
				u := *w.opFin
				u.Contact = fresh("联系人")
				return s.UpdateOperator(ctx, &u)
			}, with(registrars, "regulator", "operator"), nf, nf, map[string]string{"member": fb}},
			{"UpdateEnergyOperator", func(t *testing.T, ctx context.Context) error {
				u := *w.opEnergy
				u.Contact = fresh("联系人")
				return s.UpdateOperator(ctx, &u)
			}, registrars, nf, nf, map[string]string{"member": fb}},
			{"DeleteFinanceOperator", func(t *testing.T, ctx context.Context) error {
				if self(ctx) != nil && self(ctx).Is(csreview.RoleOperator) {
					return s.DeleteOperator(ctx, w.opFin.ID) // its own
				}
				return s.DeleteOperator(ctx, f.operator(t, fresh("待删运营者"), csreview.SectorFinance).ID)
			}, registrars, nf, nf, map[string]string{"member": fb, "regulator": fb, "operator": fb}},

			// Bodies.
			{"ReadBody", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindBodyByID(ctx, w.body.ID)
				return err
			}, signedIn, nf, nf, nil},
			{"CreateBody", func(t *testing.T, ctx context.Context) error {
				return s.CreateBody(ctx, f.newBody(fresh("机构")))
			}, registrars, fb, ua, nil},
			{"UpdateBody", func(t *testing.T, ctx context.Context) error {
				u := *w.body
				u.Contact = fresh("联系人")
				return s.UpdateBody(ctx, &u)
			}, registrars, fb, nf, map[string]string{"disabled": nf}},
			{"DeleteBody", func(t *testing.T, ctx context.Context) error {
				return s.DeleteBody(ctx, f.body(t, fresh("待删机构")).ID)
			}, registrars, fb, nf, map[string]string{"disabled": nf}},

			// Users: only admins manage them; everyone reads itself.
			{"ReadOtherUser", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindUserByID(ctx, w.target.ID)
				return err
			}, []string{"admin", "system"}, nf, nf, nil},
			{"ReadOtherUserByName", func(t *testing.T, ctx context.Context) error {
				_, err := s.FindUserByUsername(ctx, w.target.Username)
				return err
			}, []string{"admin", "system"}, nf, nf, nil},
			{"ReadSelf", func(t *testing.T, ctx context.Context) error {
				id := w.target.ID
				if u := self(ctx); u != nil && !u.System {
					id = u.ID
				}
				_, err := s.FindUserByID(ctx, id)
				return err
			}, signedIn, nf, nf, nil},
			{"CreateUser", func(t *testing.T, ctx context.Context) error {
				return s.CreateUser(ctx, &csreview.User{Username: fresh("new"), DisplayName: "新", Role: csreview.RoleAdmin}, password)
			}, []string{"admin", "system"}, fb, ua, nil},
			{"UpdateOtherUser", func(t *testing.T, ctx context.Context) error {
				u := *w.target
				u.Org = fresh("单位")
				return s.UpdateUser(ctx, &u)
			}, []string{"admin", "system"}, nf, nf, nil},
			{"UpdateSelf", func(t *testing.T, ctx context.Context) error {
				u := *w.target
				if x := self(ctx); x != nil && !x.System {
					u = *x
				}
				u.Role = csreview.RoleAdmin // the escalation a non-admin would want
				u.Org = fresh("单位")
				err := s.UpdateUser(ctx, &u)
				if err == nil && u.ID == w.target.ID {
					u.Role = csreview.RoleOffice // put target back
					err = s.UpdateUser(sysCtx, &u)
				}
				return err
			}, []string{"admin", "system"}, fb, nf, map[string]string{"disabled": nf}},
			{"DisableOtherUser", func(t *testing.T, ctx context.Context) error {
				u := f.user(t, fresh("victim"), csreview.RoleOffice, nil)
				return s.SetUserDisabled(ctx, u.ID, true)
			}, []string{"admin", "system"}, nf, nf, nil},
			{"DisableSelf", func(t *testing.T, ctx context.Context) error {
				id := w.target.ID
				if u := self(ctx); u != nil && !u.System {
					id = u.ID
				}
				err := s.SetUserDisabled(ctx, id, true)
				if err == nil {
					err = s.SetUserDisabled(sysCtx, id, false)
				}
				return err
			}, []string{"system"}, fb, nf, map[string]string{"disabled": nf}}, // an admin may not lock itself out
			{"CreateTokenForOther", func(t *testing.T, ctx context.Context) error {
				_, _, err := s.CreateToken(ctx, w.target.ID, "token", 0)
				return err
			}, []string{"admin", "system"}, nf, ua, nil},

			// The audit log.
			{"ReadAudit", func(t *testing.T, ctx context.Context) error {
				_, _, err := s.FindAuditRecords(ctx, csreview.AuditFilter{})
				return err
			}, registrars, fb, ua, nil},
		} {
			t.Run(row.name, func(t *testing.T) {
				for _, role := range roles {
					want := row.deny
					switch code, ok := row.except[role]; {
					case slices.Contains(row.ok, role):
						want = ""
					case ok:
						want = code
					case role == "anonymous":
						want = row.anon
					}
					t.Run(role, func(t *testing.T) {
						if got := csreview.ErrorCode(row.do(t, as(w.users[role]))); got != want {
							t.Fatalf("got %v, want %v", got, want)
						}
					})
				}
			})
		}
	})
}

// TestAuthzLists checks that every list shows each role only what it may
// read, whatever the filter asks for.
func TestAuthzLists(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		w := newWorld(t, f)
		s := f.s
		var allUsers []int64
		list, _, err := s.FindUsers(sysCtx, csreview.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range list {
			allUsers = append(allUsers, u.ID)
		}

		type ids = []int64
		sup, prod, op := ids{w.supA.ID, w.supB.ID}, ids{w.prodA.ID, w.prodB.ID}, ids{w.opFin.ID, w.opEnergy.ID}
		want := map[string]struct{ suppliers, products, operators, bodies, users ids }{
			"admin":       {sup, prod, op, ids{w.body.ID}, allUsers},
			"system":      {sup, prod, op, ids{w.body.ID}, allUsers},
			"office":      {sup, prod, op, ids{w.body.ID}, nil},
			"member":      {sup, prod, op, ids{w.body.ID}, nil},
			"expert":      {sup, prod, nil, ids{w.body.ID}, nil},
			"assessor":    {sup, prod, nil, ids{w.body.ID}, nil},
			"regulator":   {sup, prod, ids{w.opFin.ID}, ids{w.body.ID}, nil},
			"operator":    {sup, prod, ids{w.opFin.ID}, ids{w.body.ID}, nil},
			"supplier":    {ids{w.supA.ID}, ids{w.prodA.ID}, nil, ids{w.body.ID}, nil},
			"association": {sup, prod, nil, ids{w.body.ID}, nil},
			"anonymous":   {},
			"disabled":    {},
		}
		sorted := func(list ids) ids {
			list = slices.Clone(list)
			slices.Sort(list)
			return list
		}
		check := func(t *testing.T, what string, got ids, total int, want ids) {
			t.Helper()
			if !slices.Equal(sorted(got), sorted(want)) {
				t.Fatalf("%s: got %v, want %v", what, got, want)
			}
			if total != len(want) {
				t.Fatalf("%s: got total %v, want %v", what, total, len(want))
			}
		}
		for _, role := range roles {
			t.Run(role, func(t *testing.T) {
				ctx := as(w.users[role])
				want := want[role]
				if role != "admin" && role != "system" && role != "anonymous" && role != "disabled" {
					want.users = ids{w.users[role].ID} // its own account only
				}

				ss, total, err := s.FindSuppliers(ctx, csreview.SupplierFilter{})
				if err != nil {
					t.Fatal(err)
				}
				var got ids
				for _, x := range ss {
					got = append(got, x.ID)
				}
				check(t, "suppliers", got, total, want.suppliers)
				// Asking for the other supplier by name does not widen the scope.
				ss, total, err = s.FindSuppliers(ctx, csreview.SupplierFilter{Query: "乙"})
				if err != nil {
					t.Fatal(err)
				}
				wantB := ids{}
				if slices.Contains(want.suppliers, w.supB.ID) {
					wantB = ids{w.supB.ID}
				}
				got = nil
				for _, x := range ss {
					got = append(got, x.ID)
				}
				check(t, "suppliers named 乙", got, total, wantB)

				ps, total, err := s.FindProducts(ctx, csreview.ProductFilter{})
				if err != nil {
					t.Fatal(err)
				}
				got = nil
				for _, x := range ps {
					got = append(got, x.ID)
				}
				check(t, "products", got, total, want.products)
				ps, total, err = s.FindProducts(ctx, csreview.ProductFilter{SupplierID: w.supB.ID})
				if err != nil {
					t.Fatal(err)
				}
				wantB = ids{}
				if slices.Contains(want.products, w.prodB.ID) {
					wantB = ids{w.prodB.ID}
				}
				got = nil
				for _, x := range ps {
					got = append(got, x.ID)
				}
				check(t, "products of supplier B", got, total, wantB)

				ops, total, err := s.FindOperators(ctx, csreview.OperatorFilter{})
				if err != nil {
					t.Fatal(err)
				}
				got = nil
				for _, x := range ops {
					got = append(got, x.ID)
				}
				check(t, "operators", got, total, want.operators)
				ops, total, err = s.FindOperators(ctx, csreview.OperatorFilter{Sector: csreview.SectorEnergy})
				if err != nil {
					t.Fatal(err)
				}
				wantE := ids{}
				if slices.Contains(want.operators, w.opEnergy.ID) {
					wantE = ids{w.opEnergy.ID}
				}
				got = nil
				for _, x := range ops {
					got = append(got, x.ID)
				}
				check(t, "energy operators", got, total, wantE)

				bs, total, err := s.FindBodies(ctx, csreview.BodyFilter{})
				if err != nil {
					t.Fatal(err)
				}
				got = nil
				for _, x := range bs {
					got = append(got, x.ID)
				}
				check(t, "bodies", got, total, want.bodies)

				us, total, err := s.FindUsers(ctx, csreview.UserFilter{})
				if err != nil {
					t.Fatal(err)
				}
				got = nil
				for _, x := range us {
					got = append(got, x.ID)
				}
				check(t, "users", got, total, want.users)
			})
		}
	})
}

// TestAuthzOwnership checks the changes that would move an object out of
// the caller's reach: refused, and nothing changes.
func TestAuthzOwnership(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		w := newWorld(t, f)
		s := f.s

		t.Run("SupplierMovesProductAway", func(t *testing.T) {
			u := *w.prodA
			u.SupplierID = w.supB.ID
			wantCode(t, s.UpdateProduct(as(w.users["supplier"]), &u), csreview.EFORBIDDEN)
			got, err := s.FindProductByID(sysCtx, w.prodA.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.SupplierID != w.supA.ID {
				t.Fatalf("got supplier %d, want %d", got.SupplierID, w.supA.ID)
			}
		})
		t.Run("SupplierTakesOverProduct", func(t *testing.T) {
			u := *w.prodB
			u.SupplierID = w.supA.ID
			wantCode(t, s.UpdateProduct(as(w.users["supplier"]), &u), csreview.ENOTFOUND)
		})
		t.Run("SupplierChangesVersionOfOther", func(t *testing.T) {
			v := &csreview.ProductVersion{ProductID: w.prodB.ID, Version: "9.9"}
			if err := s.CreateProductVersion(sysCtx, v); err != nil {
				t.Fatal(err)
			}
			u := *v
			u.Notes = "篡改"
			wantCode(t, s.UpdateProductVersion(as(w.users["supplier"]), &u), csreview.ENOTFOUND)
			wantCode(t, s.DeleteProductVersion(as(w.users["supplier"]), w.prodB.ID, v.ID), csreview.ENOTFOUND)
			// Nor through its own product's ID.
			u.ProductID = w.prodA.ID
			wantCode(t, s.UpdateProductVersion(as(w.users["supplier"]), &u), csreview.ENOTFOUND)
			wantCode(t, s.DeleteProductVersion(as(w.users["supplier"]), w.prodA.ID, v.ID), csreview.ENOTFOUND)
			got, err := s.FindProductByID(sysCtx, w.prodB.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Versions) != 1 || got.Versions[0].Notes != "" {
				t.Fatalf("got versions %+v", got.Versions)
			}
		})
		t.Run("SupplierProfileOwnOnly", func(t *testing.T) {
			u := *w.supA
			u.Address = "新地址"
			if err := s.UpdateSupplier(as(w.users["supplier"]), &u); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindSupplierByID(sysCtx, w.supA.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Address != "新地址" {
				t.Fatalf("got address %q", got.Address)
			}
			// Writing its profile over another supplier's ID is refused.
			u.ID = w.supB.ID
			u.USCC = w.supB.USCC
			wantCode(t, s.UpdateSupplier(as(w.users["supplier"]), &u), csreview.ENOTFOUND)
		})
		t.Run("RegulatorMovesOperatorAway", func(t *testing.T) {
			u := *w.opFin
			u.Sector = csreview.SectorEnergy
			wantCode(t, s.UpdateOperator(as(w.users["regulator"]), &u), csreview.EFORBIDDEN)
			got, err := s.FindOperatorByID(sysCtx, w.opFin.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Sector != csreview.SectorFinance {
				t.Fatalf("got sector %v", got.Sector)
			}
		})
		t.Run("RegulatorCreatesInOwnSectorOnly", func(t *testing.T) {
			reg := as(w.users["regulator"])
			o := f.newOperator("新金融运营者", csreview.SectorFinance)
			if err := s.CreateOperator(reg, o); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindOperatorByID(reg, o.ID); err != nil {
				t.Fatalf("regulator cannot see the operator it created: %v", err)
			}
			wantCode(t, s.CreateOperator(reg, f.newOperator("新能源运营者", csreview.SectorEnergy)), csreview.EFORBIDDEN)
		})
		t.Run("OperatorUserOwnOnly", func(t *testing.T) {
			opCtx := as(w.users["operator"])
			got, err := s.FindOperatorByID(opCtx, w.opFin.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.Contact = "运营者自己"
			if err := s.UpdateOperator(opCtx, got); err != nil {
				t.Fatal(err)
			}
			u := *w.opEnergy
			wantCode(t, s.UpdateOperator(opCtx, &u), csreview.ENOTFOUND)
			wantCode(t, s.CreateOperator(opCtx, f.newOperator("另一运营者", csreview.SectorFinance)), csreview.EFORBIDDEN)
		})
		t.Run("UserCannotRaiseOwnRole", func(t *testing.T) {
			me := *w.users["supplier"]
			me.Role = csreview.RoleAdmin
			wantCode(t, s.UpdateUser(as(w.users["supplier"]), &me), csreview.EFORBIDDEN)
			got, err := s.FindUserByID(sysCtx, me.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Role != csreview.RoleSupplier {
				t.Fatalf("got role %v", got.Role)
			}
		})
	})
}
