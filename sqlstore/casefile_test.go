package sqlstore_test

import (
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
)

// TestCaseFileTriageFeed: the case file, the lab's triage and the calendar
// feed on both engines. The operator reads its filing, the supplier
// neither sees nor can confirm it; the assessor triages during the
// assessment, each change kept with its history and each read audited;
// a feed secret finds its owner until it is replaced, revoked or the
// account is disabled.
func TestCaseFileTriageFeed(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.at("2025-09-24")
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		op, sup, office := as(f.as(csreview.RoleOperator)), as(f.as(csreview.RoleSupplier)), as(f.as(csreview.RoleOffice))
		mats, err := f.s.FindCaseMaterials(op, c.ID)
		if err != nil || len(mats) != 3 || mats[0].Uploader == "" || mats[0].UploadedAt.IsZero() {
			t.Fatalf("the operator's materials: %+v %v", mats, err)
		}
		if m, content, err := f.s.ReadCaseFile(op, c.ID, mats[0].ID); err != nil || string(content) != "form" || m.Name != "申报书.pdf" {
			t.Errorf("the operator's read: %v %q %v", m, content, err)
		}
		if list, err := f.s.FindCaseMaterials(sup, c.ID); err != nil || len(list) != 0 {
			t.Errorf("the supplier lists %d of the operator's files (%v)", len(list), err)
		}
		if _, _, err := f.s.ReadCaseFile(sup, c.ID, mats[0].ID); csreview.ErrorCode(err) != csreview.ENOTFOUND {
			t.Errorf("the supplier reading the operator's form: %v, want ENOTFOUND", err)
		}
		if recs, _, _ := f.s.FindAuditRecords(sysCtx, csreview.AuditFilter{Entity: "case_file", EntityID: mats[0].ID}); len(recs) != 1 {
			t.Errorf("reads of the form recorded: %d, want 1", len(recs))
		}

		// The triage: the assessor only, during the assessment.
		tr := &csreview.Triage{CaseID: c.ID, Key: "0123456789abcdef", State: csreview.TriageExploitable, Comment: "可利用"}
		wantCode(t, f.s.SetTriage(as(f.as(csreview.RoleAssessor)), tr), csreview.ENOTFOUND) // not yet its case
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID})
		lab := as(f.as(csreview.RoleAssessor))
		wantCode(t, f.s.SetTriage(office, tr), csreview.EFORBIDDEN)
		wantInvalid(t, f.s.SetTriage(lab, &csreview.Triage{CaseID: c.ID, Key: tr.Key, State: csreview.TriageNotAffected}), "justification")
		if err := f.s.SetTriage(lab, tr); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetTriage(lab, &csreview.Triage{CaseID: c.ID, Key: tr.Key, State: csreview.TriageNotAffected, Justification: "code_not_reachable"}); err != nil {
			t.Fatal(err)
		}
		states, err := f.s.FindTriage(office, c.ID)
		if err != nil || states[tr.Key] == nil || states[tr.Key].State != csreview.TriageNotAffected || states[tr.Key].Actor == "" {
			t.Errorf("states: %v %v", states, err)
		}
		if h, err := f.s.TriageHistory(office, c.ID, tr.Key); err != nil || len(h) != 2 || h[0].State != csreview.TriageExploitable {
			t.Errorf("history: %v %v", h, err)
		}
		if _, err := f.s.FindTriage(op, c.ID); csreview.ErrorCode(err) != csreview.EFORBIDDEN {
			t.Errorf("the operator reading the lab's triage: %v, want EFORBIDDEN", err)
		}
		if recs, _, _ := f.s.FindAuditRecords(sysCtx, csreview.AuditFilter{Entity: "finding_triage", EntityID: c.ID, Action: "read"}); len(recs) != 2 {
			t.Errorf("triage reads recorded: %d, want 2", len(recs))
		}

		// The calendar feed.
		secret, err := f.s.CreateCalendarFeed(office)
		if err != nil {
			t.Fatal(err)
		}
		if u, err := f.s.CalendarFeedUser(sysCtx, secret); err != nil || u.ID != f.as(csreview.RoleOffice).ID {
			t.Errorf("feed owner: %v %v", u, err)
		}
		again, err := f.s.CreateCalendarFeed(office)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CalendarFeedUser(sysCtx, secret); csreview.ErrorCode(err) != csreview.ENOTFOUND {
			t.Errorf("the replaced secret: %v, want ENOTFOUND", err)
		}
		if since, err := f.s.CalendarFeed(office); err != nil || since.IsZero() {
			t.Errorf("feed since: %v %v", since, err)
		}
		if err := f.s.RevokeCalendarFeed(office); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CalendarFeedUser(sysCtx, again); csreview.ErrorCode(err) != csreview.ENOTFOUND {
			t.Errorf("the revoked secret: %v, want ENOTFOUND", err)
		}
		if _, err := f.s.CalendarFeedUser(sysCtx, "not-a-secret"); csreview.ErrorCode(err) != csreview.ENOTFOUND {
			t.Errorf("a made-up secret: %v", err)
		}
	})
}
