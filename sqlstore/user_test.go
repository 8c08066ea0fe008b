package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestUserCRUD(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		sup := f.supplier(t, "供应商")
		op := f.operator(t, "运营者", csreview.SectorEnergy)
		u := &csreview.User{Username: " Zhang.San ", DisplayName: " 张三 ", Email: "zhang@example.cn",
			Role: csreview.RoleSupplier, SupplierID: sup.ID,
			OperatorID: op.ID, Sector: csreview.SectorEnergy, // not the role's: dropped
			Disabled: true, // ignored: new accounts are enabled
		}

		t.Run("Create", func(t *testing.T) {
			if err := f.s.CreateUser(sysCtx, u, password); err != nil {
				t.Fatal(err)
			}
			if u.ID == 0 || u.Username != "zhang.san" || u.DisplayName != "张三" || u.Disabled ||
				u.OperatorID != 0 || u.Sector != "" || u.SupplierID != sup.ID || !u.CreatedAt.Equal(t0) {
				t.Fatalf("got %+v", u)
			}
			// Stored as an argon2id hash with the parameters of the time.
			if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=64,t=1,p=1$") {
				t.Fatalf("got hash %q", u.PasswordHash)
			}
			if !csreview.CheckPassword(u.PasswordHash, password) {
				t.Fatal("hash does not match the password")
			}
		})
		t.Run("Get", func(t *testing.T) {
			got, err := f.s.FindUserByID(sysCtx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, u) {
				t.Fatalf("got %+v, want %+v", got, u)
			}
			got, err = f.s.FindUserByUsername(sysCtx, "zhang.san")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, u) {
				t.Fatalf("got %+v, want %+v", got, u)
			}
		})
		t.Run("Update", func(t *testing.T) {
			x := *u
			x.DisplayName = "张三丰"
			x.Role = csreview.RoleRegulator
			x.Sector = csreview.SectorFinance
			x.PasswordHash = "" // ignored: UpdateUser does not touch the password
			if err := f.s.UpdateUser(sysCtx, &x); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindUserByID(sysCtx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.DisplayName != "张三丰" || got.Role != csreview.RoleRegulator || got.Sector != csreview.SectorFinance ||
				got.SupplierID != 0 || got.PasswordHash != u.PasswordHash || !got.CreatedAt.Equal(t0) {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := f.s.FindUserByID(sysCtx, 9999)
			wantCode(t, err, csreview.ENOTFOUND)
			_, err = f.s.FindUserByUsername(sysCtx, "nobody")
			wantCode(t, err, csreview.ENOTFOUND)
			x := *u
			x.ID = 9999
			x.Username = "nobody"
			wantCode(t, f.s.UpdateUser(sysCtx, &x), csreview.ENOTFOUND)
			wantCode(t, f.s.SetUserDisabled(sysCtx, 9999, true), csreview.ENOTFOUND)
			wantCode(t, f.s.SetPassword(sysCtx, 9999, "a new long password"), csreview.ENOTFOUND)
		})
		t.Run("ErrDuplicateUsername", func(t *testing.T) {
			other := f.user(t, "li.si", csreview.RoleOffice, nil)
			audits := f.auditTotal(t)
			dup := &csreview.User{Username: " ZHANG.SAN", DisplayName: "另一个张三", Role: csreview.RoleOffice}
			wantCode(t, f.s.CreateUser(sysCtx, dup, password), csreview.ECONFLICT)
			x := *other
			x.Username = "zhang.san"
			wantCode(t, f.s.UpdateUser(sysCtx, &x), csreview.ECONFLICT)
			if got, want := f.auditTotal(t), audits; got != want {
				t.Fatalf("got %v audit records, want %v", got, want)
			}
		})
	})
}

func TestUserValidate(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		saved := f.user(t, "saved", csreview.RoleOffice, nil)
		for _, tt := range []struct {
			name   string
			edit   func(u *csreview.User)
			fields []string
		}{
			{"ErrUsernameRequired", func(u *csreview.User) { u.Username = " " }, []string{"username"}},
			{"ErrUsernameTooShort", func(u *csreview.User) { u.Username = "a" }, []string{"username"}},
			{"ErrUsernameSpace", func(u *csreview.User) { u.Username = "zhang san" }, []string{"username"}},
			{"ErrUsernameChinese", func(u *csreview.User) { u.Username = "张三" }, []string{"username"}},
			{"ErrDisplayNameRequired", func(u *csreview.User) { u.DisplayName = "" }, []string{"display_name"}},
			{"ErrEmail", func(u *csreview.User) { u.Email = "zhang.example.cn" }, []string{"email"}},
			{"ErrRoleRequired", func(u *csreview.User) { u.Role = "" }, []string{"role"}},
			{"ErrRoleUnknown", func(u *csreview.User) { u.Role = "root" }, []string{"role"}},
			{"ErrSupplierRequired", func(u *csreview.User) { u.Role = csreview.RoleSupplier }, []string{"supplier_id"}},
			{"ErrOperatorRequired", func(u *csreview.User) { u.Role = csreview.RoleOperator }, []string{"operator_id"}},
			{"ErrBodyRequired", func(u *csreview.User) { u.Role = csreview.RoleAssessor }, []string{"body_id"}},
			{"ErrSectorRequired", func(u *csreview.User) { u.Role = csreview.RoleRegulator }, []string{"sector"}},
			{"ErrSectorUnknown", func(u *csreview.User) { u.Role, u.Sector = csreview.RoleRegulator, "space" }, []string{"sector"}},
			{"ErrSupplierUnknown", func(u *csreview.User) { u.Role, u.SupplierID = csreview.RoleSupplier, 9999 }, []string{"supplier_id"}},
			{"ErrOperatorUnknown", func(u *csreview.User) { u.Role, u.OperatorID = csreview.RoleOperator, 9999 }, []string{"operator_id"}},
			{"ErrBodyUnknown", func(u *csreview.User) { u.Role, u.BodyID = csreview.RoleAssessor, 9999 }, []string{"body_id"}},
			{"ErrSeveral", func(u *csreview.User) { u.Username, u.DisplayName = "", "" }, []string{"username", "display_name"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				audits := f.auditTotal(t)
				u := &csreview.User{Username: "new-user", DisplayName: "新用户", Role: csreview.RoleOffice}
				tt.edit(u)
				wantInvalid(t, f.s.CreateUser(sysCtx, u, password), tt.fields...)
				x := *saved
				tt.edit(&x)
				wantInvalid(t, f.s.UpdateUser(sysCtx, &x), tt.fields...)
				if got, want := f.auditTotal(t), audits; got != want {
					t.Fatalf("got %v audit records, want %v", got, want)
				}
			})
		}
		t.Run("ErrPasswordTooShort", func(t *testing.T) {
			u := &csreview.User{Username: "new-user", DisplayName: "新用户", Role: csreview.RoleOffice}
			wantInvalid(t, f.s.CreateUser(sysCtx, u, "short"), "password")
			wantInvalid(t, f.s.SetPassword(sysCtx, saved.ID, "123456789"), "password")
			if _, err := f.s.FindUserByUsername(sysCtx, "new-user"); csreview.ErrorCode(err) != csreview.ENOTFOUND {
				t.Fatalf("user created despite a short password: %v", err)
			}
		})
	})
}

