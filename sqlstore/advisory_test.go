package sqlstore_test

import (
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestImportAdvisories: an import is incremental (an unchanged record is
// skipped, a changed one replaces the stored one and its index), withdrawn
// records are kept and never offered for matching, and only the office
// and admins import.
func TestImportAdvisories(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		rows := func(mod string) []*sqlstore.AdvisoryRow {
			return []*sqlstore.AdvisoryRow{
				{ID: "GO-2024-0001", Modified: mod, Aliases: []string{"CVE-2024-1"}, Raw: []byte(`{"id":"GO-2024-0001","modified":"` + mod + `"}`),
					Packages: [][2]string{{"Go", "golang.org/x/net"}, {"Go", "golang.org/x/net"}}},
				{ID: "GO-2024-0002", Modified: "2024-01-01T00:00:00Z", Withdrawn: "2024-02-01T00:00:00Z",
					Raw: []byte(`{"id":"GO-2024-0002","modified":"2024-01-01T00:00:00Z","withdrawn":"2024-02-01T00:00:00Z"}`), Packages: [][2]string{{"Go", "golang.org/x/net"}}},
			}
		}
		var st sqlstore.ImportStats
		if err := f.s.ImportAdvisories(sysCtx, rows("2024-01-01T00:00:00Z"), &st); err != nil {
			t.Fatal(err)
		}
		if st.Added != 2 || st.Withdrawn != 1 {
			t.Errorf("first import: %+v", st)
		}
		st = sqlstore.ImportStats{}
		if err := f.s.ImportAdvisories(sysCtx, rows("2024-01-01T00:00:00Z"), &st); err != nil {
			t.Fatal(err)
		}
		if st.Unchanged != 2 || st.Added != 0 || st.Updated != 0 {
			t.Errorf("unchanged import: %+v", st)
		}
		st = sqlstore.ImportStats{}
		if err := f.s.ImportAdvisories(sysCtx, rows("2024-03-01T00:00:00Z"), &st); err != nil {
			t.Fatal(err)
		}
		if st.Updated != 1 || st.Unchanged != 1 {
			t.Errorf("changed import: %+v", st)
		}
		got, err := f.s.AdvisoriesFor(sysCtx, [][2]string{{"Go", "golang.org/x/net"}, {"Go", "nothing"}})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(got[[2]string{"Go", "golang.org/x/net"}]); n != 1 {
			t.Errorf("candidates for x/net: %d, want 1 (the withdrawn one never matches)", n)
		}
		a := got[[2]string{"Go", "golang.org/x/net"}][0]
		if r, err := a.Record(); err != nil || r.ID != "GO-2024-0001" || len(a.Raw) != 0 {
			t.Errorf("stored record: %v %v, raw %q (the compact form is read, not the OSV JSON)", r, err, a.Raw)
		}
		// Records stored before compact forms were: read from their OSV
		// JSON, the withdrawn one still left out, and given their compact
		// forms by the next import, which still counts them unchanged.
		if err := db.ExecForTest(sysCtx, `DELETE FROM advisory_compact`); err != nil {
			t.Fatal(err)
		}
		got, _ = f.s.AdvisoriesFor(sysCtx, [][2]string{{"Go", "golang.org/x/net"}})
		if n := len(got[[2]string{"Go", "golang.org/x/net"}]); n != 1 {
			t.Fatalf("candidates for x/net without compact forms: %d, want 1 (the withdrawn one never matches)", n)
		}
		if a := got[[2]string{"Go", "golang.org/x/net"}][0]; len(a.Compact) != 0 || len(a.Raw) == 0 {
			t.Errorf("a record without its compact form: compact %q raw %q", a.Compact, a.Raw)
		} else if r, err := a.Record(); err != nil || r.ID != "GO-2024-0001" {
			t.Errorf("a record without its compact form, read: %v %v", r, err)
		}
		st = sqlstore.ImportStats{}
		if err := f.s.ImportAdvisories(sysCtx, rows("2024-03-01T00:00:00Z"), &st); err != nil || st.Unchanged != 2 {
			t.Errorf("import after: %+v %v", st, err)
		}
		got, _ = f.s.AdvisoriesFor(sysCtx, [][2]string{{"Go", "golang.org/x/net"}})
		if a := got[[2]string{"Go", "golang.org/x/net"}][0]; len(a.Compact) == 0 {
			t.Error("the import did not write the missing compact form")
		}
		// A compact form of an older layout (the JSON of layout 1) is not
		// read, but the OSV JSON; the next import replaces it.
		if err := db.ExecForTest(sysCtx, `UPDATE advisory_compact SET compact = ? WHERE advisory_id = ?`,
			[]byte(`{"v":1,"ID":"GO-2024-0001"}`), "GO-2024-0001"); err != nil {
			t.Fatal(err)
		}
		got, _ = f.s.AdvisoriesFor(sysCtx, [][2]string{{"Go", "golang.org/x/net"}})
		if a := got[[2]string{"Go", "golang.org/x/net"}][0]; len(a.Compact) != 0 || len(a.Raw) == 0 {
			t.Errorf("a record with an old compact form: compact %q raw %q", a.Compact, a.Raw)
		}
		st = sqlstore.ImportStats{}
		if err := f.s.ImportAdvisories(sysCtx, rows("2024-03-01T00:00:00Z"), &st); err != nil || st.Unchanged != 2 {
			t.Errorf("import after: %+v %v", st, err)
		}
		got, _ = f.s.AdvisoriesFor(sysCtx, [][2]string{{"Go", "golang.org/x/net"}})
		if a := got[[2]string{"Go", "golang.org/x/net"}][0]; len(a.Raw) != 0 {
			t.Error("the import did not replace the old compact form")
		}
		total, withdrawn, err := f.s.CountAdvisories(sysCtx)
		if err != nil || total != 2 || withdrawn != 1 {
			t.Errorf("count: %d %d %v", total, withdrawn, err)
		}
		// The database as an analysis states it: withdrawn records left
		// out of the count, the ecosystems, the newest modified time and
		// the last import.
		adb, err := f.s.AdvisoryDatabase(sysCtx)
		if err != nil || adb.Records != 1 || adb.Ecosystems["Go"] != 1 || len(adb.Ecosystems) != 1 ||
			!adb.NewestModified.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) || adb.LastImport.IsZero() {
			t.Errorf("advisory database: %+v %v", adb, err)
		}
		// Records by ID, for an alias's rating: the withdrawn one and an
		// unknown ID are left out.
		recs, err := f.s.NewAdvisorySource(sysCtx).Records([]string{"GO-2024-0002", "GO-2024-0001", "GHSA-none"})
		if err != nil || len(recs) != 1 || recs[0].ID != "GO-2024-0001" {
			t.Errorf("records by ID: %v %v", recs, err)
		}
		u := f.user(t, "sup", csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = f.supplier(t, "s").ID })
		if err := f.s.ImportAdvisories(as(u), rows("x"), &st); err == nil {
			t.Error("a supplier imported advisories")
		}
	})
}
