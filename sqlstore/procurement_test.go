package sqlstore_test

import (
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestProcurementCheck walks one product version from unreviewed to passed
// to revoked, and an operator's purchase from undetermined to required,
// checking the verdict at each step as the operator, another operator and
// the regulator would see it.
func TestProcurementCheck(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.op.CII = true
		if err := f.s.UpdateOperator(sysCtx, f.op); err != nil {
			t.Fatal(err)
		}
		other := f.operator(t, "江城电力", csreview.SectorFinance)
		other.CII = true
		f.s.UpdateOperator(sysCtx, other)
		otherUser := f.user(t, "u-other-op", csreview.RoleOperator, func(u *csreview.User) { u.OperatorID = other.ID })
		op, reg := as(f.as(csreview.RoleOperator)), as(f.as(csreview.RoleRegulator))
		f.at("2024-03-04")
		check := func(ctx any, r csreview.ProcurementRequest, wantReq, wantStatus, wantVerdict string) *csreview.ProcurementAnswer {
			t.Helper()
			a, err := f.s.CheckProcurement(as(ctx.(*csreview.User)), r)
			if err != nil {
				t.Fatalf("CheckProcurement(%+v): %v", r, err)
			}
			if a.Required != wantReq || a.Status != wantStatus || a.Verdict != wantVerdict {
				t.Errorf("required %s status %s verdict %s; want %s %s %s", a.Required, a.Status, a.Verdict, wantReq, wantStatus, wantVerdict)
			}
			if a.ID == 0 || a.Regime != "cac-2021" {
				t.Errorf("answer not recorded (id %d) or regime %s", a.ID, a.Regime)
			}
			return a
		}
		req := csreview.ProcurementRequest{OperatorID: f.op.ID, ProductID: f.prod.ID, VersionID: f.version, Amount: 2_000_000}
		u := f.as(csreview.RoleOperator)
		// No forecast and no determination: nothing may be said of buying
		// it until the operator forecasts (2021 Measures Art. 5).
		if a := check(u, req, "undetermined", "not_reviewed", "determine_first"); a.Part("penalty") != nil || a.Filing != nil {
			t.Errorf("undetermined: penalty %v, filing %+v", a.Part("penalty"), a.Filing)
		}
		withForecast := req
		withForecast.Forecast = "no_effect"
		check(u, withForecast, "no", "not_reviewed", "may_buy")

		// The regulator determines that the sector's purchases of this
		// product may affect national security: the determination beats
		// the operator's own forecast.
		d := &csreview.Determination{ProductID: f.prod.ID, Affects: true, Reason: "核心交易系统数据库", DecidedOn: "2024-03-01"}
		if err := f.s.CreateDetermination(reg, d); err != nil {
			t.Fatal(err)
		}
		if d.Sector != csreview.SectorFinance {
			t.Errorf("determination sector %q", d.Sector)
		}
		a := check(u, withForecast, "yes", "not_reviewed", "file_first")
		if a.DeterminationID != d.ID || a.Part("penalty") == nil {
			t.Fatalf("determination %d, penalty part %v", a.DeterminationID, a.Part("penalty"))
		}
		// The laws are cited as in force on the day of the purchase: the
		// CSL's penalty was Art. 65 in 2024, Art. 67 from 2026.
		if got := a.Part("penalty").Basis[0].Cite.EN; got != "CSL Art. 65" {
			t.Errorf("a 2024 purchase's penalty cites %s", got)
		}
		later := withForecast
		later.Date = "2026-01-05"
		if a := check(u, later, "yes", "not_reviewed", "file_first"); a.Part("penalty").Basis[0].Cite.EN != "CSL Art. 67" {
			t.Errorf("a 2026 purchase's penalty cites %s", a.Part("penalty").Basis[0].Cite.EN)
		}
		if _, err := f.s.FindDetermination(op, d.ID); err != nil {
			t.Errorf("operator cannot read the determination that applies to it: %v", err)
		}
		wantCode(t, f.s.CreateDetermination(op, &csreview.Determination{Sector: csreview.SectorFinance, ProductID: f.prod.ID,
			Affects: false, Reason: "x", DecidedOn: "2024-03-01"}), csreview.EFORBIDDEN)

		// The operator's case passes: the operator knows, the other
		// operator does not until the result is published.
		pass := f.decide2020(t, "pass", 0)
		f.at("2024-05-06")
		check(u, req, "yes", "passed", "may_buy")
		otherReq := req
		otherReq.OperatorID = other.ID
		check(otherUser, otherReq, "yes", "not_reviewed", "file_first")
		if _, err := f.s.PublishCase(as(f.as(csreview.RoleOffice)), pass.ID, confirm); err != nil {
			t.Fatal(err)
		}
		// The pass covers the first operator's purchase only (2021
		// Measures Art. 2, 5): the other operator must file its own, and
		// is offered the filing, pre-filled.
		a = check(otherUser, otherReq, "yes", "passed", "file_first")
		if a.Filing == nil || a.Filing.OperatorID != other.ID || a.Filing.VersionID != f.version || a.Filing.Channel != "operator_filing" {
			t.Errorf("no filing offered to the other operator: %+v", a.Filing)
		}
		if bs := a.Part("status").Basis; len(bs) < 2 || bs[len(bs)-1].Item != "other_operator" {
			t.Errorf("the status does not say the pass was another operator's: %+v", bs)
		}

		// A re-review fails: the pass is revoked, and nobody may buy.
		f.decide2020(t, "fail", pass.ID)
		f.at("2024-06-03")
		a = check(u, req, "yes", "revoked", "must_not_buy")
		if a.StatusRef == "" || a.StatusRef == pass.Ref {
			t.Errorf("status ref %q, want the re-review", a.StatusRef)
		}
		check(f.as(csreview.RoleOffice), req, "yes", "revoked", "must_not_buy")

		// Who may check whose purchase.
		_, err := f.s.CheckProcurement(as(otherUser), req)
		wantCode(t, err, csreview.ENOTFOUND)
		_, err = f.s.CheckProcurement(as(f.as(csreview.RoleSupplier)), req)
		wantCode(t, err, csreview.ENOTFOUND)
		_, err = f.s.CheckProcurement(op, csreview.ProcurementRequest{OperatorID: f.op.ID, ProductID: f.prod.ID, VersionID: 9999})
		wantInvalid(t, err, "version_id")
		_, err = f.s.CheckProcurement(op, csreview.ProcurementRequest{OperatorID: f.op.ID, ProductID: f.prod.ID, VersionID: f.version, Date: "2016-01-01"})
		wantInvalid(t, err, "date")

		// Every answer is recorded, and each party sees those about its
		// purchases: its own five and the office's one.
		mine, total, err := f.s.FindProcurementChecks(op, csreview.ProcurementFilter{})
		if err != nil || total != 7 || len(mine) != 7 {
			t.Errorf("operator sees %d checks (total %d): %v", len(mine), total, err)
		}
		_, all, _ := f.s.FindProcurementChecks(reg, csreview.ProcurementFilter{})
		if all != 9 {
			t.Errorf("regulator sees %d checks, want 9", all)
		}
		_, none, _ := f.s.FindProcurementChecks(as(f.as(csreview.RoleSupplier)), csreview.ProcurementFilter{})
		if none != 0 {
			t.Errorf("supplier sees %d checks", none)
		}
	})
}

