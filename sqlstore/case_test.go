package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
)

// caseFixture is a supplier with a product version, an operator, a valid
// body, and one user per role bound to them.
type caseFixture struct {
	*fixture
	sup     *csreview.Supplier
	prod    *csreview.Product
	op      *csreview.Operator
	body    *csreview.Body
	users   map[csreview.Role]*csreview.User
	version int64
}

func newCaseFixture(t *testing.T, db *sqlstore.DB) *caseFixture {
	t.Helper()
	f := &caseFixture{fixture: newFixture(db), users: map[csreview.Role]*csreview.User{}}
	f.sup = f.supplier(t, "星河网络")
	f.prod = newProduct(f.sup.ID, "星河数据库")
	f.prod.Versions = []*csreview.ProductVersion{{Version: "V5.2"}}
	if err := f.s.CreateProduct(sysCtx, f.prod); err != nil {
		t.Fatal(err)
	}
	f.version = f.prod.Versions[0].ID
	f.op = f.operator(t, "海川银行", csreview.SectorFinance)
	f.body = f.fixture.body(t, "衡信测评")
	bind := map[csreview.Role]func(*csreview.User){
		csreview.RoleSupplier:  func(u *csreview.User) { u.SupplierID = f.sup.ID },
		csreview.RoleOperator:  func(u *csreview.User) { u.OperatorID = f.op.ID },
		csreview.RoleAssessor:  func(u *csreview.User) { u.BodyID = f.body.ID },
		csreview.RoleRegulator: func(u *csreview.User) { u.Sector = csreview.SectorFinance },
		csreview.RoleMember:    func(u *csreview.User) { u.Org = "工业和信息化部" },
	}
	for _, r := range csreview.Roles {
		f.users[r] = f.user(t, "u-"+string(r), r, bind[r])
	}
	return f
}

func (f *caseFixture) as(r csreview.Role) *csreview.User { return f.users[r] }

// at moves the fixture's clock to 10:00 Beijing time on day d: the parties
// act on the day they act, as the store insists.
func (f *caseFixture) at(d csreview.Date) { f.now = d.Time().Add(2 * time.Hour) }

var filing2021 = []csreview.FileUpload{
	{Kind: "application_form", Name: "申报书.pdf", Content: []byte("form")},
	{Kind: "impact_report", Name: "国家安全影响分析报告.pdf", Content: []byte("report")},
	{Kind: "procurement_documents", Name: "采购合同.pdf", Content: []byte("contract")},
}

// do takes an action as role, failing the test on error; an action with a
// date is taken on that day.
func (f *caseFixture) do(t *testing.T, id int64, r csreview.Role, in csreview.CaseAction) *csreview.Case {
	t.Helper()
	if in.On != "" {
		f.at(in.On)
		in.On = ""
	}
	c, err := f.s.Act(as(f.as(r)), id, in)
	if err != nil {
		t.Fatalf("%s by %s: %v", in.Action, r, err)
	}
	return c
}

