package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
)

// TestConfidentialTimeline: opinions, replies and evidence never reach the
// timeline every party sees; only that they were given.
func TestConfidentialTimeline(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID})
		if err := f.s.CreateEvidence(as(f.as(csreview.RoleAssessor)), &csreview.Evidence{CaseID: c.ID, Method: "lab_test",
			Summary: "SECRET-LAB", Findings: []*csreview.Finding{{Criterion: "cac2021.10.1", Risk: "high", Text: "SECRET-FINDING"}}}, nil); err != nil {
			t.Fatal(err)
		}
		f.do(t, c.ID, csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass", Note: "SECRET-RECOMMENDATION"})
		f.do(t, c.ID, csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "disagree", Note: "SECRET-REPLY"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActCloseReplies})
		events, err := f.s.FindCaseEvents(as(f.as(csreview.RoleOperator)), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			text := e.Note + string(e.Data)
			if strings.Contains(text, "SECRET") || strings.Contains(text, "disagree") {
				t.Errorf("the operator's timeline shows %s: %q", e.Action, text)
			}
		}
	})
}

// TestPartiesCannotMoveClocks: only the office dates a step other than
// today, never in the future or before the case's last step.
func TestPartiesCannotMoveClocks(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.at("2025-09-24")
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		f.at("2025-09-26")
		// A request for material says by when: a date after the request.
		_, err := f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActRequestMaterial, Note: "补充"})
		wantInvalid(t, err, "due")
		_, err = f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActRequestMaterial, Note: "补充", Due: "2025-09-26"})
		wantInvalid(t, err, "due")
		if _, err := f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActRequestMaterial, Note: "补充", Due: "2025-10-10"}); err != nil {
			t.Fatal(err)
		}
		more := []csreview.FileUpload{{Kind: "other", Content: []byte("x")}}
		_, err = f.s.Act(as(f.as(csreview.RoleOperator)), c.ID, csreview.CaseAction{Action: review.ActSupplyMaterial, On: "2100-01-01", Files: more})
		wantInvalid(t, err, "on")
		_, err = f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActSupplyMaterial, On: "2025-09-20", Files: more})
		wantInvalid(t, err, "on")
		_, err = f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActSupplyMaterial, On: "2025-10-30", Files: more})
		wantInvalid(t, err, "on")
		_, err = f.s.Act(as(f.as(csreview.RoleOperator)), c.ID, csreview.CaseAction{Action: review.ActSupplyMaterial,
			Files: []csreview.FileUpload{{Kind: "vex", Content: []byte("{}")}}})
		wantInvalid(t, err, "files[0].kind")
		_, err = f.s.Act(as(f.as(csreview.RoleOperator)), c.ID, csreview.CaseAction{Action: review.ActSupplyMaterial,
			Note: strings.Repeat("长", 8001), Files: more})
		wantInvalid(t, err, "note")
	})
}

// TestReReviewLinks: only the office links a re-review, to a pass, for
// versions the earlier case reviewed.
func TestReReviewLinks(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		re := &csreview.Case{Channel: "operator_filing", Title: "复审", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}, ParentID: c.ID}
		wantInvalid(t, f.s.CreateCase(as(f.as(csreview.RoleOperator)), re, filing2021), "parent_id")
		re.Channel, re.OperatorID = "office_ex_officio", f.op.ID
		err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), re, nil)
		if csreview.ErrorCode(err) != csreview.EINVALID {
			t.Fatalf("re-review of an undecided case: %v", err)
		}
	})
}

// TestFilingScope: a member sees what it started; a regulator files only
// in its sector; an operator cannot change what decides its oversight; a
// version under review cannot change.
func TestFilingScope(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		m := &csreview.Case{Regime: "cac-2021", Channel: "member_ex_officio", Title: "依职权", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleMember)), m, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.FindCaseByID(as(f.as(csreview.RoleMember)), m.ID); err != nil {
			t.Errorf("the member does not see the case it started: %v", err)
		}
		energy := f.operator(t, "晋阳电力", csreview.SectorEnergy)
		r := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "x", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}, OperatorID: energy.ID}
		if err := f.s.CreateCase(as(f.as(csreview.RoleRegulator)), r, filing2021); err == nil {
			t.Error("the finance regulator filed for an energy operator")
		}
		op := *f.op
		op.Sector, op.CII, op.Contact = csreview.SectorOther, false, "新联系人"
		if err := f.s.UpdateOperator(as(f.as(csreview.RoleOperator)), &op); err != nil {
			t.Fatal(err)
		}
		if op.Sector != csreview.SectorFinance || op.Contact != "新联系人" {
			t.Errorf("operator's own update: sector %s, contact %q", op.Sector, op.Contact)
		}
		v := &csreview.ProductVersion{ID: f.version, ProductID: f.prod.ID, Version: "V9.9.9"}
		wantCode(t, f.s.UpdateProductVersion(as(f.as(csreview.RoleSupplier)), v), csreview.ECONFLICT)
		wantCode(t, f.s.DeleteProductVersion(as(f.as(csreview.RoleSupplier)), f.prod.ID, f.version), csreview.ECONFLICT)
	})
}

// TestPasswordResetRevokesTokens: a reset after a compromise ends the API
// tokens as well as the sessions.
func TestPasswordResetRevokesTokens(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		u := f.user(t, "alice", csreview.RoleOffice, nil)
		_, secret, err := f.s.CreateToken(as(u), u.ID, "t", 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetPassword(sysCtx, u.ID, "a new password after a breach"); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.UserByToken(anon, secret)
		wantCode(t, err, csreview.EUNAUTHORIZED)
		// Sessions end after a week however much they are used.
		s2, err := f.s.CreateSession(anon, u.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 16; i++ { // 176 hours of steady use
			f.advance(11 * time.Hour)
			if _, err := f.s.UserBySession(anon, s2); err != nil {
				break
			}
		}
		_, err = f.s.UserBySession(anon, s2)
		wantCode(t, err, csreview.EUNAUTHORIZED)
	})
}
