package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestPenaltyRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ amount, min, max int64 }{
		{0, 0, 0}, {1, 1, 10}, {2_000_000, 2_000_000, 20_000_000}, {18_600_000, 18_600_000, 186_000_000},
	} {
		lo, hi, plo, phi := csreview.PenaltyRange(tc.amount)
		if lo != tc.min || hi != tc.max || plo != 10_000 || phi != 100_000 {
			t.Errorf("PenaltyRange(%d) = %d–%d, persons %d–%d", tc.amount, lo, hi, plo, phi)
		}
	}
}

// TestSweep: an operator using an unreviewed product it forecast may affect
// national security gets one enforcement record (CSL Art. 65), not two; a
// pass ends the breach; a revoking re-review brings it back; the record
// moves only along its path, by those who enforce.
func TestSweep(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.op.CII = true
		if err := f.s.UpdateOperator(sysCtx, f.op); err != nil {
			t.Fatal(err)
		}
		op, reg, office := as(f.as(csreview.RoleOperator)), as(f.as(csreview.RoleRegulator)), as(f.as(csreview.RoleOffice))
		f.at("2024-03-04")
		if err := f.s.ImportInventory(op, []*csreview.InventoryEntry{
			{VersionID: f.version, System: "核心账务", Stage: csreview.StageInUse, Amount: 2_000_000, Forecast: "may_affect", PurchasedOn: "2024-02-01"},
			{VersionID: f.version, System: "办公", Stage: csreview.StageInUse, Amount: 50_000, Forecast: "no_effect"},
			{VersionID: f.version, System: "新系统", Stage: csreview.StagePlanned, Amount: 9_000_000, Forecast: "may_affect"},
		}); err != nil {
			t.Fatal(err)
		}
		sweep := func(ctx any, want csreview.SweepResult) {
			t.Helper()
			got, err := f.s.Sweep(as(ctx.(*csreview.User)))
			if err != nil {
				t.Fatal(err)
			}
			if *got != want {
				t.Errorf("sweep: %+v, want %+v", *got, want)
			}
		}
		sweep(f.as(csreview.RoleOffice), csreview.SweepResult{Checked: 2, Found: 1, Created: 1})
		sweep(f.as(csreview.RoleRegulator), csreview.SweepResult{Checked: 2, Found: 1, Existing: 1})
		list, total, err := f.s.FindEnforcements(op, csreview.EnforcementFilter{})
		if err != nil || total != 1 {
			t.Fatalf("operator sees %d records: %v", total, err)
		}
		e := list[0]
		if e.Finding != "not_reviewed" || e.FineMin != 2_000_000 || e.FineMax != 20_000_000 || e.PersonMin != 10_000 ||
			e.PersonMax != 100_000 || e.Regime != "cac-2021" || !strings.HasPrefix(e.Ref, "ENF-2024-") {
			t.Errorf("record %+v", e)
		}
		var cites []string
		for _, b := range e.Basis {
			cites = append(cites, b.Cite.EN)
		}
		if got := strings.Join(cites, "; "); !strings.Contains(got, "CSL Art. 65") || !strings.Contains(got, "CII Regulations Art. 41") ||
			!strings.Contains(got, "2021 Measures Art. 5") {
			t.Errorf("basis cites %s", got)
		}
		if _, err := f.s.Sweep(op); csreview.ErrorCode(err) != csreview.EFORBIDDEN {
			t.Errorf("an operator sweeps: %v", err)
		}
		if _, err := f.s.Sweep(as(f.as(csreview.RoleSupplier))); csreview.ErrorCode(err) != csreview.EFORBIDDEN {
			t.Errorf("a supplier sweeps: %v", err)
		}

		// The record's path: the orders, the notice of the intended penalty,
		// the party heard, the decision (Administrative Penalty Law
		// Art. 44, 45, 57, 62-64), closed.
		step := func(ctx any, st csreview.EnforcementStep) (*csreview.Enforcement, error) {
			return f.s.StepEnforcement(as(ctx.(*csreview.User)), e.ID, st)
		}
		_, err = f.s.StepEnforcement(op, e.ID, csreview.EnforcementStep{To: csreview.EnfOrdered})
		wantCode(t, err, csreview.EFORBIDDEN)
		_, err = f.s.StepEnforcement(reg, e.ID, csreview.EnforcementStep{To: csreview.EnfClosed})
		wantInvalid(t, err, "to")
		// No fine without the notice and the hearing of the party.
		_, err = f.s.StepEnforcement(reg, e.ID, csreview.EnforcementStep{To: csreview.EnfPenalised, Fine: 2_000_000})
		wantInvalid(t, err, "to")
		if e, err = f.s.StepEnforcement(reg, e.ID, csreview.EnforcementStep{To: csreview.EnfOrdered, Note: "责令停止使用通知书 金监令〔2024〕3号"}); err != nil {
			t.Fatal(err)
		}
		// In 2024 the CSL's Art. 65 orders the use to stop, nothing more.
		if got := strings.Join(e.Procedure.Orders, " "); got != "stop_use" || e.Procedure.Basis[0].Cite.EN != "CSL Art. 65" {
			t.Errorf("2024 orders %q cited %+v", got, e.Procedure.Basis)
		}
		_, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfNotified, Fine: 1_000, Note: "事实"})
		wantInvalid(t, err, "fine") // below one times the purchase amount
		_, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfNotified, Fine: 3_000_000})
		wantInvalid(t, err, "note") // the facts, reasons and basis are told
		if e, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfNotified, Fine: 3_000_000, PersonFine: 20_000,
			Note: "未经审查使用核心账务系统数据库"}); err != nil {
			t.Fatal(err)
		}
		// 2024-03-04 (Mon) + 5 working days = 2024-03-11.
		if p := e.Procedure; !p.HearingRight || p.HearingBy != "2024-03-11" || p.NotifiedOn != "2024-03-04" || p.DecideBy != "2024-06-02" {
			t.Errorf("notice %+v", p)
		}
		_, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfHeard, Statement: "已停止使用"})
		wantInvalid(t, err, "on") // the party may still ask for a hearing
		_, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfHeard, HearingRequested: true})
		wantInvalid(t, err, "hearing_held")
		if e, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfHeard, HearingRequested: true, HearingHeld: true,
			Statement: "已停止使用并申报审查"}); err != nil {
			t.Fatal(err)
		}
		_, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfPenalised, Fine: 4_000_000, PersonFine: 20_000})
		wantInvalid(t, err, "fine") // heavier than notified (Art. 45)
		_, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfNotPenalised, NoFine: "whim", Note: "x"})
		wantInvalid(t, err, "no_fine")
		if e, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfPenalised, Fine: 2_000_000, PersonFine: 10_000}); err != nil {
			t.Fatal(err)
		}
		// Remedies: 60 days (2024-05-03, a holiday, moves to 2024-05-06) and
		// six months (2024-09-04).
		if p := e.Procedure; p.ReconsiderBy != "2024-05-06" || p.SueBy != "2024-09-04" || p.Fine != 2_000_000 {
			t.Errorf("decision %+v", p)
		}
		cites = nil
		for _, b := range e.Procedure.Basis {
			cites = append(cites, b.Cite.EN)
		}
		for _, want := range []string{"Administrative Penalty Law Art. 44", "Administrative Penalty Law Art. 45", "Administrative Penalty Law Art. 63",
			"Administrative Penalty Law Art. 59", "Administrative Reconsideration Law Art. 20", "Administrative Litigation Law Art. 46"} {
			if !strings.Contains(strings.Join(cites, "; "), want) {
				t.Errorf("procedure cites %v, not %s", cites, want)
			}
		}
		if e, err = step(f.as(csreview.RoleOffice), csreview.EnforcementStep{To: csreview.EnfClosed, Note: "罚款已缴纳"}); err != nil {
			t.Fatal(err)
		}
		if e.ClosedOn == "" || len(e.Events) != 6 || e.Events[1].To != csreview.EnfOrdered {
			t.Errorf("closed record %+v", e)
		}

		// Still in breach after closing: a new record. A pass ends it; a
		// re-review that revokes the pass brings it back.
		sweep(f.as(csreview.RoleOffice), csreview.SweepResult{Checked: 2, Found: 1, Created: 1})
		pass := f.decide2020(t, "pass", 0)
		f.at("2024-06-03")
		sweep(f.as(csreview.RoleOffice), csreview.SweepResult{Checked: 2})
		f.decide2020(t, "fail", pass.ID)
		f.at("2024-07-01")
		sweep(f.as(csreview.RoleOffice), csreview.SweepResult{Checked: 2, Found: 1, Existing: 1})
		other := f.user(t, "u-reg-energy", csreview.RoleRegulator, func(u *csreview.User) { u.Sector = csreview.SectorEnergy })
		_, _ = reg, office
		if _, n, _ := f.s.FindEnforcements(as(other), csreview.EnforcementFilter{}); n != 0 {
			t.Errorf("another sector's regulator sees %d records", n)
		}
	})
}

