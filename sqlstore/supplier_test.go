package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestSupplierCRUD(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		s := &csreview.Supplier{NameZH: " 华为技术有限公司 ", NameEN: "Huawei Technologies Co., Ltd.",
			Country: "cn", USCC: " " + strings.ToLower(uscc(1)) + " ", Group: "华为投资控股",
			Ownership: "员工持股", Address: "深圳市龙岗区", Contact: "张三", Website: "https://www.huawei.com"}

		t.Run("Create", func(t *testing.T) {
			if err := f.s.CreateSupplier(sysCtx, s); err != nil {
				t.Fatal(err)
			}
			if s.ID == 0 {
				t.Fatal("no ID")
			}
			// Validate normalised the keys before they were stored.
			if got, want := s.USCC, uscc(1); got != want {
				t.Fatalf("got %v, want %v", got, want)
			}
			if got, want := s.Country, "CN"; got != want {
				t.Fatalf("got %v, want %v", got, want)
			}
			if got, want := s.NameZH, "华为技术有限公司"; got != want {
				t.Fatalf("got %v, want %v", got, want)
			}
			if !s.CreatedAt.Equal(t0) || !s.UpdatedAt.Equal(t0) {
				t.Fatalf("got created %v updated %v, want both %v", s.CreatedAt, s.UpdatedAt, t0)
			}
		})

		t.Run("Get", func(t *testing.T) {
			got, err := f.s.FindSupplierByID(sysCtx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, s) {
				t.Fatalf("got %+v, want %+v", got, s)
			}
		})

		t.Run("Update", func(t *testing.T) {
			f.advance(time.Hour)
			u := *s
			u.NameEN = "Huawei"
			u.Website = ""
			u.CreatedAt = time.Time{} // ignored: the store keeps the creation time
			if err := f.s.UpdateSupplier(sysCtx, &u); err != nil {
				t.Fatal(err)
			}
			if !u.CreatedAt.Equal(t0) || !u.UpdatedAt.Equal(t0.Add(time.Hour)) {
				t.Fatalf("got created %v updated %v, want %v and %v", u.CreatedAt, u.UpdatedAt, t0, t0.Add(time.Hour))
			}
			got, err := f.s.FindSupplierByID(sysCtx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, &u) {
				t.Fatalf("got %+v, want %+v", got, &u)
			}
		})

		t.Run("Delete", func(t *testing.T) {
			if err := f.s.DeleteSupplier(sysCtx, s.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.FindSupplierByID(sysCtx, s.ID)
			wantCode(t, err, csreview.ENOTFOUND)
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := f.s.FindSupplierByID(sysCtx, 9999)
			wantCode(t, err, csreview.ENOTFOUND)
			u := f.newSupplier("不存在")
			u.ID = 9999
			wantCode(t, f.s.UpdateSupplier(sysCtx, u), csreview.ENOTFOUND)
			wantCode(t, f.s.DeleteSupplier(sysCtx, 9999), csreview.ENOTFOUND)
			wantCode(t, f.s.DeleteSupplier(sysCtx, s.ID), csreview.ENOTFOUND) // deleted above
		})

		t.Run("Foreign", func(t *testing.T) {
			x := &csreview.Supplier{NameZH: "思科", NameEN: "Cisco Systems, Inc.", Country: "us", RegistrationNo: " C1183477 "}
			if err := f.s.CreateSupplier(sysCtx, x); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindSupplierByID(sysCtx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Country != "US" || got.RegistrationNo != "C1183477" || got.USCC != "" || got.Domestic() {
				t.Fatalf("got %+v", got)
			}
		})
	})
}

