package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web"
)

// The demo data set, as the tests count on it (demo/demo.go).
const (
	apiNSuppliers = 10 // 6 domestic, 4 foreign
	apiNProducts  = 15 // 3 of them the supplier user's
	apiNOperators = 9  // 1 in finance, 8 CII
	apiNBodies    = 4  // 3 accredited on apiToday
	apiNUsers     = 9  // one per role
)

// apiItemName is what identifies a list item in the tests: its Chinese name,
// else its username, else its name.
func apiItemName(m map[string]any) string {
	for _, k := range []string{"name_zh", "username", "name"} {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return fmt.Sprint(m)
}

// apiNames returns the sorted names of a list's items.
func apiNames(l apiList[map[string]any]) []string {
	var names []string
	for _, it := range l.Items {
		names = append(names, apiItemName(it))
	}
	slices.Sort(names)
	return names
}

func apiSorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestAPIListByRole lists every entity as every role: each sees what the
// policy lets it see, and nothing else.
func TestAPIListByRole(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		xingheProducts := []string{apiProdXR9000, "星河 XS-7800 数据中心交换机", "星河 5G 宏基站"}
		type want struct {
			status int
			total  int
			names  []string // nil: not checked
		}
		// expect gives the answer of GET /api/v1/<entity> for a demo user.
		expect := func(entity, as string) want {
			ok := func(total int, names ...string) want {
				w := want{status: http.StatusOK, total: total}
				if names != nil {
					w.names = apiSorted(names...)
				}
				return w
			}
			switch entity {
			case "suppliers":
				if as == "supplier" {
					return ok(1, apiSupXinghe)
				}
				return ok(apiNSuppliers)
			case "products":
				if as == "supplier" {
					return ok(3, xingheProducts...)
				}
				return ok(apiNProducts)
			case "operators":
				switch as {
				case "office", "member", "admin":
					return ok(apiNOperators)
				case "regulator", "operator": // finance; its own
					return ok(1, apiOpHaichuan)
				}
				// Experts, assessors, suppliers and associations see
				// no operator: an empty list, not an error.
				return ok(0, []string{}...)
			case "bodies":
				return ok(apiNBodies) // accreditation is public
			case "users":
				if as == "admin" {
					return ok(apiNUsers)
				}
				return ok(1, as)
			case "tokens":
				return ok(1, "t")
			case "audit":
				if as == "office" || as == "admin" {
					return want{status: http.StatusOK, total: -1}
				}
				return want{status: http.StatusForbidden}
			}
			t.Fatalf("unknown entity %s", entity)
			return want{}
		}
		for _, entity := range []string{"suppliers", "products", "operators", "bodies", "users", "tokens", "audit"} {
			for _, as := range apiRoles {
				t.Run(entity+"/"+as, func(t *testing.T) {
					w := expect(entity, as)
					r := e.get(t, as, "/api/v1/"+entity)
					if w.status != http.StatusOK {
						apiWantProblem(t, r, w.status, csreview.EFORBIDDEN)
						return
					}
					l := apiOK[apiList[map[string]any]](t, r, http.StatusOK)
					if w.total >= 0 {
						if got := l.Total; got != w.total {
							t.Fatalf("got total %d, want %d (%v)", got, w.total, apiNames(l))
						}
						if got := len(l.Items); got != min(w.total, csreview.DefaultLimit) {
							t.Fatalf("got %d items, want %d", got, w.total)
						}
					} else if l.Total == 0 || len(l.Items) == 0 {
						t.Fatalf("got an empty list: %s", r)
					}
					if w.names != nil {
						if got := apiNames(l); !slices.Equal(got, w.names) {
							t.Fatalf("got %v, want %v", got, w.names)
						}
					}
				})
			}
		}
		t.Run("me", func(t *testing.T) {
			for _, as := range apiRoles {
				r := e.get(t, as, "/api/v1/me")
				me := apiOK[map[string]any](t, r, http.StatusOK)
				if me["username"] != as || me["role"] != string(e.users[as].Role) || me["id"] != float64(e.users[as].ID) {
					t.Fatalf("%s: got %v", as, me)
				}
				if strings.Contains(string(r.Body), "argon2") || strings.Contains(string(r.Body), "password") {
					t.Fatalf("%s: /me shows the password hash: %s", as, r.Body)
				}
			}
		})
	})
}

// TestAPIListFilters checks every documented filter of the lists.
func TestAPIListFilters(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		xinghe := apiID(t, e.suppliers, apiSupXinghe)
		tests := []struct {
			name  string
			as    string
			path  string
			query url.Values
			names []string // the exact result, when given
			total int
		}{
			{name: "SuppliersQueryChinese", path: "suppliers", query: url.Values{"q": {"星河"}}, names: []string{apiSupXinghe}},
			{name: "SuppliersQueryEnglishAnyCase", path: "suppliers", query: url.Values{"q": {"CASCADIA"}},
				names: []string{apiSupCascadia, "卡斯卡迪亚数据系统（上海）有限公司"}},
			{name: "SuppliersQueryRegistrationNo", path: "suppliers", query: url.Values{"q": {"hrb 41873"}}, names: []string{"易北谷网络技术有限公司"}},
			{name: "SuppliersQueryNoMatch", path: "suppliers", query: url.Values{"q": {"不存在的供应商"}}, names: []string{}},
			{name: "SuppliersQueryPercentIsLiteral", path: "suppliers", query: url.Values{"q": {"%"}}, names: []string{}},
			{name: "SuppliersQueryUnderscoreIsLiteral", path: "suppliers", query: url.Values{"q": {"_"}}, names: []string{}},
			{name: "SuppliersCountry", path: "suppliers", query: url.Values{"country": {"US"}}, names: []string{apiSupCascadia}},
			{name: "SuppliersDomestic", path: "suppliers", query: url.Values{"domestic": {"true"}}, total: 6},
			{name: "SuppliersForeign", path: "suppliers", query: url.Values{"domestic": {"false"}}, total: 4},
			{name: "SuppliersQueryAndDomestic", path: "suppliers", query: url.Values{"q": {"卡斯卡迪亚"}, "domestic": {"false"}},
				names: []string{apiSupCascadia}},
			{name: "SuppliersSupplierUserQueryOutOfScope", as: "supplier", path: "suppliers", query: url.Values{"q": {"恒数"}}, names: []string{}},
			{name: "ProductsQueryChinese", path: "products", query: url.Values{"q": {"星河"}}, total: 3},
			{name: "ProductsQueryModel", path: "products", query: url.Values{"q": {"xr-9016"}}, names: []string{apiProdXR9000}},
			{name: "ProductsCategory", path: "products", query: url.Values{"category": {"storage"}},
				names: []string{"峰算 FS-S9000 全闪存分布式存储", "风花 TL-6000 企业级磁带库"}},
			{name: "ProductsSupplier", path: "products", query: url.Values{"supplier_id": {fmt.Sprint(xinghe)}}, total: 3},
			{name: "ProductsSupplierAndCategory", path: "products",
				query: url.Values{"supplier_id": {fmt.Sprint(xinghe)}, "category": {"communication"}}, names: []string{"星河 5G 宏基站"}},
			{name: "ProductsOtherSupplierAsSupplier", as: "supplier", path: "products",
				query: url.Values{"supplier_id": {fmt.Sprint(apiID(t, e.suppliers, apiSupHengshu))}}, names: []string{}},
			{name: "OperatorsSector", path: "operators", query: url.Values{"sector": {"finance"}}, names: []string{apiOpHaichuan}},
			{name: "OperatorsCII", path: "operators", query: url.Values{"cii": {"true"}}, total: 8},
			{name: "OperatorsNotCII", path: "operators", query: url.Values{"cii": {"false"}}, names: []string{"拾光生活网络科技有限公司"}},
			{name: "OperatorsQueryChinese", path: "operators", query: url.Values{"q": {"银行"}}, names: []string{apiOpHaichuan}},
			{name: "OperatorsRegulatorOtherSector", as: "regulator", path: "operators", query: url.Values{"sector": {"energy"}}, names: []string{}},
			{name: "BodiesValidOn", path: "bodies", query: url.Values{"valid_on": {apiToday}}, total: 3},
			{name: "BodiesValidOnLater", path: "bodies", query: url.Values{"valid_on": {"2030-01-01"}}, names: []string{}},
			{name: "BodiesCategory", path: "bodies", query: url.Values{"category": {"core_network"}},
				names: []string{apiBodyHengxin, "广州穗通通信设备检测有限公司"}},
			{name: "BodiesCategoryValidOn", path: "bodies", query: url.Values{"category": {"core_network"}, "valid_on": {apiToday}},
				names: []string{apiBodyHengxin}},
			{name: "BodiesQueryChinese", path: "bodies", query: url.Values{"q": {"澄明"}}, names: []string{apiBodyChengmin}},
			{name: "UsersRole", as: "admin", path: "users", query: url.Values{"role": {"supplier"}}, names: []string{"supplier"}},
			{name: "UsersQuery", as: "admin", path: "users", query: url.Values{"q": {"ASSESS"}}, names: []string{"assessor"}},
			{name: "UsersDisabled", as: "admin", path: "users", query: url.Values{"disabled": {"true"}}, names: []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				as := tt.as
				if as == "" {
					as = "office"
				}
				r := e.get(t, as, "/api/v1/"+tt.path+"?"+tt.query.Encode())
				l := apiOK[apiList[map[string]any]](t, r, http.StatusOK)
				if tt.names != nil {
					if got, want := apiNames(l), apiSorted(tt.names...); !slices.Equal(got, want) {
						t.Fatalf("got %v, want %v", got, want)
					}
					if l.Total != len(tt.names) {
						t.Fatalf("got total %d, want %d", l.Total, len(tt.names))
					}
				} else if l.Total != tt.total || len(l.Items) != tt.total {
					t.Fatalf("got total %d and %d items, want %d (%v)", l.Total, len(l.Items), tt.total, apiNames(l))
				}
			})
		}
	})
}

