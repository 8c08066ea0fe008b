package review

import (
	"slices"
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

func packs(t *testing.T) map[string]*regime.Pack {
	t.Helper()
	list, err := regime.Packs()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*regime.Pack{}
	for _, p := range list {
		m[p.ID] = p
	}
	return m
}

// sim is a case kept in memory, its effects applied as the store would.
type sim struct {
	t *testing.T
	f Facts
}

func newSim(t *testing.T, p *regime.Pack, st csreview.CaseState, on csreview.Date) *sim {
	cal, err := regime.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	c := &csreview.Case{ID: 1, Regime: p.ID, State: st, SupplierID: 5, OperatorID: 7}
	s := &sim{t: t, f: Facts{Pack: p, Cal: cal, Case: c, On: on}}
	if clk, ok := p.Clock("screening"); ok && st == csreview.StateScreening {
		s.f.Clocks = append(s.f.Clocks, &csreview.CaseClock{CaseID: 1, Clock: clk.ID, StartedOn: on, Workdays: clk.Workdays})
	}
	return s
}

var users = map[csreview.Role]*csreview.User{
	csreview.RoleOffice:   {ID: 1, Role: csreview.RoleOffice},
	csreview.RoleAssessor: {ID: 2, Role: csreview.RoleAssessor, BodyID: 3},
	csreview.RoleExpert:   {ID: 4, Role: csreview.RoleExpert},
	csreview.RoleMember:   {ID: 5, Role: csreview.RoleMember, Org: "网络安全审查工作机制成员单位（工业和信息化部）"},
	csreview.RoleOperator: {ID: 6, Role: csreview.RoleOperator, OperatorID: 7},
	csreview.RoleSupplier: {ID: 7, Role: csreview.RoleSupplier, SupplierID: 5},
}

// do applies an action as role and writes its effects into the sim; it
// returns the effects, or fails the test on an error.
func (s *sim) do(role csreview.Role, in csreview.CaseAction) *Effects {
	s.t.Helper()
	e, err := s.try(role, in)
	if err != nil {
		s.t.Fatalf("%s %s by %s in %s: %v", s.f.Pack.ID, in.Action, role, s.f.Case.State, err)
	}
	return e
}

func (s *sim) try(role csreview.Role, in csreview.CaseAction) (*Effects, error) {
	s.f.Actor = users[role]
	if in.Action == ActAssignBody {
		s.f.Body = &BodyFacts{Body: &csreview.Body{ID: 3, ValidFrom: "2017-01-01", ValidUntil: "2030-12-31"}}
	}
	e, err := Apply(s.f, in)
	if err != nil {
		return nil, err
	}
	c := e.Case
	s.f.Case = &c
	for _, clk := range e.Start {
		s.f.Clocks = append(s.f.Clocks, &csreview.CaseClock{CaseID: 1, Clock: clk.ID, StartedOn: s.f.On, Workdays: clk.Workdays})
	}
	if o := e.Opinion; o != nil {
		s.f.Opinions = append(s.f.Opinions, Opinion{Kind: o.Kind, AuthorID: s.f.Actor.ID, Org: s.f.Actor.Org, Position: o.Position, Round: o.Round})
		if o.Kind == "member" {
			for i := range s.f.Roster {
				if s.f.Roster[i].Round == o.Round && SpeaksFor(s.f.Actor.Org, s.f.Roster[i].Org) {
					s.f.Roster[i].Position = o.Position
				}
			}
		}
	}
	s.f.Roster = append(s.f.Roster, e.Consult...)
	if e.Recuse != nil {
		s.f.Recused = append(s.f.Recused, e.Recuse.UserID)
	}
	if slices.Contains(e.Action.Effects, "complaint") {
		s.f.Complaints++
	}
	if slices.Contains(e.Action.Effects, "answer") {
		s.f.Complaints--
	}
	return e, nil
}

func (s *sim) want(st csreview.CaseState) {
	s.t.Helper()
	if s.f.Case.State != st {
		s.t.Fatalf("%s: state %s, want %s", s.f.Pack.ID, s.f.Case.State, st)
	}
}

func (s *sim) clock(id string) *csreview.CaseClock { return clockOf(s.f.Clocks, id) }

func code(err error) string { return csreview.ErrorCode(err) }

// TestWalk2021 walks a 2021 filing: screening, preliminary review with the
// roster of units consulted, replies, disagreement, the special review
// consulting again, approval, decision — each step by the roles the pack
// names, with the clocks it starts and stops.
func TestWalk2021(t *testing.T) {
	t.Parallel()
	p := packs(t)["cac-2021"]
	s := newSim(t, p, csreview.StateScreening, "2026-03-02")
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAccept})
	s.want(csreview.StateAssessment)
	if s.clock("screening").StoppedOn == "" || s.clock("preliminary") == nil {
		t.Fatal("accept: screening not stopped or preliminary not started")
	}
	// The third-party report is office practice: required by default,
	// configurable.
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommend, Position: "pass", Consult: []string{"工业和信息化部"}}); code(err) != csreview.ECONFLICT {
		t.Fatalf("recommend before the report: %v", err)
	}
	s.f.ReportOptional = true
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommend, Position: "pass"}); code(err) != csreview.EINVALID {
		t.Fatalf("recommend without naming the units consulted: %v", err)
	}
	s.f.ReportOptional = false
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAssignBody, BodyID: 3})
	s.do(csreview.RoleAssessor, csreview.CaseAction{Action: ActSubmitReport})
	// Experts have a part when the office asks them (practice).
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAskExperts})
	s.want(csreview.StateExpertReview)
	s.do(csreview.RoleExpert, csreview.CaseAction{Action: ActExpertOpinion, Position: "pass", Note: "风险可控"})
	e := s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommend, Position: "pass", Note: "建议通过",
		Consult: []string{"工业和信息化部", "国家发展和改革委员会", "金融行业关键信息基础设施保护工作部门"}})
	s.want(csreview.StateMemberReview)
	if e.Note != "" {
		t.Errorf("a confidential recommendation's text reached the timeline: %q", e.Note)
	}
	if len(s.f.Roster) != 3 || s.f.Roster[2].Kind != "department" || s.f.Roster[0].Kind != "member" {
		t.Fatalf("roster %+v", s.f.Roster)
	}
	// The conclusion waits for every unit (or the 15 working days).
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseReplies}); code(err) != csreview.ECONFLICT {
		t.Fatalf("close before the replies: %v", err)
	}
	s.do(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReply, Position: "agree"})
	if _, err := s.try(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReply, Position: "agree"}); code(err) != csreview.ECONFLICT {
		t.Fatalf("a second reply of the same unit: %v", err)
	}
	s.f.Roster[1].Position = "disagree" // the NDRC's reply, by its own staff
	s.f.Roster[2].Position = "agree"
	e = s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseReplies})
	s.want(csreview.StateSpecialReview)
	if e.Notice == nil || e.Notice.Kind != "special_review" || s.clock("special_review") == nil || s.clock("member_replies").StoppedOn == "" {
		t.Fatalf("disagreement: notice %+v, clocks %+v", e.Notice, s.f.Clocks)
	}
	// The special review consults them again (Art. 13).
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActExtend, Days: 20, Note: "情况复杂"})
	if got := s.clock("special_review").Extended; got != 20 {
		t.Errorf("special review extended by %d", got)
	}
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommendAgain, Position: "fail", Consult: []string{"工业和信息化部"}})
	s.want(csreview.StateSpecialConsult)
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseSpecial}); code(err) != csreview.ECONFLICT {
		t.Fatalf("close the special round before its replies: %v", err)
	}
	s.do(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReplySpecial, Position: "agree"})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseSpecial})
	s.want(csreview.StateSpecialApproval)
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActApprove}); code(err) != csreview.EINVALID {
		t.Fatalf("approval without its reference: %v", err)
	}
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActApprove, Note: "中网委批复〔2026〕1号"})
	s.want(csreview.StateDecision)
	// The conclusion is the approved recommendation (Art. 13): no other.
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActDecide, Position: "pass", Reasons: map[string]string{"cac2021.10.1": "无"}}); code(err) != csreview.EINVALID {
		t.Fatalf("a decision against the approved recommendation: %v", err)
	}
	e = s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActDecide, Position: "fail", Reasons: map[string]string{"cac2021.10.1": "存在风险"}})
	s.want(csreview.StateDecided)
	if e.Case.Outcome != csreview.OutcomeFail || e.Notice.Kind != "decision" || s.clock("special_review").StoppedOn == "" {
		t.Fatalf("decision %+v", e)
	}
}