func TestSupplierValidate(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		saved := f.supplier(t, "已登记供应商")
		badUSCC := uscc(500)
		badUSCC = badUSCC[:17] + string(csreview.USCCCheck(uscc(501)[:17]))

		for _, tt := range []struct {
			name   string
			edit   func(s *csreview.Supplier)
			fields []string
		}{
			{"ErrNameRequired", func(s *csreview.Supplier) { s.NameZH = "  " }, []string{"name_zh"}},
			{"ErrNameTooLong", func(s *csreview.Supplier) { s.NameZH = strings.Repeat("长", 201) }, []string{"name_zh"}},
			{"ErrNameENTooLong", func(s *csreview.Supplier) { s.NameEN = strings.Repeat("x", 201) }, []string{"name_en"}},
			{"ErrCountryRequired", func(s *csreview.Supplier) { s.Country = ""; s.RegistrationNo = "1" }, []string{"country"}},
			{"ErrCountryInvalid", func(s *csreview.Supplier) { s.Country = "XX"; s.RegistrationNo = "1" }, []string{"country"}},
			{"ErrUSCCRequired", func(s *csreview.Supplier) { s.USCC = "" }, []string{"uscc"}},
			{"ErrUSCCCheck", func(s *csreview.Supplier) { s.USCC = badUSCC }, []string{"uscc"}},
			{"ErrUSCCShort", func(s *csreview.Supplier) { s.USCC = "91110000" }, []string{"uscc"}},
			{"ErrRegistrationRequired", func(s *csreview.Supplier) { s.Country = "DE"; s.USCC = "" }, []string{"registration_no"}},
			{"ErrForeignUSCC", func(s *csreview.Supplier) { s.Country = "DE"; s.RegistrationNo = "HRB 1"; s.USCC = "X" }, []string{"uscc"}},
			{"ErrWebsite", func(s *csreview.Supplier) { s.Website = "ftp://example.com" }, []string{"website"}},
			{"ErrSeveral", func(s *csreview.Supplier) { s.NameZH = ""; s.USCC = ""; s.Website = "x" }, []string{"name_zh", "uscc", "website"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				audits := f.auditTotal(t)

				s := f.newSupplier("新供应商")
				tt.edit(s)
				wantInvalid(t, f.s.CreateSupplier(sysCtx, s), tt.fields...)
				if s.ID != 0 {
					t.Fatalf("got ID %d for an invalid supplier", s.ID)
				}

				u := *saved
				tt.edit(&u)
				wantInvalid(t, f.s.UpdateSupplier(sysCtx, &u), tt.fields...)
				got, err := f.s.FindSupplierByID(sysCtx, saved.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, saved) {
					t.Fatalf("invalid update changed the supplier: got %+v, want %+v", got, saved)
				}

				if got, want := f.auditTotal(t), audits; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
				if _, total, _ := f.s.FindSuppliers(sysCtx, csreview.SupplierFilter{}); total != 1 {
					t.Fatalf("got %d suppliers, want 1", total)
				}
			})
		}
	})
}

func TestSupplierConflict(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		dom := f.supplier(t, "国内供应商")
		foreign := &csreview.Supplier{NameZH: "外国供应商", Country: "DE", RegistrationNo: "HRB 86891"}
		if err := f.s.CreateSupplier(sysCtx, foreign); err != nil {
			t.Fatal(err)
		}
		other := f.supplier(t, "另一供应商")

		for _, tt := range []struct {
			name string
			s    *csreview.Supplier
			want string
		}{
			{"ErrDuplicateUSCC", &csreview.Supplier{NameZH: "重复", Country: "CN", USCC: dom.USCC}, csreview.ECONFLICT},
			{"ErrDuplicateUSCCAfterNormalising", &csreview.Supplier{NameZH: "重复", Country: "CN", USCC: " " + strings.ToLower(dom.USCC) + " "}, csreview.ECONFLICT},
			{"ErrDuplicateForeignUSCC", &csreview.Supplier{NameZH: "重复", Country: "HK", RegistrationNo: "1", USCC: dom.USCC}, csreview.ECONFLICT},
			{"ErrDuplicateRegistration", &csreview.Supplier{NameZH: "重复", Country: "de", RegistrationNo: "HRB 86891 "}, csreview.ECONFLICT},
			{"SameRegistrationOtherCountry", &csreview.Supplier{NameZH: "奥地利", Country: "AT", RegistrationNo: "HRB 86891"}, ""},
			{"SameNameOtherUSCC", &csreview.Supplier{NameZH: dom.NameZH, Country: "CN", USCC: uscc(900)}, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				audits := f.auditTotal(t)
				wantCode(t, f.s.CreateSupplier(sysCtx, tt.s), tt.want)
				wantAudits := audits
				if tt.want == "" {
					wantAudits++
				}
				if got, want := f.auditTotal(t), wantAudits; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
			})
		}

		t.Run("ErrUpdateToDuplicateUSCC", func(t *testing.T) {
			u := *other
			u.USCC = dom.USCC
			wantCode(t, f.s.UpdateSupplier(sysCtx, &u), csreview.ECONFLICT)
			got, err := f.s.FindSupplierByID(sysCtx, other.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.USCC != other.USCC {
				t.Fatalf("got USCC %v, want %v", got.USCC, other.USCC)
			}
		})
	})
}

func TestDeleteSupplierWithProducts(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		s := f.supplier(t, "有产品的供应商")
		p := f.product(t, s.ID, "数据库")
		audits := f.auditTotal(t)

		wantCode(t, f.s.DeleteSupplier(sysCtx, s.ID), csreview.ECONFLICT)
		if _, err := f.s.FindSupplierByID(sysCtx, s.ID); err != nil {
			t.Fatalf("supplier gone after a refused delete: %v", err)
		}
		if got, want := f.auditTotal(t), audits; got != want {
			t.Fatalf("got %v audit records, want %v", got, want)
		}

		// Once its products are gone, it can go.
		if err := f.s.DeleteProduct(sysCtx, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.s.DeleteSupplier(sysCtx, s.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDeleteSupplierWithUsers(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		s := f.supplier(t, "有账号的供应商")
		f.user(t, "supplier-user", csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = s.ID })
		wantCode(t, f.s.DeleteSupplier(sysCtx, s.ID), csreview.ECONFLICT)
	})
}