// TestInventory: an operator keeps its own inventory; an import with one
// bad row writes nothing and names the row; a check of an entry takes its
// fields.
func TestInventory(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.op.CII = true
		if err := f.s.UpdateOperator(sysCtx, f.op); err != nil {
			t.Fatal(err)
		}
		op := as(f.as(csreview.RoleOperator))
		e := &csreview.InventoryEntry{ProductID: f.prod.ID, VersionID: f.version, System: "核心账务系统", Amount: 1_200_000,
			PurchasedOn: "2024-02-01", Forecast: "may_affect", CommitData: true, CommitControl: true, CommitSupply: true, Agreement: true}
		if err := f.s.CreateInventoryEntry(op, e); err != nil {
			t.Fatal(err)
		}
		if e.OperatorID != f.op.ID || e.Sector != csreview.SectorFinance || e.Stage != csreview.StageInUse {
			t.Errorf("entry defaults: %+v", e)
		}
		n := f.auditTotal(t)
		err := f.s.ImportInventory(op, []*csreview.InventoryEntry{
			{ProductID: f.prod.ID, VersionID: f.version, System: "网银"},
			{ProductID: f.prod.ID, VersionID: f.version},
			{ProductID: f.prod.ID, VersionID: 424242, System: "x"}})
		wantInvalid(t, err, "2.system")
		if got := f.auditTotal(t); got != n {
			t.Errorf("a failed import wrote %d audit records", got-n)
		}
		if _, total, _ := f.s.FindInventory(op, csreview.InventoryFilter{}); total != 1 {
			t.Errorf("after the failed import %d entries", total)
		}
		err = f.s.ImportInventory(op, []*csreview.InventoryEntry{
			{ProductID: f.prod.ID, VersionID: f.version, System: "网银"},
			{ProductID: f.prod.ID, VersionID: 424242, System: "x"}})
		wantInvalid(t, err, "2.version_id")

		// Others' inventories.
		other := f.operator(t, "江城电力", csreview.SectorEnergy)
		wantCode(t, f.s.CreateInventoryEntry(op, &csreview.InventoryEntry{OperatorID: other.ID, ProductID: f.prod.ID,
			VersionID: f.version, System: "x"}), csreview.EFORBIDDEN)
		_, err = f.s.FindInventoryEntry(as(f.as(csreview.RoleSupplier)), e.ID)
		wantCode(t, err, csreview.ENOTFOUND)
		if _, err := f.s.FindInventoryEntry(as(f.as(csreview.RoleRegulator)), e.ID); err != nil {
			t.Errorf("the sector's regulator cannot read the entry: %v", err)
		}

		a, err := f.s.CheckProcurement(op, csreview.ProcurementRequest{InventoryID: e.ID})
		if err != nil {
			t.Fatal(err)
		}
		if ag := a.Part("agreement"); a.Request.Amount != 1_200_000 || a.Request.Forecast != "may_affect" || ag == nil || ag.Value != "recorded" {
			t.Errorf("check of the entry: %+v", a.Request)
		}
	})
}