// TestAllAgree: when every unit consulted agrees, the conclusion stands;
// after the 15 working days the office may close with the replies it has.
func TestAllAgree(t *testing.T) {
	t.Parallel()
	p := packs(t)["cac-2021"]
	s := newSim(t, p, csreview.StateScreening, "2026-03-02")
	s.f.ReportOptional = true
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAccept})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommend, Position: "pass", Consult: []string{"工业和信息化部", "公安部"}})
	s.do(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReply, Position: "agree"})
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseReplies}); code(err) != csreview.ECONFLICT {
		t.Fatalf("closed with one of two replies before the time limit: %v", err)
	}
	s.f.On = "2026-03-24" // 15 working days after 2026-03-02 end on 2026-03-23
	e := s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseReplies})
	s.want(csreview.StateDecision)
	if e.Data["no_reply"] != 1 || e.Data["replies"] != 1 {
		t.Errorf("tally %+v", e.Data)
	}
}

// TestMemberProposal2021: a review member units propose waits for the
// Central Commission's approval, which is recorded; no screening clock
// runs and it cannot end as "no review needed" (2021 Art. 16).
func TestMemberProposal2021(t *testing.T) {
	t.Parallel()
	p := packs(t)["cac-2021"]
	ch, _ := p.Channel("member_ex_officio")
	if ch.Opens != csreview.StateApproval {
		t.Fatalf("member_ex_officio opens %q", ch.Opens)
	}
	s := newSim(t, p, csreview.StateApproval, "2026-03-02")
	if len(s.f.Clocks) != 0 {
		t.Fatal("a screening clock runs on a member-proposed review")
	}
	for _, id := range Mine(Facts{Pack: p, Case: s.f.Case, Actor: users[csreview.RoleOffice], Cal: s.f.Cal, On: s.f.On}) {
		if id == ActNotRequired || id == ActAccept {
			t.Errorf("%s offered on a member-proposed review", id)
		}
	}
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActRecordApproval}); code(err) != csreview.EINVALID {
		t.Fatalf("approval with no reference: %v", err)
	}
	e := s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecordApproval, Note: "中网委批复〔2026〕2号"})
	s.want(csreview.StateAssessment)
	if s.clock("preliminary") == nil || e.Notice == nil || e.Notice.Kind != "acceptance" {
		t.Fatalf("approval: clocks %+v notice %+v", s.f.Clocks, e.Notice)
	}
	found := false
	for _, n := range p.Notes {
		found = found || n.ID == "mitigation" && n.Article == "Art. 16"
	}
	if !found {
		t.Error("the 2021 pack does not say the party takes mitigation measures meanwhile (Art. 16)")
	}
}