// dueOf returns a clock's due date and whether it is still running.
func (f *caseFixture) dueOf(t *testing.T, id int64, clock string, on csreview.Date) review.ClockStatus {
	t.Helper()
	rules, err := review.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	clocks, err := f.s.FindCaseClocks(sysCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clocks {
		if c.Clock == clock {
			return review.Status(rules.Cal, *c, on)
		}
	}
	t.Fatalf("no clock %s", clock)
	return review.ClockStatus{}
}

// TestCase2021SpecialReview files under the 2021 Measures and goes through
// screening with a pause for materials, the preliminary review with its
// extension, a member unit's disagreement, the special review and a fail.
// Every due date was counted by hand on the published holiday arrangements
// (2025 National Day: 1–8 Oct off, 28 Sep and 11 Oct worked; 2026 New
// Year: 1–3 Jan off, 4 Jan worked; 2026 Spring Festival: 15–23 Feb off,
// 14 and 28 Feb worked; 2026 Qingming: 4–6 Apr off).
func TestCase2021SpecialReview(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.at("2025-09-24")
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "海川银行核心系统数据库采购",
			SupplierID: f.sup.ID, VersionIDs: []int64{f.version}, PurchaseAmount: 12000000, FiledOn: "2025-09-24"}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		if c.OperatorID != f.op.ID || c.State != csreview.StateScreening || !strings.HasPrefix(c.Ref, "CSR-2025-") {
			t.Fatalf("filed: %+v", c)
		}
		// Art. 9: 10 working days from 24 Sep → 14 Oct.
		if s := f.dueOf(t, c.ID, "screening", "2025-09-24"); s.Due != "2025-10-14" {
			t.Fatalf("screening due %s, want 2025-10-14", s.Due)
		}
		// Art. 15: 29, 30 Sep and 9 Oct awaiting materials do not count → 17 Oct.
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRequestMaterial, On: "2025-09-28", Note: "请补充采购合同附件", Due: "2025-10-10"})
		f.do(t, c.ID, csreview.RoleOperator, csreview.CaseAction{Action: review.ActSupplyMaterial, On: "2025-10-09",
			Files: []csreview.FileUpload{{Kind: "other", Name: "合同附件.pdf", Content: []byte("annex")}}})
		if s := f.dueOf(t, c.ID, "screening", "2025-10-09"); s.Due != "2025-10-17" || s.PausedDays != 3 {
			t.Fatalf("screening after the pause: due %s, paused %d; want 2025-10-17, 3", s.Due, s.PausedDays)
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept, On: "2025-10-16"})
		if s := f.dueOf(t, c.ID, "screening", "2025-12-01"); s.Running || s.Overdue {
			t.Errorf("screening after acceptance: %+v", s)
		}
		// Art. 11: 30 working days from 16 Oct → 27 Nov; +15 → 18 Dec.
		if s := f.dueOf(t, c.ID, "preliminary", "2025-10-16"); s.Due != "2025-11-27" {
			t.Fatalf("preliminary due %s, want 2025-11-27", s.Due)
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID, On: "2025-10-17"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActExtend, On: "2025-11-20", Note: "情况复杂"})
		if s := f.dueOf(t, c.ID, "preliminary", "2025-11-20"); s.Due != "2025-12-18" {
			t.Fatalf("extended preliminary due %s, want 2025-12-18", s.Due)
		}
		f.do(t, c.ID, csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport, On: "2025-11-25"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass", On: "2025-12-01", Note: "建议通过"})
		// Art. 12: 15 working days from 1 Dec → 22 Dec.
		if s := f.dueOf(t, c.ID, "member_replies", "2025-12-01"); s.Due != "2025-12-22" {
			t.Fatalf("member replies due %s, want 2025-12-22", s.Due)
		}
		f.do(t, c.ID, csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "disagree", Note: "供应链风险未充分评估"})
		got := f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActCloseReplies, On: "2025-12-10"})
		if got.State != csreview.StateSpecialReview {
			t.Fatalf("after a disagreement: %s, want special_review", got.State)
		}
		// Art. 14: 90 working days from 10 Dec → 23 Apr 2026, across New
		// Year, the Spring Festival with both make-up Saturdays, and Qingming.
		if s := f.dueOf(t, c.ID, "special_review", "2025-12-10"); s.Due != "2026-04-23" {
			t.Fatalf("special review due %s, want 2026-04-23", s.Due)
		}
		// The special review consults the units again (Art. 13), and its
		// conclusion goes for approval.
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommendAgain, Consult: []string{"工业和信息化部"}, Position: "fail", On: "2026-03-02"})
		f.do(t, c.ID, csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReplySpecial, Position: "agree", On: "2026-03-10"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActCloseSpecial, On: "2026-03-11"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActApprove, On: "2026-03-20", Note: "中网委批复"})
		got = f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActDecide, Position: "fail", On: "2026-03-23",
			Reasons: map[string]string{"cac2021.10.3": "关键部件单一来源，存在供应中断风险"}})
		if got.State != csreview.StateDecided || got.Outcome != csreview.OutcomeFail {
			t.Fatalf("decided: %s %s", got.State, got.Outcome)
		}
		events, err := f.s.FindCaseEvents(sysCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, e := range events {
			acts = append(acts, e.Action)
		}
		if got, want := strings.Join(acts, " "), "file request_material supply_material accept assign_body extend submit_report recommend member_reply close_replies recommend_special member_reply_special close_special_replies approve decide"; got != want {
			t.Errorf("timeline:\n got %s\nwant %s", got, want)
		}
	})
}