// TestAPIPagination pages through a list: pages are disjoint, cover it all
// in the order of the whole list, and each says the total.
func TestAPIPagination(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		all := apiOK[apiList[map[string]any]](t, e.get(t, "office", "/api/v1/suppliers"), http.StatusOK)
		if all.Total != apiNSuppliers || len(all.Items) != apiNSuppliers || all.Limit != csreview.DefaultLimit || all.Offset != 0 {
			t.Fatalf("got total %d, %d items, limit %d, offset %d; want %d, %d, %d, 0",
				all.Total, len(all.Items), all.Limit, all.Offset, apiNSuppliers, apiNSuppliers, csreview.DefaultLimit)
		}
		t.Run("Pages", func(t *testing.T) {
			var seen []any
			for _, p := range []struct{ offset, n int }{{0, 3}, {3, 3}, {6, 3}, {9, 1}} {
				l := apiOK[apiList[map[string]any]](t, e.get(t, "office", fmt.Sprintf("/api/v1/suppliers?limit=3&offset=%d", p.offset)), http.StatusOK)
				if len(l.Items) != p.n || l.Total != apiNSuppliers || l.Limit != 3 || l.Offset != p.offset {
					t.Fatalf("offset %d: got %d items, total %d, limit %d, offset %d; want %d, %d, 3, %d",
						p.offset, len(l.Items), l.Total, l.Limit, l.Offset, p.n, apiNSuppliers, p.offset)
				}
				for _, it := range l.Items {
					seen = append(seen, it["id"])
				}
			}
			var want []any
			for _, it := range all.Items {
				want = append(want, it["id"])
			}
			if !reflect.DeepEqual(seen, want) {
				t.Fatalf("pages give %v, the whole list %v", seen, want)
			}
		})
		t.Run("PastTheEnd", func(t *testing.T) {
			l := apiOK[apiList[map[string]any]](t, e.get(t, "office", "/api/v1/suppliers?limit=5&offset=20"), http.StatusOK)
			if len(l.Items) != 0 || l.Total != apiNSuppliers || l.Items == nil {
				t.Fatalf("got %d items (nil: %v), total %d; want [] and %d", len(l.Items), l.Items == nil, l.Total, apiNSuppliers)
			}
		})
		t.Run("FilteredTotal", func(t *testing.T) {
			l := apiOK[apiList[map[string]any]](t, e.get(t, "office", "/api/v1/products?q=%E6%98%9F%E6%B2%B3&limit=1&offset=1"), http.StatusOK)
			if len(l.Items) != 1 || l.Total != 3 {
				t.Fatalf("got %d items, total %d; want 1 of 3", len(l.Items), l.Total)
			}
		})
		t.Run("MaxLimit", func(t *testing.T) {
			l := apiOK[apiList[map[string]any]](t, e.get(t, "office", fmt.Sprintf("/api/v1/products?limit=%d", csreview.MaxLimit)), http.StatusOK)
			if l.Limit != csreview.MaxLimit || len(l.Items) != apiNProducts {
				t.Fatalf("got limit %d and %d items", l.Limit, len(l.Items))
			}
		})
		t.Run("AuditPages", func(t *testing.T) {
			a := apiOK[apiList[csreview.AuditRecord]](t, e.get(t, "office", "/api/v1/audit?limit=2"), http.StatusOK)
			b := apiOK[apiList[csreview.AuditRecord]](t, e.get(t, "office", "/api/v1/audit?limit=2&offset=2"), http.StatusOK)
			if len(a.Items) != 2 || len(b.Items) != 2 || a.Total != b.Total || a.Total < 4 {
				t.Fatalf("got %d and %d items, totals %d and %d", len(a.Items), len(b.Items), a.Total, b.Total)
			}
			if !(a.Items[0].ID > a.Items[1].ID && a.Items[1].ID > b.Items[0].ID && b.Items[0].ID > b.Items[1].ID) {
				t.Fatalf("audit not newest first across pages: %d %d | %d %d", a.Items[0].ID, a.Items[1].ID, b.Items[0].ID, b.Items[1].ID)
			}
		})
	})
}

// TestAPIGet gets single objects: visible ones answer 200, objects the
// caller may not see answer 404 exactly like objects that do not exist.
func TestAPIGet(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		sup := func(name string) string { return fmt.Sprintf("/api/v1/suppliers/%d", apiID(t, e.suppliers, name)) }
		prod := func(name string) string { return fmt.Sprintf("/api/v1/products/%d", apiID(t, e.products, name)) }
		op := func(name string) string { return fmt.Sprintf("/api/v1/operators/%d", apiID(t, e.operators, name)) }
		body := func(name string) string { return fmt.Sprintf("/api/v1/bodies/%d", apiID(t, e.bodies, name)) }
		user := func(name string) string { return fmt.Sprintf("/api/v1/users/%d", e.users[name].ID) }
		tests := []struct {
			name, as, path string
			status         int
			wantName       string // the object's name_zh or username, for 200
		}{
			{"SupplierOwnSupplier", "supplier", sup(apiSupXinghe), 200, apiSupXinghe},
			{"SupplierOtherSupplier", "supplier", sup(apiSupHengshu), 404, ""},
			{"SupplierOwnProduct", "supplier", prod(apiProdXR9000), 200, apiProdXR9000},
			{"SupplierOtherProduct", "supplier", prod(apiProdHengDB), 404, ""},
			{"ExpertSupplier", "expert", sup(apiSupHengshu), 200, apiSupHengshu},
			{"AssociationProduct", "association", prod(apiProdHengDB), 200, apiProdHengDB},
			{"OperatorOwnOperator", "operator", op(apiOpHaichuan), 200, apiOpHaichuan},
			{"OperatorOtherOperator", "operator", op(apiOpJinyang), 404, ""},
			{"RegulatorOwnSector", "regulator", op(apiOpHaichuan), 200, apiOpHaichuan},
			{"RegulatorOtherSector", "regulator", op(apiOpJinyang), 404, ""},
			{"MemberOperator", "member", op(apiOpJinyang), 200, apiOpJinyang},
			{"ExpertOperator", "expert", op(apiOpHaichuan), 404, ""},
			{"AssociationOperator", "association", op(apiOpHaichuan), 404, ""},
			{"SupplierOperator", "supplier", op(apiOpHaichuan), 404, ""},
			{"AssessorBody", "assessor", body(apiBodyChengmin), 200, apiBodyChengmin},
			{"SupplierBody", "supplier", body(apiBodyHengxin), 200, apiBodyHengxin},
			{"AdminUser", "admin", user("expert"), 200, "expert"},
			{"OwnUser", "expert", user("expert"), 200, "expert"},
			{"OtherUser", "expert", user("office"), 404, ""},
			{"OfficeOtherUser", "office", user("admin"), 404, ""},
			{"UnknownSupplier", "office", "/api/v1/suppliers/999999", 404, ""},
			{"UnknownProduct", "office", "/api/v1/products/999999", 404, ""},
			{"UnknownOperator", "admin", "/api/v1/operators/999999", 404, ""},
			{"UnknownBody", "office", "/api/v1/bodies/999999", 404, ""},
			{"UnknownUser", "admin", "/api/v1/users/999999", 404, ""},
			{"NonNumericID", "office", "/api/v1/suppliers/abc", 404, ""},
			{"NegativeID", "office", "/api/v1/suppliers/-1", 404, ""},
			{"ZeroID", "office", "/api/v1/suppliers/0", 404, ""},
			{"HugeID", "office", "/api/v1/suppliers/99999999999999999999", 404, ""},
			{"NoSuchRoute", "office", "/api/v1/nothing", 404, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.get(t, tt.as, tt.path)
				if tt.status != http.StatusOK {
					apiWantProblem(t, r, tt.status, csreview.ENOTFOUND)
					return
				}
				v := apiOK[map[string]any](t, r, http.StatusOK)
				if got := apiItemName(v); got != tt.wantName {
					t.Fatalf("got %q, want %q", got, tt.wantName)
				}
				if !strings.HasSuffix(tt.path, fmt.Sprintf("/%v", v["id"])) {
					t.Fatalf("got id %v from %s", v["id"], tt.path)
				}
			})
		}
		t.Run("HiddenLooksLikeMissing", func(t *testing.T) {
			// The answer for an object one may not see must not differ
			// from the answer for one that does not exist.
			hidden := apiWantProblem(t, e.get(t, "supplier", prod(apiProdHengDB)), 404, csreview.ENOTFOUND)
			missing := apiWantProblem(t, e.get(t, "supplier", "/api/v1/products/999999"), 404, csreview.ENOTFOUND)
			hidden.Instance, missing.Instance = "", ""
			if !reflect.DeepEqual(hidden, missing) {
				t.Fatalf("hidden: %+v\nmissing: %+v", hidden, missing)
			}
		})
		t.Run("ProductHasVersions", func(t *testing.T) {
			p := apiOK[csreview.Product](t, e.get(t, "supplier", prod(apiProdXR9000)), http.StatusOK)
			if len(p.Versions) != 2 || p.Versions[0].Version != "V8.3.0" || p.Versions[0].ProductID != p.ID {
				t.Fatalf("got versions %+v, want V8.3.0 then V8.2.1", p.Versions)
			}
		})
	})
}

// apiSupplierBody returns a new valid domestic supplier.
func apiSupplierBody() map[string]any {
	return map[string]any{"name_zh": apiName("测试供应商"), "country": "CN", "uscc": apiUSCC()}
}

func apiProductBody(supplierID int64) map[string]any {
	return map[string]any{"supplier_id": supplierID, "name_zh": apiName("测试产品"), "category": "software"}
}

func apiOperatorBody(sector string) map[string]any {
	return map[string]any{"name_zh": apiName("测试运营者"), "uscc": apiUSCC(), "sector": sector}
}

func apiBodyBody() map[string]any {
	return map[string]any{"name_zh": apiName("测试机构"), "uscc": apiUSCC(), "accreditation_no": apiName("ACC-T"),
		"scope": []string{"software", "cloud"}, "valid_from": "2025-01-01", "valid_until": "2027-12-31"}
}

func apiUserBody(role string) map[string]any {
	return map[string]any{"username": fmt.Sprintf("u%d", apiSeq.Add(1)), "display_name": "测试用户",
		"role": role, "password": "a long enough password"}
}

func apiVersionBody() map[string]any {
	return map[string]any{"version": apiName("V"), "released_on": "2026-01-02", "notes": "测试版本"}
}

