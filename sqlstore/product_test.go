package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestProductCRUD(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		sup := f.supplier(t, "达梦数据库")
		p := &csreview.Product{SupplierID: sup.ID, NameZH: " 达梦数据库管理系统 ", NameEN: "DM Database",
			Category: csreview.CategorySoftware, Model: " DM8 ", Description: "关系型数据库",
			Versions: []*csreview.ProductVersion{
				{Version: "8.1.2", ReleasedOn: "2022-06-01"},
				{Version: "8.1.3", ReleasedOn: "2023-05-10", Notes: "安全更新"},
			}}

		t.Run("CreateWithVersions", func(t *testing.T) {
			if err := f.s.CreateProduct(sysCtx, p); err != nil {
				t.Fatal(err)
			}
			if p.ID == 0 || p.NameZH != "达梦数据库管理系统" || p.Model != "DM8" {
				t.Fatalf("got %+v", p)
			}
			for _, v := range p.Versions {
				if v.ID == 0 || v.ProductID != p.ID || !v.CreatedAt.Equal(t0) {
					t.Fatalf("version not saved: %+v", v)
				}
			}
		})

		t.Run("Get", func(t *testing.T) {
			got, err := f.s.FindProductByID(sysCtx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			// Versions come newest first.
			want := *p
			want.Versions = []*csreview.ProductVersion{p.Versions[1], p.Versions[0]}
			if !reflect.DeepEqual(got, &want) {
				t.Fatalf("got %+v, want %+v", got, &want)
			}
		})

		var v3 *csreview.ProductVersion
		t.Run("CreateVersion", func(t *testing.T) {
			f.advance(time.Minute)
			v3 = &csreview.ProductVersion{ProductID: p.ID, Version: " 8.4.0 "}
			if err := f.s.CreateProductVersion(sysCtx, v3); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindProductByID(sysCtx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(got.Versions), 3; got != want {
				t.Fatalf("got %v versions, want %v", got, want)
			}
			if got, want := *got.Versions[0], *v3; got != want || want.Version != "8.4.0" {
				t.Fatalf("got newest %+v, want %+v", got, want)
			}
		})

		t.Run("UpdateVersion", func(t *testing.T) {
			u := *v3
			u.Notes = "修复 CVE-2024-0001"
			u.ReleasedOn = "2024-03-01"
			if err := f.s.UpdateProductVersion(sysCtx, &u); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindProductByID(sysCtx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := *got.Versions[0], u; got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			if !u.CreatedAt.Equal(v3.CreatedAt) {
				t.Fatalf("update changed the creation time: %v", u.CreatedAt)
			}
		})

		t.Run("Update", func(t *testing.T) {
			f.advance(time.Hour)
			u := *p
			u.Versions = nil
			u.Category = csreview.CategoryCloud
			u.Service = true
			u.Description = ""
			if err := f.s.UpdateProduct(sysCtx, &u); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindProductByID(sysCtx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Category != csreview.CategoryCloud || !got.Service || got.Description != "" ||
				!got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(f.now) || len(got.Versions) != 3 {
				t.Fatalf("got %+v", got)
			}
		})

		t.Run("ErrVersionNotFound", func(t *testing.T) {
			other := f.product(t, sup.ID, "另一个产品")
			// A version addressed through a product it does not belong to.
			wantCode(t, f.s.DeleteProductVersion(sysCtx, other.ID, v3.ID), csreview.ENOTFOUND)
			u := *v3
			u.ProductID = other.ID
			wantCode(t, f.s.UpdateProductVersion(sysCtx, &u), csreview.ENOTFOUND)
			wantCode(t, f.s.DeleteProductVersion(sysCtx, p.ID, 9999), csreview.ENOTFOUND)
			wantCode(t, f.s.CreateProductVersion(sysCtx, &csreview.ProductVersion{ProductID: 9999, Version: "1"}), csreview.ENOTFOUND)
		})

		t.Run("DeleteVersion", func(t *testing.T) {
			if err := f.s.DeleteProductVersion(sysCtx, p.ID, v3.ID); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindProductByID(sysCtx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(got.Versions), 2; got != want {
				t.Fatalf("got %v versions, want %v", got, want)
			}
			wantCode(t, f.s.DeleteProductVersion(sysCtx, p.ID, v3.ID), csreview.ENOTFOUND)
		})

		t.Run("Delete", func(t *testing.T) {
			if err := f.s.DeleteProduct(sysCtx, p.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.FindProductByID(sysCtx, p.ID)
			wantCode(t, err, csreview.ENOTFOUND)
			// Its versions went with it.
			if got, want := countRows(t, db, "product_versions"), 0; got != want {
				t.Fatalf("got %v versions left, want %v", got, want)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := f.s.FindProductByID(sysCtx, p.ID)
			wantCode(t, err, csreview.ENOTFOUND)
			u := newProduct(sup.ID, "不存在")
			u.ID = p.ID
			wantCode(t, f.s.UpdateProduct(sysCtx, u), csreview.ENOTFOUND)
			wantCode(t, f.s.DeleteProduct(sysCtx, p.ID), csreview.ENOTFOUND)
		})
	})
}

func TestProductValidate(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		sup := f.supplier(t, "供应商")
		saved := f.product(t, sup.ID, "已登记产品")

		for _, tt := range []struct {
			name   string
			edit   func(p *csreview.Product)
			fields []string
		}{
			{"ErrSupplierRequired", func(p *csreview.Product) { p.SupplierID = 0 }, []string{"supplier_id"}},
			{"ErrNameRequired", func(p *csreview.Product) { p.NameZH = " " }, []string{"name_zh"}},
			{"ErrNameTooLong", func(p *csreview.Product) { p.NameZH = strings.Repeat("产", 201) }, []string{"name_zh"}},
			{"ErrCategoryRequired", func(p *csreview.Product) { p.Category = "" }, []string{"category"}},
			{"ErrCategoryUnknown", func(p *csreview.Product) { p.Category = "toaster" }, []string{"category"}},
			{"ErrModelTooLong", func(p *csreview.Product) { p.Model = strings.Repeat("m", 101) }, []string{"model"}},
			{"ErrDescriptionTooLong", func(p *csreview.Product) { p.Description = strings.Repeat("d", 4001) }, []string{"description"}},
			{"ErrSeveral", func(p *csreview.Product) { p.NameZH = ""; p.Category = "x" }, []string{"name_zh", "category"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				audits := f.auditTotal(t)
				p := newProduct(sup.ID, "新产品")
				tt.edit(p)
				wantInvalid(t, f.s.CreateProduct(sysCtx, p), tt.fields...)

				u := *saved
				tt.edit(&u)
				wantInvalid(t, f.s.UpdateProduct(sysCtx, &u), tt.fields...)
				if got, want := f.auditTotal(t), audits; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
			})
		}

		t.Run("ErrUnknownSupplier", func(t *testing.T) {
			wantInvalid(t, f.s.CreateProduct(sysCtx, newProduct(9999, "孤儿产品")), "supplier_id")
		})

		for _, tt := range []struct {
			name   string
			v      csreview.ProductVersion
			fields []string
		}{
			{"ErrVersionRequired", csreview.ProductVersion{Version: " "}, []string{"version"}},
			{"ErrVersionTooLong", csreview.ProductVersion{Version: strings.Repeat("1", 101)}, []string{"version"}},
			{"ErrReleasedOn", csreview.ProductVersion{Version: "1.0", ReleasedOn: "2023-02-29"}, []string{"released_on"}},
			{"ErrReleasedOnFormat", csreview.ProductVersion{Version: "1.0", ReleasedOn: "1.3.2023"}, []string{"released_on"}},
			{"ErrNotesTooLong", csreview.ProductVersion{Version: "1.0", Notes: strings.Repeat("n", 2001)}, []string{"notes"}},
		} {
			t.Run("Version"+tt.name, func(t *testing.T) {
				v := tt.v
				v.ProductID = saved.ID
				wantInvalid(t, f.s.CreateProductVersion(sysCtx, &v), tt.fields...)
				// Versions given with a new product are checked too.
				p := newProduct(sup.ID, "带版本的新产品")
				w := tt.v
				p.Versions = []*csreview.ProductVersion{&w}
				wantInvalid(t, f.s.CreateProduct(sysCtx, p), tt.fields...)
				if _, total, _ := f.s.FindProducts(sysCtx, csreview.ProductFilter{Query: "带版本"}); total != 0 {
					t.Fatalf("product saved despite an invalid version")
				}
			})
		}
	})
}

func TestProductConflict(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		s1 := f.supplier(t, "供应商一")
		s2 := f.supplier(t, "供应商二")
		p := f.product(t, s1.ID, "防火墙")
		q := f.product(t, s1.ID, "交换机")
		if err := f.s.CreateProductVersion(sysCtx, &csreview.ProductVersion{ProductID: p.ID, Version: "1.0"}); err != nil {
			t.Fatal(err)
		}

		t.Run("ErrDuplicateName", func(t *testing.T) {
			wantCode(t, f.s.CreateProduct(sysCtx, newProduct(s1.ID, " 防火墙 ")), csreview.ECONFLICT)
		})
		t.Run("SameNameOtherSupplier", func(t *testing.T) {
			wantCode(t, f.s.CreateProduct(sysCtx, newProduct(s2.ID, "防火墙")), "")
		})
		t.Run("ErrUpdateToDuplicateName", func(t *testing.T) {
			u := *q
			u.NameZH = "防火墙"
			wantCode(t, f.s.UpdateProduct(sysCtx, &u), csreview.ECONFLICT)
		})
		t.Run("ErrDuplicateVersion", func(t *testing.T) {
			wantCode(t, f.s.CreateProductVersion(sysCtx, &csreview.ProductVersion{ProductID: p.ID, Version: " 1.0"}), csreview.ECONFLICT)
		})
		t.Run("SameVersionOtherProduct", func(t *testing.T) {
			wantCode(t, f.s.CreateProductVersion(sysCtx, &csreview.ProductVersion{ProductID: q.ID, Version: "1.0"}), "")
		})
		t.Run("ErrUpdateToDuplicateVersion", func(t *testing.T) {
			v := &csreview.ProductVersion{ProductID: p.ID, Version: "2.0"}
			if err := f.s.CreateProductVersion(sysCtx, v); err != nil {
				t.Fatal(err)
			}
			v.Version = "1.0"
			wantCode(t, f.s.UpdateProductVersion(sysCtx, v), csreview.ECONFLICT)
		})
		t.Run("ErrDuplicateVersionsAllOrNothing", func(t *testing.T) {
			audits := f.auditTotal(t)
			versions := countRows(t, db, "product_versions")
			n := newProduct(s2.ID, "路由器")
			n.Versions = []*csreview.ProductVersion{{Version: "3.0"}, {Version: "3.0"}}
			wantCode(t, f.s.CreateProduct(sysCtx, n), csreview.ECONFLICT)
			// Neither the product nor its first version nor any audit
			// record outlived the failure.
			if _, total, _ := f.s.FindProducts(sysCtx, csreview.ProductFilter{Query: "路由器"}); total != 0 {
				t.Fatalf("got %d products, want 0", total)
			}
			if got, want := countRows(t, db, "product_versions"), versions; got != want {
				t.Fatalf("got %v versions, want %v", got, want)
			}
			if got, want := f.auditTotal(t), audits; got != want {
				t.Fatalf("got %v audit records, want %v", got, want)
			}
		})
	})
}

func TestFindProducts(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		s1 := f.supplier(t, "供应商一")
		s2 := f.supplier(t, "供应商二")
		mk := func(sup int64, zh, en, model string, c csreview.Category) *csreview.Product {
			t.Helper()
			p := &csreview.Product{SupplierID: sup, NameZH: zh, NameEN: en, Model: model, Category: c}
			if err := f.s.CreateProduct(sysCtx, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		// Code-point order of name_zh: 云 < 交 < 数 < 核.
		cloud := mk(s1.ID, "云计算平台", "Cloud Platform", "CP-3", csreview.CategoryCloud)
		sw := mk(s1.ID, "交换机", "Switch", "S5700", csreview.CategoryCoreNetwork)
		dbms := mk(s2.ID, "数据库", "Database", "DB-9", csreview.CategorySoftware)
		core := mk(s2.ID, "核心路由器", "Core Router", "NE40E", csreview.CategoryCoreNetwork)

		ids := func(list []*csreview.Product) []int64 {
			var out []int64
			for _, p := range list {
				out = append(out, p.ID)
			}
			return out
		}
		for _, tt := range []struct {
			name  string
			f     csreview.ProductFilter
			want  []*csreview.Product
			total int
		}{
			{"All", csreview.ProductFilter{}, []*csreview.Product{cloud, sw, dbms, core}, 4},
			{"ChineseSubstring", csreview.ProductFilter{Query: "路由"}, []*csreview.Product{core}, 1},
			{"EnglishIgnoresCase", csreview.ProductFilter{Query: "DATA"}, []*csreview.Product{dbms}, 1},
			{"Model", csreview.ProductFilter{Query: "s57"}, []*csreview.Product{sw}, 1},
			{"Supplier", csreview.ProductFilter{SupplierID: s2.ID}, []*csreview.Product{dbms, core}, 2},
			{"Category", csreview.ProductFilter{Category: csreview.CategoryCoreNetwork}, []*csreview.Product{sw, core}, 2},
			{"SupplierAndCategory", csreview.ProductFilter{SupplierID: s1.ID, Category: csreview.CategoryCoreNetwork}, []*csreview.Product{sw}, 1},
			{"Page", csreview.ProductFilter{Page: csreview.Page{Limit: 3, Offset: 1}}, []*csreview.Product{sw, dbms, core}, 4},
			{"PastTheEnd", csreview.ProductFilter{Page: csreview.Page{Limit: 3, Offset: 4}}, nil, 4},
		} {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := f.s.FindProducts(sysCtx, tt.f)
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
	})
}
