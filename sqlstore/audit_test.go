package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// decode returns an audit record's before or after object as a map.
func decode(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	if raw == nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("audit JSON %s: %v", raw, err)
	}
	return m
}

func TestAuditTrail(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		root := f.user(t, "root", csreview.RoleAdmin, nil)
		ctx := as(root)
		owner := f.user(t, "owner", csreview.RoleOffice, nil)

		var (
			sup  *csreview.Supplier
			prod *csreview.Product
			ver  *csreview.ProductVersion
			op   *csreview.Operator
			body *csreview.Body
			usr  *csreview.User
			tok  *csreview.APIToken
		)
		must := func(t *testing.T, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct {
			name          string
			do            func(t *testing.T) (entity string, id int64)
			action        string
			before, after bool
			records       int                                              // records written; 1 if zero
			check         func(t *testing.T, before, after map[string]any) // optional
		}{
			{"CreateSupplier", func(t *testing.T) (string, int64) {
				sup = f.newSupplier("审计供应商")
				must(t, f.s.CreateSupplier(ctx, sup))
				return "supplier", sup.ID
			}, "create", false, true, 0, func(t *testing.T, _, a map[string]any) {
				if a["name_zh"] != "审计供应商" || a["uscc"] != sup.USCC {
					t.Fatalf("got after %v", a)
				}
			}},
			{"UpdateSupplier", func(t *testing.T) (string, int64) {
				u := *sup
				u.NameZH = "审计供应商（更名）"
				must(t, f.s.UpdateSupplier(ctx, &u))
				return "supplier", sup.ID
			}, "update", true, true, 0, func(t *testing.T, b, a map[string]any) {
				if b["name_zh"] != "审计供应商" || a["name_zh"] != "审计供应商（更名）" {
					t.Fatalf("got before %v after %v", b, a)
				}
			}},
			{"CreateProduct", func(t *testing.T) (string, int64) {
				prod = newProduct(sup.ID, "审计产品")
				prod.Versions = []*csreview.ProductVersion{{Version: "1.0"}}
				must(t, f.s.CreateProduct(ctx, prod))
				return "product", prod.ID
			}, "create", false, true, 2, func(t *testing.T, _, a map[string]any) { // the product and its version
				if a["name_zh"] != "审计产品" {
					t.Fatalf("got after %v", a)
				}
				r := f.lastAudit(t, "product_version", prod.Versions[0].ID)
				if r.Action != "create" || r.ActorID != root.ID {
					t.Fatalf("got version record %+v", r)
				}
			}},
			{"UpdateProduct", func(t *testing.T) (string, int64) {
				u := *prod
				u.Category = csreview.CategoryCloud
				must(t, f.s.UpdateProduct(ctx, &u))
				return "product", prod.ID
			}, "update", true, true, 0, func(t *testing.T, b, a map[string]any) {
				if b["category"] != "software" || a["category"] != "cloud" {
					t.Fatalf("got before %v after %v", b, a)
				}
			}},
			{"CreateProductVersion", func(t *testing.T) (string, int64) {
				ver = &csreview.ProductVersion{ProductID: prod.ID, Version: "2.0"}
				must(t, f.s.CreateProductVersion(ctx, ver))
				return "product_version", ver.ID
			}, "create", false, true, 0, nil},
			{"UpdateProductVersion", func(t *testing.T) (string, int64) {
				u := *ver
				u.Notes = "补丁"
				must(t, f.s.UpdateProductVersion(ctx, &u))
				return "product_version", ver.ID
			}, "update", true, true, 0, func(t *testing.T, b, a map[string]any) {
				if b["notes"] != nil || a["notes"] != "补丁" {
					t.Fatalf("got before %v after %v", b, a)
				}
			}},
			{"DeleteProductVersion", func(t *testing.T) (string, int64) {
				must(t, f.s.DeleteProductVersion(ctx, prod.ID, ver.ID))
				return "product_version", ver.ID
			}, "delete", true, false, 0, nil},
			{"DeleteProduct", func(t *testing.T) (string, int64) {
				must(t, f.s.DeleteProduct(ctx, prod.ID))
				return "product", prod.ID
			}, "delete", true, false, 0, func(t *testing.T, b, _ map[string]any) {
				if b["name_zh"] != "审计产品" {
					t.Fatalf("got before %v", b)
				}
			}},
			{"DeleteSupplier", func(t *testing.T) (string, int64) {
				must(t, f.s.DeleteSupplier(ctx, sup.ID))
				return "supplier", sup.ID
			}, "delete", true, false, 0, nil},
			{"CreateOperator", func(t *testing.T) (string, int64) {
				op = f.newOperator("审计运营者", csreview.SectorWater)
				must(t, f.s.CreateOperator(ctx, op))
				return "operator", op.ID
			}, "create", false, true, 0, nil},
			{"UpdateOperator", func(t *testing.T) (string, int64) {
				u := *op
				u.CII = true
				must(t, f.s.UpdateOperator(ctx, &u))
				return "operator", op.ID
			}, "update", true, true, 0, func(t *testing.T, b, a map[string]any) {
				if b["cii"] != false || a["cii"] != true {
					t.Fatalf("got before %v after %v", b, a)
				}
			}},
			{"DeleteOperator", func(t *testing.T) (string, int64) {
				must(t, f.s.DeleteOperator(ctx, op.ID))
				return "operator", op.ID
			}, "delete", true, false, 0, nil},
			{"CreateBody", func(t *testing.T) (string, int64) {
				body = f.newBody("审计机构")
				must(t, f.s.CreateBody(ctx, body))
				return "body", body.ID
			}, "create", false, true, 0, nil},
			{"UpdateBody", func(t *testing.T) (string, int64) {
				u := *body
				u.ValidUntil = "2030-01-01"
				must(t, f.s.UpdateBody(ctx, &u))
				return "body", body.ID
			}, "update", true, true, 0, nil},
			{"DeleteBody", func(t *testing.T) (string, int64) {
				must(t, f.s.DeleteBody(ctx, body.ID))
				return "body", body.ID
			}, "delete", true, false, 0, nil},
			{"CreateUser", func(t *testing.T) (string, int64) {
				usr = &csreview.User{Username: "audited", DisplayName: "被审计", Role: csreview.RoleExpert}
				must(t, f.s.CreateUser(ctx, usr, password))
				return "user", usr.ID
			}, "create", false, true, 0, func(t *testing.T, _, a map[string]any) {
				if a["username"] != "audited" {
					t.Fatalf("got after %v", a)
				}
			}},
			{"UpdateUser", func(t *testing.T) (string, int64) {
				u := *usr
				u.Org = "专家委员会"
				must(t, f.s.UpdateUser(ctx, &u))
				return "user", usr.ID
			}, "update", true, true, 0, nil},
			{"DisableUser", func(t *testing.T) (string, int64) {
				must(t, f.s.SetUserDisabled(ctx, usr.ID, true))
				return "user", usr.ID
			}, "update", true, true, 0, func(t *testing.T, b, a map[string]any) {
				if b["disabled"] != false || a["disabled"] != true {
					t.Fatalf("got before %v after %v", b, a)
				}
			}},
			{"EnableUser", func(t *testing.T) (string, int64) {
				must(t, f.s.SetUserDisabled(ctx, usr.ID, false))
				return "user", usr.ID
			}, "update", true, true, 0, nil},
			{"SetPassword", func(t *testing.T) (string, int64) {
				must(t, f.s.SetPassword(ctx, usr.ID, "another long password"))
				return "user", usr.ID
			}, "set_password", false, true, 0, nil},
			{"CreateToken", func(t *testing.T) (string, int64) {
				var err error
				tok, _, err = f.s.CreateToken(ctx, owner.ID, "审计令牌", 0)
				must(t, err)
				return "api_token", tok.ID
			}, "create", false, true, 0, func(t *testing.T, _, a map[string]any) {
				if a["name"] != "审计令牌" || a["user_id"] != float64(owner.ID) {
					t.Fatalf("got after %v", a)
				}
			}},
			{"DeleteToken", func(t *testing.T) (string, int64) {
				must(t, f.s.DeleteToken(ctx, tok.ID))
				return "api_token", tok.ID
			}, "delete", true, false, 0, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				f.advance(time.Minute)
				audits := f.auditTotal(t)
				entity, id := tt.do(t)
				records := tt.records
				if records == 0 {
					records = 1
				}
				if got, want := f.auditTotal(t), audits+records; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
				r := f.lastAudit(t, entity, id)
				if got, want := r.Action, tt.action; got != want {
					t.Fatalf("got action %v, want %v", got, want)
				}
				if r.Actor != "root" || r.ActorID != root.ID {
					t.Fatalf("got actor %q (%d), want root (%d)", r.Actor, r.ActorID, root.ID)
				}
				if !r.At.Equal(f.now) {
					t.Fatalf("got time %v, want %v", r.At, f.now)
				}
				if got, want := r.Before != nil, tt.before; got != want {
					t.Fatalf("got before %s, want one: %v", r.Before, want)
				}
				if got, want := r.After != nil, tt.after; got != want {
					t.Fatalf("got after %s, want one: %v", r.After, want)
				}
				// Secrets never reach the log.
				for _, raw := range []json.RawMessage{r.Before, r.After} {
					if s := string(raw); strings.Contains(s, "$argon2id$") || strings.Contains(s, password) ||
						strings.Contains(s, "another long password") {
						t.Fatalf("audit record holds a secret: %s", s)
					}
				}
				b, a := decode(t, r.Before), decode(t, r.After)
				if b != nil && b["id"] != nil && b["id"] != float64(id) || a != nil && a["id"] != nil && a["id"] != float64(id) {
					t.Fatalf("record for %s %d holds another object: before %v after %v", entity, id, b, a)
				}
				if tt.check != nil {
					tt.check(t, b, a)
				}
			})
		}

		t.Run("SystemActor", func(t *testing.T) {
			s := f.supplier(t, "系统创建") // as csreview.SystemUser("test")
			r := f.lastAudit(t, "supplier", s.ID)
			if r.Actor != "test" || r.ActorID != 0 {
				t.Fatalf("got actor %q (%d), want test (0)", r.Actor, r.ActorID)
			}
		})
	})
}

