package sqlstore_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestScopeSQLEqualsGo holds the two forms of each listing rule equal: the
// store lists with SQL built from a csreview Scope, and the single reads
// and the pages decide with the Go predicates. For every role — bound to an
// organisation, bound to another, and bound to none — and every kind of
// listed object, the list the store returns is exactly the objects the Go
// predicate admits.
func TestScopeSQLEqualsGo(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		s := f.s
		f.now = csreview.Date("2024-03-04").Time().Add(2 * time.Hour)
		supA, supB := f.supplier(t, "甲供应商"), f.supplier(t, "乙供应商")
		var versions, unreviewed []int64
		var prods []*csreview.Product
		for i, sup := range []*csreview.Supplier{supA, supB} {
			p := newProduct(sup.ID, fmt.Sprintf("产品%d", i))
			// 2.0 is in no case: holding it unreviewed is a breach.
			p.Versions = []*csreview.ProductVersion{{Version: "1.0"}, {Version: "2.0"}}
			if err := s.CreateProduct(sysCtx, p); err != nil {
				t.Fatal(err)
			}
			prods = append(prods, p)
			versions = append(versions, p.Versions[0].ID)
			unreviewed = append(unreviewed, p.Versions[1].ID)
		}
		opFin, opEnergy := f.operator(t, "金融运营者", csreview.SectorFinance), f.operator(t, "能源运营者", csreview.SectorEnergy)
		// A second operator in finance, which holds nothing and is named
		// in nothing.
		opFin2 := f.operator(t, "金融运营者二", csreview.SectorFinance)
		for _, o := range []*csreview.Operator{opFin, opEnergy} {
			o.CII = true
			if err := s.UpdateOperator(sysCtx, o); err != nil {
				t.Fatal(err)
			}
		}
		sectorOf := map[int64]csreview.Sector{opFin.ID: opFin.Sector, opEnergy.ID: opEnergy.Sector, opFin2.ID: opFin2.Sector}
		body1, body2 := f.body(t, "一号测评机构"), f.body(t, "二号测评机构")

		// Accounts of every role, and the same roles bound elsewhere or to
		// nothing (no such account can be saved; a stale session could
		// still carry one).
		users := map[string]*csreview.User{"anonymous": nil, "system": csreview.SystemUser("test")}
		for name, x := range map[string]struct {
			role csreview.Role
			bind func(*csreview.User)
		}{
			"admin": {csreview.RoleAdmin, nil}, "office": {csreview.RoleOffice, nil},
			"member": {csreview.RoleMember, nil}, "expert": {csreview.RoleExpert, nil},
			"association":        {csreview.RoleAssociation, nil},
			"assessor-1":         {csreview.RoleAssessor, func(u *csreview.User) { u.BodyID = body1.ID }},
			"assessor-2":         {csreview.RoleAssessor, func(u *csreview.User) { u.BodyID = body2.ID }},
			"regulator-finance":  {csreview.RoleRegulator, func(u *csreview.User) { u.Sector = csreview.SectorFinance }},
			"regulator-energy":   {csreview.RoleRegulator, func(u *csreview.User) { u.Sector = csreview.SectorEnergy }},
			"operator-finance":   {csreview.RoleOperator, func(u *csreview.User) { u.OperatorID = opFin.ID }},
			"operator-energy":    {csreview.RoleOperator, func(u *csreview.User) { u.OperatorID = opEnergy.ID }},
			"operator-finance-2": {csreview.RoleOperator, func(u *csreview.User) { u.OperatorID = opFin2.ID }},
			"supplier-a":         {csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = supA.ID }},
			"supplier-b":         {csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = supB.ID }},
		} {
			users[name] = f.user(t, name, x.role, x.bind)
		}
		for i, r := range []csreview.Role{csreview.RoleAssessor, csreview.RoleRegulator, csreview.RoleOperator, csreview.RoleSupplier} {
			users["unbound-"+string(r)] = &csreview.User{ID: int64(900000 + i), Username: "unbound-" + string(r), Role: r}
		}

		// Cases with every kind of party, in states before, during and
		// after deliberation; one filed by the member unit and one by the
		// association.
		type caseRow struct {
			operator, body int64
			supplier       *csreview.Supplier
			state          csreview.CaseState
			filedBy        string
		}
		for i, cr := range []caseRow{
			{opFin.ID, body1.ID, supA, csreview.StateAssessment, ""},
			{opEnergy.ID, body2.ID, supB, csreview.StateExpertReview, ""},
			{0, 0, supA, csreview.StateDecided, ""},
			{0, body1.ID, supB, csreview.StateScreening, "member"},
			{0, 0, supB, csreview.StateScreening, "association"},
			{opFin.ID, 0, supB, csreview.StateMemberReview, "association"},
		} {
			c := &csreview.Case{Channel: "office_ex_officio", Title: fmt.Sprintf("案件%d", i), SupplierID: cr.supplier.ID,
				VersionIDs: []int64{versions[slices.Index([]*csreview.Supplier{supA, supB}, cr.supplier)]}, FiledOn: "2019-09-02"}
			if err := s.CreateCase(sysCtx, c, nil); err != nil {
				t.Fatal(err)
			}
			var filedBy any
			if cr.filedBy != "" {
				filedBy = users[cr.filedBy].ID
			}
			nullable := func(id int64) any {
				if id == 0 {
					return nil
				}
				return id
			}
			if err := db.ExecForTest(sysCtx, `UPDATE cases SET operator_id = ?, body_id = ?, state = ?, filed_by = COALESCE(?, filed_by) WHERE id = ?`,
				nullable(cr.operator), nullable(cr.body), string(cr.state), filedBy, c.ID); err != nil {
				t.Fatal(err)
			}
		}

		// Each operator holds both versions, forecast to affect national
		// security and unreviewed: checks, a sweep's records and an alert
		// per version follow.
		for _, o := range []*csreview.Operator{opFin, opEnergy} {
			var list []*csreview.InventoryEntry
			for _, v := range append(slices.Clone(versions), unreviewed...) {
				list = append(list, &csreview.InventoryEntry{OperatorID: o.ID, VersionID: v, System: "核心", Stage: csreview.StageInUse,
					Amount: 2_000_000, Forecast: "may_affect", PurchasedOn: "2024-02-01"})
			}
			if err := s.ImportInventory(sysCtx, list); err != nil {
				t.Fatal(err)
			}
			for _, e := range list {
				if _, err := s.CheckProcurement(sysCtx, csreview.ProcurementRequest{InventoryID: e.ID}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := s.Sweep(sysCtx); err != nil {
			t.Fatal(err)
		}
		for _, d := range []*csreview.Determination{
			{Sector: csreview.SectorFinance, ProductID: prods[0].ID, Affects: true, Reason: "全行业", DecidedOn: "2024-03-01"},
			{Sector: csreview.SectorFinance, OperatorID: opFin.ID, ProductID: prods[1].ID, Affects: true, Reason: "本单位", DecidedOn: "2024-03-01"},
			{Sector: csreview.SectorEnergy, ProductID: prods[0].ID, Affects: false, Reason: "能源", DecidedOn: "2024-03-01"},
		} {
			reg := users["regulator-finance"]
			if d.Sector == csreview.SectorEnergy {
				reg = users["regulator-energy"]
			}
			if err := s.CreateDetermination(as(reg), d); err != nil {
				t.Fatal(err)
			}
		}
		// Alerts: one on A's version held by both operators, one on B's
		// held by the finance operator only.
		for i, held := range [][]int64{{opFin.ID, opEnergy.ID}, {opFin.ID}} {
			if err := db.ExecForTest(sysCtx, `INSERT INTO alerts (at, kind, trigger_ref, product_id, version_id, supplier_id, components, summary, state)
				VALUES ('2024-03-04T00:00:00.000000Z', 'advisory', ?, ?, ?, ?, '[]', '测试', 'open')`,
				fmt.Sprintf("TEST-%d", i), prods[i].ID, versions[i], prods[i].SupplierID); err != nil {
				t.Fatal(err)
			}
			for j, op := range held {
				if err := db.ExecForTest(sysCtx, `INSERT INTO alert_operators (alert_id, operator_id, inventory_id)
					SELECT id, ?, ? FROM alerts WHERE trigger_ref = ?`, op, 1000*(i+1)+j, fmt.Sprintf("TEST-%d", i)); err != nil {
					t.Fatal(err)
				}
			}
		}

		// Everything, as the system sees it.
		page := csreview.Page{Limit: csreview.MaxLimit}
		allSup, _, err := s.FindSuppliers(sysCtx, csreview.SupplierFilter{Page: page})
		must(t, err)
		allProd, _, err := s.FindProducts(sysCtx, csreview.ProductFilter{Page: page})
		must(t, err)
		allOps, _, err := s.FindOperators(sysCtx, csreview.OperatorFilter{Page: page})
		must(t, err)
		allBodies, _, err := s.FindBodies(sysCtx, csreview.BodyFilter{Page: page})
		must(t, err)
		allUsers, _, err := s.FindUsers(sysCtx, csreview.UserFilter{Page: page})
		must(t, err)
		allCases, _, err := s.FindCases(sysCtx, csreview.CaseFilter{Page: page})
		must(t, err)
		allInv, _, err := s.FindInventory(sysCtx, csreview.InventoryFilter{Page: page})
		must(t, err)
		allDet, _, err := s.FindDeterminations(sysCtx, csreview.DeterminationFilter{Page: page})
		must(t, err)
		allAlerts, _, err := s.FindAlerts(sysCtx, csreview.AlertFilter{Page: page})
		must(t, err)
		allChecks, _, err := s.FindProcurementChecks(sysCtx, csreview.ProcurementFilter{Page: page})
		must(t, err)
		allEnf, _, err := s.FindEnforcements(sysCtx, csreview.EnforcementFilter{Page: page})
		must(t, err)
		for what, n := range map[string]int{"cases": len(allCases), "inventory": len(allInv), "determinations": len(allDet),
			"alerts": len(allAlerts), "checks": len(allChecks), "enforcement": len(allEnf)} {
			if n < 2 {
				t.Fatalf("the world has %d %s; the test needs several", n, what)
			}
		}
		// The alerts' operators, as the system sees them (each party sees
		// only itself in OperatorIDs).
		alertSectors := map[int64]map[int64]csreview.Sector{}
		for _, a := range allAlerts {
			alertSectors[a.ID] = map[int64]csreview.Sector{}
			for _, id := range a.OperatorIDs {
				alertSectors[a.ID][id] = sectorOf[id]
			}
		}

		for name, u := range users {
			t.Run(name, func(t *testing.T) {
				ctx := as(u)
				// The total counts what the SQL admitted, before any check in
				// Go after it.
				compare := func(kind string, got []int64, total int, err error, want []int64) {
					t.Helper()
					if csreview.ErrorCode(err) == csreview.EUNAUTHORIZED || csreview.ErrorCode(err) == csreview.EFORBIDDEN {
						got, total, err = nil, 0, nil
					}
					if err != nil {
						t.Fatalf("%s: %v", kind, err)
					}
					slices.Sort(got)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Errorf("%s: the store lists %v, the predicate admits %v", kind, got, want)
					}
					if total != len(want) {
						t.Errorf("%s: the SQL admits %d, the predicate %d", kind, total, len(want))
					}
				}
				var opSector csreview.Sector
				if u != nil {
					opSector = sectorOf[u.OperatorID]
				}
				l1, n1, err := s.FindSuppliers(ctx, csreview.SupplierFilter{Page: page})
				compare("suppliers", ids(l1, func(x *csreview.Supplier) int64 { return x.ID }), n1, err,
					admitted(allSup, func(x *csreview.Supplier) bool { return csreview.CanReadSupplier(u, x) }, func(x *csreview.Supplier) int64 { return x.ID }))
				l2, n2, err := s.FindProducts(ctx, csreview.ProductFilter{Page: page})
				compare("products", ids(l2, func(x *csreview.Product) int64 { return x.ID }), n2, err,
					admitted(allProd, func(x *csreview.Product) bool { return csreview.CanReadProduct(u, x) }, func(x *csreview.Product) int64 { return x.ID }))
				l3, n3, err := s.FindOperators(ctx, csreview.OperatorFilter{Page: page})
				compare("operators", ids(l3, func(x *csreview.Operator) int64 { return x.ID }), n3, err,
					admitted(allOps, func(x *csreview.Operator) bool { return csreview.CanReadOperator(u, x) }, func(x *csreview.Operator) int64 { return x.ID }))
				l4, n4, err := s.FindBodies(ctx, csreview.BodyFilter{Page: page})
				compare("bodies", ids(l4, func(x *csreview.Body) int64 { return x.ID }), n4, err,
					admitted(allBodies, func(x *csreview.Body) bool { return csreview.CanReadBody(u, x) }, func(x *csreview.Body) int64 { return x.ID }))
				l5, n5, err := s.FindUsers(ctx, csreview.UserFilter{Page: page})
				compare("users", ids(l5, func(x *csreview.User) int64 { return x.ID }), n5, err,
					admitted(allUsers, func(x *csreview.User) bool { return csreview.CanReadUser(u, x) }, func(x *csreview.User) int64 { return x.ID }))
				l6, n6, err := s.FindCases(ctx, csreview.CaseFilter{Page: page})
				compare("cases", ids(l6, func(x *csreview.Case) int64 { return x.ID }), n6, err,
					admitted(allCases, func(x *csreview.Case) bool { return csreview.CanReadCase(u, x, sectorOf[x.OperatorID]) }, func(x *csreview.Case) int64 { return x.ID }))
				l7, n7, err := s.FindInventory(ctx, csreview.InventoryFilter{Page: page})
				compare("inventory", ids(l7, func(x *csreview.InventoryEntry) int64 { return x.ID }), n7, err,
					admitted(allInv, func(x *csreview.InventoryEntry) bool { return csreview.CanReadInventory(u, x) }, func(x *csreview.InventoryEntry) int64 { return x.ID }))
				l8, n8, err := s.FindDeterminations(ctx, csreview.DeterminationFilter{Page: page})
				compare("determinations", ids(l8, func(x *csreview.Determination) int64 { return x.ID }), n8, err,
					admitted(allDet, func(x *csreview.Determination) bool { return csreview.CanReadDetermination(u, x, opSector) }, func(x *csreview.Determination) int64 { return x.ID }))
				l9, n9, err := s.FindAlerts(ctx, csreview.AlertFilter{Page: page})
				compare("alerts", ids(l9, func(x *csreview.Alert) int64 { return x.ID }), n9, err,
					admitted(allAlerts, func(x *csreview.Alert) bool { return csreview.CanReadAlert(u, x, alertSectors[x.ID]) }, func(x *csreview.Alert) int64 { return x.ID }))
				l10, n10, err := s.FindProcurementChecks(ctx, csreview.ProcurementFilter{Page: page})
				compare("procurement checks", ids(l10, func(x *csreview.ProcurementAnswer) int64 { return x.ID }), n10, err,
					admitted(allChecks, func(x *csreview.ProcurementAnswer) bool {
						return csreview.CanReadProcurementCheck(u, x.Request.OperatorID, sectorOf[x.Request.OperatorID])
					}, func(x *csreview.ProcurementAnswer) int64 { return x.ID }))
				l11, n11, err := s.FindEnforcements(ctx, csreview.EnforcementFilter{Page: page})
				compare("enforcement", ids(l11, func(x *csreview.Enforcement) int64 { return x.ID }), n11, err,
					admitted(allEnf, func(x *csreview.Enforcement) bool { return csreview.CanReadEnforcement(u, x) }, func(x *csreview.Enforcement) int64 { return x.ID }))
				// The forms' version choices: the versions of the products
				// the caller may read.
				choices, err := s.VersionChoices(ctx)
				var wantVersions []int64
				for _, p := range allProd {
					if csreview.CanReadProduct(u, p) {
						full, err := s.FindProductByID(sysCtx, p.ID)
						must(t, err)
						for _, v := range full.Versions {
							wantVersions = append(wantVersions, v.ID)
						}
					}
				}
				compare("version choices", ids(choices, func(x csreview.VersionChoice) int64 { return x.VersionID }), len(wantVersions), err,
					append([]int64{}, wantVersions...))
			})
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ids returns the IDs of list.
func ids[T any](list []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, x := range list {
		out = append(out, id(x))
	}
	return out
}

// admitted returns the IDs of the objects of all that ok admits.
func admitted[T any](all []T, ok func(T) bool, id func(T) int64) []int64 {
	out := []int64{}
	for _, x := range all {
		if ok(x) {
			out = append(out, id(x))
		}
	}
	return out
}

// TestEveryScopeIsTested: every listing the store filters with a Scope is
// one TestScopeSQLEqualsGo compares with its Go predicate. A new one must
// be added there, and here.
func TestEveryScopeIsTested(t *testing.T) {
	t.Parallel()
	tested := []string{"FindBodies", "FindCases", "FindEnforcements", "FindInventory", "FindOperators", "FindProducts",
		"FindSuppliers", "FindUsers", "VersionChoices", "findChecks"}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "scope" {
						found = append(found, fn.Name.Name)
					}
				}
				return true
			})
		}
	}
	slices.Sort(found)
	if !slices.Equal(found, tested) {
		t.Errorf("listings filtered by a Scope: %v; TestScopeSQLEqualsGo compares %v", found, tested)
	}
}
