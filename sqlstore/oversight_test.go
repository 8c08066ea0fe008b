package sqlstore_test

import (
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestOversightStats: a regulator's figures are its sector's, whatever it
// asks for; months run oldest first and count what happened in them.
func TestOversightStats(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.op.CII = true
		if err := f.s.UpdateOperator(sysCtx, f.op); err != nil {
			t.Fatal(err)
		}
		op := as(f.as(csreview.RoleOperator))
		f.at("2024-03-04")
		if err := f.s.CreateInventoryEntry(op, &csreview.InventoryEntry{VersionID: f.version, System: "核心", Forecast: "may_affect"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CheckProcurement(op, csreview.ProcurementRequest{OperatorID: f.op.ID, VersionID: f.version, Forecast: "may_affect"}); err != nil {
			t.Fatal(err)
		}
		f.at("2024-05-06")
		if _, err := f.s.Sweep(as(f.as(csreview.RoleOffice))); err != nil {
			t.Fatal(err)
		}
		st, err := f.s.OversightStats(as(f.as(csreview.RoleRegulator)), csreview.SectorEnergy, 3)
		if err != nil {
			t.Fatal(err)
		}
		if st.Sector != csreview.SectorFinance || st.Operators != 1 || st.Inventory["not_reviewed"] != 1 ||
			st.Checks["file_first"] != 1 || st.Enforcement["open"] != 1 {
			t.Errorf("stats %+v", st)
		}
		if len(st.Months) != 3 || st.Months[0].Month != "2024-03" || st.Months[0].Checks["file_first"] != 1 ||
			st.Months[2].Month != "2024-05" || st.Months[2].Enforcement != 1 {
			t.Errorf("months %+v", st.Months)
		}
		if _, err := f.s.OversightStats(op, "", 12); csreview.ErrorCode(err) != csreview.EFORBIDDEN {
			t.Errorf("an operator reads the dashboard: %v", err)
		}
		all, err := f.s.OversightStats(as(f.as(csreview.RoleOffice)), "", 12)
		if err != nil || all.Sector != "" || all.Operators != 1 {
			t.Errorf("office, all sectors: %+v %v", all, err)
		}
	})
}