// TestAPICreate creates objects of every kind as the roles that may and
// some that may not. A created object answers 201 with its Location, can be
// read back there, and is in the audit log under its creator; a refused one
// leaves no trace.
func TestAPICreate(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		xinghe, hengshu := apiID(t, e.suppliers, apiSupXinghe), apiID(t, e.suppliers, apiSupHengshu)
		xr, hengdb := apiID(t, e.products, apiProdXR9000), apiID(t, e.products, apiProdHengDB)
		versions := func(id int64) string { return fmt.Sprintf("/api/v1/products/%d/versions", id) }
		tests := []struct {
			name, as, path string
			body           map[string]any
			status         int
			code           string
			fields         []string // for 400
			entity         string   // audit entity, for 201
		}{
			{name: "SupplierByOffice", as: "office", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 201, entity: "supplier"},
			{name: "SupplierByAdmin", as: "admin", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 201, entity: "supplier"},
			{name: "ForeignSupplier", as: "office", path: "/api/v1/suppliers",
				body:   map[string]any{"name_zh": apiName("境外供应商"), "name_en": "Foreign Co.", "country": "FR", "registration_no": apiName("RCS")},
				status: 201, entity: "supplier"},
			{name: "SupplierByMember", as: "member", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierByExpert", as: "expert", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierByAssessor", as: "assessor", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierByRegulator", as: "regulator", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierByOperator", as: "operator", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierBySupplier", as: "supplier", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierByAssociation", as: "association", path: "/api/v1/suppliers", body: apiSupplierBody(), status: 403, code: csreview.EFORBIDDEN},

			{name: "ProductByOffice", as: "office", path: "/api/v1/products", body: apiProductBody(hengshu), status: 201, entity: "product"},
			{name: "ProductByAdmin", as: "admin", path: "/api/v1/products", body: apiProductBody(xinghe), status: 201, entity: "product"},
			{name: "ProductBySupplierOwn", as: "supplier", path: "/api/v1/products", body: apiProductBody(xinghe), status: 201, entity: "product"},
			// Another supplier is as unknown to a supplier user as one
			// that does not exist: the same field error for both.
			{name: "ProductBySupplierForOther", as: "supplier", path: "/api/v1/products", body: apiProductBody(hengshu),
				status: 400, code: csreview.EINVALID, fields: []string{"supplier_id"}},
			{name: "ProductForMissingSupplier", as: "supplier", path: "/api/v1/products", body: apiProductBody(999999),
				status: 400, code: csreview.EINVALID, fields: []string{"supplier_id"}},
			{name: "ProductByOfficeForMissingSupplier", as: "office", path: "/api/v1/products", body: apiProductBody(999999),
				status: 400, code: csreview.EINVALID, fields: []string{"supplier_id"}},
			{name: "ProductByExpert", as: "expert", path: "/api/v1/products", body: apiProductBody(xinghe), status: 403, code: csreview.EFORBIDDEN},
			{name: "ProductByOperator", as: "operator", path: "/api/v1/products", body: apiProductBody(xinghe), status: 403, code: csreview.EFORBIDDEN},
			{name: "ProductByAssociation", as: "association", path: "/api/v1/products", body: apiProductBody(hengshu), status: 403, code: csreview.EFORBIDDEN},

			{name: "VersionBySupplierOwn", as: "supplier", path: versions(xr), body: apiVersionBody(), status: 201, entity: "product_version"},
			{name: "VersionByOffice", as: "office", path: versions(hengdb), body: apiVersionBody(), status: 201, entity: "product_version"},
			{name: "VersionBySupplierOther", as: "supplier", path: versions(hengdb), body: apiVersionBody(), status: 404, code: csreview.ENOTFOUND},
			{name: "VersionByExpert", as: "expert", path: versions(xr), body: apiVersionBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "VersionOfMissingProduct", as: "office", path: versions(999999), body: apiVersionBody(), status: 404, code: csreview.ENOTFOUND},
			{name: "VersionDuplicate", as: "supplier", path: versions(xr), body: map[string]any{"version": "V8.3.0"}, status: 409, code: csreview.ECONFLICT},

			{name: "OperatorByOffice", as: "office", path: "/api/v1/operators", body: apiOperatorBody("energy"), status: 201, entity: "operator"},
			{name: "OperatorByAdmin", as: "admin", path: "/api/v1/operators", body: apiOperatorBody("water"), status: 201, entity: "operator"},
			{name: "OperatorByRegulatorOwnSector", as: "regulator", path: "/api/v1/operators", body: apiOperatorBody("finance"), status: 201, entity: "operator"},
			{name: "OperatorByRegulatorOtherSector", as: "regulator", path: "/api/v1/operators", body: apiOperatorBody("energy"), status: 403, code: csreview.EFORBIDDEN},
			{name: "OperatorByOperator", as: "operator", path: "/api/v1/operators", body: apiOperatorBody("finance"), status: 403, code: csreview.EFORBIDDEN},
			{name: "OperatorByMember", as: "member", path: "/api/v1/operators", body: apiOperatorBody("finance"), status: 403, code: csreview.EFORBIDDEN},
			{name: "OperatorBySupplier", as: "supplier", path: "/api/v1/operators", body: apiOperatorBody("finance"), status: 403, code: csreview.EFORBIDDEN},

			{name: "BodyByOffice", as: "office", path: "/api/v1/bodies", body: apiBodyBody(), status: 201, entity: "body"},
			{name: "BodyByAdmin", as: "admin", path: "/api/v1/bodies", body: apiBodyBody(), status: 201, entity: "body"},
			{name: "BodyByAssessor", as: "assessor", path: "/api/v1/bodies", body: apiBodyBody(), status: 403, code: csreview.EFORBIDDEN},
			{name: "BodyByExpert", as: "expert", path: "/api/v1/bodies", body: apiBodyBody(), status: 403, code: csreview.EFORBIDDEN},

			{name: "UserByAdmin", as: "admin", path: "/api/v1/users", body: apiUserBody("expert"), status: 201, entity: "user"},
			{name: "SupplierUserByAdmin", as: "admin", path: "/api/v1/users",
				body: func() map[string]any { b := apiUserBody("supplier"); b["supplier_id"] = hengshu; return b }(), status: 201, entity: "user"},
			{name: "UserByOffice", as: "office", path: "/api/v1/users", body: apiUserBody("expert"), status: 403, code: csreview.EFORBIDDEN},
			{name: "UserBySupplier", as: "supplier", path: "/api/v1/users", body: apiUserBody("supplier"), status: 403, code: csreview.EFORBIDDEN},
			{name: "UserByAssociation", as: "association", path: "/api/v1/users", body: apiUserBody("admin"), status: 403, code: csreview.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.auditTotal(t)
				r := e.post(t, tt.as, tt.path, tt.body)
				if tt.status != http.StatusCreated {
					apiWantProblem(t, r, tt.status, tt.code, tt.fields...)
					if got := e.auditTotal(t); got != before {
						t.Fatalf("a refused create wrote %d audit records", got-before)
					}
					return
				}
				created := apiOK[map[string]any](t, r, http.StatusCreated)
				id := apiLocationID(t, r, tt.path+"/")
				if created["id"] != float64(id) {
					t.Fatalf("got id %v, Location %d", created["id"], id)
				}
				for k, v := range tt.body {
					if k == "password" {
						continue
					}
					if !reflect.DeepEqual(apiJSONValue(t, v), created[k]) {
						t.Fatalf("field %s: sent %v, got %v", k, v, created[k])
					}
				}
				if strings.Contains(string(r.Body), "password") || strings.Contains(string(r.Body), "argon2") {
					t.Fatalf("the answer shows the password: %s", r.Body)
				}
				// Read it back where Location says, as the creator; a
				// version is read as part of its product.
				if tt.entity == "product_version" {
					p := apiOK[csreview.Product](t, e.get(t, tt.as, strings.TrimSuffix(tt.path, "/versions")), http.StatusOK)
					if !slices.ContainsFunc(p.Versions, func(v *csreview.ProductVersion) bool { return v.ID == id }) {
						t.Fatalf("version %d not among the product's versions", id)
					}
				} else {
					got := apiOK[map[string]any](t, e.get(t, tt.as, r.Header.Get("Location")), http.StatusOK)
					if !reflect.DeepEqual(got, created) {
						t.Fatalf("read back %v, created %v", got, created)
					}
				}
				e.wantAudit(t, tt.entity, id, "create", tt.as)
			})
		}
		t.Run("IDInBodyIgnored", func(t *testing.T) {
			b := apiSupplierBody()
			b["id"] = apiID(t, e.suppliers, apiSupHengshu)
			r := e.post(t, "office", "/api/v1/suppliers", b)
			created := apiOK[map[string]any](t, r, http.StatusCreated)
			if created["id"] == b["id"] || created["id"] == float64(hengshu) {
				t.Fatalf("create took the id from the body: %v", created["id"])
			}
			s := apiOK[map[string]any](t, e.get(t, "office", fmt.Sprintf("/api/v1/suppliers/%d", hengshu)), http.StatusOK)
			if s["name_zh"] != apiSupHengshu {
				t.Fatalf("supplier %d overwritten: %v", hengshu, s)
			}
		})
		t.Run("NewSupplierUserSeesOnlyItsSupplier", func(t *testing.T) {
			// An account made through the API is bound as the API said.
			b := apiUserBody("supplier")
			b["supplier_id"] = hengshu
			u := apiOK[csreview.User](t, e.post(t, "admin", "/api/v1/users", b), http.StatusCreated)
			if u.SupplierID != hengshu || u.Role != csreview.RoleSupplier || u.Disabled {
				t.Fatalf("got %+v", u)
			}
		})
	})
}

// apiJSONValue returns v as it reads back from JSON.
func apiJSONValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	apiMust(t, err)
	var out any
	apiMust(t, json.Unmarshal(b, &out))
	return out
}