// walk2017 takes a 2017 trial case from screening to its decision: the
// office accepts and assigns the body, the body reports, the experts give
// their opinion, the office decides (trial Art. 5, 6, 8).
func (f *caseFixture) walk2017(t *testing.T, id int64, opinion, criterion, reason string) {
	t.Helper()
	for _, step := range []struct {
		r  csreview.Role
		in csreview.CaseAction
	}{
		{csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept}},
		{csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID}},
		{csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport}},
		{csreview.RoleOffice, csreview.CaseAction{Action: review.ActToExperts}},
		{csreview.RoleExpert, csreview.CaseAction{Action: review.ActExpertOpinion, Position: opinion}},
		{csreview.RoleOffice, csreview.CaseAction{Action: review.ActToDecision}},
		{csreview.RoleOffice, csreview.CaseAction{Action: review.ActDecide, Position: opinion, Reasons: map[string]string{criterion: reason}}},
	} {
		f.do(t, id, step.r, step.in)
	}
}

// TestCase2017Committee goes through a 2017 trial case started on user
// feedback, deliberated by experts and the committee, and then a re-review
// that fails and so revokes the pass.
func TestCase2017Committee(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.at("2024-01-02") // the office records, on this day, a case filed in 2019
		c := &csreview.Case{Channel: "user_feedback", Title: "用户反映星河数据库存在后门", SupplierID: f.sup.ID,
			VersionIDs: []int64{f.version}, FiledOn: "2019-06-03"}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), c, nil); err != nil {
			t.Fatal(err)
		}
		if c.Regime != "cac-2017-trial" {
			t.Fatalf("regime on 2019-06-03: %s, want cac-2017-trial", c.Regime)
		}
		if clocks, _ := f.s.FindCaseClocks(sysCtx, c.ID); len(clocks) != 0 {
			t.Errorf("the 2017 Measures set no time limits, got clocks %v", clocks)
		}
		f.walk2017(t, c.ID, "pass", "cac2017t.4.1", "实验室检测未发现非法控制风险")
		// A re-review finds what the first missed: failing it revokes the pass.
		re := &csreview.Case{Channel: "office_ex_officio", Title: "星河数据库复审", SupplierID: f.sup.ID,
			VersionIDs: []int64{f.version}, FiledOn: "2019-09-02", ParentID: c.ID}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), re, nil); err != nil {
			t.Fatal(err)
		}
		f.walk2017(t, re.ID, "fail", "cac2017t.4.1", "发现远程控制接口")
		parent, err := f.s.FindCaseByID(sysCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if parent.Outcome != csreview.OutcomeRevoked {
			t.Errorf("parent outcome after a failed re-review: %s, want revoked", parent.Outcome)
		}
	})
}

