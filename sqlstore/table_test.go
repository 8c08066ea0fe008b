package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore/sqltest"
)

// columnAliases are the columns whose names are neither their field's JSON
// name nor its Go name in snake case, each with the field it must hold.
// GROUP is an SQL keyword, so the column is group_name.
var columnAliases = map[string]string{
	"group_name": "Group",
}

// TestColumnsNameTheirFields pins every declared column to its field: the
// column's name is the field's JSON name or its Go name in snake case (or
// an alias above). Swapping two fields in a declaration fails here.
func TestColumnsNameTheirFields(t *testing.T) {
	t.Parallel()
	checkColumns(t, bodies)
	checkColumns(t, cases)
	checkColumns(t, determinations)
	checkColumns(t, inventory)
	checkColumns(t, operators)
	checkColumns(t, products)
	checkColumns(t, productVersions)
	checkColumns(t, suppliers)
	checkColumns(t, users)
}

func checkColumns[T any](t *testing.T, tb *table[T]) {
	t.Helper()
	v := new(T)
	rv := reflect.ValueOf(v).Elem()
	seen := map[string]bool{}
	for _, c := range tb.columns(v) {
		if seen[c.name] {
			t.Errorf("%s.%s declared twice", tb.name, c.name)
		}
		seen[c.name] = true
		ptr := fieldPointer(c.field)
		var field *reflect.StructField
		for i := range rv.NumField() {
			if rv.Field(i).Addr().Pointer() == ptr {
				f := rv.Type().Field(i)
				field = &f
			}
		}
		if field == nil {
			t.Errorf("%s.%s: its field is not a field of %T", tb.name, c.name, *v)
			continue
		}
		json, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		names := []string{json, snake(field.Name)}
		if columnAliases[c.name] == field.Name {
			names = append(names, c.name)
		}
		if !slices.Contains(names, c.name) {
			t.Errorf("%s.%s holds field %s (%v)", tb.name, c.name, field.Name, names)
		}
	}
}

// fieldPointer is the address a column's field points to, through its
// wrapper if it has one (idcol{&x} and the like).
func fieldPointer(f any) uintptr {
	v := reflect.ValueOf(f)
	if v.Kind() == reflect.Struct {
		v = v.Field(0)
	}
	return v.Pointer()
}

