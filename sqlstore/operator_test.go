package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestOperatorCRUD(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		o := &csreview.Operator{NameZH: " 中国工商银行股份有限公司 ", NameEN: "ICBC", USCC: strings.ToLower(uscc(7)),
			Sector: csreview.SectorFinance, Region: "北京市", CII: true, Platform: true,
			PersonalInfoUsers: 700_000_000, Contact: "李四"}

		t.Run("Create", func(t *testing.T) {
			if err := f.s.CreateOperator(sysCtx, o); err != nil {
				t.Fatal(err)
			}
			if o.ID == 0 || o.USCC != uscc(7) || o.NameZH != "中国工商银行股份有限公司" || !o.CreatedAt.Equal(t0) {
				t.Fatalf("got %+v", o)
			}
		})
		t.Run("Get", func(t *testing.T) {
			got, err := f.s.FindOperatorByID(sysCtx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, o) {
				t.Fatalf("got %+v, want %+v", got, o)
			}
		})
		t.Run("Update", func(t *testing.T) {
			f.advance(time.Hour)
			u := *o
			u.CII, u.Platform, u.PersonalInfoUsers = false, false, 0
			u.Sector = csreview.SectorEGovernment
			if err := f.s.UpdateOperator(sysCtx, &u); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindOperatorByID(sysCtx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, &u) || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(f.now) {
				t.Fatalf("got %+v, want %+v", got, &u)
			}
		})
		t.Run("Delete", func(t *testing.T) {
			if err := f.s.DeleteOperator(sysCtx, o.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.s.FindOperatorByID(sysCtx, o.ID)
			wantCode(t, err, csreview.ENOTFOUND)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			u := *o
			wantCode(t, f.s.UpdateOperator(sysCtx, &u), csreview.ENOTFOUND)
			wantCode(t, f.s.DeleteOperator(sysCtx, o.ID), csreview.ENOTFOUND)
		})
		t.Run("ErrDuplicateUSCC", func(t *testing.T) {
			a := f.operator(t, "甲", csreview.SectorEnergy)
			b := f.operator(t, "乙", csreview.SectorEnergy)
			audits := f.auditTotal(t)
			dup := f.newOperator("丙", csreview.SectorWater)
			dup.USCC = a.USCC
			wantCode(t, f.s.CreateOperator(sysCtx, dup), csreview.ECONFLICT)
			u := *b
			u.USCC = a.USCC
			wantCode(t, f.s.UpdateOperator(sysCtx, &u), csreview.ECONFLICT)
			if got, want := f.auditTotal(t), audits; got != want {
				t.Fatalf("got %v audit records, want %v", got, want)
			}
		})
		t.Run("ErrDeleteWithUsers", func(t *testing.T) {
			a := f.operator(t, "有账号的运营者", csreview.SectorEnergy)
			f.user(t, "op-user", csreview.RoleOperator, func(u *csreview.User) { u.OperatorID = a.ID })
			wantCode(t, f.s.DeleteOperator(sysCtx, a.ID), csreview.ECONFLICT)
		})
	})
}

func TestOperatorValidate(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		saved := f.operator(t, "已登记运营者", csreview.SectorEnergy)
		for _, tt := range []struct {
			name   string
			edit   func(o *csreview.Operator)
			fields []string
		}{
			{"ErrNameRequired", func(o *csreview.Operator) { o.NameZH = "" }, []string{"name_zh"}},
			{"ErrNameTooLong", func(o *csreview.Operator) { o.NameZH = strings.Repeat("运", 201) }, []string{"name_zh"}},
			{"ErrUSCCRequired", func(o *csreview.Operator) { o.USCC = " " }, []string{"uscc"}},
			{"ErrUSCCInvalid", func(o *csreview.Operator) { o.USCC = "911100000000000000" }, []string{"uscc"}},
			{"ErrSectorRequired", func(o *csreview.Operator) { o.Sector = "" }, []string{"sector"}},
			{"ErrSectorUnknown", func(o *csreview.Operator) { o.Sector = "space" }, []string{"sector"}},
			{"ErrRegionTooLong", func(o *csreview.Operator) { o.Region = strings.Repeat("区", 51) }, []string{"region"}},
			{"ErrUsersNegative", func(o *csreview.Operator) { o.PersonalInfoUsers = -1 }, []string{"personal_info_users"}},
			{"ErrSeveral", func(o *csreview.Operator) { o.NameZH, o.USCC = "", "" }, []string{"name_zh", "uscc"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				audits := f.auditTotal(t)
				o := f.newOperator("新运营者", csreview.SectorEnergy)
				tt.edit(o)
				wantInvalid(t, f.s.CreateOperator(sysCtx, o), tt.fields...)
				u := *saved
				tt.edit(&u)
				wantInvalid(t, f.s.UpdateOperator(sysCtx, &u), tt.fields...)
				if got, want := f.auditTotal(t), audits; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
			})
		}
	})
}

func TestFindOperators(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		mk := func(zh, en string, sector csreview.Sector, cii bool) *csreview.Operator {
			t.Helper()
			o := f.newOperator(zh, sector)
			o.NameEN, o.CII = en, cii
			if err := f.s.CreateOperator(sysCtx, o); err != nil {
				t.Fatal(err)
			}
			return o
		}
		// Code-point order of name_zh: 中 < 国 < 滴.
		icbc := mk("中国工商银行", "ICBC", csreview.SectorFinance, true)
		grid := mk("国家电网", "State Grid", csreview.SectorEnergy, true)
		didi := mk("滴滴出行", "DiDi Global", csreview.SectorTransport, false)

		ids := func(list []*csreview.Operator) []int64 {
			var out []int64
			for _, o := range list {
				out = append(out, o.ID)
			}
			return out
		}
		for _, tt := range []struct {
			name  string
			f     csreview.OperatorFilter
			want  []*csreview.Operator
			total int
		}{
			{"All", csreview.OperatorFilter{}, []*csreview.Operator{icbc, grid, didi}, 3},
			{"ChineseSubstring", csreview.OperatorFilter{Query: "电网"}, []*csreview.Operator{grid}, 1},
			{"EnglishIgnoresCase", csreview.OperatorFilter{Query: "didi"}, []*csreview.Operator{didi}, 1},
			{"USCC", csreview.OperatorFilter{Query: icbc.USCC}, []*csreview.Operator{icbc}, 1},
			{"Sector", csreview.OperatorFilter{Sector: csreview.SectorEnergy}, []*csreview.Operator{grid}, 1},
			{"CII", csreview.OperatorFilter{CII: ptr(true)}, []*csreview.Operator{icbc, grid}, 2},
			{"NotCII", csreview.OperatorFilter{CII: ptr(false)}, []*csreview.Operator{didi}, 1},
			{"Page", csreview.OperatorFilter{Page: csreview.Page{Limit: 2, Offset: 2}}, []*csreview.Operator{didi}, 3},
		} {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := f.s.FindOperators(sysCtx, tt.f)
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