func TestCaseRefusals(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		newCase := func(regime, channel string) *csreview.Case {
			return &csreview.Case{Regime: regime, Channel: channel, Title: "审查", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		}
		t.Run("ChannelExcluded", func(t *testing.T) {
			err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), newCase("cac-2017-trial", "enterprise_application"), nil)
			wantInvalid(t, err, "channel")
			e := csreview.AsError(err)
			if fe := e.Fields[0]; fe.Rule != "channel_excluded" || fe.Param != "cac-2017-trial enterprise_application" ||
				!strings.Contains(e.Message, "2017 trial Measures Art. 8") {
				t.Errorf("refusal does not cite the excluding article: %+v %s", fe, e.Message)
			}
		})
		t.Run("ChannelAllowedInDraft", func(t *testing.T) {
			if err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), newCase("cac-2017-draft", "enterprise_application"), nil); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("PartiesFileUnderTheRulesInForce", func(t *testing.T) {
			wantInvalid(t, f.s.CreateCase(as(f.as(csreview.RoleOperator)), newCase("cac-2017-draft", "operator_filing"), filing2021), "regime")
			// A role that opens no channel of the rules in force is refused
			// outright, whatever regime it names.
			wantCode(t, f.s.CreateCase(as(f.as(csreview.RoleSupplier)), newCase("cac-2017-draft", "enterprise_application"), nil), csreview.EFORBIDDEN)
			c := newCase("cac-2021", "operator_filing")
			c.FiledOn = "2030-01-01"
			wantInvalid(t, f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021), "filed_on")
			c = newCase("cac-2021", "operator_filing")
			c.FiledOn = "2030-01-01"
			wantInvalid(t, f.s.CreateCase(as(f.as(csreview.RoleOffice)), c, filing2021), "filed_on")
		})
		t.Run("MissingMaterials", func(t *testing.T) {
			err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), newCase("cac-2021", "operator_filing"), filing2021[:1])
			wantInvalid(t, err, "materials")
			if p := csreview.AsError(err).Fields[0].Param; p != "impact_report, procurement_documents" {
				t.Errorf("missing materials named %q", p)
			}
		})
		for _, tc := range []struct {
			name    string
			role    csreview.Role
			channel string
			code    string
		}{
			{"SupplierCannotFileForOperator", csreview.RoleSupplier, "operator_filing", csreview.EFORBIDDEN},
			{"ExpertCannotFile", csreview.RoleExpert, "operator_filing", csreview.EFORBIDDEN},
			{"AssociationNotUnder2021", csreview.RoleAssociation, "association_suggestion", csreview.EFORBIDDEN},
			{"MemberExOfficio", csreview.RoleMember, "member_ex_officio", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := newCase("cac-2021", tc.channel)
				c.OperatorID = f.op.ID
				wantCode(t, f.s.CreateCase(as(f.as(tc.role)), c, filing2021), tc.code)
			})
		}
		t.Run("Anonymous", func(t *testing.T) {
			wantCode(t, f.s.CreateCase(anon, newCase("cac-2021", "operator_filing"), filing2021), csreview.EUNAUTHORIZED)
		})

		// A case in assessment to try assignments on.
		c := newCase("cac-2021", "operator_filing")
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		t.Run("WrongState", func(t *testing.T) {
			_, err := f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActDecide, Position: "pass"})
			wantCode(t, err, csreview.ECONFLICT)
			if a := csreview.AsError(err).Allowed; !strings.Contains(strings.Join(a, " "), "accept") {
				t.Errorf("refusal lists %v", a)
			}
		})
		t.Run("WrongRole", func(t *testing.T) {
			_, err := f.s.Act(as(f.as(csreview.RoleOperator)), c.ID, csreview.CaseAction{Action: review.ActAccept})
			wantCode(t, err, csreview.EFORBIDDEN)
		})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept, On: "2025-03-03"})
		assign := func(b *csreview.Body, on csreview.Date) error {
			f.at(on)
			_, err := f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActAssignBody, BodyID: b.ID})
			return err
		}
		refused := func(t *testing.T, err error, reason string) {
			t.Helper()
			wantCode(t, err, csreview.ECONFLICT)
			if e := csreview.AsError(err); len(e.Fields) == 0 || !strings.Contains(e.Message, reason) || !strings.HasPrefix(e.Fields[0].Rule, "conflict_") {
				t.Errorf("refusal does not name %q: %v", reason, err)
			}
		}
		t.Run("Lapsed", func(t *testing.T) {
			b := f.newBody("过期机构")
			b.ValidFrom, b.ValidUntil = "2020-01-01", "2024-12-31"
			if err := f.s.CreateBody(sysCtx, b); err != nil {
				t.Fatal(err)
			}
			refused(t, assign(b, "2025-03-04"), "accreditation not valid on the day")
		})
		t.Run("OutOfScope", func(t *testing.T) {
			b := f.newBody("硬件机构")
			b.Scope = []csreview.Category{csreview.CategoryStorage}
			if err := f.s.CreateBody(sysCtx, b); err != nil {
				t.Fatal(err)
			}
			refused(t, assign(b, "2025-03-04"), "accreditation does not cover software")
		})
		t.Run("SameGroup", func(t *testing.T) {
			sup := *f.sup
			sup.Group = "星河集团"
			if err := f.s.UpdateSupplier(sysCtx, &sup); err != nil {
				t.Fatal(err)
			}
			b := f.newBody("星河检测")
			b.Group = "星河集团"
			if err := f.s.CreateBody(sysCtx, b); err != nil {
				t.Fatal(err)
			}
			refused(t, assign(b, "2025-03-04"), "same group as the supplier")
		})
		t.Run("SameGroupAsOperator", func(t *testing.T) {
			op := *f.op
			op.Group = "海川金融控股"
			if err := f.s.UpdateOperator(sysCtx, &op); err != nil {
				t.Fatal(err)
			}
			b := f.newBody("海川检测")
			b.Group = "海川金融控股"
			if err := f.s.CreateBody(sysCtx, b); err != nil {
				t.Fatal(err)
			}
			refused(t, assign(b, "2025-03-04"), "same group as the operator")
		})
		t.Run("Consulting", func(t *testing.T) {
			b := f.fixture.body(t, "咨询机构")
			if err := f.s.CreateBodyRelation(sysCtx, &csreview.BodyRelation{BodyID: b.ID, Kind: "consulting", OperatorID: f.op.ID, On: "2018-05-01"}); err != nil {
				t.Fatal(err)
			}
			refused(t, assign(b, "2025-03-04"), "consulting for a party since")
		})
		t.Run("AdvisedRecently", func(t *testing.T) {
			b := f.fixture.body(t, "顾问机构")
			if err := f.s.CreateBodyRelation(sysCtx, &csreview.BodyRelation{BodyID: b.ID, Kind: "advised", ProductID: f.prod.ID, On: "2023-06-01"}); err != nil {
				t.Fatal(err)
			}
			refused(t, assign(b, "2025-03-04"), "advised on a product under review")
			// Four years on, outside the default three years, it may assess.
			if err := assign(b, "2027-06-02"); err != nil {
				t.Errorf("advice four years ago still refused: %v", err)
			}
		})
	})
}

