package review

import (
	"sort"
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

func user(r csreview.Role) *csreview.User { return &csreview.User{ID: 1, Role: r} }

// walk takes the actions in turn, each by its role, checking the state the
// action declares it leads to, and returns the final state.
func walk(t *testing.T, p *regime.Pack, st csreview.CaseState, steps []struct {
	act  string
	role csreview.Role
	to   csreview.CaseState
}) csreview.CaseState {
	t.Helper()
	for _, s := range steps {
		a, err := Check(p, st, user(s.role), s.act)
		if err != nil {
			t.Fatalf("%s: %s by %s in %s: %v", p.ID, s.act, s.role, st, err)
		}
		if a.To != "" {
			st = a.To
		} else if s.to != "" {
			st = s.to // the service decides (supply_material returns, close_replies branches)
		}
		if s.to != "" && st != s.to {
			t.Fatalf("%s: %s led to %s, want %s", p.ID, s.act, st, s.to)
		}
	}
	return st
}

func TestPaths(t *testing.T) {
	ps := packs(t)
	type step = struct {
		act  string
		role csreview.Role
		to   csreview.CaseState
	}
	for _, id := range []string{"cac-2017-draft", "cac-2017-trial"} {
		walk(t, ps[id], csreview.StateScreening, []step{
			{ActRequestMaterial, csreview.RoleOffice, csreview.StateAwaitingMaterial},
			{ActSupplyMaterial, csreview.RoleSupplier, csreview.StateScreening},
			{ActAccept, csreview.RoleOffice, csreview.StateAssessment},
			{ActAssignBody, csreview.RoleOffice, csreview.StateAssessment},
			{ActSubmitReport, csreview.RoleAssessor, csreview.StateAssessment},
			{ActToExperts, csreview.RoleOffice, csreview.StateExpertReview},
			{ActExpertOpinion, csreview.RoleExpert, csreview.StateExpertReview},
			{ActToCommittee, csreview.RoleOffice, csreview.StateCommittee},
			{ActConclude, csreview.RoleMember, csreview.StateDecision},
			{ActDecide, csreview.RoleOffice, csreview.StateDecided},
		})
	}
	for _, id := range []string{"cac-2020", "cac-2021"} {
		walk(t, ps[id], csreview.StateScreening, []step{
			{ActAccept, csreview.RoleOffice, csreview.StateAssessment},
			{ActAssignBody, csreview.RoleOffice, ""},
			{ActSubmitReport, csreview.RoleAssessor, ""},
			{ActExtend, csreview.RoleOffice, ""},
			{ActRecommend, csreview.RoleOffice, csreview.StateMemberReview},
			{ActMemberReply, csreview.RoleMember, ""},
			{ActCloseReplies, csreview.RoleOffice, csreview.StateSpecialReview},
			{ActRequestMaterial, csreview.RoleOffice, csreview.StateAwaitingMaterial},
			{ActSupplyMaterial, csreview.RoleOperator, csreview.StateSpecialReview},
			{ActRecommendAgain, csreview.RoleOffice, csreview.StateSpecialApproval},
			{ActApprove, csreview.RoleOffice, csreview.StateDecision},
			{ActDecide, csreview.RoleOffice, csreview.StateDecided},
		})
		walk(t, ps[id], csreview.StateScreening, []step{{ActNotRequired, csreview.RoleOffice, csreview.StateNotRequired}})
	}
}

func TestRefusals(t *testing.T) {
	ps := packs(t)
	for _, tc := range []struct {
		name, pack string
		st         csreview.CaseState
		role       csreview.Role
		act        string
		code       string
		allowed    string
	}{
		{"WrongState", "cac-2021", csreview.StateScreening, csreview.RoleOffice, ActDecide, csreview.ECONFLICT, "accept not_required request_material"},
		{"WrongRole", "cac-2021", csreview.StateScreening, csreview.RoleSupplier, ActAccept, csreview.EFORBIDDEN, ""},
		{"AssessorCannotDecide", "cac-2021", csreview.StateDecision, csreview.RoleAssessor, ActDecide, csreview.EFORBIDDEN, ""},
		{"MemberCannotRecommend", "cac-2021", csreview.StateAssessment, csreview.RoleMember, ActRecommend, csreview.EFORBIDDEN, ""},
		{"NoNotRequiredIn2017", "cac-2017-trial", csreview.StateScreening, csreview.RoleOffice, ActNotRequired, csreview.ECONFLICT, "accept request_material"},
		{"NoMemberRoundIn2017", "cac-2017-trial", csreview.StateAssessment, csreview.RoleOffice, ActRecommend, csreview.ECONFLICT, ""},
		{"NoExpertsIn2021", "cac-2021", csreview.StateAssessment, csreview.RoleOffice, ActToExperts, csreview.ECONFLICT, ""},
		{"NoExtensionIn2017", "cac-2017-trial", csreview.StateAssessment, csreview.RoleOffice, ActExtend, csreview.ECONFLICT, ""},
		{"Decided", "cac-2021", csreview.StateDecided, csreview.RoleOffice, ActDecide, csreview.ECONFLICT, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Check(ps[tc.pack], tc.st, user(tc.role), tc.act)
			if got := csreview.ErrorCode(err); got != tc.code {
				t.Fatalf("got %v (%v), want %s", got, err, tc.code)
			}
			if tc.allowed != "" {
				got := csreview.AsError(err).Allowed
				sorted := append([]string(nil), got...)
				sort.Strings(sorted)
				if strings.Join(sorted, " ") != tc.allowed {
					t.Errorf("allowed %v, want %s", got, tc.allowed)
				}
			}
		})
	}
}

func TestNextActors(t *testing.T) {
	ps := packs(t)
	for _, tc := range []struct {
		pack   string
		st     csreview.CaseState
		body   int64
		report bool
		want   string
	}{
		{"cac-2021", csreview.StateScreening, 0, false, "office"},
		// In assessment: the office assigns a body, the body reports, the
		// office recommends.
		{"cac-2021", csreview.StateAssessment, 0, false, "office"},
		{"cac-2021", csreview.StateAssessment, 7, false, "assessor"},
		{"cac-2021", csreview.StateAssessment, 7, true, "office"},
		{"cac-2021", csreview.StateMemberReview, 7, true, "member office"},
		{"cac-2021", csreview.StateAwaitingMaterial, 0, false, "office operator supplier"},
		{"cac-2017-trial", csreview.StateAssessment, 7, true, "office"},
		{"cac-2017-trial", csreview.StateExpertReview, 7, true, "expert office"},
		{"cac-2017-trial", csreview.StateCommittee, 7, true, "member"},
		{"cac-2021", csreview.StateDecided, 7, true, ""},
	} {
		var got []string
		c := &csreview.Case{State: tc.st, BodyID: tc.body, ReportSubmitted: tc.report}
		for _, r := range NextActors(ps[tc.pack], c) {
			got = append(got, string(r))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s %s body %d report %v: next %v, want %q", tc.pack, tc.st, tc.body, tc.report, got, tc.want)
		}
	}
}