// TestAPIUpdate patches objects: a PATCH is a merge, so the fields sent
// change and no other does; refused patches change nothing and write no
// audit record.
func TestAPIUpdate(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		xinghe, hengshu := apiID(t, e.suppliers, apiSupXinghe), apiID(t, e.suppliers, apiSupHengshu)
		xr, hengdb := apiID(t, e.products, apiProdXR9000), apiID(t, e.products, apiProdHengDB)
		haichuan, jinyang := apiID(t, e.operators, apiOpHaichuan), apiID(t, e.operators, apiOpJinyang)
		hengxin, chengming := apiID(t, e.bodies, apiBodyHengxin), apiID(t, e.bodies, apiBodyChengmin)
		xrV := apiOK[csreview.Product](t, e.get(t, "office", fmt.Sprintf("/api/v1/products/%d", xr)), 200).Versions[0].ID
		dbV := apiOK[csreview.Product](t, e.get(t, "office", fmt.Sprintf("/api/v1/products/%d", hengdb)), 200).Versions[0].ID
		path := func(kind string, id int64) string { return fmt.Sprintf("/api/v1/%s/%d", kind, id) }
		version := func(pid, vid int64) string { return fmt.Sprintf("/api/v1/products/%d/versions/%d", pid, vid) }
		user := func(name string) string { return path("users", e.users[name].ID) }
		tests := []struct {
			name, as, path string
			patch          map[string]any
			status         int
			code           string
			fields         []string
			entity         string // audit entity, for 200
		}{
			{name: "SupplierByOffice", as: "office", path: path("suppliers", xinghe), patch: map[string]any{"contact": "新联系人，010-1234 5678"}, status: 200, entity: "supplier"},
			{name: "SupplierByItsUser", as: "supplier", path: path("suppliers", xinghe),
				patch: map[string]any{"website": "https://new.xinghe-net.example", "address": "北京市海淀区新地址 1 号"}, status: 200, entity: "supplier"},
			{name: "SupplierClearField", as: "admin", path: path("suppliers", hengshu), patch: map[string]any{"contact": ""}, status: 200, entity: "supplier"},
			{name: "SupplierOtherBySupplierUser", as: "supplier", path: path("suppliers", hengshu), patch: map[string]any{"contact": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "SupplierByExpert", as: "expert", path: path("suppliers", xinghe), patch: map[string]any{"contact": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierByAssociation", as: "association", path: path("suppliers", xinghe), patch: map[string]any{"contact": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierByRegulator", as: "regulator", path: path("suppliers", xinghe), patch: map[string]any{"contact": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "SupplierInvalidUSCC", as: "office", path: path("suppliers", xinghe), patch: map[string]any{"uscc": "91110108MA01R7K3X0"},
				status: 400, code: csreview.EINVALID, fields: []string{"uscc"}},
			{name: "SupplierGoesForeignWithoutNumber", as: "office", path: path("suppliers", xinghe), patch: map[string]any{"country": "US"},
				status: 400, code: csreview.EINVALID, fields: []string{"registration_no"}},
			{name: "SupplierMissing", as: "office", path: path("suppliers", 999999), patch: map[string]any{"contact": "x"}, status: 404, code: csreview.ENOTFOUND},

			{name: "ProductByItsSupplier", as: "supplier", path: path("products", xr), patch: map[string]any{"description": "新的产品说明。"}, status: 200, entity: "product"},
			{name: "ProductServiceFlagFalseToTrue", as: "office", path: path("products", hengdb), patch: map[string]any{"service": true, "category": "cloud"}, status: 200, entity: "product"},
			{name: "ProductOtherBySupplierUser", as: "supplier", path: path("products", hengdb), patch: map[string]any{"model": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "ProductMovedAwayBySupplierUser", as: "supplier", path: path("products", xr), patch: map[string]any{"supplier_id": hengshu}, status: 403, code: csreview.EFORBIDDEN},
			{name: "ProductByExpert", as: "expert", path: path("products", xr), patch: map[string]any{"model": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "ProductByOperator", as: "operator", path: path("products", xr), patch: map[string]any{"model": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "ProductBadCategory", as: "office", path: path("products", xr), patch: map[string]any{"category": "toys"},
				status: 400, code: csreview.EINVALID, fields: []string{"category"}},

			{name: "VersionByItsSupplier", as: "supplier", path: version(xr, xrV), patch: map[string]any{"notes": "更新的版本说明。"}, status: 200, entity: "product_version"},
			{name: "VersionOtherBySupplierUser", as: "supplier", path: version(hengdb, dbV), patch: map[string]any{"notes": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "VersionByExpert", as: "expert", path: version(xr, xrV), patch: map[string]any{"notes": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "VersionOfOtherProduct", as: "office", path: version(xr, dbV), patch: map[string]any{"notes": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "VersionBadDate", as: "office", path: version(xr, xrV), patch: map[string]any{"released_on": "2025-02-30"},
				status: 400, code: csreview.EINVALID, fields: []string{"released_on"}},

			{name: "OperatorByItsUser", as: "operator", path: path("operators", haichuan), patch: map[string]any{"contact": "信息科技部，0571-0000 0000"}, status: 200, entity: "operator"},
			{name: "OperatorByRegulator", as: "regulator", path: path("operators", haichuan), patch: map[string]any{"personal_info_users": 1200000}, status: 200, entity: "operator"},
			{name: "OperatorFalseIsSent", as: "office", path: path("operators", jinyang), patch: map[string]any{"cii": false}, status: 200, entity: "operator"},
			{name: "OperatorOtherByOperatorUser", as: "operator", path: path("operators", jinyang), patch: map[string]any{"contact": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "OperatorOtherSectorByRegulator", as: "regulator", path: path("operators", jinyang), patch: map[string]any{"contact": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "OperatorMovedOutOfSectorByRegulator", as: "regulator", path: path("operators", haichuan), patch: map[string]any{"sector": "energy"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "OperatorByMember", as: "member", path: path("operators", haichuan), patch: map[string]any{"contact": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "OperatorByAssociation", as: "association", path: path("operators", haichuan), patch: map[string]any{"contact": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "OperatorNegativeUsers", as: "office", path: path("operators", haichuan), patch: map[string]any{"personal_info_users": -1},
				status: 400, code: csreview.EINVALID, fields: []string{"personal_info_users"}},

			{name: "BodyScopeIsReplaced", as: "office", path: path("bodies", chengming), patch: map[string]any{"scope": []string{"software"}}, status: 200, entity: "body"},
			{name: "BodyByAdmin", as: "admin", path: path("bodies", hengxin), patch: map[string]any{"contact": "测评业务部"}, status: 200, entity: "body"},
			{name: "BodyByItsAssessor", as: "assessor", path: path("bodies", hengxin), patch: map[string]any{"contact": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "BodyEndsBeforeStart", as: "office", path: path("bodies", hengxin), patch: map[string]any{"valid_until": "2000-01-01"},
				status: 400, code: csreview.EINVALID, fields: []string{"valid_until"}},

			{name: "UserByAdmin", as: "admin", path: user("expert"), patch: map[string]any{"display_name": "赵明哲（主任委员）", "org": "专家委员会"}, status: 200, entity: "user"},
			{name: "UserSelfByExpert", as: "expert", path: user("expert"), patch: map[string]any{"display_name": "x"}, status: 403, code: csreview.EFORBIDDEN},
			{name: "UserOtherByOffice", as: "office", path: user("expert"), patch: map[string]any{"display_name": "x"}, status: 404, code: csreview.ENOTFOUND},
			{name: "UserBadRole", as: "admin", path: user("member"), patch: map[string]any{"role": "king"},
				status: 400, code: csreview.EINVALID, fields: []string{"role"}},
		}
		// read returns the object at p as the admin sees it, a version as
		// part of its product.
		read := func(t *testing.T, p string) map[string]any {
			t.Helper()
			if pp, vid, ok := strings.Cut(p, "/versions/"); ok {
				prod := apiOK[map[string]any](t, e.get(t, "admin", pp), http.StatusOK)
				for _, v := range prod["versions"].([]any) {
					if m := v.(map[string]any); fmt.Sprint(m["id"]) == vid {
						return m
					}
				}
				return nil
			}
			r := e.get(t, "admin", p)
			if r.Status == http.StatusNotFound {
				return nil
			}
			return apiOK[map[string]any](t, r, http.StatusOK)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := read(t, tt.path)
				audits := e.auditTotal(t)
				r := e.patch(t, tt.as, tt.path, tt.patch)
				after := read(t, tt.path)
				if tt.status != http.StatusOK {
					apiWantProblem(t, r, tt.status, tt.code, tt.fields...)
					if !reflect.DeepEqual(before, after) {
						t.Fatalf("a refused patch changed the object:\nbefore %v\nafter  %v", before, after)
					}
					if got := e.auditTotal(t); got != audits {
						t.Fatalf("a refused patch wrote %d audit records", got-audits)
					}
					return
				}
				answer := apiOK[map[string]any](t, r, http.StatusOK)
				delete(answer, "versions")
				delete(after, "versions")
				if !reflect.DeepEqual(answer, after) {
					t.Fatalf("answered %v\nstored   %v", answer, after)
				}
				for k, v := range tt.patch {
					if want := apiJSONValue(t, v); !reflect.DeepEqual(after[k], want) && !(want == "" && after[k] == nil) {
						t.Fatalf("field %s: sent %v, stored %v", k, want, after[k])
					}
				}
				for k, v := range before {
					if _, sent := tt.patch[k]; sent || k == "updated_at" || k == "versions" {
						continue
					}
					if !reflect.DeepEqual(after[k], v) {
						t.Fatalf("field %s was not sent but changed from %v to %v", k, v, after[k])
					}
				}
				id := int64(after["id"].(float64))
				e.wantAudit(t, tt.entity, id, "update", tt.as)
			})
		}
		t.Run("IDInBodyIgnored", func(t *testing.T) {
			before := read(t, path("suppliers", hengshu))
			r := e.patch(t, "office", path("suppliers", xinghe), map[string]any{"id": hengshu, "contact": "只改星河"})
			got := apiOK[map[string]any](t, r, http.StatusOK)
			if got["id"] != float64(xinghe) || got["name_zh"] != apiSupXinghe {
				t.Fatalf("patched the wrong supplier: %v", got)
			}
			if after := read(t, path("suppliers", hengshu)); !reflect.DeepEqual(before, after) {
				t.Fatalf("supplier %d changed through another's PATCH", hengshu)
			}
		})
		t.Run("TimestampsKept", func(t *testing.T) {
			before := read(t, path("operators", haichuan))
			time.Sleep(2 * time.Millisecond)
			got := apiOK[csreview.Operator](t, e.patch(t, "office", path("operators", haichuan),
				map[string]any{"created_at": "2000-01-01T00:00:00Z", "region": "浙江省杭州市"}), http.StatusOK)
			if ts := got.CreatedAt.Format(time.RFC3339Nano); ts != before["created_at"] {
				t.Fatalf("created_at changed from %v to %v", before["created_at"], ts)
			}
			upd, _ := time.Parse(time.RFC3339Nano, before["updated_at"].(string))
			if !got.UpdatedAt.After(upd) {
				t.Fatalf("updated_at %v not after %v", got.UpdatedAt, upd)
			}
		})
		t.Run("MergePatchMediaType", func(t *testing.T) {
			r := e.do(t, apiReq{method: "PATCH", path: path("bodies", chengming), as: "office",
				body: `{"group": "澄明检测"}`, header: map[string]string{"Content-Type": "application/merge-patch+json"}})
			if got := apiOK[csreview.Body](t, r, http.StatusOK); got.Group != "澄明检测" {
				t.Fatalf("got group %q", got.Group)
			}
		})
		t.Run("UserRoleChangeKeepsPasswordAndState", func(t *testing.T) {
			u := apiOK[csreview.User](t, e.patch(t, "admin", user("association"), map[string]any{"role": "member"}), http.StatusOK)
			if u.Role != csreview.RoleMember || u.Disabled {
				t.Fatalf("got %+v", u)
			}
			if _, err := e.Store.Authenticate(t.Context(), "association", "csreview-demo"); err != nil {
				t.Fatalf("password lost by PATCH: %v", err)
			}
			// New authority needs a new token: the old one is revoked.
			if r := e.get(t, "association", "/api/v1/me"); r.Status != http.StatusUnauthorized {
				t.Fatalf("token issued under the old role: %s", r)
			}
		})
	})
}

// TestAPIDelete deletes objects: 204, then gone and audited; refusals
// leave the object and the audit log as they were.
func TestAPIDelete(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		sys := csreview.NewContextWithUser(t.Context(), csreview.SystemUser("test"))
		xinghe := apiID(t, e.suppliers, apiSupXinghe)
		hengdb := apiID(t, e.products, apiProdHengDB)
		// Fresh objects to delete, made behind the API.
		newSupplier := func(t *testing.T) string {
			s := &csreview.Supplier{NameZH: apiName("待删供应商"), Country: "CN", USCC: apiUSCC()}
			apiMust(t, e.Store.CreateSupplier(sys, s))
			return fmt.Sprintf("/api/v1/suppliers/%d", s.ID)
		}
		newProduct := func(supplierID int64) func(t *testing.T) string {
			return func(t *testing.T) string {
				p := &csreview.Product{SupplierID: supplierID, NameZH: apiName("待删产品"), Category: csreview.CategoryOther}
				apiMust(t, e.Store.CreateProduct(sys, p))
				return fmt.Sprintf("/api/v1/products/%d", p.ID)
			}
		}
		newVersion := func(productID int64) func(t *testing.T) string {
			return func(t *testing.T) string {
				v := &csreview.ProductVersion{ProductID: productID, Version: apiName("V")}
				apiMust(t, e.Store.CreateProductVersion(sys, v))
				return fmt.Sprintf("/api/v1/products/%d/versions/%d", productID, v.ID)
			}
		}
		newOperator := func(sector csreview.Sector) func(t *testing.T) string {
			return func(t *testing.T) string {
				o := &csreview.Operator{NameZH: apiName("待删运营者"), USCC: apiUSCC(), Sector: sector}
				apiMust(t, e.Store.CreateOperator(sys, o))
				return fmt.Sprintf("/api/v1/operators/%d", o.ID)
			}
		}
		newBody := func(t *testing.T) string {
			b := &csreview.Body{NameZH: apiName("待删机构"), USCC: apiUSCC(), AccreditationNo: apiName("D"),
				Scope: []csreview.Category{csreview.CategoryCloud}, ValidFrom: "2025-01-01", ValidUntil: "2026-12-31"}
			apiMust(t, e.Store.CreateBody(sys, b))
			return fmt.Sprintf("/api/v1/bodies/%d", b.ID)
		}
		fixed := func(p string) func(t *testing.T) string { return func(*testing.T) string { return p } }
		tests := []struct {
			name, as string
			object   func(t *testing.T) string // returns the object's path
			status   int
			code     string
			entity   string
		}{
			{"SupplierByOffice", "office", newSupplier, 204, "", "supplier"},
			{"SupplierByAdmin", "admin", newSupplier, 204, "", "supplier"},
			{"SupplierByExpert", "expert", newSupplier, 403, csreview.EFORBIDDEN, ""},
			{"SupplierOwnBySupplierUser", "supplier", fixed(fmt.Sprintf("/api/v1/suppliers/%d", xinghe)), 403, csreview.EFORBIDDEN, ""},
			{"SupplierOtherBySupplierUser", "supplier", newSupplier, 404, csreview.ENOTFOUND, ""},
			{"SupplierWithProducts", "office", fixed(fmt.Sprintf("/api/v1/suppliers/%d", xinghe)), 409, csreview.ECONFLICT, ""},
			{"SupplierMissing", "office", fixed("/api/v1/suppliers/999999"), 404, csreview.ENOTFOUND, ""},
			{"SupplierNonNumeric", "office", fixed("/api/v1/suppliers/x1"), 404, csreview.ENOTFOUND, ""},

			{"ProductOwnBySupplierUser", "supplier", newProduct(xinghe), 204, "", "product"},
			{"ProductWithVersionsByOffice", "office", fixed(fmt.Sprintf("/api/v1/products/%d", hengdb)), 204, "", "product"},
			{"ProductOtherBySupplierUser", "supplier", newProduct(apiID(t, e.suppliers, apiSupHengshu)), 404, csreview.ENOTFOUND, ""},
			{"ProductByExpert", "expert", newProduct(xinghe), 403, csreview.EFORBIDDEN, ""},
			{"ProductByRegulator", "regulator", newProduct(xinghe), 403, csreview.EFORBIDDEN, ""},

			{"VersionOwnBySupplierUser", "supplier", newVersion(apiID(t, e.products, apiProdXR9000)), 204, "", "product_version"},
			{"VersionOtherBySupplierUser", "supplier", newVersion(apiID(t, e.products, "云岫政务云")), 404, csreview.ENOTFOUND, ""},
			{"VersionByExpert", "expert", newVersion(apiID(t, e.products, apiProdXR9000)), 403, csreview.EFORBIDDEN, ""},
			{"VersionMissing", "office", fixed(fmt.Sprintf("/api/v1/products/%d/versions/999999", apiID(t, e.products, apiProdXR9000))), 404, csreview.ENOTFOUND, ""},

			{"OperatorByOffice", "office", newOperator(csreview.SectorEnergy), 204, "", "operator"},
			{"OperatorByRegulator", "regulator", newOperator(csreview.SectorFinance), 403, csreview.EFORBIDDEN, ""},
			{"OperatorOtherSectorByRegulator", "regulator", newOperator(csreview.SectorEnergy), 404, csreview.ENOTFOUND, ""},
			{"OperatorOwnByOperatorUser", "operator", fixed(fmt.Sprintf("/api/v1/operators/%d", apiID(t, e.operators, apiOpHaichuan))), 403, csreview.EFORBIDDEN, ""},
			{"OperatorWithAccount", "office", fixed(fmt.Sprintf("/api/v1/operators/%d", apiID(t, e.operators, apiOpHaichuan))), 409, csreview.ECONFLICT, ""},

			{"BodyByAdmin", "admin", newBody, 204, "", "body"},
			{"BodyByAssessor", "assessor", newBody, 403, csreview.EFORBIDDEN, ""},
			{"BodyWithAssessor", "office", fixed(fmt.Sprintf("/api/v1/bodies/%d", apiID(t, e.bodies, apiBodyHengxin))), 409, csreview.ECONFLICT, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := tt.object(t)
				audits := e.auditTotal(t)
				r := e.del(t, tt.as, p)
				if tt.status != http.StatusNoContent {
					apiWantProblem(t, r, tt.status, tt.code)
					if got := e.auditTotal(t); got != audits {
						t.Fatalf("a refused delete wrote %d audit records", got-audits)
					}
					if !strings.Contains(p, "999999") && !strings.Contains(p, "x1") && !strings.Contains(p, "/versions/") {
						apiWantStatus(t, e.get(t, "admin", p), http.StatusOK)
					}
					return
				}
				apiWantStatus(t, r, http.StatusNoContent)
				if len(r.Body) != 0 {
					t.Fatalf("204 with a body: %s", r.Body)
				}
				var id int64
				fmt.Sscan(p[strings.LastIndexByte(p, '/')+1:], &id)
				if tt.entity == "product_version" {
					pp, _, _ := strings.Cut(p, "/versions/")
					prod := apiOK[csreview.Product](t, e.get(t, "admin", pp), http.StatusOK)
					if slices.ContainsFunc(prod.Versions, func(v *csreview.ProductVersion) bool { return v.ID == id }) {
						t.Fatalf("version %d still there", id)
					}
				} else {
					apiWantProblem(t, e.get(t, "admin", p), http.StatusNotFound, csreview.ENOTFOUND)
				}
				e.wantAudit(t, tt.entity, id, "delete", tt.as)
				// Deleting again is 404.
				apiWantProblem(t, e.del(t, tt.as, p), http.StatusNotFound, csreview.ENOTFOUND)
			})
		}
	})
}

// TestAPIBadInput sends what the API must refuse, and checks that each
// refusal is RFC 9457 problem JSON naming what is wrong and where.
func TestAPIBadInput(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		xinghe, err := e.Store.FindSupplierByID(csreview.NewContextWithUser(t.Context(), e.users["office"]), apiID(t, e.suppliers, apiSupXinghe))
		apiMust(t, err)
		xr := apiID(t, e.products, apiProdXR9000)
		validSupplier := `{"name_zh": "测试", "country": "CN", "uscc": "` + apiUSCC() + `"}`
		tests := []struct {
			name   string
			req    apiReq
			status int
			code   string
			fields []string
			// check looks further at the problem; nil: nothing more.
			check func(t *testing.T, p apiProblem)
		}{
			{name: "SupplierMissingFields", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{}`},
				status: 400, code: csreview.EINVALID, fields: []string{"name_zh", "country", "registration_no"}},
			{name: "DomesticSupplierMissingFields", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{"country": "CN"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"name_zh", "uscc"}},
			{name: "ProductMissingFields", req: apiReq{method: "POST", path: "/api/v1/products", as: "office", body: `{}`},
				status: 400, code: csreview.EINVALID, fields: []string{"supplier_id", "name_zh", "category"}},
			{name: "OperatorMissingFields", req: apiReq{method: "POST", path: "/api/v1/operators", as: "office", body: `{}`},
				status: 400, code: csreview.EINVALID, fields: []string{"name_zh", "uscc", "sector"}},
			{name: "BodyMissingFields", req: apiReq{method: "POST", path: "/api/v1/bodies", as: "office", body: `{}`},
				status: 400, code: csreview.EINVALID, fields: []string{"name_zh", "uscc", "accreditation_no", "scope", "valid_from", "valid_until"}},
			{name: "UserMissingFields", req: apiReq{method: "POST", path: "/api/v1/users", as: "admin", body: `{}`},
				status: 400, code: csreview.EINVALID, fields: []string{"username", "display_name", "role", "password"}},
			{name: "UserShortPassword", req: apiReq{method: "POST", path: "/api/v1/users", as: "admin",
				body: `{"username": "newbie", "display_name": "新人", "role": "expert", "password": "short"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"password"}},
			{name: "UserWithoutOrganisation", req: apiReq{method: "POST", path: "/api/v1/users", as: "admin",
				body: `{"username": "newsupplier", "display_name": "新人", "role": "supplier", "password": "long enough password"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"supplier_id"}},
			{name: "UserUnknownOrganisation", req: apiReq{method: "POST", path: "/api/v1/users", as: "admin",
				body: `{"username": "newassessor", "display_name": "新人", "role": "assessor", "body_id": 999999, "password": "long enough password"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"body_id"}},
			{name: "VersionMissingFields", req: apiReq{method: "POST", path: fmt.Sprintf("/api/v1/products/%d/versions", xr), as: "office", body: `{}`},
				status: 400, code: csreview.EINVALID, fields: []string{"version"}},
			{name: "TokenMissingName", req: apiReq{method: "POST", path: "/api/v1/tokens", as: "expert", body: `{"ttl_days": 3}`},
				status: 400, code: csreview.EINVALID, fields: []string{"name"}},
			{name: "TokenNegativeTTL", req: apiReq{method: "POST", path: "/api/v1/tokens", as: "expert", body: `{"name": "x", "ttl_days": -1}`},
				status: 400, code: csreview.EINVALID, fields: []string{"ttl"}},
			{name: "InvalidUSCC", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office",
				body: `{"name_zh": "测试", "country": "CN", "uscc": "91110108MA01R7K3XX"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"uscc"},
				check: func(t *testing.T, p apiProblem) {
					if p.rule("uscc") != "invalid_uscc" {
						t.Fatalf("got rule %q", p.rule("uscc"))
					}
				}},
			{name: "InvalidUSCCCheckCharacter", req: apiReq{method: "POST", path: "/api/v1/operators", as: "office",
				body: `{"name_zh": "测试", "sector": "finance", "uscc": "` + apiBadCheck(apiUSCC()) + `"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"uscc"}},
			{name: "InvalidCountry", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office",
				body: `{"name_zh": "测试", "country": "XX", "registration_no": "1"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"country"}},
			{name: "ManyErrorsAtOnce", req: apiReq{method: "POST", path: "/api/v1/bodies", as: "office",
				body: `{"name_zh": "测试", "uscc": "bad", "accreditation_no": "A", "scope": ["toys"], "valid_from": "2025-13-01", "valid_until": "2025-01-01"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"uscc", "scope", "valid_from"}},
			{name: "MalformedJSON", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office",
				body: "{\n  \"name_zh\": \"测试\",\n  \"country\": }"},
				status: 400, code: csreview.EINVALID, fields: []string{"body"},
				check: func(t *testing.T, p apiProblem) {
					// The '}' is on line 3, column 14.
					if p.rule("body") != "syntax" || !strings.Contains(p.Errors[0].Param, "line 3, column 14") ||
						!strings.Contains(p.Errors[0].Message, "line 3, column 14") {
						t.Fatalf("got %+v, want a syntax error at line 3, column 14", p.Errors)
					}
				}},
			{name: "MalformedJSONFirstLine", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{"name_zh" "x"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"body"},
				check: func(t *testing.T, p apiProblem) {
					if !strings.Contains(p.Errors[0].Message, "line 1, column 12") {
						t.Fatalf("got %+v, want line 1, column 12", p.Errors)
					}
				}},
			{name: "MalformedJSONAfterChinese", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{"name_zh": "测试" "x"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"body"},
				check: func(t *testing.T, p apiProblem) {
					// Columns count characters, not the bytes of UTF-8.
					if !strings.Contains(p.Errors[0].Message, "line 1, column 18") {
						t.Fatalf("got %+v, want line 1, column 18", p.Errors)
					}
				}},
			{name: "TruncatedJSON", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{"name_zh": "x"`},
				status: 400, code: csreview.EINVALID, fields: []string{"body"}},
			{name: "EmptyBody", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: ``},
				status: 400, code: csreview.EINVALID, fields: []string{"body"}},
			{name: "TrailingData", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: validSupplier + ` {}`},
				status: 400, code: csreview.EINVALID, fields: []string{"body"}},
			{name: "NotAnObject", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `["x"]`},
				status: 400, code: csreview.EINVALID, fields: []string{"body"}},
			{name: "UnknownField", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office",
				body: `{"name_zh": "测试", "country": "CN", "uscc": "` + apiUSCC() + `", "shareholders": []}`},
				status: 400, code: csreview.EINVALID, fields: []string{"shareholders"},
				check: func(t *testing.T, p apiProblem) {
					if p.rule("shareholders") != "unknown_field" {
						t.Fatalf("got rule %q", p.rule("shareholders"))
					}
				}},
			{name: "UnknownFieldInPatch", req: apiReq{method: "PATCH", path: fmt.Sprintf("/api/v1/products/%d", xr), as: "office", body: `{"price": 1}`},
				status: 400, code: csreview.EINVALID, fields: []string{"price"}},
			{name: "WrongType", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{"name_zh": 42}`},
				status: 400, code: csreview.EINVALID, fields: []string{"name_zh"},
				check: func(t *testing.T, p apiProblem) {
					if p.rule("name_zh") != "type" || p.Errors[0].Param != "string" {
						t.Fatalf("got %+v", p.Errors)
					}
				}},
			{name: "WrongTypeBool", req: apiReq{method: "PATCH", path: fmt.Sprintf("/api/v1/operators/%d", apiID(t, e.operators, apiOpHaichuan)),
				as: "office", body: `{"cii": "yes"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"cii"}},
			{name: "WrongTypeArray", req: apiReq{method: "POST", path: "/api/v1/bodies", as: "office", body: `{"scope": "cloud"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"scope"}},
			{name: "WrongTypeInt", req: apiReq{method: "POST", path: "/api/v1/products", as: "office", body: `{"supplier_id": "1"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"supplier_id"}},
			{name: "WrongTypeNewUser", req: apiReq{method: "POST", path: "/api/v1/users", as: "admin", body: `{"username": 7, "password": "long enough password"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"username"}},
			{name: "WrongTypeNewUserPassword", req: apiReq{method: "POST", path: "/api/v1/users", as: "admin", body: `{"password": 1234567890}`},
				status: 400, code: csreview.EINVALID, fields: []string{"password"}},
			{name: "WrongContentType", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: validSupplier,
				header: map[string]string{"Content-Type": "text/plain"}}, status: 415, code: csreview.EUNSUPPORTED},
			{name: "FormContentType", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: "name_zh=x",
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, status: 415, code: csreview.EUNSUPPORTED},
			{name: "BrokenContentType", req: apiReq{method: "PATCH", path: fmt.Sprintf("/api/v1/products/%d", xr), as: "office", body: `{}`,
				header: map[string]string{"Content-Type": "application/json; charset"}}, status: 415, code: csreview.EUNSUPPORTED},
			{name: "DuplicateSupplierUSCC", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office",
				body: map[string]any{"name_zh": "另一家公司", "country": "CN", "uscc": xinghe.USCC}}, status: 409, code: csreview.ECONFLICT},
			{name: "DuplicateSupplierUSCCLowerCase", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office",
				body: map[string]any{"name_zh": "另一家公司", "country": "cn", "uscc": strings.ToLower(xinghe.USCC)}}, status: 409, code: csreview.ECONFLICT},
			{name: "DuplicateSupplierUSCCByPatch", req: apiReq{method: "PATCH", path: fmt.Sprintf("/api/v1/suppliers/%d", apiID(t, e.suppliers, apiSupHengshu)),
				as: "office", body: map[string]any{"uscc": xinghe.USCC}}, status: 409, code: csreview.ECONFLICT},
			{name: "DuplicateForeignRegistration", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office",
				body: map[string]any{"name_zh": "另一家公司", "country": "US", "registration_no": "Delaware 6184372"}}, status: 409, code: csreview.ECONFLICT},
			{name: "DuplicateUsername", req: apiReq{method: "POST", path: "/api/v1/users", as: "admin",
				body: map[string]any{"username": "Expert", "display_name": "x", "role": "expert", "password": "long enough password"}}, status: 409, code: csreview.ECONFLICT},
			{name: "DuplicateProductName", req: apiReq{method: "POST", path: "/api/v1/products", as: "supplier",
				body: map[string]any{"supplier_id": xinghe.ID, "name_zh": apiProdXR9000, "category": "core_network"}}, status: 409, code: csreview.ECONFLICT},
			{name: "DuplicateAccreditationNo", req: apiReq{method: "POST", path: "/api/v1/bodies", as: "office",
				body: func() map[string]any { b := apiBodyBody(); b["accreditation_no"] = "DEMO-ACC-2023-0007"; return b }()}, status: 409, code: csreview.ECONFLICT},
			{name: "UnknownIDGet", req: apiReq{method: "GET", path: "/api/v1/bodies/424242", as: "office"}, status: 404, code: csreview.ENOTFOUND},
			{name: "UnknownIDPatch", req: apiReq{method: "PATCH", path: "/api/v1/products/424242", as: "office", body: `{}`}, status: 404, code: csreview.ENOTFOUND},
			{name: "UnknownIDDelete", req: apiReq{method: "DELETE", path: "/api/v1/operators/424242", as: "office"}, status: 404, code: csreview.ENOTFOUND},
			{name: "UnknownIDDisable", req: apiReq{method: "POST", path: "/api/v1/users/424242/disable", as: "admin"}, status: 404, code: csreview.ENOTFOUND},
			{name: "UnknownIDToken", req: apiReq{method: "DELETE", path: "/api/v1/tokens/424242", as: "admin"}, status: 404, code: csreview.ENOTFOUND},
			{name: "NonNumericIDGet", req: apiReq{method: "GET", path: "/api/v1/products/xr9000", as: "office"}, status: 404, code: csreview.ENOTFOUND},
			{name: "NonNumericIDPatch", req: apiReq{method: "PATCH", path: "/api/v1/suppliers/1.5", as: "office", body: `{}`}, status: 404, code: csreview.ENOTFOUND},
			{name: "NonNumericVersionID", req: apiReq{method: "PATCH", path: fmt.Sprintf("/api/v1/products/%d/versions/v1", xr), as: "office", body: `{}`},
				status: 404, code: csreview.ENOTFOUND},
			{name: "NonNumericIDDelete", req: apiReq{method: "DELETE", path: "/api/v1/bodies/one", as: "office"}, status: 404, code: csreview.ENOTFOUND},
			{name: "LimitTooLarge", req: apiReq{method: "GET", path: "/api/v1/suppliers?limit=501", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"limit"},
				check: func(t *testing.T, p apiProblem) {
					if p.rule("limit") != "too_large" || p.Errors[0].Param != "500" {
						t.Fatalf("got %+v", p.Errors)
					}
				}},
			{name: "AuditLimitTooLarge", req: apiReq{method: "GET", path: "/api/v1/audit?limit=100000", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"limit"}},
			{name: "LimitNotANumber", req: apiReq{method: "GET", path: "/api/v1/products?limit=ten", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"limit"}},
			{name: "NegativeOffset", req: apiReq{method: "GET", path: "/api/v1/bodies?offset=-5", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"offset"}},
			{name: "SeveralBadParams", req: apiReq{method: "GET", path: "/api/v1/operators?sector=moon&cii=perhaps&limit=1000", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"sector", "cii", "limit"}},
			{name: "BadCategoryParam", req: apiReq{method: "GET", path: "/api/v1/products?category=toys", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"category"}},
			{name: "BadSupplierIDParam", req: apiReq{method: "GET", path: "/api/v1/products?supplier_id=xinghe", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"supplier_id"}},
			{name: "BadDomesticParam", req: apiReq{method: "GET", path: "/api/v1/suppliers?domestic=maybe", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"domestic"}},
			{name: "BadValidOnParam", req: apiReq{method: "GET", path: "/api/v1/bodies?valid_on=2026-02-30", as: "office"},
				status: 400, code: csreview.EINVALID, fields: []string{"valid_on"}},
			{name: "BadRoleParam", req: apiReq{method: "GET", path: "/api/v1/users?role=king", as: "admin"},
				status: 400, code: csreview.EINVALID, fields: []string{"role"}},
			{name: "BadAuditEntityID", req: apiReq{method: "GET", path: "/api/v1/audit?entity_id=abc", as: "admin"},
				status: 400, code: csreview.EINVALID, fields: []string{"entity_id"}},
			{name: "ChineseByDefault", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{"country": "CN"}`},
				status: 400, code: csreview.EINVALID, fields: []string{"name_zh", "uscc"},
				check: func(t *testing.T, p apiProblem) {
					if p.Detail != "输入有误，请按提示修改。" || p.Errors[0].Message != "必填。" {
						t.Fatalf("got %q / %q, want the Chinese messages", p.Detail, p.Errors[0].Message)
					}
				}},
			{name: "English", req: apiReq{method: "POST", path: "/api/v1/suppliers", as: "office", body: `{"country": "CN"}`,
				header: map[string]string{"Accept-Language": "en"}},
				status: 400, code: csreview.EINVALID, fields: []string{"name_zh", "uscc"},
				check: func(t *testing.T, p apiProblem) {
					if p.Detail != "Some input is invalid; see the messages." || p.Errors[0].Message != "Required." {
						t.Fatalf("got %q / %q, want the English messages", p.Detail, p.Errors[0].Message)
					}
				}},
			{name: "EnglishRegional", req: apiReq{method: "GET", path: "/api/v1/suppliers/999999", as: "office",
				header: map[string]string{"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}}, status: 404, code: csreview.ENOTFOUND,
				check: func(t *testing.T, p apiProblem) {
					if p.Detail != "Not found, or you may not see it." {
						t.Fatalf("got %q", p.Detail)
					}
				}},
			{name: "ChineseWhenAsked", req: apiReq{method: "GET", path: "/api/v1/suppliers/999999", as: "office",
				header: map[string]string{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}}, status: 404, code: csreview.ENOTFOUND,
				check: func(t *testing.T, p apiProblem) {
					if p.Detail != "未找到该记录，或您无权查看。" {
						t.Fatalf("got %q", p.Detail)
					}
				}},
			{name: "EnglishParamMessage", req: apiReq{method: "GET", path: "/api/v1/suppliers?limit=501", as: "office",
				header: map[string]string{"Accept-Language": "en"}}, status: 400, code: csreview.EINVALID, fields: []string{"limit"},
				check: func(t *testing.T, p apiProblem) {
					if p.Errors[0].Message != "At most 500." {
						t.Fatalf("got %q", p.Errors[0].Message)
					}
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				audits := e.auditTotal(t)
				r := e.do(t, tt.req)
				p := apiWantProblem(t, r, tt.status, tt.code, tt.fields...)
				if p.Instance != strings.Split(tt.req.path, "?")[0] {
					t.Fatalf("got instance %q for %s", p.Instance, tt.req.path)
				}
				if tt.check != nil {
					tt.check(t, p)
				}
				if got := e.auditTotal(t); got != audits {
					t.Fatalf("a refused request wrote %d audit records", got-audits)
				}
			})
		}
	})
}

// apiBadCheck returns a USCC with a wrong check character.
func apiBadCheck(uscc string) string {
	last := uscc[17]
	for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
		if byte(c) != last {
			return uscc[:17] + string(c)
		}
	}
	return ""
}

// TestAPIBodyLimit sends bodies over Config.MaxBodyBytes.
func TestAPIBodyLimit(t *testing.T) {
	t.Parallel()
	const limit = 512
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		big := map[string]any{"name_zh": "测试", "country": "CN", "uscc": apiUSCC(), "ownership": strings.Repeat("股", limit)}
		tests := []struct {
			name, method, path string
		}{
			{"Create", "POST", "/api/v1/suppliers"},
			{"Patch", "PATCH", fmt.Sprintf("/api/v1/suppliers/%d", apiID(t, e.suppliers, apiSupXinghe))},
			{"Token", "POST", "/api/v1/tokens"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				audits := e.auditTotal(t)
				r := e.do(t, apiReq{method: tt.method, path: tt.path, as: "admin", body: big})
				apiWantProblem(t, r, http.StatusRequestEntityTooLarge, csreview.ETOOLARGE)
				if got := e.auditTotal(t); got != audits {
					t.Fatalf("an oversized request wrote %d audit records", got-audits)
				}
			})
		}
		t.Run("UnderTheLimit", func(t *testing.T) {
			r := e.post(t, "admin", "/api/v1/suppliers", apiSupplierBody())
			apiWantStatus(t, r, http.StatusCreated)
		})
	}, func(c *web.Config) { c.MaxBodyBytes = limit })
}

// TestAPIAuthentication checks who the API lets in.
func TestAPIAuthentication(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		tests := []struct {
			name, method, path, auth string
		}{
			{"NoToken", "GET", "/api/v1/suppliers", ""},
			{"NoTokenMe", "GET", "/api/v1/me", ""},
			{"NoTokenCreate", "POST", "/api/v1/suppliers", ""},
			{"NoTokenAudit", "GET", "/api/v1/audit", ""},
			{"NoTokenTokens", "POST", "/api/v1/tokens", ""},
			{"UnknownToken", "GET", "/api/v1/suppliers", "Bearer " + csreview.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
			{"TokenWithoutPrefix", "GET", "/api/v1/suppliers", "Bearer abc"},
			{"EmptyBearer", "GET", "/api/v1/suppliers", "Bearer "},
			{"BasicAuth", "GET", "/api/v1/suppliers", "Basic b2ZmaWNlOmNzcmV2aWV3LWRlbW8="},
			{"TruncatedToken", "GET", "/api/v1/me", "Bearer " + e.tokens["office"][:20]},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				audits := e.auditTotal(t)
				h := map[string]string{}
				if tt.auth != "" {
					h["Authorization"] = tt.auth
				}
				var body any
				if tt.method == "POST" {
					body = apiSupplierBody()
				}
				r := e.do(t, apiReq{method: tt.method, path: tt.path, body: body, header: h})
				p := apiWantProblem(t, r, http.StatusUnauthorized, csreview.EUNAUTHORIZED)
				if p.Instance != tt.path {
					t.Fatalf("got instance %q", p.Instance)
				}
				if got := e.auditTotal(t); got != audits {
					t.Fatalf("an unauthenticated request wrote %d audit records", got-audits)
				}
			})
		}
		t.Run("SchemeCaseInsensitive", func(t *testing.T) {
			r := e.do(t, apiReq{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": "bearer " + e.tokens["expert"]}})
			if me := apiOK[csreview.User](t, r, http.StatusOK); me.Username != "expert" {
				t.Fatalf("got %s", me.Username)
			}
		})
		t.Run("BadTokenMessage", func(t *testing.T) {
			r := e.do(t, apiReq{method: "GET", path: "/api/v1/me", header: map[string]string{
				"Authorization": "Bearer csr_nope", "Accept-Language": "en"}})
			if p := apiWantProblem(t, r, 401, csreview.EUNAUTHORIZED); p.Detail != "The API token is unknown, expired or revoked." {
				t.Fatalf("got %q", p.Detail)
			}
		})
		t.Run("OpenAPIIsPublic", func(t *testing.T) {
			apiWantStatus(t, e.get(t, "", "/api/v1/openapi.json"), http.StatusOK)
		})
	})
}

// TestAPITokens creates, lists, uses and revokes API tokens.
func TestAPITokens(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		type created struct {
			csreview.APIToken
			Secret string `json:"secret"`
		}
		withToken := func(t *testing.T, secret, path string) *apiResp {
			t.Helper()
			return e.do(t, apiReq{method: "GET", path: path, header: map[string]string{"Authorization": "Bearer " + secret}})
		}
		for _, as := range apiRoles {
			t.Run("CreateAs/"+as, func(t *testing.T) {
				r := e.post(t, as, "/api/v1/tokens", map[string]any{"name": "CI 流水线"})
				tok := apiOK[created](t, r, http.StatusCreated)
				if !strings.HasPrefix(tok.Secret, csreview.TokenPrefix) || len(tok.Secret) < 40 ||
					!strings.HasPrefix(tok.Secret, tok.Hint) || tok.Hint == tok.Secret {
					t.Fatalf("got secret %q, hint %q", tok.Secret, tok.Hint)
				}
				if tok.UserID != e.users[as].ID || tok.Name != "CI 流水线" || tok.ExpiresAt != nil || tok.ID <= 0 {
					t.Fatalf("got %+v", tok.APIToken)
				}
				// The secret works, as the token's user.
				me := apiOK[csreview.User](t, withToken(t, tok.Secret, "/api/v1/me"), http.StatusOK)
				if me.Username != as {
					t.Fatalf("new token acts as %q, want %q", me.Username, as)
				}
				// The list shows the token, never a secret.
				lr := e.get(t, as, "/api/v1/tokens")
				l := apiOK[apiList[map[string]any]](t, lr, http.StatusOK)
				if l.Total != 2 || len(l.Items) != 2 {
					t.Fatalf("got %d tokens, want 2: %s", l.Total, lr.Body)
				}
				for _, s := range []string{tok.Secret, e.tokens[as], `"secret"`, "secret_hash", csreview.HashSecret(tok.Secret)} {
					if strings.Contains(string(lr.Body), s) {
						t.Fatalf("the token list shows %q: %s", s, lr.Body)
					}
				}
				if !slices.ContainsFunc(l.Items, func(m map[string]any) bool {
					return m["id"] == float64(tok.ID) && m["hint"] == tok.Hint && m["last_used_at"] != nil
				}) {
					t.Fatalf("the list lacks token %d with its hint and last use: %s", tok.ID, lr.Body)
				}
				e.wantAudit(t, "api_token", tok.ID, "create", as)
				a := e.lastAudit(t, "api_token", tok.ID)
				if strings.Contains(string(a.After), tok.Secret) {
					t.Fatalf("the audit log holds the secret: %s", a.After)
				}
			})
		}
		t.Run("Expiry", func(t *testing.T) {
			tok := apiOK[created](t, e.post(t, "member", "/api/v1/tokens", map[string]any{"name": "temp", "ttl_days": 30}), http.StatusCreated)
			if tok.ExpiresAt == nil {
				t.Fatal("no expiry")
			}
			if d := tok.ExpiresAt.Sub(tok.CreatedAt); d != 30*24*time.Hour {
				t.Fatalf("expires after %v, want 720h", d)
			}
		})
		t.Run("Revoke", func(t *testing.T) {
			tok := apiOK[created](t, e.post(t, "supplier", "/api/v1/tokens", map[string]any{"name": "to revoke"}), http.StatusCreated)
			apiWantStatus(t, withToken(t, tok.Secret, "/api/v1/products"), http.StatusOK)
			// Another user cannot revoke it, nor learn it exists.
			apiWantProblem(t, e.del(t, "office", fmt.Sprintf("/api/v1/tokens/%d", tok.ID)), 404, csreview.ENOTFOUND)
			apiWantStatus(t, withToken(t, tok.Secret, "/api/v1/me"), http.StatusOK)
			// Its user can.
			r := e.del(t, "supplier", fmt.Sprintf("/api/v1/tokens/%d", tok.ID))
			apiWantStatus(t, r, http.StatusNoContent)
			e.wantAudit(t, "api_token", tok.ID, "delete", "supplier")
			apiWantProblem(t, withToken(t, tok.Secret, "/api/v1/products"), http.StatusUnauthorized, csreview.EUNAUTHORIZED)
			apiWantProblem(t, e.del(t, "supplier", fmt.Sprintf("/api/v1/tokens/%d", tok.ID)), 404, csreview.ENOTFOUND)
			l := apiOK[apiList[csreview.APIToken]](t, e.get(t, "supplier", "/api/v1/tokens"), http.StatusOK)
			if slices.ContainsFunc(l.Items, func(x csreview.APIToken) bool { return x.ID == tok.ID }) {
				t.Fatal("a revoked token is still listed")
			}
			// The other token of the user still works.
			apiWantStatus(t, e.get(t, "supplier", "/api/v1/me"), http.StatusOK)
		})
		t.Run("AdminRevokesAnyToken", func(t *testing.T) {
			tok := apiOK[created](t, e.post(t, "assessor", "/api/v1/tokens", map[string]any{"name": "x"}), http.StatusCreated)
			apiWantStatus(t, e.del(t, "admin", fmt.Sprintf("/api/v1/tokens/%d", tok.ID)), http.StatusNoContent)
			e.wantAudit(t, "api_token", tok.ID, "delete", "admin")
			apiWantProblem(t, withToken(t, tok.Secret, "/api/v1/me"), http.StatusUnauthorized, csreview.EUNAUTHORIZED)
		})
		t.Run("DisableUser", func(t *testing.T) {
			id := e.users["expert"].ID
			apiWantStatus(t, e.get(t, "expert", "/api/v1/me"), http.StatusOK)
			// Only an admin disables, and not itself.
			apiWantProblem(t, e.post(t, "office", fmt.Sprintf("/api/v1/users/%d/disable", id), nil), 404, csreview.ENOTFOUND)
			apiWantProblem(t, e.post(t, "expert", fmt.Sprintf("/api/v1/users/%d/disable", id), nil), 403, csreview.EFORBIDDEN)
			apiWantProblem(t, e.post(t, "admin", fmt.Sprintf("/api/v1/users/%d/disable", e.users["admin"].ID), nil), 403, csreview.EFORBIDDEN)
			apiWantStatus(t, e.get(t, "expert", "/api/v1/me"), http.StatusOK)

			u := apiOK[csreview.User](t, e.post(t, "admin", fmt.Sprintf("/api/v1/users/%d/disable", id), nil), http.StatusOK)
			if !u.Disabled || u.ID != id {
				t.Fatalf("got %+v", u)
			}
			e.wantAudit(t, "user", id, "update", "admin")
			p := apiWantProblem(t, e.get(t, "expert", "/api/v1/me"), http.StatusUnauthorized, csreview.EUNAUTHORIZED)
			if p.Detail != "API 令牌无效、已过期或已吊销。" {
				t.Fatalf("got %q", p.Detail)
			}
			// The admin sees it disabled.
			l := apiOK[apiList[csreview.User]](t, e.get(t, "admin", "/api/v1/users?disabled=true"), http.StatusOK)
			if l.Total != 1 || l.Items[0].Username != "expert" {
				t.Fatalf("got %+v", l.Items)
			}
			// Enabling does not bring the revoked token back.
			u = apiOK[csreview.User](t, e.post(t, "admin", fmt.Sprintf("/api/v1/users/%d/enable", id), nil), http.StatusOK)
			if u.Disabled {
				t.Fatalf("still disabled: %+v", u)
			}
			e.wantAudit(t, "user", id, "update", "admin")
			apiWantProblem(t, e.get(t, "expert", "/api/v1/me"), http.StatusUnauthorized, csreview.EUNAUTHORIZED)
		})
	})
}

// TestAPIAuditTrail makes one write of every kind through the API, each
// by a different user, and finds each in the audit log under its actor.
func TestAPIAuditTrail(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		xinghe := apiID(t, e.suppliers, apiSupXinghe)
		type write struct {
			as, method, path string
			body             any
			entity, action   string
		}
		var prodID, verID, supID, userID int64
		steps := []struct {
			name string
			w    func() write
			// keep records the ID of what the write made.
			keep *int64
		}{
			{"CreateSupplier", func() write {
				return write{"office", "POST", "/api/v1/suppliers", apiSupplierBody(), "supplier", "create"}
			}, &supID},
			{"UpdateSupplier", func() write {
				return write{"admin", "PATCH", fmt.Sprintf("/api/v1/suppliers/%d", supID), map[string]any{"contact": "x"}, "supplier", "update"}
			}, nil},
			{"CreateProduct", func() write {
				return write{"supplier", "POST", "/api/v1/products", apiProductBody(xinghe), "product", "create"}
			}, &prodID},
			{"UpdateProduct", func() write {
				return write{"supplier", "PATCH", fmt.Sprintf("/api/v1/products/%d", prodID), map[string]any{"model": "M-1"}, "product", "update"}
			}, nil},
			{"CreateVersion", func() write {
				return write{"supplier", "POST", fmt.Sprintf("/api/v1/products/%d/versions", prodID), apiVersionBody(), "product_version", "create"}
			}, &verID},
			{"UpdateVersion", func() write {
				return write{"office", "PATCH", fmt.Sprintf("/api/v1/products/%d/versions/%d", prodID, verID), map[string]any{"notes": "x"}, "product_version", "update"}
			}, nil},
			{"DeleteVersion", func() write {
				return write{"supplier", "DELETE", fmt.Sprintf("/api/v1/products/%d/versions/%d", prodID, verID), nil, "product_version", "delete"}
			}, nil},
			{"DeleteProduct", func() write {
				return write{"admin", "DELETE", fmt.Sprintf("/api/v1/products/%d", prodID), nil, "product", "delete"}
			}, nil},
			{"DeleteSupplier", func() write {
				return write{"office", "DELETE", fmt.Sprintf("/api/v1/suppliers/%d", supID), nil, "supplier", "delete"}
			}, nil},
			{"UpdateOperator", func() write {
				return write{"operator", "PATCH", fmt.Sprintf("/api/v1/operators/%d", apiID(t, e.operators, apiOpHaichuan)), map[string]any{"region": "浙江省杭州市"}, "operator", "update"}
			}, nil},
			{"CreateOperator", func() write {
				return write{"regulator", "POST", "/api/v1/operators", apiOperatorBody("finance"), "operator", "create"}
			}, nil},
			{"CreateBody", func() write { return write{"admin", "POST", "/api/v1/bodies", apiBodyBody(), "body", "create"} }, nil},
			{"CreateUser", func() write {
				return write{"admin", "POST", "/api/v1/users", apiUserBody("association"), "user", "create"}
			}, &userID},
			{"UpdateUser", func() write {
				return write{"admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", userID), map[string]any{"email": "x@example.org"}, "user", "update"}
			}, nil},
			{"DisableUser", func() write {
				return write{"admin", "POST", fmt.Sprintf("/api/v1/users/%d/disable", userID), nil, "user", "update"}
			}, nil},
			{"CreateToken", func() write {
				return write{"association", "POST", "/api/v1/tokens", map[string]any{"name": "a"}, "api_token", "create"}
			}, nil},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				w := s.w()
				r := e.do(t, apiReq{method: w.method, path: w.path, as: w.as, body: w.body})
				if r.Status >= 300 {
					t.Fatalf("%s %s: %s", w.method, w.path, r)
				}
				var id int64
				if r.Status != http.StatusNoContent {
					id = int64(apiDecode[map[string]any](t, r)["id"].(float64))
				} else {
					fmt.Sscan(w.path[strings.LastIndexByte(w.path, '/')+1:], &id)
				}
				if s.keep != nil {
					*s.keep = id
				}
				e.wantAudit(t, w.entity, id, w.action, w.as)
				// The record is also found by the actor filter.
				l := apiOK[apiList[csreview.AuditRecord]](t, e.get(t, "admin",
					fmt.Sprintf("/api/v1/audit?actor_id=%d&action=%s&entity=%s&limit=1", e.users[w.as].ID, w.action, w.entity)), http.StatusOK)
				if len(l.Items) != 1 || l.Items[0].EntityID != id || l.Items[0].Actor != w.as {
					t.Fatalf("actor filter: got %+v", l.Items)
				}
			})
		}
		t.Run("UpdateRecordsBeforeAndAfter", func(t *testing.T) {
			a := e.lastAudit(t, "operator", apiID(t, e.operators, apiOpHaichuan))
			var before, after csreview.Operator
			if json.Unmarshal(a.Before, &before) != nil || json.Unmarshal(a.After, &after) != nil ||
				before.Region != "浙江省" || after.Region != "浙江省杭州市" {
				t.Fatalf("got before %s, after %s", a.Before, a.After)
			}
		})
		t.Run("ReadOnlyForOthers", func(t *testing.T) {
			for _, as := range apiRoles {
				r := e.get(t, as, "/api/v1/audit")
				if as == "office" || as == "admin" {
					apiWantStatus(t, r, http.StatusOK)
				} else {
					apiWantProblem(t, r, http.StatusForbidden, csreview.EFORBIDDEN)
				}
			}
		})
	})
}

// TestAPIOpenAPI checks the OpenAPI document against the route registry:
// every API route is documented with its method, and every reference
// resolves.
func TestAPIOpenAPI(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		r := e.get(t, "", "/api/v1/openapi.json")
		apiWantStatus(t, r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("got Content-Type %q", ct)
		}
		var doc map[string]any
		if err := json.Unmarshal(r.Body, &doc); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if doc["openapi"] != "3.1.0" {
			t.Fatalf("got openapi %v, want 3.1.0", doc["openapi"])
		}
		if info, _ := doc["info"].(map[string]any); info["version"] != "test" || info["title"] == "" {
			t.Fatalf("got info %v", info)
		}
		paths, _ := doc["paths"].(map[string]any)
		schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
		if len(paths) == 0 || len(schemas) == 0 {
			t.Fatalf("no paths or no schemas")
		}
		t.Run("EveryRoute", func(t *testing.T) {
			n, names := 0, map[string]bool{}
			for _, rt := range e.Server.Routes() {
				if !rt.API() {
					if _, ok := paths[rt.Pattern]; ok && rt.Pattern != "/" {
						t.Errorf("non-API route %s %s documented", rt.Method, rt.Pattern)
					}
					continue
				}
				n++
				item, _ := paths[rt.Pattern].(map[string]any)
				op, _ := item[strings.ToLower(rt.Method)].(map[string]any)
				if op == nil {
					t.Errorf("route %s %s (%s) is not in the document", rt.Method, rt.Pattern, rt.Name)
					continue
				}
				if op["operationId"] != rt.Name || names[rt.Name] {
					t.Errorf("%s %s: operationId %v, want the unique %s", rt.Method, rt.Pattern, op["operationId"], rt.Name)
				}
				names[rt.Name] = true
				resps, _ := op["responses"].(map[string]any)
				if len(resps) < 2 || resps["default"] == nil {
					t.Errorf("%s %s: responses %v lack a success or the problem default", rt.Method, rt.Pattern, resps)
				}
				// Path parameters are declared.
				params, _ := op["parameters"].([]any)
				for _, m := range apiPathParams(rt.Pattern) {
					if !slices.ContainsFunc(params, func(p any) bool {
						pm, _ := p.(map[string]any)
						return pm["name"] == m && pm["in"] == "path" && pm["required"] == true
					}) {
						t.Errorf("%s %s: path parameter %s not declared", rt.Method, rt.Pattern, m)
					}
				}
			}
			if n < 25 {
				t.Fatalf("only %d API routes in the registry", n)
			}
			// And nothing else is documented.
			ops := 0
			for _, item := range paths {
				ops += len(item.(map[string]any))
			}
			if ops != n {
				t.Fatalf("the document has %d operations, the registry %d API routes", ops, n)
			}
		})
		t.Run("RefsResolve", func(t *testing.T) {
			var refs []string
			var walk func(v any)
			walk = func(v any) {
				switch v := v.(type) {
				case map[string]any:
					for k, x := range v {
						if k == "$ref" {
							refs = append(refs, fmt.Sprint(x))
						}
						walk(x)
					}
				case []any:
					for _, x := range v {
						walk(x)
					}
				}
			}
			walk(doc)
			if len(refs) < 10 {
				t.Fatalf("only %d $refs", len(refs))
			}
			for _, ref := range refs {
				name, ok := strings.CutPrefix(ref, "#/components/schemas/")
				if !ok {
					t.Errorf("$ref %q is not into components/schemas", ref)
					continue
				}
				if s, _ := schemas[name].(map[string]any); s == nil || s["type"] == nil {
					t.Errorf("$ref %q does not resolve to a schema", ref)
				}
			}
		})
		t.Run("SchemasMatchTypes", func(t *testing.T) {
			// The documented fields are the JSON fields of the types.
			for name, v := range map[string]any{"Supplier": csreview.Supplier{}, "Product": csreview.Product{},
				"Operator": csreview.Operator{}, "Body": csreview.Body{}, "User": csreview.User{}, "AuditRecord": csreview.AuditRecord{}} {
				s, _ := schemas[name].(map[string]any)
				props, _ := s["properties"].(map[string]any)
				b, _ := json.Marshal(v)
				var m map[string]any
				json.Unmarshal(b, &m)
				for k := range m {
					if _, ok := props[k]; !ok {
						t.Errorf("schema %s lacks %s", name, k)
					}
				}
				if _, ok := props["password_hash"]; ok {
					t.Errorf("schema %s documents the password hash", name)
				}
			}
			p, _ := schemas["Problem"].(map[string]any)["properties"].(map[string]any)
			for _, k := range []string{"type", "title", "status", "detail", "code", "errors"} {
				if p[k] == nil {
					t.Errorf("Problem lacks %s", k)
				}
			}
		})
	})
}

// apiPathParams returns the {names} of a route pattern.
func apiPathParams(pattern string) []string {
	var out []string
	for _, seg := range strings.Split(pattern, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.Trim(seg, "{}"))
		}
	}
	return out
}

// TestAPISecurity checks the headers every answer carries and the refusal
// of cross-origin writes.
func TestAPISecurity(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		t.Run("Headers", func(t *testing.T) {
			for _, req := range []apiReq{
				{method: "GET", path: "/api/v1/suppliers", as: "office"},
				{method: "GET", path: "/api/v1/suppliers/999999", as: "office"},
				{method: "GET", path: "/api/v1/me"},
				{method: "POST", path: "/api/v1/bodies", as: "office", body: `{}`},
				{method: "GET", path: "/api/v1/openapi.json"},
				{method: "GET", path: "/healthz"},
			} {
				r := e.do(t, req)
				h := r.Header
				csp := h.Get("Content-Security-Policy")
				if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'self'") {
					t.Errorf("%s %s: CSP %q", req.method, req.path, csp)
				}
				if hsts := h.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
					t.Errorf("%s %s: HSTS %q", req.method, req.path, hsts)
				}
				if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("%s %s: X-Content-Type-Options %q", req.method, req.path, got)
				}
				if got := h.Get("Referrer-Policy"); got == "" || strings.Contains(got, "unsafe") {
					t.Errorf("%s %s: Referrer-Policy %q", req.method, req.path, got)
				}
			}
		})
		t.Run("NoStore", func(t *testing.T) {
			for _, p := range []string{"/api/v1/suppliers", "/api/v1/me", "/api/v1/tokens", "/api/v1/nope"} {
				if got := e.get(t, "office", p).Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("%s: Cache-Control %q, want no-store", p, got)
				}
			}
		})
		tests := []struct {
			name   string
			method string
			header map[string]string
			status int
		}{
			{"CrossSitePost", "POST", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"SameSitePost", "POST", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
			{"ForeignOriginPost", "POST", map[string]string{"Origin": "https://evil.example"}, 403},
			{"SameOriginPost", "POST", map[string]string{"Sec-Fetch-Site": "same-origin"}, 201},
			{"NonBrowserPost", "POST", nil, 201},
			{"CrossSiteGet", "GET", map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				audits := e.auditTotal(t)
				req := apiReq{method: tt.method, path: "/api/v1/suppliers", as: "office", header: tt.header}
				if tt.method == "POST" {
					req.body = apiSupplierBody()
				}
				r := e.do(t, req)
				if tt.status == http.StatusForbidden {
					apiWantProblem(t, r, 403, csreview.EFORBIDDEN)
					if got := e.auditTotal(t); got != audits {
						t.Fatalf("a cross-origin request wrote %d audit records", got-audits)
					}
					if csp := r.Header.Get("Content-Security-Policy"); csp == "" {
						t.Fatal("refusal without security headers")
					}
					return
				}
				apiWantStatus(t, r, tt.status)
			})
		}
		t.Run("CrossSiteDelete", func(t *testing.T) {
			p := fmt.Sprintf("/api/v1/suppliers/%d", apiID(t, e.suppliers, apiSupCascadia))
			r := e.do(t, apiReq{method: "DELETE", path: p, as: "admin", header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
			apiWantProblem(t, r, 403, csreview.EFORBIDDEN)
			apiWantStatus(t, e.get(t, "admin", p), http.StatusOK)
		})
	})
}

// TestAPIOps checks /healthz and /metrics.
func TestAPIOps(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		h := apiOK[map[string]string](t, e.get(t, "", "/healthz"), http.StatusOK)
		if h["status"] != "ok" || h["version"] != "test" {
			t.Fatalf("got %v", h)
		}
		apiWantStatus(t, e.get(t, "office", "/api/v1/suppliers"), http.StatusOK)
		apiWantStatus(t, e.get(t, "office", "/api/v1/suppliers"), http.StatusOK)
		apiWantStatus(t, e.get(t, "", "/api/v1/suppliers"), http.StatusUnauthorized)
		r := e.get(t, "", "/metrics")
		apiWantStatus(t, r, http.StatusOK)
		body := string(r.Body)
		for _, want := range []string{
			"# TYPE csreview_http_requests_total counter",
			`csreview_http_requests_total{route="api.suppliers.list",method="GET",status="200"} 2`,
			`csreview_http_requests_total{route="api.suppliers.list",method="GET",status="401"} 1`,
			`csreview_http_requests_total{route="healthz",method="GET",status="200"} 1`,
			`csreview_http_request_duration_seconds_count{route="api.suppliers.list"} 3`,
			"csreview_db_open_connections",
			"go_goroutines",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
		if strings.Contains(body, e.tokens["office"]) {
			t.Fatal("/metrics shows a token")
		}
	})
}