func TestFindUsers(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		alice := f.user(t, "alice", csreview.RoleOffice, func(u *csreview.User) { u.Org = "国家互联网信息办公室" })
		bob := f.user(t, "bob", csreview.RoleRegulator, func(u *csreview.User) { u.Sector = csreview.SectorFinance; u.Org = "中国人民银行" })
		carol := f.user(t, "carol", csreview.RoleOffice, func(u *csreview.User) { u.Email = "carol@cac.gov.cn"; u.DisplayName = "王卡罗" })
		dave := f.user(t, "dave", csreview.RoleExpert, nil)
		if err := f.s.SetUserDisabled(sysCtx, dave.ID, true); err != nil {
			t.Fatal(err)
		}

		ids := func(list []*csreview.User) []int64 {
			var out []int64
			for _, u := range list {
				out = append(out, u.ID)
			}
			return out
		}
		for _, tt := range []struct {
			name  string
			f     csreview.UserFilter
			want  []*csreview.User // by username
			total int
		}{
			{"All", csreview.UserFilter{}, []*csreview.User{alice, bob, carol, dave}, 4},
			{"Role", csreview.UserFilter{Role: csreview.RoleOffice}, []*csreview.User{alice, carol}, 2},
			{"Disabled", csreview.UserFilter{Disabled: ptr(true)}, []*csreview.User{dave}, 1},
			{"Enabled", csreview.UserFilter{Disabled: ptr(false)}, []*csreview.User{alice, bob, carol}, 3},
			{"OrgChinese", csreview.UserFilter{Query: "信息办"}, []*csreview.User{alice}, 1},
			{"DisplayNameChinese", csreview.UserFilter{Query: "卡罗"}, []*csreview.User{carol}, 1},
			{"Email", csreview.UserFilter{Query: "CAC.GOV"}, []*csreview.User{carol}, 1},
			{"Username", csreview.UserFilter{Query: "bo"}, []*csreview.User{bob}, 1},
			{"Page", csreview.UserFilter{Page: csreview.Page{Limit: 2, Offset: 1}}, []*csreview.User{bob, carol}, 4},
		} {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := f.s.FindUsers(sysCtx, tt.f)
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

func TestSetPassword(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		alice := f.user(t, "alice", csreview.RoleOffice, nil)
		bob := f.user(t, "bob", csreview.RoleOffice, nil)
		admin := f.user(t, "root", csreview.RoleAdmin, nil)

		for _, tt := range []struct {
			name  string
			actor *csreview.User
			id    int64
			want  string
		}{
			{"Self", alice, alice.ID, ""},
			{"AdminForOther", admin, bob.ID, ""},
			{"ErrOtherUser", alice, bob.ID, csreview.ENOTFOUND}, // not visible to alice
			{"ErrAnonymous", nil, bob.ID, csreview.ENOTFOUND},
		} {
			t.Run(tt.name, func(t *testing.T) {
				const newPassword = "a brand new password"
				target, err := f.s.FindUserByID(sysCtx, tt.id)
				if err != nil {
					t.Fatal(err)
				}
				wantCode(t, f.s.SetPassword(as(tt.actor), tt.id, newPassword), tt.want)
				_, errNew := f.s.Authenticate(anon, target.Username, newPassword)
				_, errOld := f.s.Authenticate(anon, target.Username, password)
				if tt.want == "" {
					wantCode(t, errNew, "")
					wantCode(t, errOld, csreview.EUNAUTHORIZED)
					// Put the old one back for the next case.
					if err := f.s.SetPassword(sysCtx, tt.id, password); err != nil {
						t.Fatal(err)
					}
				} else {
					wantCode(t, errNew, csreview.EUNAUTHORIZED)
					wantCode(t, errOld, "")
				}
			})
		}
	})
}
