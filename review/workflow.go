package review

import (
	"sort"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// Action is a transition of a case: from which states, by which roles, to
// which state, and the step of the pack whose article governs it.
type Action struct {
	ID    string               `json:"id"`
	From  []csreview.CaseState `json:"from"`
	To    csreview.CaseState   `json:"to"` // "" when the state does not change or the service decides
	Roles []csreview.Role      `json:"roles"`
	Step  string               `json:"step"`
}

// The actions. A case page offers those allowed now, named by these IDs.
const (
	ActRequestMaterial = "request_material"  // ask for supplementary materials; clocks pause
	ActSupplyMaterial  = "supply_material"   // materials received; clocks resume
	ActAccept          = "accept"            // review needed: start it
	ActNotRequired     = "not_required"      // no review needed: close with a notice
	ActAssignBody      = "assign_body"       // assign an accredited third-party body
	ActSubmitReport    = "submit_report"     // the body submits its assessment report
	ActExtend          = "extend"            // extend a clock where the pack allows it
	ActToExperts       = "to_experts"        // 2017: put the case before the expert committee
	ActExpertOpinion   = "expert_opinion"    // 2017: an expert's opinion
	ActToCommittee     = "to_committee"      // 2017: put the case before the review committee
	ActConclude        = "conclude"          // 2017: the committee's conclusion
	ActRecommend       = "recommend"         // 2020/2021: recommended conclusion to member units
	ActMemberReply     = "member_reply"      // 2020/2021: a member unit's written reply
	ActCloseReplies    = "close_replies"     // 2020/2021: all replied: agree → decision, else special review
	ActRecommendAgain  = "recommend_special" // special review: the new recommended conclusion
	ActApprove         = "approve"           // special review: the Central Commission's approval recorded
	ActDecide          = "decide"            // pass or fail, with reasons per criterion
)

// Style tells how a pack deliberates.
type Style int

const (
	// Committee deliberation: expert opinions and a committee conclusion
	// (2017 Measures Art. 5–6).
	Committee Style = iota
	// MemberUnits deliberation: recommended conclusion, member units'
	// replies, special review on disagreement (2021 Measures Art. 11–14).
	MemberUnits
)

// StyleOf reads a pack's deliberation style from its procedure steps.
func StyleOf(p *regime.Pack) Style {
	for _, s := range p.Steps {
		if s.ID == "member_opinions" {
			return MemberUnits
		}
	}
	return Committee
}

var (
	office   = []csreview.Role{csreview.RoleOffice}
	assessor = []csreview.Role{csreview.RoleAssessor}
)

// Actions lists the transitions a pack's procedure has.
func Actions(p *regime.Pack) []Action {
	s := csreview.StateScreening
	open := []csreview.CaseState{s, csreview.StateAssessment, csreview.StateSpecialReview}
	acts := []Action{
		{ID: ActRequestMaterial, From: open, To: csreview.StateAwaitingMaterial, Roles: office, Step: firstStep(p, "screening", "filing")},
		{ID: ActSupplyMaterial, From: []csreview.CaseState{csreview.StateAwaitingMaterial},
			Roles: []csreview.Role{csreview.RoleOffice, csreview.RoleOperator, csreview.RoleSupplier}, Step: firstStep(p, "screening", "filing")},
		{ID: ActAccept, From: []csreview.CaseState{s}, To: csreview.StateAssessment, Roles: office, Step: firstStep(p, "screening", "filing")},
		{ID: ActAssignBody, From: []csreview.CaseState{csreview.StateAssessment}, Roles: office, Step: firstStep(p, "preliminary_review", "third_party_assessment")},
		{ID: ActSubmitReport, From: []csreview.CaseState{csreview.StateAssessment}, Roles: assessor, Step: firstStep(p, "preliminary_review", "third_party_assessment")},
	}
	if hasOutcome(p, string(csreview.OutcomeNotRequired)) {
		acts = append(acts, Action{ID: ActNotRequired, From: []csreview.CaseState{s}, To: csreview.StateNotRequired, Roles: office, Step: "screening"})
	}
	if hasExtension(p) {
		acts = append(acts, Action{ID: ActExtend, From: []csreview.CaseState{csreview.StateAssessment, csreview.StateSpecialReview},
			Roles: office, Step: firstStep(p, "preliminary_review")})
	}
	switch StyleOf(p) {
	case Committee:
		acts = append(acts,
			Action{ID: ActToExperts, From: []csreview.CaseState{csreview.StateAssessment}, To: csreview.StateExpertReview, Roles: office, Step: "expert_assessment"},
			Action{ID: ActExpertOpinion, From: []csreview.CaseState{csreview.StateExpertReview}, Roles: []csreview.Role{csreview.RoleExpert}, Step: "expert_assessment"},
			Action{ID: ActToCommittee, From: []csreview.CaseState{csreview.StateExpertReview}, To: csreview.StateCommittee, Roles: office, Step: "committee_conclusion"},
			Action{ID: ActConclude, From: []csreview.CaseState{csreview.StateCommittee}, To: csreview.StateDecision, Roles: []csreview.Role{csreview.RoleMember}, Step: "committee_conclusion"},
		)
	case MemberUnits:
		acts = append(acts,
			Action{ID: ActRecommend, From: []csreview.CaseState{csreview.StateAssessment}, To: csreview.StateMemberReview, Roles: office, Step: "preliminary_review"},
			Action{ID: ActMemberReply, From: []csreview.CaseState{csreview.StateMemberReview}, Roles: []csreview.Role{csreview.RoleMember}, Step: "member_opinions"},
			Action{ID: ActCloseReplies, From: []csreview.CaseState{csreview.StateMemberReview}, Roles: office, Step: "member_opinions"},
			Action{ID: ActRecommendAgain, From: []csreview.CaseState{csreview.StateSpecialReview}, To: csreview.StateSpecialApproval, Roles: office, Step: "special_review"},
			Action{ID: ActApprove, From: []csreview.CaseState{csreview.StateSpecialApproval}, To: csreview.StateDecision, Roles: office, Step: "special_approval"},
		)
	}
	acts = append(acts, Action{ID: ActDecide, From: []csreview.CaseState{csreview.StateDecision}, To: csreview.StateDecided, Roles: office, Step: "decision"})
	return acts
}

// Allowed returns the actions open in state st, and among them those u's
// role may take. A transition refused is answered with these lists.
func Allowed(p *regime.Pack, st csreview.CaseState, u *csreview.User) (open, mine []Action) {
	for _, a := range Actions(p) {
		if !inStates(st, a.From) {
			continue
		}
		open = append(open, a)
		if u.Is(a.Roles...) {
			mine = append(mine, a)
		}
	}
	return open, mine
}

// Check decides whether u may take action id on a case in state st: nil,
// ECONFLICT when the state does not allow it, EFORBIDDEN when the role may
// not; both list what is allowed.
func Check(p *regime.Pack, st csreview.CaseState, u *csreview.User, id string) (Action, error) {
	open, mine := Allowed(p, st, u)
	for _, a := range mine {
		if a.ID == id {
			return a, nil
		}
	}
	for _, a := range open {
		if a.ID == id {
			e := csreview.KeyErrorf(csreview.EFORBIDDEN, "err.action_role", "Your role may not %s now.", id)
			e.Allowed = ids(mine)
			return Action{}, e
		}
	}
	e := csreview.KeyErrorf(csreview.ECONFLICT, "err.action_state", "%s is not possible while the case is %s.", id, st)
	e.Allowed = ids(mine)
	return Action{}, e
}

// ready reports whether an action open in the case's state is also due
// on the case as it stands: the assigned body submits its report once, and
// the office's recommendation (or referral to experts) waits for that
// report (the service refuses them before it, see needReport).
func ready(a Action, c *csreview.Case) bool {
	switch a.ID {
	case ActSubmitReport:
		return c.BodyID != 0 && !c.ReportSubmitted
	case ActRecommend, ActToExperts:
		return c.ReportSubmitted
	}
	return true
}

// CaseActions is Allowed for a case as it stands: the actions that are due
// on it, and among them those u's role may take.
func CaseActions(p *regime.Pack, c *csreview.Case, u *csreview.User) (open, mine []Action) {
	o, m := Allowed(p, c.State, u)
	for _, a := range o {
		if ready(a, c) {
			open = append(open, a)
		}
	}
	for _, a := range m {
		if ready(a, c) {
			mine = append(mine, a)
		}
	}
	return open, mine
}

// Optional reports whether an action is possible on c without being
// awaited: asking for more material, extending a clock, or reassigning the
// case to another body once one assesses it.
func Optional(a Action, c *csreview.Case) bool {
	return a.ID == ActRequestMaterial || a.ID == ActExtend || (a.ID == ActAssignBody && c.BodyID != 0)
}

// NextActors are the roles that must act next on case c.
func NextActors(p *regime.Pack, c *csreview.Case) []csreview.Role {
	seen := map[csreview.Role]bool{}
	var out []csreview.Role
	for _, a := range Actions(p) {
		if !inStates(c.State, a.From) || !ready(a, c) || Optional(a, c) {
			continue
		}
		for _, r := range a.Roles {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func ids(acts []Action) []string {
	out := make([]string, len(acts))
	for i, a := range acts {
		out[i] = a.ID
	}
	return out
}

func inStates(st csreview.CaseState, list []csreview.CaseState) bool {
	for _, s := range list {
		if s == st {
			return true
		}
	}
	return false
}

func hasOutcome(p *regime.Pack, id string) bool {
	for _, o := range p.Outcomes {
		if o.ID == id {
			return true
		}
	}
	return false
}

func hasExtension(p *regime.Pack) bool {
	for _, c := range p.Clocks {
		if c.Extension > 0 || c.Open {
			return true
		}
	}
	return false
}

// firstStep returns the first of the step IDs the pack has.
func firstStep(p *regime.Pack, ids ...string) string {
	for _, id := range ids {
		for _, s := range p.Steps {
			if s.ID == id {
				return id
			}
		}
	}
	return ids[len(ids)-1]
}