// TestWalk2017: under the 2017 Measures the office organises the review
// and issues the result; the review committee concludes no case (trial
// Art. 5, 8). Experts give opinions on the basis of the third-party
// evaluation (Art. 6).
func TestWalk2017(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"cac-2017-draft", "cac-2017-trial"} {
		p := packs(t)[id]
		for _, a := range p.Actions {
			if slices.Contains(a.Actors, csreview.RoleMember) {
				t.Errorf("%s: member units act in %s", id, a.ID)
			}
		}
		if _, ok := p.Step("committee_conclusion"); ok {
			t.Errorf("%s keeps a committee-conclusion step", id)
		}
		s := newSim(t, p, csreview.StateScreening, "2019-03-04")
		s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAccept})
		s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAssignBody, BodyID: 3})
		if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActToExperts}); code(err) != csreview.ECONFLICT {
			t.Fatalf("%s: experts before the evaluation: %v", id, err)
		}
		s.do(csreview.RoleAssessor, csreview.CaseAction{Action: ActSubmitReport})
		s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActToExperts})
		if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActToDecision}); code(err) != csreview.ECONFLICT {
			t.Fatalf("%s: decision before any expert opinion: %v", id, err)
		}
		s.do(csreview.RoleExpert, csreview.CaseAction{Action: ActExpertOpinion, Position: "pass"})
		s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActToDecision})
		s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActDecide, Position: "pass", Reasons: map[string]string{p.Criteria[0].ID: "无"}})
		s.want(csreview.StateDecided)
	}
}