// TestAuditAllOrNothing checks that a change that fails leaves no trace: not
// the change, not part of it, not an audit record.
func TestAuditAllOrNothing(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		sup := f.supplier(t, "供应商")
		foreign := &csreview.Supplier{NameZH: "外国供应商", Country: "JP", RegistrationNo: "0104-01-001"}
		if err := f.s.CreateSupplier(sysCtx, foreign); err != nil {
			t.Fatal(err)
		}
		other := f.supplier(t, "另一供应商")
		prod := f.product(t, sup.ID, "产品")
		if err := f.s.CreateProductVersion(sysCtx, &csreview.ProductVersion{ProductID: prod.ID, Version: "1.0"}); err != nil {
			t.Fatal(err)
		}
		otherProd := f.product(t, other.ID, "他人产品")
		op := f.operator(t, "运营者", csreview.SectorEnergy)
		body := f.body(t, "机构")
		f.user(t, "assessor", csreview.RoleAssessor, func(u *csreview.User) { u.BodyID = body.ID })
		supUser := f.user(t, "sup-user", csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = sup.ID })

		tables := []string{"suppliers", "products", "product_versions", "operators", "bodies", "users",
			"sessions", "api_tokens", "audit_log"}
		snapshot := func(t *testing.T) string {
			t.Helper()
			var b strings.Builder
			for _, table := range tables {
				fmt.Fprintf(&b, "%s=%d ", table, countRows(t, db, table))
			}
			return b.String()
		}

		for _, tt := range []struct {
			name string
			do   func() error
			want string
		}{
			{"DuplicateUSCC", func() error {
				return f.s.CreateSupplier(sysCtx, &csreview.Supplier{NameZH: "重复", Country: "CN", USCC: sup.USCC})
			}, csreview.ECONFLICT},
			{"DuplicateRegistration", func() error {
				return f.s.CreateSupplier(sysCtx, &csreview.Supplier{NameZH: "重复", Country: "JP", RegistrationNo: foreign.RegistrationNo})
			}, csreview.ECONFLICT},
			{"UpdateToDuplicateUSCC", func() error {
				u := *other
				u.USCC = sup.USCC
				return f.s.UpdateSupplier(sysCtx, &u)
			}, csreview.ECONFLICT},
			{"DuplicateProductName", func() error { return f.s.CreateProduct(sysCtx, newProduct(sup.ID, "产品")) }, csreview.ECONFLICT},
			{"DuplicateVersion", func() error {
				return f.s.CreateProductVersion(sysCtx, &csreview.ProductVersion{ProductID: prod.ID, Version: "1.0"})
			}, csreview.ECONFLICT},
			{"ProductWithDuplicateVersions", func() error {
				p := newProduct(sup.ID, "新产品")
				p.Versions = []*csreview.ProductVersion{{Version: "1"}, {Version: "2"}, {Version: "1"}}
				return f.s.CreateProduct(sysCtx, p)
			}, csreview.ECONFLICT},
			{"DuplicateOperatorUSCC", func() error {
				o := f.newOperator("重复", csreview.SectorEnergy)
				o.USCC = op.USCC
				return f.s.CreateOperator(sysCtx, o)
			}, csreview.ECONFLICT},
			{"DuplicateAccreditation", func() error {
				b := f.newBody("重复")
				b.AccreditationNo = body.AccreditationNo
				return f.s.CreateBody(sysCtx, b)
			}, csreview.ECONFLICT},
			{"DuplicateUsername", func() error {
				return f.s.CreateUser(sysCtx, &csreview.User{Username: "assessor", DisplayName: "重复", Role: csreview.RoleOffice}, password)
			}, csreview.ECONFLICT},
			{"DeleteSupplierWithProducts", func() error { return f.s.DeleteSupplier(sysCtx, sup.ID) }, csreview.ECONFLICT},
			{"DeleteBodyWithAssessors", func() error { return f.s.DeleteBody(sysCtx, body.ID) }, csreview.ECONFLICT},
			{"Invalid", func() error { return f.s.CreateSupplier(sysCtx, &csreview.Supplier{}) }, csreview.EINVALID},
			{"Invisible", func() error { return f.s.DeleteProduct(as(supUser), otherProd.ID) }, csreview.ENOTFOUND},
			{"Forbidden", func() error { return f.s.DeleteSupplier(as(supUser), sup.ID) }, csreview.EFORBIDDEN},
			{"Anonymous", func() error { return f.s.CreateOperator(anon, f.newOperator("匿名", csreview.SectorEnergy)) }, csreview.EUNAUTHORIZED},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := snapshot(t)
				wantCode(t, tt.do(), tt.want)
				if got, want := snapshot(t), before; got != want {
					t.Fatalf("got %v, want %v", got, want)
				}
			})
		}
	})
}