func TestFindSuppliers(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		var all []*csreview.Supplier
		add := func(s *csreview.Supplier) *csreview.Supplier {
			t.Helper()
			if err := f.s.CreateSupplier(sysCtx, s); err != nil {
				t.Fatal(err)
			}
			all = append(all, s)
			return s
		}
		huawei := add(&csreview.Supplier{NameZH: "华为技术有限公司", NameEN: "Huawei Technologies", Country: "CN", USCC: uscc(1)})
		zte := add(&csreview.Supplier{NameZH: "中兴通讯股份有限公司", NameEN: "ZTE Corporation", Country: "CN", USCC: uscc(2)})
		inspur := add(&csreview.Supplier{NameZH: "浪潮电子信息产业股份有限公司", NameEN: "Inspur", Country: "CN", USCC: uscc(3)})
		sap := add(&csreview.Supplier{NameZH: "思爱普", NameEN: "SAP SE", Country: "DE", RegistrationNo: "HRB 719915"})
		cisco := add(&csreview.Supplier{NameZH: "思科系统", NameEN: "Cisco Systems", Country: "US", RegistrationNo: "C1183477"})
		pct := add(&csreview.Supplier{NameZH: "百分之百_公司", Country: "US", RegistrationNo: "100%"})

		ids := func(list []*csreview.Supplier) []int64 {
			var out []int64
			for _, s := range list {
				out = append(out, s.ID)
			}
			return out
		}
		for _, tt := range []struct {
			name  string
			f     csreview.SupplierFilter
			want  []*csreview.Supplier // in name_zh order (code points)
			total int
		}{
			{"All", csreview.SupplierFilter{}, []*csreview.Supplier{zte, huawei, sap, cisco, inspur, pct}, 6},
			{"ChineseSubstring", csreview.SupplierFilter{Query: "技术"}, []*csreview.Supplier{huawei}, 1},
			{"ChineseSubstringMany", csreview.SupplierFilter{Query: "股份有限"}, []*csreview.Supplier{zte, inspur}, 2},
			{"ChinesePrefix", csreview.SupplierFilter{Query: "思"}, []*csreview.Supplier{sap, cisco}, 2},
			{"EnglishIgnoresCase", csreview.SupplierFilter{Query: "zte corp"}, []*csreview.Supplier{zte}, 1},
			{"USCC", csreview.SupplierFilter{Query: uscc(3)[8:]}, []*csreview.Supplier{inspur}, 1},
			{"RegistrationNo", csreview.SupplierFilter{Query: "hrb 719"}, []*csreview.Supplier{sap}, 1},
			{"PercentIsLiteral", csreview.SupplierFilter{Query: "%"}, []*csreview.Supplier{pct}, 1},
			{"UnderscoreIsLiteral", csreview.SupplierFilter{Query: "_"}, []*csreview.Supplier{pct}, 1},
			{"NoMatch", csreview.SupplierFilter{Query: "不存在"}, nil, 0},
			{"Country", csreview.SupplierFilter{Country: "US"}, []*csreview.Supplier{cisco, pct}, 2},
			{"Domestic", csreview.SupplierFilter{Domestic: ptr(true)}, []*csreview.Supplier{zte, huawei, inspur}, 3},
			{"Foreign", csreview.SupplierFilter{Domestic: ptr(false)}, []*csreview.Supplier{sap, cisco, pct}, 3},
			{"QueryAndCountry", csreview.SupplierFilter{Query: "思", Country: "US"}, []*csreview.Supplier{cisco}, 1},
			{"FirstPage", csreview.SupplierFilter{Page: csreview.Page{Limit: 4}}, []*csreview.Supplier{zte, huawei, sap, cisco}, 6},
			{"LastPage", csreview.SupplierFilter{Page: csreview.Page{Limit: 4, Offset: 4}}, []*csreview.Supplier{inspur, pct}, 6},
			{"PastTheEnd", csreview.SupplierFilter{Page: csreview.Page{Limit: 4, Offset: 10}}, nil, 6},
			{"PageOfFiltered", csreview.SupplierFilter{Domestic: ptr(true), Page: csreview.Page{Limit: 1, Offset: 1}}, []*csreview.Supplier{huawei}, 3},
		} {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := f.s.FindSuppliers(sysCtx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := total, tt.total; got != want {
					t.Fatalf("got total %v, want %v", got, want)
				}
				if got, want := ids(list), ids(tt.want); !reflect.DeepEqual(got, want) {
					t.Fatalf("got %v, want %v", got, want)
				}
			})
		}
		if len(all) != 6 {
			t.Fatal("fixture changed: update the table")
		}
	})
}