// TestStepsAndActionsAgree: the roles a pack's steps name are the roles
// its actions give something to do — the 2021 experts among them.
func TestStepsAndActionsAgree(t *testing.T) {
	t.Parallel()
	for id, p := range packs(t) {
		for _, st := range p.Steps {
			var acts []regime.Action
			for _, a := range p.Actions {
				if a.Step == st.ID {
					acts = append(acts, a)
				}
			}
			if len(acts) == 0 {
				continue
			}
			for _, r := range st.Actors {
				ok := false
				for _, a := range acts {
					ok = ok || slices.Contains(a.Actors, r)
				}
				if !ok {
					t.Errorf("%s step %s names %s, who has no action", id, st.ID, r)
				}
			}
		}
		if id == "cac-2021" || id == "cac-2020" {
			a, _ := p.Action(ActExpertOpinion)
			if !a.Practice || !slices.Contains(a.Actors, csreview.RoleExpert) {
				t.Errorf("%s: experts' opinions %+v, want practice by experts", id, a)
			}
			for _, id := range []string{ActAssignBody, ActSubmitReport} {
				if a, _ := p.Action(id); !a.Practice {
					t.Errorf("%s: %s is not labelled practice", p.ID, id)
				}
			}
			if got := Cite(p, must(p.Action(ActSubmitReport))).EN; !strings.Contains(got, "practice") {
				t.Errorf("%s: the report cites %q", p.ID, got)
			}
		}
	}
}

func must(a regime.Action, ok bool) regime.Action {
	if !ok {
		panic("no such action")
	}
	return a
}

// TestComplaintsAndRecusal: the party files a complaint and the office
// answers (2021 Art. 18); an expert who recuses takes no further part.
func TestComplaintsAndRecusal(t *testing.T) {
	t.Parallel()
	p := packs(t)["cac-2021"]
	s := newSim(t, p, csreview.StateScreening, "2026-03-02")
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActAnswerComplaint, Note: "x"}); code(err) != csreview.ECONFLICT {
		t.Fatalf("an answer with no complaint: %v", err)
	}
	other := &csreview.User{ID: 9, Role: csreview.RoleSupplier, SupplierID: 99}
	s.f.Actor = other
	if _, err := Apply(s.f, csreview.CaseAction{Action: ActComplain, Note: "x"}); code(err) != csreview.EFORBIDDEN {
		t.Fatalf("another supplier complains: %v", err)
	}
	s.do(csreview.RoleOperator, csreview.CaseAction{Action: ActComplain, Note: "审查人员与竞争对手有关联"})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAnswerComplaint, Note: "已核查，已调整审查人员"})
	s.f.ReportOptional = true
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAccept})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAskExperts})
	if _, err := s.try(csreview.RoleExpert, csreview.CaseAction{Action: ActRecuse}); code(err) != csreview.EINVALID {
		t.Fatalf("recusal without its reason: %v", err)
	}
	e := s.do(csreview.RoleExpert, csreview.CaseAction{Action: ActRecuse, Note: "近三年曾为该产品提供咨询"})
	if e.Recuse == nil || e.Recuse.Reason == "" {
		t.Fatalf("recusal %+v", e.Recuse)
	}
	if _, err := s.try(csreview.RoleExpert, csreview.CaseAction{Action: ActExpertOpinion, Position: "pass"}); code(err) != csreview.EFORBIDDEN {
		t.Fatalf("an opinion after recusal: %v", err)
	}
}