// TestCaseVisibility: a case is visible to its own parties, to the body
// assigned, and to experts and member units once it is before them.
func TestCaseVisibility(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		other := f.user(t, "other-supplier", csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = f.supplier(t, "别家").ID })
		see := func(u *csreview.User) bool {
			_, err := f.s.FindCaseByID(as(u), c.ID)
			return err == nil
		}
		for _, tc := range []struct {
			u    *csreview.User
			want bool
		}{
			{f.as(csreview.RoleOffice), true}, {f.as(csreview.RoleOperator), true}, {f.as(csreview.RoleSupplier), true},
			{f.as(csreview.RoleRegulator), true}, {f.as(csreview.RoleExpert), false}, {f.as(csreview.RoleMember), false},
			{f.as(csreview.RoleAssessor), false}, {f.as(csreview.RoleAssociation), false}, {other, false},
		} {
			if got := see(tc.u); got != tc.want {
				t.Errorf("%s (%s) sees the screening case: %v, want %v", tc.u.Username, tc.u.Role, got, tc.want)
			}
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID})
		if !see(f.as(csreview.RoleAssessor)) {
			t.Error("the assigned body's assessor does not see the case")
		}
		f.do(t, c.ID, csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass"})
		if !see(f.as(csreview.RoleMember)) || !see(f.as(csreview.RoleExpert)) {
			t.Error("member units and experts do not see a case put before them")
		}
		list, total, err := f.s.FindCases(as(other), csreview.CaseFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Errorf("another supplier lists %d cases (%v)", total, err)
		}
	})
}

// TestCaseOpinionsConfidential: opinions reach only the office, experts and
// member units, and every read of them writes exactly one audit record.
func TestCaseOpinionsConfidential(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID})
		f.do(t, c.ID, csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass", Note: "SECRET-RECOMMENDATION"})
		f.do(t, c.ID, csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "agree", Note: "SECRET-REPLY"})
		for _, r := range []csreview.Role{csreview.RoleOffice, csreview.RoleMember, csreview.RoleExpert} {
			before := f.auditTotal(t)
			ops, err := f.s.FindCaseOpinions(as(f.as(r)), c.ID)
			if err != nil || len(ops) != 2 {
				t.Fatalf("%s reads %d opinions: %v", r, len(ops), err)
			}
			if got := f.auditTotal(t) - before; got != 1 {
				t.Errorf("%s's read wrote %d audit records, want 1", r, got)
			}
		}
		for _, r := range []csreview.Role{csreview.RoleOperator, csreview.RoleSupplier, csreview.RoleAssessor, csreview.RoleRegulator} {
			before := f.auditTotal(t)
			if _, err := f.s.FindCaseOpinions(as(f.as(r)), c.ID); err == nil {
				t.Errorf("%s reads the opinions", r)
			}
			if got := f.auditTotal(t) - before; got != 0 {
				t.Errorf("a refused read by %s wrote %d audit records", r, got)
			}
		}
	})
}

