package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestBodyCRUD(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		b := &csreview.Body{NameZH: "中国信息安全测评中心", NameEN: "CNITSEC", USCC: uscc(3),
			AccreditationNo: " CNAS-L0001 ", Scope: []csreview.Category{csreview.CategorySecurity, csreview.CategorySoftware},
			ValidFrom: "2023-01-01", ValidUntil: "2025-12-31", Group: "国家机关", Contact: "王五"}

		t.Run("Create", func(t *testing.T) {
			if err := f.s.CreateBody(sysCtx, b); err != nil {
				t.Fatal(err)
			}
			if b.ID == 0 || b.AccreditationNo != "CNAS-L0001" || !b.CreatedAt.Equal(t0) {
				t.Fatalf("got %+v", b)
			}
		})
		t.Run("Get", func(t *testing.T) {
			got, err := f.s.FindBodyByID(sysCtx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, b) {
				t.Fatalf("got %+v, want %+v", got, b)
			}
		})
		t.Run("Update", func(t *testing.T) {
			f.advance(time.Hour)
			u := *b
			u.Scope = []csreview.Category{csreview.CategoryCloud}
			u.ValidUntil = "2028-12-31"
			if err := f.s.UpdateBody(sysCtx, &u); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindBodyByID(sysCtx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, &u) || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(f.now) {
				t.Fatalf("got %+v, want %+v", got, &u)
			}
		})
		t.Run("ErrDeleteWithAssessors", func(t *testing.T) {
			x := f.user(t, "assessor", csreview.RoleAssessor, func(u *csreview.User) { u.BodyID = b.ID })
			wantCode(t, f.s.DeleteBody(sysCtx, b.ID), csreview.ECONFLICT)
			// Moving the assessor elsewhere frees the body.
			other := f.body(t, "另一机构")
			x.BodyID = other.ID
			if err := f.s.UpdateUser(sysCtx, x); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			if err := f.s.DeleteBody(sysCtx, b.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.FindBodyByID(sysCtx, b.ID)
			wantCode(t, err, csreview.ENOTFOUND)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			u := *b
			wantCode(t, f.s.UpdateBody(sysCtx, &u), csreview.ENOTFOUND)
			wantCode(t, f.s.DeleteBody(sysCtx, b.ID), csreview.ENOTFOUND)
		})
		t.Run("ErrDuplicateAccreditationNo", func(t *testing.T) {
			a := f.body(t, "甲机构")
			c := f.body(t, "乙机构")
			audits := f.auditTotal(t)
			dup := f.newBody("丙机构")
			dup.AccreditationNo = " " + a.AccreditationNo
			wantCode(t, f.s.CreateBody(sysCtx, dup), csreview.ECONFLICT)
			u := *c
			u.AccreditationNo = a.AccreditationNo
			wantCode(t, f.s.UpdateBody(sysCtx, &u), csreview.ECONFLICT)
			if got, want := f.auditTotal(t), audits; got != want {
				t.Fatalf("got %v audit records, want %v", got, want)
			}
		})
	})
}

func TestBodyValidate(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		saved := f.body(t, "已登记机构")
		for _, tt := range []struct {
			name   string
			edit   func(b *csreview.Body)
			fields []string
		}{
			{"ErrNameRequired", func(b *csreview.Body) { b.NameZH = "" }, []string{"name_zh"}},
			{"ErrUSCCInvalid", func(b *csreview.Body) { b.USCC = "X" }, []string{"uscc"}},
			{"ErrAccreditationRequired", func(b *csreview.Body) { b.AccreditationNo = " " }, []string{"accreditation_no"}},
			{"ErrAccreditationTooLong", func(b *csreview.Body) { b.AccreditationNo = strings.Repeat("A", 65) }, []string{"accreditation_no"}},
			{"ErrScopeRequired", func(b *csreview.Body) { b.Scope = nil }, []string{"scope"}},
			{"ErrScopeUnknown", func(b *csreview.Body) { b.Scope = []csreview.Category{csreview.CategoryCloud, "toaster"} }, []string{"scope"}},
			{"ErrValidFromRequired", func(b *csreview.Body) { b.ValidFrom = "" }, []string{"valid_from"}},
			{"ErrValidFromInvalid", func(b *csreview.Body) { b.ValidFrom = "2023-13-01" }, []string{"valid_from"}},
			{"ErrValidUntilRequired", func(b *csreview.Body) { b.ValidUntil = "" }, []string{"valid_until"}},
			{"ErrValidUntilBeforeStart", func(b *csreview.Body) { b.ValidUntil = "2022-12-31" }, []string{"valid_until"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				audits := f.auditTotal(t)
				b := f.newBody("新机构")
				tt.edit(b)
				wantInvalid(t, f.s.CreateBody(sysCtx, b), tt.fields...)
				u := *saved
				tt.edit(&u)
				wantInvalid(t, f.s.UpdateBody(sysCtx, &u), tt.fields...)
				if got, want := f.auditTotal(t), audits; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
			})
		}
	})
}

func TestFindBodies(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		mk := func(zh, acc string, from, until csreview.Date, scope ...csreview.Category) *csreview.Body {
			t.Helper()
			b := f.newBody(zh)
			b.AccreditationNo, b.ValidFrom, b.ValidUntil, b.Scope = acc, from, until, scope
			if err := f.s.CreateBody(sysCtx, b); err != nil {
				t.Fatal(err)
			}
			return b
		}
		// Code-point order of name_zh: 上 < 中 < 泰.
		cn := mk("中国网络安全审查技术与认证中心", "CNAS-A1", "2020-01-01", "2030-12-31", csreview.CategorySecurity, csreview.CategoryCoreNetwork)
		sh := mk("上海测评中心", "CNAS-B2", "2024-01-01", "2024-12-31", csreview.CategoryCloud)
		tx := mk("泰尔实验室", "cnas-c3", "2019-01-01", "2023-12-31", csreview.CategoryCommunication, csreview.CategoryCoreNetwork)

		ids := func(list []*csreview.Body) []int64 {
			var out []int64
			for _, b := range list {
				out = append(out, b.ID)
			}
			return out
		}
		for _, tt := range []struct {
			name  string
			f     csreview.BodyFilter
			want  []*csreview.Body
			total int
		}{
			{"All", csreview.BodyFilter{}, []*csreview.Body{sh, cn, tx}, 3},
			{"ChineseSubstring", csreview.BodyFilter{Query: "测评"}, []*csreview.Body{sh}, 1},
			{"AccreditationIgnoresCase", csreview.BodyFilter{Query: "CNAS-C"}, []*csreview.Body{tx}, 1},
			{"Category", csreview.BodyFilter{Category: csreview.CategoryCoreNetwork}, []*csreview.Body{cn, tx}, 2},
			{"CategoryExact", csreview.BodyFilter{Category: csreview.CategoryCommunication}, []*csreview.Body{tx}, 1},
			{"ValidOn", csreview.BodyFilter{ValidOn: "2024-06-01"}, []*csreview.Body{sh, cn}, 2},
			{"ValidOnLastDay", csreview.BodyFilter{ValidOn: "2023-12-31"}, []*csreview.Body{cn, tx}, 2},
			{"CategoryValidOn", csreview.BodyFilter{Category: csreview.CategoryCoreNetwork, ValidOn: "2024-06-01"}, []*csreview.Body{cn}, 1},
			{"Page", csreview.BodyFilter{Page: csreview.Page{Limit: 1, Offset: 1}}, []*csreview.Body{cn}, 3},
		} {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := f.s.FindBodies(sysCtx, tt.f)
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