func TestFindAuditRecords(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		alice := f.user(t, "alice", csreview.RoleOffice, nil) // record 1: create user
		s1 := f.newSupplier("一")
		if err := f.s.CreateSupplier(as(alice), s1); err != nil { // record 2
			t.Fatal(err)
		}
		s2 := f.supplier(t, "二") // record 3, by the system
		u := *s1
		u.NameEN = "One"
		if err := f.s.UpdateSupplier(as(alice), &u); err != nil { // record 4
			t.Fatal(err)
		}

		type rec struct {
			action, entity string
			id             int64
		}
		for _, tt := range []struct {
			name  string
			f     csreview.AuditFilter
			want  []rec // newest first
			total int
		}{
			{"All", csreview.AuditFilter{}, []rec{{"update", "supplier", s1.ID}, {"create", "supplier", s2.ID},
				{"create", "supplier", s1.ID}, {"create", "user", alice.ID}}, 4},
			{"Entity", csreview.AuditFilter{Entity: "supplier"}, []rec{{"update", "supplier", s1.ID},
				{"create", "supplier", s2.ID}, {"create", "supplier", s1.ID}}, 3},
			{"EntityID", csreview.AuditFilter{Entity: "supplier", EntityID: s1.ID}, []rec{{"update", "supplier", s1.ID},
				{"create", "supplier", s1.ID}}, 2},
			{"Actor", csreview.AuditFilter{ActorID: alice.ID}, []rec{{"update", "supplier", s1.ID},
				{"create", "supplier", s1.ID}}, 2},
			{"Action", csreview.AuditFilter{Action: "create", Entity: "supplier"}, []rec{{"create", "supplier", s2.ID},
				{"create", "supplier", s1.ID}}, 2},
			{"Page", csreview.AuditFilter{Page: csreview.Page{Limit: 2, Offset: 1}}, []rec{{"create", "supplier", s2.ID},
				{"create", "supplier", s1.ID}}, 4},
			{"None", csreview.AuditFilter{Entity: "case"}, nil, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := f.s.FindAuditRecords(sysCtx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := total, tt.total; got != want {
					t.Fatalf("got total %v, want %v", got, want)
				}
				var got []rec
				for _, r := range list {
					got = append(got, rec{r.Action, r.Entity, r.EntityID})
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			})
		}
	})
}