// TestEnforcement2026: from 2026-01-01 the CSL's Art. 67 orders the operator
// to put it right within a time limit, to stop using the product and to
// eliminate the effect on national security; the record cites Art. 67; a
// decision of no penalty names the provision it rests on.
func TestEnforcement2026(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.op.CII = true
		if err := f.s.UpdateOperator(sysCtx, f.op); err != nil {
			t.Fatal(err)
		}
		op, office := as(f.as(csreview.RoleOperator)), as(f.as(csreview.RoleOffice))
		f.at("2026-03-02")
		if err := f.s.ImportInventory(op, []*csreview.InventoryEntry{
			{VersionID: f.version, System: "核心账务", Stage: csreview.StageInUse, Amount: 2_000_000, Forecast: "may_affect", PurchasedOn: "2026-02-02"},
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Sweep(office); err != nil {
			t.Fatal(err)
		}
		list, _, err := f.s.FindEnforcements(office, csreview.EnforcementFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("%d records: %v", len(list), err)
		}
		e := list[0]
		var cites []string
		for _, b := range e.Basis {
			cites = append(cites, b.Cite.EN)
		}
		if got := strings.Join(cites, "; "); !strings.Contains(got, "CSL Art. 67") || strings.Contains(got, "CSL Art. 65") {
			t.Errorf("2026 record cites %s", got)
		}
		_, err = f.s.StepEnforcement(office, e.ID, csreview.EnforcementStep{To: csreview.EnfOrdered})
		wantInvalid(t, err, "rectify_by") // 限期改正 needs its time limit
		if e, err = f.s.StepEnforcement(office, e.ID, csreview.EnforcementStep{To: csreview.EnfOrdered, RectifyBy: "2026-04-30"}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(e.Procedure.Orders, " "); got != "rectify stop_use eliminate_effect" || e.Procedure.RectifyBy != "2026-04-30" {
			t.Errorf("2026 orders %q by %s", got, e.Procedure.RectifyBy)
		}
		_, err = f.s.StepEnforcement(office, e.ID, csreview.EnforcementStep{To: csreview.EnfClosed})
		wantInvalid(t, err, "to") // a record closes only with a decision
		_, err = f.s.StepEnforcement(office, e.ID, csreview.EnforcementStep{To: csreview.EnfNotPenalised, Note: "已申报审查"})
		wantInvalid(t, err, "no_fine")
		if e, err = f.s.StepEnforcement(office, e.ID, csreview.EnforcementStep{To: csreview.EnfNotPenalised, NoFine: "no_penalty_unproven",
			Note: "经核实，该系统未投入使用"}); err != nil {
			t.Fatal(err)
		}
		last := e.Procedure.Basis[len(e.Procedure.Basis)-1]
		if last.Cite.ZH != "《行政处罚法》第五十七条第（三）项" {
			t.Errorf("no penalty cites %q", last.Cite.ZH)
		}
		if e, err = f.s.StepEnforcement(office, e.ID, csreview.EnforcementStep{To: csreview.EnfClosed}); err != nil || e.ClosedOn != "2026-03-02" {
			t.Fatalf("close: %v %+v", err, e)
		}
	})
}