// TestProductPassIsNoPurchasePass: a pass under the 2017 Measures was of the
// product; under the 2021 Measures a review covers one operator's purchase,
// so that pass — published for everyone — answers no 2026 purchase: the
// operator files its own (2021 Measures Art. 2, 5). Under the trial pack
// the same pass still lets a CII operator buy.
func TestProductPassIsNoPurchasePass(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.op.CII = true
		if err := f.s.UpdateOperator(sysCtx, f.op); err != nil {
			t.Fatal(err)
		}
		office := as(f.as(csreview.RoleOffice))
		f.at("2024-01-02") // the office records, on this day, a case filed in 2019
		c := &csreview.Case{Channel: "office_ex_officio", Title: "星河数据库审查", SupplierID: f.sup.ID,
			VersionIDs: []int64{f.version}, FiledOn: "2019-06-03"}
		if err := f.s.CreateCase(office, c, nil); err != nil {
			t.Fatal(err)
		}
		f.walk2017(t, c.ID, "pass", "cac2017t.4.1", "无")
		if _, err := f.s.PublishCase(office, c.ID, confirm); err != nil {
			t.Fatal(err)
		}
		f.at("2026-03-02")
		u := as(f.as(csreview.RoleOperator))
		a, err := f.s.CheckProcurement(u, csreview.ProcurementRequest{OperatorID: f.op.ID, VersionID: f.version, Forecast: "may_affect", Amount: 1_000_000})
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != csreview.StatusPassed || a.Verdict != csreview.VerdictFileFirst || a.Filing == nil {
			t.Errorf("2026 purchase on a 2019 product pass: status %s verdict %s filing %v", a.Status, a.Verdict, a.Filing)
		}
		d := &csreview.Determination{ProductID: f.prod.ID, Affects: true, Reason: "核心系统", DecidedOn: "2019-05-01"}
		if err := f.s.CreateDetermination(as(f.as(csreview.RoleRegulator)), d); err != nil {
			t.Fatal(err)
		}
		a, err = f.s.CheckProcurement(u, csreview.ProcurementRequest{OperatorID: f.op.ID, VersionID: f.version, Date: "2019-07-01"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Regime != "cac-2017-trial" || a.Verdict != csreview.VerdictMayBuy {
			t.Errorf("a 2019 purchase under the trial Measures: %s %s", a.Regime, a.Verdict)
		}
	})
}