// TestWalk2020: the 2020 Measures run the same procedure with their own
// articles and a 45-working-day special review (Art. 13); they say nothing
// of mitigation during a member-proposed review (Art. 15).
func TestWalk2020(t *testing.T) {
	t.Parallel()
	p := packs(t)["cac-2020"]
	for _, n := range p.Notes {
		if n.ID == "mitigation" {
			t.Error("the 2020 pack has a mitigation note, which the 2020 text lacks")
		}
	}
	if clk, _ := p.Clock("special_review"); clk.Workdays != 45 || clk.Article != "Art. 13" {
		t.Errorf("2020 special review clock %+v", clk)
	}
	s := newSim(t, p, csreview.StateScreening, "2021-03-01")
	s.f.ReportOptional = true
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAccept})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommend, Position: "pass", Consult: []string{"工业和信息化部"}})
	s.do(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReply, Position: "disagree"})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseReplies})
	s.want(csreview.StateSpecialReview)
	if got := Status(s.f.Cal, *s.clock("special_review"), "2021-03-01").Limit; got != 45 {
		t.Errorf("special review limit %d", got)
	}
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommendAgain, Position: "pass", Consult: []string{"工业和信息化部"}})
	s.do(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReplySpecial, Position: "agree"})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseSpecial})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActApprove, Note: "批复"})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActDecide, Position: "pass", Reasons: map[string]string{"cac2020.9.1": "无"}})
	s.want(csreview.StateDecided)
	if got := Cite(p, must(p.Action(ActRecommend))).ZH; got != "《网络安全审查办法》（2020）第九条至第十条" {
		t.Errorf("the 2020 recommendation cites %s", got)
	}
}

// TestSpeaksFor: a unit's staff reply for it; an organisation whose name
// merely contains the unit's does not.
func TestSpeaksFor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		org, entry string
		want       bool
	}{
		{"工业和信息化部", "工业和信息化部", true},
		{"网络安全审查工作机制成员单位（工业和信息化部）", "工业和信息化部", true},
		{"Member unit (Ministry of Public Security)", "Ministry of Public Security", true},
		{"公安部第三研究所", "公安部", false},
		{"", "公安部", false},
		{"公安部", "", false},
	} {
		if got := SpeaksFor(c.org, c.entry); got != c.want {
			t.Errorf("SpeaksFor(%q, %q) = %v", c.org, c.entry, got)
		}
	}
}

// TestSilentUnits: a round a unit never answers closes once its time limit
// runs out — the 15 working days, or in the special review the special
// review's own — and a case sent before the roster was kept closes on one
// reply, as it did then.
func TestSilentUnits(t *testing.T) {
	t.Parallel()
	p := packs(t)["cac-2021"]
	s := newSim(t, p, csreview.StateScreening, "2026-03-02")
	s.f.ReportOptional = true
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActAccept})
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommend, Position: "pass", Consult: []string{"工业和信息化部", "公安部"}})
	s.do(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReply, Position: "disagree"})
	s.f.On = "2026-03-24"
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseReplies})
	s.want(csreview.StateSpecialReview)
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActRecommendAgain, Position: "pass", Consult: []string{"公安部"}})
	if _, err := s.try(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseSpecial}); code(err) != csreview.ECONFLICT {
		t.Fatalf("closed the special round at once: %v", err)
	}
	s.f.On = "2026-09-01" // past the 90 working days from 2026-03-24
	s.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseSpecial})
	s.want(csreview.StateSpecialApproval)

	legacy := newSim(t, p, csreview.StateMemberReview, "2026-03-02")
	legacy.do(csreview.RoleMember, csreview.CaseAction{Action: ActMemberReply, Position: "agree"})
	legacy.do(csreview.RoleOffice, csreview.CaseAction{Action: ActCloseReplies})
	legacy.want(csreview.StateDecision)
}