// TestEvidence: only the assigned body's assessor records evidence, by a
// method of the pack, with findings on its criteria; identical attachments
// are stored once; reading evidence is confidential and recorded.
func TestEvidence(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID})
		ev := func() *csreview.Evidence {
			return &csreview.Evidence{CaseID: c.ID, Method: "lab_test", Summary: "实验室检测",
				Findings: []*csreview.Finding{{Criterion: "cac2021.10.1", Risk: "high", Text: "存在未声明的远程管理接口"}}}
		}
		lab := []csreview.FileUpload{{Name: "lab.pdf", Content: []byte("same bytes")}}
		e := ev()
		if err := f.s.CreateEvidence(as(f.as(csreview.RoleAssessor)), e, lab); err != nil {
			t.Fatal(err)
		}
		if err := f.s.CreateEvidence(as(f.as(csreview.RoleAssessor)), ev(), lab); err != nil {
			t.Fatal(err)
		}
		var blobs int
		rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM blobs WHERE size = 10`).Scan(&blobs)
		if blobs != 1 {
			t.Errorf("identical attachments stored %d times, want once", blobs)
		}
		for _, tc := range []struct {
			name string
			ctx  csreview.Role
			mod  func(*csreview.Evidence)
			code string
		}{
			{"OfficeCannot", csreview.RoleOffice, nil, csreview.EFORBIDDEN},
			{"SupplierCannot", csreview.RoleSupplier, nil, csreview.EFORBIDDEN},
			{"UnknownMethod", csreview.RoleAssessor, func(e *csreview.Evidence) { e.Method = "astrology" }, csreview.EINVALID},
			{"UnknownCriterion", csreview.RoleAssessor, func(e *csreview.Evidence) { e.Findings[0].Criterion = "cac2017t.4.1" }, csreview.EINVALID},
			{"BadRisk", csreview.RoleAssessor, func(e *csreview.Evidence) { e.Findings[0].Risk = "huge" }, csreview.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := ev()
				if tc.mod != nil {
					tc.mod(e)
				}
				wantCode(t, f.s.CreateEvidence(as(f.as(tc.ctx)), e, nil), tc.code)
			})
		}
		before := f.auditTotal(t)
		list, err := f.s.FindEvidence(as(f.as(csreview.RoleOffice)), c.ID)
		if err != nil || len(list) != 2 || len(list[0].Findings) != 1 || len(list[0].Files) != 1 {
			t.Fatalf("FindEvidence: %v %+v", err, list)
		}
		if f.auditTotal(t)-before != 1 {
			t.Error("reading evidence was not recorded exactly once")
		}
		if _, err := f.s.FindEvidence(as(f.as(csreview.RoleOperator)), c.ID); csreview.ErrorCode(err) != csreview.EFORBIDDEN {
			t.Errorf("operator reads the lab results: %v", err)
		}
		f.do(t, c.ID, csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport})
		wantCode(t, f.s.CreateEvidence(as(f.as(csreview.RoleAssessor)), ev(), nil), csreview.ECONFLICT)
	})
}

// TestCase2020Agreement files under the 2020 Measures; the member units
// agree, so no special review. Due dates counted by hand on the 2024
// arrangement (Qingming 4–6 Apr off, Sun 7 Apr worked; Labour Day 1–5 May
// off, Sun 28 Apr and Sat 11 May worked; Dragon Boat 8–10 Jun off).
func TestCase2020Agreement(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		files := []csreview.FileUpload{{Kind: "application_form", Content: []byte("a")}, {Kind: "impact_report", Content: []byte("b")},
			{Kind: "procurement_documents", Content: []byte("c")}}
		// The 2020 Measures are no longer in force: the office records the
		// operator's filing of the time.
		f.at("2024-04-01")
		c := &csreview.Case{Regime: "cac-2020", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID,
			OperatorID: f.op.ID, VersionIDs: []int64{f.version}, FiledOn: "2024-04-01"}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), c, files); err != nil {
			t.Fatal(err)
		}
		// 2020 Art. 8: 2, 3, 7 (make-up), 8–12, 15, 16 Apr.
		if s := f.dueOf(t, c.ID, "screening", "2024-04-01"); s.Due != "2024-04-16" {
			t.Fatalf("screening due %s, want 2024-04-16", s.Due)
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept, On: "2024-04-10"})
		// 2020 Art. 10: 11, 12, 15–19, 22–26, 28 (make-up), 29, 30 Apr, 6–10, 11 (make-up), 13–17, 20–23 May.
		if s := f.dueOf(t, c.ID, "preliminary", "2024-04-10"); s.Due != "2024-05-23" {
			t.Fatalf("preliminary due %s, want 2024-05-23", s.Due)
		}
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID, On: "2024-04-11"})
		f.do(t, c.ID, csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport, On: "2024-05-15"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass", On: "2024-05-20"})
		// 2020 Art. 11: 21–24, 27–31 May, 3–7, 11 Jun.
		if s := f.dueOf(t, c.ID, "member_replies", "2024-05-20"); s.Due != "2024-06-11" {
			t.Fatalf("member replies due %s, want 2024-06-11", s.Due)
		}
		f.do(t, c.ID, csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "agree"})
		got := f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActCloseReplies, On: "2024-06-04"})
		if got.State != csreview.StateDecision {
			t.Fatalf("after agreement: %s, want decision", got.State)
		}
		got = f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActDecide, Position: "pass",
			Reasons: map[string]string{"cac2020.9.1": "未发现非法控制风险"}})
		if got.Outcome != csreview.OutcomePass {
			t.Fatalf("outcome %s", got.Outcome)
		}
	})
}

// TestCaseDraftEnterprise: the 2017 draft allowed an enterprise to apply
// (Art. 8); the case goes through the experts and the committee.
func TestCaseDraftEnterprise(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		// The draft never came into force: the office records an
		// application under it, as a worked example of its procedure.
		f.at("2024-01-02")
		c := &csreview.Case{Regime: "cac-2017-draft", Channel: "enterprise_application", Title: "企业申请审查",
			SupplierID: f.sup.ID, VersionIDs: []int64{f.version}, FiledOn: "2017-03-01"}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), c, nil); err != nil {
			t.Fatal(err)
		}
		f.walk2017(t, c.ID, "pass", "cac2017d.4.1", "未发现风险")
		got, _ := f.s.FindCaseByID(sysCtx, c.ID)
		if got.Outcome != csreview.OutcomePass || got.State != csreview.StateDecided {
			t.Errorf("draft case ends %s %s", got.State, got.Outcome)
		}
	})
}

// TestEveryChannel tries every channel under every pack: an allowed one
// opens a case for its initiator; an excluded one is refused with the
// article that excludes it.
func TestEveryChannel(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		rules, err := review.DefaultRules()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range rules.List {
			for _, ch := range regime.ChannelIDs {
				t.Run(p.ID+"/"+ch, func(t *testing.T) {
					c := &csreview.Case{Regime: p.ID, Channel: ch, Title: "审查", SupplierID: f.sup.ID,
						VersionIDs: []int64{f.version}, OperatorID: f.op.ID}
					var files []csreview.FileUpload
					initiator := csreview.RoleOffice
					if allowed, ok := p.Channel(ch); ok {
						if p.ID == rules.InForceOn("2024-03-01").ID {
							initiator = allowed.Initiator // the parties file under the rules in force
						}
						for _, m := range allowed.Materials {
							files = append(files, csreview.FileUpload{Kind: m, Content: []byte(m)})
						}
					}
					err := f.s.CreateCase(as(f.as(initiator)), c, files)
					if ex, excluded := p.Exclusion(ch); excluded {
						wantInvalid(t, err, "channel")
						if !strings.Contains(csreview.AsError(err).Message, p.Cite(ex.Article, "en")) {
							t.Errorf("refusal %q does not cite %s", csreview.AsError(err).Message, p.Cite(ex.Article, "en"))
						}
						return
					}
					if err != nil {
						t.Fatalf("allowed channel refused for its initiator %s: %v", initiator, err)
					}
				})
			}
		}
	})
}

// TestMemberProposedReview: under 2021 Art. 16 a review member units
// propose starts only with the Central Commission's approval, which is
// recorded; it runs no screening clock, cannot end as "no review needed",
// and its acceptance notice tells the party to mitigate meanwhile.
func TestMemberProposedReview(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.at("2026-03-02")
		c := &csreview.Case{Regime: "cac-2021", Channel: "member_ex_officio", Title: "成员单位提出的审查", SupplierID: f.sup.ID,
			OperatorID: f.op.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleMember)), c, nil); err != nil {
			t.Fatal(err)
		}
		if c.State != csreview.StateApproval {
			t.Fatalf("a member-proposed review opens in %s, want approval", c.State)
		}
		if clocks, _ := f.s.FindCaseClocks(sysCtx, c.ID); len(clocks) != 0 {
			t.Fatalf("clocks %+v on a review awaiting approval", clocks)
		}
		work, err := f.s.FindCaseWork(as(f.as(csreview.RoleOffice)), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(work.Actions, " "); strings.Contains(got, "not_required") || !strings.Contains(got, "record_approval") {
			t.Errorf("the office may %s", got)
		}
		_, err = f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActNotRequired})
		wantCode(t, err, csreview.ECONFLICT)
		_, err = f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActRecordApproval})
		wantInvalid(t, err, "note")
		got := f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecordApproval, Note: "中网委批复〔2026〕2号"})
		if got.State != csreview.StateAssessment {
			t.Fatalf("after approval: %s", got.State)
		}
		if s := f.dueOf(t, c.ID, "preliminary", "2026-03-02"); s.Due != "2026-04-14" {
			t.Errorf("preliminary due %s, want 2026-04-14 (30 working days, Qingming off)", s.Due)
		}
		notices, err := f.s.FindCaseNotices(as(f.as(csreview.RoleOffice)), c.ID)
		if err != nil || len(notices) != 1 || notices[0].Kind != "acceptance" {
			t.Fatalf("notices %+v %v", notices, err)
		}
	})
}

// TestComplaintsRecusalRoster: the party's complaint and the office's
// answer are on the timeline (2021 Art. 18); an expert's recusal is kept
// with its reason and bars an opinion; the roster of units consulted keeps
// each reply, and only those who may read opinions see the positions.
func TestComplaintsRecusalRoster(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.s.ReportOptional = true
		f.at("2026-03-02")
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID, VersionIDs: []int64{f.version}}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, filing2021); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActAnswerComplaint, Note: "x"})
		wantCode(t, err, csreview.ECONFLICT)
		f.do(t, c.ID, csreview.RoleOperator, csreview.CaseAction{Action: review.ActComplain, Note: "审查人员与竞争对手存在关联"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAnswerComplaint, Note: "已核实并更换审查人员"})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept})
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAskExperts})
		f.do(t, c.ID, csreview.RoleExpert, csreview.CaseAction{Action: review.ActRecuse, Note: "近三年曾为该产品提供咨询"})
		_, err = f.s.Act(as(f.as(csreview.RoleExpert)), c.ID, csreview.CaseAction{Action: review.ActExpertOpinion, Position: "pass"})
		wantCode(t, err, csreview.EFORBIDDEN)
		f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Position: "pass",
			Consult: []string{"工业和信息化部", "金融行业关键信息基础设施保护工作部门"}})
		f.do(t, c.ID, csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "agree"})
		events, err := f.s.FindCaseEvents(as(f.as(csreview.RoleOperator)), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, e := range events {
			acts = append(acts, e.Action)
		}
		if got := strings.Join(acts, " "); !strings.Contains(got, "complain answer_complaint") {
			t.Errorf("the party's timeline: %s", got)
		}
		for who, want := range map[csreview.Role]string{csreview.RoleOffice: "agree", csreview.RoleOperator: "replied"} {
			w, err := f.s.FindCaseWork(as(f.as(who)), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Roster) != 2 || w.Roster[0].Org != "工业和信息化部" || w.Roster[0].Position != want || w.Roster[1].Kind != "department" {
				t.Errorf("%s sees the roster %+v", who, w.Roster)
			}
		}
		// One of two replied and the 15 working days run: no conclusion yet.
		_, err = f.s.Act(as(f.as(csreview.RoleOffice)), c.ID, csreview.CaseAction{Action: review.ActCloseReplies})
		wantCode(t, err, csreview.ECONFLICT)
	})
}

// TestListingNeedsNoVersion: a platform operator's listing (2021 Art. 7)
// is about its data and listing, so the filing names no product version;
// a purchase still does.
func TestListingNeedsNoVersion(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		f.at("2026-03-02")
		files := []csreview.FileUpload{{Kind: "application_form", Name: "申报书.pdf", Content: []byte("form")},
			{Kind: "impact_report", Name: "分析报告.pdf", Content: []byte("report")}, {Kind: "listing_documents", Name: "上市申请.pdf", Content: []byte("ipo")}}
		c := &csreview.Case{Regime: "cac-2021", Channel: "platform_listing", Title: "赴国外上市", SupplierID: f.sup.ID}
		if err := f.s.CreateCase(as(f.as(csreview.RoleOperator)), c, files); err != nil {
			t.Fatal(err)
		}
		p := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: f.sup.ID}
		wantInvalid(t, f.s.CreateCase(as(f.as(csreview.RoleOperator)), p, filing2021), "version_ids")
	})
}