// snake is a Go name in snake case: PersonalInfoUsers → personal_info_users,
// USCC → uscc, NameZH → name_zh.
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) ||
			(i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// TestColumnsRoundTrip reads every column of every table back by name, on
// both engines: each declared column exists, and what the field wrote is
// what reading the column alone gives.
func TestColumnsRoundTrip(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		db, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		s := NewStore(db)
		sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		sup := &csreview.Supplier{NameZH: "供应商", NameEN: "Supplier", Country: "CN", USCC: usccFor(1), RegistrationNo: "R-1",
			Group: "集团", Ownership: "民营", Address: "北京", Contact: "张三", Website: "https://example.cn"}
		must(s.CreateSupplier(sys, sup))
		prod := &csreview.Product{SupplierID: sup.ID, NameZH: "产品", NameEN: "Product", Category: csreview.CategorySoftware,
			Service: true, Model: "X1", Description: "说明",
			Versions: []*csreview.ProductVersion{{Version: "1.0", ReleasedOn: "2023-05-01", Notes: "首版"}}}
		must(s.CreateProduct(sys, prod))
		op := &csreview.Operator{NameZH: "运营者", NameEN: "Operator", USCC: usccFor(2), Sector: csreview.SectorFinance,
			Region: "北京", CII: true, Platform: true, PersonalInfoUsers: 2_000_000, Group: "集团", Contact: "李四"}
		must(s.CreateOperator(sys, op))
		body := &csreview.Body{NameZH: "机构", NameEN: "Body", USCC: usccFor(3), AccreditationNo: "CNAS-0001",
			Scope: []csreview.Category{csreview.CategorySoftware}, ValidFrom: "2023-01-01", ValidUntil: "2027-12-31",
			Group: "测评集团", Contact: "王五"}
		must(s.CreateBody(sys, body))
		u := &csreview.User{Username: "assessor", DisplayName: "测评员", Email: "a@example.cn", Role: csreview.RoleAssessor,
			BodyID: body.ID, Org: "机构"}
		must(s.CreateUser(sys, u, "correct horse battery"))
		c := &csreview.Case{Channel: "office_ex_officio", Title: "案件", SupplierID: sup.ID, OperatorID: op.ID, VersionIDs: []int64{prod.Versions[0].ID},
			Purchase: "采购", PurchaseAmount: 1000, FiledOn: "2019-09-02"}
		office := &csreview.User{Username: "office", DisplayName: "办公室", Role: csreview.RoleOffice}
		must(s.CreateUser(sys, office, "correct horse battery"))
		must(s.CreateCase(csreview.NewContextWithUser(ctx, office), c, nil))
		e := &csreview.InventoryEntry{OperatorID: op.ID, VersionID: prod.Versions[0].ID, System: "核心", Stage: csreview.StageInUse,
			Amount: 5000, Forecast: "may_affect", PurchasedOn: "2024-02-01", Notes: "备注",
			CommitData: true, CommitControl: true, CommitSupply: true, CommitmentsRef: "承诺书", Agreement: true,
			AgreementOn: "2024-01-15", AgreementRef: "协议", CaseID: c.ID}
		must(s.CreateInventoryEntry(sys, e))
		d := &csreview.Determination{Sector: csreview.SectorFinance, ProductID: prod.ID, Affects: true, Reason: "理由", DecidedOn: "2024-03-01"}
		reg := &csreview.User{Username: "regulator", DisplayName: "主管部门", Role: csreview.RoleRegulator, Sector: csreview.SectorFinance}
		must(s.CreateUser(sys, reg, "correct horse battery"))
		must(s.CreateDetermination(csreview.NewContextWithUser(ctx, reg), d))

		must(db.read(sys, func(tx *Tx) error {
			roundTrip(t, tx, bodies, body.ID)
			roundTrip(t, tx, cases, c.ID)
			roundTrip(t, tx, determinations, d.ID)
			roundTrip(t, tx, inventory, e.ID)
			roundTrip(t, tx, operators, op.ID)
			roundTrip(t, tx, products, prod.ID)
			roundTrip(t, tx, productVersions, prod.Versions[0].ID)
			roundTrip(t, tx, suppliers, sup.ID)
			roundTrip(t, tx, users, u.ID)
			return nil
		}))
	})
}

// roundTrip reads row id of tb whole, then each column alone by name into
// a fresh value, and checks that the field read alone equals the field read
// with the rest.
func roundTrip[T any](t *testing.T, tx *Tx, tb *table[T], id int64) {
	t.Helper()
	whole, err := tb.get(tx, id)
	if err != nil {
		t.Fatalf("%s %d: %v", tb.name, id, err)
	}
	wholeCols := tb.columns(whole)
	for i, c := range tb.columns(new(T)) {
		alone := new(T)
		dest := tb.columns(alone)[i]
		if err := tx.queryRow(fmt.Sprintf("SELECT %s FROM %s WHERE id = ?", c.name, tb.name), id).Scan(dest.field); err != nil {
			t.Errorf("%s.%s: %v", tb.name, c.name, err)
			continue
		}
		got, want := reflect.ValueOf(alone).Elem(), reflect.ValueOf(whole).Elem()
		for f := range got.NumField() {
			if got.Field(f).Addr().Pointer() == fieldPointer(dest.field) {
				if !reflect.DeepEqual(got.Field(f).Interface(), want.Field(f).Interface()) {
					t.Errorf("%s.%s read alone: %v, with the row: %v", tb.name, c.name, got.Field(f).Interface(), want.Field(f).Interface())
				}
				if want.Field(f).IsZero() && !slices.Contains(zeroAllowed, tb.name+"."+c.name) {
					t.Errorf("%s.%s is empty: the fixture should set it so that a swap shows", tb.name, wholeCols[i].name)
				}
			}
		}
	}
}

// zeroAllowed are the columns the fixture leaves empty: unset references
// and times, and states the store sets itself.
var zeroAllowed = []string{
	"cases.body_id", "cases.report_submitted", "cases.return_state", "cases.outcome",
	"cases.parent_id", "cases.feedback_ref", "users.supplier_id", "users.operator_id", "users.sector",
	"users.disabled", "users.last_login_at", "determinations.operator_id", "determinations.category",
	"inventory.sector",
}

// usccFor is the n-th valid unified social credit code.
func usccFor(n int) string {
	s := fmt.Sprintf("91110000%09d", n)
	return s + string(csreview.USCCCheck(s))
}
