package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

func TestPenaltyRange(t *testing.T) {
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

		// The record's path.
		_, err = f.s.MoveEnforcement(op, e.ID, csreview.EnfOrdered, "")
		wantCode(t, err, csreview.EFORBIDDEN)
		_, err = f.s.MoveEnforcement(reg, e.ID, csreview.EnfClosed, "")
		wantInvalid(t, err, "to")
		if e, err = f.s.MoveEnforcement(reg, e.ID, csreview.EnfOrdered, "责令停止使用通知书 金监令〔2024〕3号"); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.MoveEnforcement(office, e.ID, csreview.EnfDismissed, "")
		wantInvalid(t, err, "note")
		if e, err = f.s.MoveEnforcement(office, e.ID, csreview.EnfRectified, "已停止使用并申报审查"); err != nil {
			t.Fatal(err)
		}
		if e, err = f.s.MoveEnforcement(office, e.ID, csreview.EnfClosed, "整改完成"); err != nil {
			t.Fatal(err)
		}
		if e.ClosedOn == "" || len(e.Events) != 4 || e.Events[1].To != csreview.EnfOrdered {
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
		if _, n, _ := f.s.FindEnforcements(as(other), csreview.EnforcementFilter{}); n != 0 {
			t.Errorf("another sector's regulator sees %d records", n)
		}
	})
}
