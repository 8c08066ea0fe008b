package review

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// The engine: the pack's actions (regime.Action) applied to a case. It
// decides who may act, what an action must carry and what it does — new
// state, clock operations, an opinion, a notice, the consultation roster,
// the timeline entry — from the pack, the calendar and the facts the store
// gathered. It reads and writes nothing: the store writes its Effects with
// the audit record in one transaction.

// Action IDs the code refers to (the packs define them; these are the
// names the store, the demo and the tests use).
const (
	ActRequestMaterial    = "request_material"
	ActSupplyMaterial     = "supply_material"
	ActAccept             = "accept"
	ActNotRequired        = "not_required"
	ActRecordApproval     = "record_approval"
	ActAssignBody         = "assign_body"
	ActSubmitReport       = "submit_report"
	ActAskExperts         = "ask_experts"
	ActToExperts          = "to_experts"
	ActExpertOpinion      = "expert_opinion"
	ActToDecision         = "to_decision"
	ActExtend             = "extend"
	ActRecommend          = "recommend"
	ActMemberReply        = "member_reply"
	ActMemberReplySpecial = "member_reply_special"
	ActCloseReplies       = "close_replies"
	ActRecommendAgain     = "recommend_special"
	ActCloseSpecial       = "close_special_replies"
	ActApprove            = "approve"
	ActDecide             = "decide"
	ActComplain           = "complain"
	ActAnswerComplaint    = "answer_complaint"
	ActRecuse             = "recuse"
)

// Opinion is an opinion on record, as the engine needs it.
type Opinion struct {
	Kind     csreview.OpinionKind
	AuthorID int64
	Org      string
	Position string
	Round    int
}

// Facts are what the store knows of a case when an action is taken or
// offered.
type Facts struct {
	Pack   *regime.Pack
	Cal    *regime.Calendar
	Case   *csreview.Case
	Clocks []*csreview.CaseClock
	Actor  *csreview.User
	On     csreview.Date
	// Opinions, the consultation roster, who recused, and how many
	// complaints await an answer.
	Opinions   []Opinion
	Roster     []csreview.Consultee
	Recused    []int64
	Complaints int
	// Body is what assign_body needs: the body asked for and what bears on
	// its conflicts of interest.
	Body *BodyFacts
	// ReportOptional: the office's configuration does not make the
	// third-party report a precondition where only practice wants one
	// (2020 and 2021 Measures: requires report_practice).
	ReportOptional bool
}

// BodyFacts are the facts about a body to be assigned.
type BodyFacts struct {
	Body          *csreview.Body
	Categories    []csreview.Category
	SupplierGroup string
	OperatorGroup string
	// Relations are the body's conflicting relations the store found
	// (consulting for a party, advice on a product under review within the
	// years that count).
	Relations []Conflict
}

// Conflict is one reason a body may not assess a case: Code names it
// (ConflictLapsed, ConflictScope, ConflictSupplierGroup,
// ConflictOperatorGroup, ConflictConsulting, ConflictAdvised) and Arg is
// what it is about (the accreditation's dates, the category, the group,
// the date of the relation).
type Conflict struct {
	Code string `json:"code"`
	Arg  string `json:"arg"`
}

// The reasons a body may not assess (2017 Measures Art. 7 and 12:
// accredited, objective and fair).
const (
	ConflictLapsed        = "accreditation_lapsed"
	ConflictScope         = "scope"
	ConflictSupplierGroup = "same_group_as_supplier"
	ConflictOperatorGroup = "same_group_as_operator"
	ConflictConsulting    = "consulting"
	ConflictAdvised       = "advised"
)

// String is the reason in English, for logs and the API's message.
func (c Conflict) String() string {
	switch c.Code {
	case ConflictLapsed:
		return "accreditation not valid on the day (valid " + c.Arg + ")"
	case ConflictScope:
		return "accreditation does not cover " + c.Arg
	case ConflictSupplierGroup:
		return "same group as the supplier: " + c.Arg
	case ConflictOperatorGroup:
		return "same group as the operator: " + c.Arg
	case ConflictConsulting:
		return "consulting for a party since " + c.Arg
	case ConflictAdvised:
		return "advised on a product under review on " + c.Arg
	}
	return c.Code + ": " + c.Arg
}

// Effects are what an action does, for the store to write.
type Effects struct {
	Action regime.Action
	// Case is the case as the action leaves it.
	Case csreview.Case
	// Start are clocks to start on the day; Changed are running clocks
	// paused, resumed, extended or stopped.
	Start   []regime.Clock
	Changed []*csreview.CaseClock
	Opinion *NewOpinion
	Notice  *NewNotice
	Consult []csreview.Consultee
	Recuse  *csreview.Recusal
	// RevokeParent: the failed re-review revokes the pass it reviewed
	// (office practice: the Measures provide for no revocation).
	RevokeParent bool
	// Event is the timeline entry: its note (empty for confidential
	// actions) and data.
	Note string
	Data map[string]any
}

// NewOpinion is an opinion the action records.
type NewOpinion struct {
	Kind           csreview.OpinionKind
	Position, Text string
	Round          int
}

// NewNotice is a written notice to the party.
type NewNotice struct {
	Kind string
	Data map[string]any
}

// Offer is an action open on a case, with what its form must ask for: the
// pages render it and nothing else.
type Offer struct {
	regime.Action
	// Mine: the caller's role may take it now.
	Mine bool `json:"mine"`
	// Awaited: the case waits for it (not optional).
	Awaited bool `json:"awaited"`
	// Cite is the action's article, or that it is practice.
	Cite csreview.Text `json:"cite"`
	// Members are the units a recommendation may consult (the pack's
	// member units), for the form.
	Members []regime.Text `json:"members,omitempty"`
	// Clocks are the clocks an extension may lengthen, with the days it
	// may add.
	Clocks []ExtendableClock `json:"clocks,omitempty"`
	// Unmet names what must be on record first, when the action is open
	// in the state but not yet due.
	Unmet []string `json:"unmet,omitempty"`
	// Body: the form names the body to assign.
	Body bool `json:"body,omitempty"`
	// Role: the caller's role takes the action (it may still be unmet).
	Role bool `json:"role"`
	// ReportPractice: the report it waits for is office practice, not law.
	ReportPractice bool `json:"report_practice,omitempty"`
}

// ExtendableClock is a running clock an extension may lengthen.
type ExtendableClock struct {
	Clock   string        `json:"clock"`
	Fixed   int           `json:"fixed,omitempty"` // the fixed extension (2021 Art. 11: 15)
	Open    bool          `json:"open,omitempty"`  // by the days asked for (Art. 14)
	Article csreview.Text `json:"article"`
}

// Cite renders an action's citation: its article, its step's, or that it
// is the office's practice.
func Cite(p *regime.Pack, a regime.Action) csreview.Text {
	step, _ := p.Step(a.Step)
	switch {
	case a.Practice || step.Practice && a.Article == "":
		return csreview.Text{ZH: "网络安全审查办公室工作惯例（无法定依据）", EN: "Review Office practice (no legal provision)"}
	case a.Article != "":
		return csreview.Text{ZH: p.Cite(a.Article, "zh"), EN: p.Cite(a.Article, "en")}
	}
	return csreview.Text{ZH: p.Cite(step.Article, "zh"), EN: p.Cite(step.Article, "en")}
}

// Offers lists the actions open on the case in its state, each with
// whether the caller may take it now and what is still unmet.
func Offers(f Facts) []Offer {
	var out []Offer
	for _, a := range f.Pack.Actions {
		if !slices.Contains(a.From, f.Case.State) {
			continue
		}
		o := Offer{Action: a, Awaited: !a.Optional && !optionalNow(a, f), Cite: Cite(f.Pack, a), Unmet: unmet(a, f)}
		o.Role = csreview.MayAct(f.Actor, a.Actors)
		o.Mine = len(o.Unmet) == 0 && o.Role && eligible(a, f) == nil
		o.ReportPractice = slices.Contains(a.Requires, "report_practice")
		if a.Consult == "members" {
			o.Members = f.Pack.Members
		}
		o.Body = slices.Contains(a.Effects, "assign_body")
		if slices.Contains(a.Effects, "extend") {
			o.Clocks = extendable(f)
			if len(o.Clocks) == 0 {
				continue // nothing left to extend
			}
		}
		out = append(out, o)
	}
	return out
}

// optionalNow: reassigning a body once one assesses is possible without
// being awaited.
func optionalNow(a regime.Action, f Facts) bool {
	return slices.Contains(a.Effects, "assign_body") && f.Case.BodyID != 0
}

// Mine lists the IDs of the actions the caller may take now.
func Mine(f Facts) []string {
	var out []string
	for _, o := range Offers(f) {
		if o.Mine {
			out = append(out, o.ID)
		}
	}
	return out
}

// NextActors are the roles whose action the case awaits.
func NextActors(f Facts) []csreview.Role {
	seen := map[csreview.Role]bool{}
	var out []csreview.Role
	for _, o := range Offers(f) {
		if !o.Awaited || len(o.Unmet) > 0 {
			continue
		}
		for _, r := range o.Actors {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Check decides whether the caller may take action id now: ECONFLICT when
// the state does not allow it or what it needs is not on record,
// EFORBIDDEN when the caller's role may not; both list what is allowed.
func Check(f Facts, id string) (regime.Action, error) {
	a, ok := f.Pack.Action(id)
	allowed := Mine(f)
	if !ok || !slices.Contains(a.From, f.Case.State) {
		e := csreview.KeyErrorf(csreview.ECONFLICT, "err.action_state", "%s is not possible while the case is %s.", id, f.Case.State)
		e.Allowed = allowed
		return a, e
	}
	if !csreview.MayAct(f.Actor, a.Actors) {
		e := csreview.KeyErrorf(csreview.EFORBIDDEN, "err.action_role", "Your role may not %s now.", id)
		e.Allowed = allowed
		return a, e
	}
	if err := eligible(a, f); err != nil {
		return a, err
	}
	if u := unmet(a, f); len(u) > 0 {
		e := csreview.KeyErrorf(csreview.ECONFLICT, "err.action_unmet", "%s needs first: %s.", id, strings.Join(u, ", "))
		// One field error per requirement, its code the parameter, so that a
		// page names each as the reader reads it (unmet.CODE).
		for _, code := range u {
			e.Fields = append(e.Fields, csreview.FieldError{Field: "action", Rule: "unmet", Param: code})
		}
		e.Allowed = allowed
		return a, e
	}
	return a, nil
}

// eligible checks what is personal to the actor: one who recused takes no
// part; a member unit replies only if consulted, once per round; the
// assigned body alone submits its report; a complaint is the party's.
func eligible(a regime.Action, f Facts) error {
	u := f.Actor
	if csreview.Deliberates(u) && slices.Contains(f.Recused, u.ID) {
		return csreview.KeyErrorf(csreview.EFORBIDDEN, "err.recused", "You have recused yourself from this case.")
	}
	for _, e := range a.Effects {
		switch {
		case e == "report":
			if f.Case.BodyID == 0 || u.BodyID != f.Case.BodyID {
				return csreview.KeyErrorf(csreview.EFORBIDDEN, "err.not_assigned_body", "Only the body assigned to the case submits its report.")
			}
		case e == "opinion:member":
			r := round(f)
			if r == 0 {
				// A case sent to the member units before the roster was kept:
				// any member unit replies, as it did then.
				continue
			}
			c := consultee(f.Roster, r, u.Org)
			if c == nil {
				return csreview.KeyErrorf(csreview.EFORBIDDEN, "err.not_consulted", "Your unit is not among those consulted on this case.")
			}
			if c.Position != "" {
				return csreview.KeyErrorf(csreview.ECONFLICT, "err.replied", "Your unit has replied already in this round.")
			}
		case e == "complaint":
			if !csreview.CanComplainOn(u, f.Case) {
				return csreview.KeyErrorf(csreview.EFORBIDDEN, "err.not_party", "Only the party and the supplier may complain on a case.")
			}
		}
	}
	return nil
}

// unmet lists what the action needs on record and lacks.
func unmet(a regime.Action, f Facts) []string {
	var out []string
	c := f.Case
	for _, r := range a.Requires {
		switch r {
		case "body":
			if c.BodyID == 0 {
				out = append(out, r)
			}
		case "no_report":
			if c.BodyID == 0 || c.ReportSubmitted {
				out = append(out, r)
			}
		case "report":
			if !c.ReportSubmitted {
				out = append(out, r)
			}
		case "report_practice":
			if !c.ReportSubmitted && !f.ReportOptional {
				out = append(out, "report")
			}
		case "opinions:expert":
			if !hasOpinion(f.Opinions, csreview.OpinionExpert, 0) {
				out = append(out, r)
			}
		case "replies":
			if !repliesDone(f) {
				out = append(out, r)
			}
		case "complaint":
			if f.Complaints == 0 {
				out = append(out, r)
			}
		}
	}
	return out
}

// lastRecommendation is the position of the latest recommended
// conclusion, "" when there is none.
func lastRecommendation(list []Opinion) string {
	pos := ""
	for _, o := range list {
		if o.Kind == csreview.OpinionRecommendation {
			pos = o.Position
		}
	}
	return pos
}

func hasOpinion(list []Opinion, kind csreview.OpinionKind, round int) bool {
	for _, o := range list {
		if o.Kind == kind && (round == 0 || o.Round == round) {
			return true
		}
	}
	return false
}

// round is the consultation round under way: 1 for the recommended
// conclusion, 2 for the special review's (2021 Measures Art. 12–13).
func round(f Facts) int {
	r := 0
	for _, c := range f.Roster {
		if c.Round > r {
			r = c.Round
		}
	}
	return r
}

// consultee finds the roster entry of the round that org speaks for.
func consultee(roster []csreview.Consultee, r int, org string) *csreview.Consultee {
	for i := range roster {
		c := &roster[i]
		if c.Round == r && SpeaksFor(org, c.Org) {
			return c
		}
	}
	return nil
}

// SpeaksFor reports whether a user of organisation org replies for the
// unit named entry: the same name, or a name that ends with the unit in
// brackets ("网络安全审查工作机制成员单位（工业和信息化部）"). A name that only
// contains it does not ("公安部第三研究所" is not 公安部).
func SpeaksFor(org, entry string) bool {
	org, entry = strings.TrimSpace(org), strings.TrimSpace(entry)
	return entry != "" && (org == entry || strings.HasSuffix(org, "（"+entry+"）") || strings.HasSuffix(org, "("+entry+")"))
}

// repliesDone: every unit consulted in the round has replied, or the
// round's time limit has run out (2021 Measures Art. 12: 15 working days;
// in the special review, its own limit, Art. 14). A unit that did not
// reply in time is recorded as not having replied, and the office goes
// on with the replies it has: the Measures say nothing of silence, so
// that is the office's practice.
func repliesDone(f Facts) bool {
	r := round(f)
	if r == 0 {
		// Sent before the roster was kept: one reply closes it, as then.
		return hasOpinion(f.Opinions, csreview.OpinionMember, 0)
	}
	all := true
	for _, c := range f.Roster {
		if c.Round == r && c.Position == "" {
			all = false
		}
	}
	if all {
		return true
	}
	// The first round's time limit is the member units' 15 working days
	// (Art. 12); the second's is the special review's own (Art. 14), so
	// that a unit that never replies cannot hold the case for ever.
	clock := "member_replies"
	if r > 1 {
		clock = "special_review"
	}
	if clk := clockOf(f.Clocks, clock); clk != nil {
		st := Status(f.Cal, *clk, f.On)
		return st.Due.Before(f.On) || st.Remaining < 0
	}
	return false
}

func clockOf(list []*csreview.CaseClock, id string) *csreview.CaseClock {
	for _, c := range list {
		if c.Clock == id {
			return c
		}
	}
	return nil
}

// extendable lists the running clocks an extension may lengthen now.
func extendable(f Facts) []ExtendableClock {
	var out []ExtendableClock
	for _, clk := range f.Clocks {
		def, ok := f.Pack.Clock(clk.Clock)
		if !ok || clk.StoppedOn != "" {
			continue
		}
		switch {
		case def.Extension > 0 && clk.Extended == 0:
			out = append(out, ExtendableClock{Clock: def.ID, Fixed: def.Extension,
				Article: csreview.Text{ZH: f.Pack.Cite(def.ExtensionArticle, "zh"), EN: f.Pack.Cite(def.ExtensionArticle, "en")}})
		case def.Open:
			out = append(out, ExtendableClock{Clock: def.ID, Open: true,
				Article: csreview.Text{ZH: f.Pack.Cite(def.Article, "zh"), EN: f.Pack.Cite(def.Article, "en")}})
		}
	}
	return out
}

func invalid(field, rule string, param ...string) error {
	var v csreview.Invalid
	v.Add(field, rule, param...)
	return v.Err()
}

// Apply takes action in.Action on the case: it checks the action against
// the pack and the facts, checks what it carries, and returns its effects.
func Apply(f Facts, in csreview.CaseAction) (*Effects, error) {
	a, err := Check(f, in.Action)
	if err != nil {
		return nil, err
	}
	note := strings.TrimSpace(in.Note)
	var v csreview.Invalid
	if a.Note && note == "" {
		v.Add("note", "required")
	}
	if a.Files && len(in.Files) == 0 {
		v.Add("files", "required")
	}
	switch {
	case !a.Due:
	case in.Due == "":
		v.Add("due", "required")
	case !in.Due.Valid():
		v.Add("due", "invalid_date")
	case in.Due <= f.On:
		v.Add("due", "not_after", string(f.On))
	}
	if len(a.Positions) > 0 && !slices.Contains(a.Positions, in.Position) {
		v.Add("position", "not_allowed", strings.Join(a.Positions, ", "))
	}
	if slices.Contains(a.Requires, "as_recommended") {
		// The conclusion is the recommendation the units agreed to, or the
		// special review's as approved (2021 Measures Art. 12–13): the
		// office notifies it, and does not write another.
		if rec := lastRecommendation(f.Opinions); rec != "" && in.Position != rec {
			v.Add("position", "not_as_recommended", rec)
		}
	}
	if a.Reasons {
		for id := range in.Reasons {
			if _, ok := f.Pack.Criterion(id); !ok {
				v.Add("reasons", "unknown", id)
			}
		}
		if len(in.Reasons) == 0 {
			v.Add("reasons", "required")
		}
	}
	if a.Consult == "members" {
		seen := map[string]bool{}
		n := 0
		for _, org := range in.Consult {
			org = strings.TrimSpace(org)
			if org == "" || seen[org] {
				continue
			}
			seen[org] = true
			n++
			if len([]rune(org)) > 200 {
				v.Add("consult", "too_long", "200")
			}
		}
		if n == 0 {
			v.Add("consult", "required") // the units and departments consulted (2021 Art. 11)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	e := &Effects{Action: a, Case: *f.Case, Note: note}
	if a.Due {
		e.Data = map[string]any{"due": in.Due}
	}
	if a.Confidential {
		// Opinions, replies and conclusions are confidential (2017 Measures
		// Art. 13; 2021 Art. 17): the timeline every party sees says only
		// that they were given.
		e.Note = ""
	}
	from := f.Case.State
	if a.To != "" {
		e.Case.State = a.To
	}
	for _, eff := range a.Effects {
		name, arg, _ := strings.Cut(eff, ":")
		if err := e.apply(f, in, a, from, name, arg); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (e *Effects) changed(c *csreview.CaseClock) {
	if !slices.Contains(e.Changed, c) {
		e.Changed = append(e.Changed, c)
	}
}

func (e *Effects) apply(f Facts, in csreview.CaseAction, a regime.Action, from csreview.CaseState, name, arg string) error {
	c := &e.Case
	switch name {
	case "start":
		if clk, ok := f.Pack.Clock(arg); ok {
			e.Start = append(e.Start, clk)
		}
	case "stop":
		if clk := clockOf(f.Clocks, arg); clk != nil && clk.StoppedOn == "" {
			Stop(f.Cal, clk, f.On)
			e.changed(clk)
		}
	case "pause":
		// 2021 Measures Art. 15: time waiting for materials does not count.
		for _, clk := range f.Clocks {
			if def, ok := f.Pack.Clock(clk.Clock); ok && def.PausesForMaterials && clk.StoppedOn == "" {
				Pause(clk, f.On)
				e.changed(clk)
			}
		}
	case "resume":
		for _, clk := range f.Clocks {
			if clk.PausedSince != "" {
				Resume(f.Cal, clk, f.On)
				e.changed(clk)
			}
		}
	case "save_return":
		c.ReturnState = from
	case "return":
		c.State, c.ReturnState = f.Case.ReturnState, ""
	case "extend":
		return e.extend(f, in)
	case "notice":
		e.Notice = &NewNotice{Kind: arg, Data: map[string]any{"action": in.Action, "note": in.Note, "position": in.Position,
			"reasons": in.Reasons, "due": in.Due}}
	case "opinion":
		// The pack names the kind of opinion the action records.
		e.Opinion = &NewOpinion{Kind: csreview.OpinionKind(arg), Position: in.Position, Text: strings.TrimSpace(in.Note), Round: max(round(f), 1)}
		if e.Opinion.Kind == csreview.OpinionRecommendation {
			e.Opinion.Round = round(f) + 1
		}
	case "consult":
		r := round(f) + 1
		seen := map[string]bool{}
		for _, org := range in.Consult {
			org = strings.TrimSpace(org)
			if org == "" || seen[org] {
				continue
			}
			seen[org] = true
			kind := csreview.ConsultDepartment
			for _, m := range f.Pack.Members {
				if m.ZH == org || m.EN == org {
					kind = csreview.ConsultMember
				}
			}
			e.Consult = append(e.Consult, csreview.Consultee{CaseID: c.ID, Round: r, Kind: kind, Org: org, AskedOn: f.On})
		}
		e.Data = map[string]any{"round": r, "consulted": len(e.Consult)}
	case "assign_body":
		return e.assignBody(f)
	case "report":
		c.ReportSubmitted = true
	case "outcome":
		c.Outcome = csreview.Outcome(arg)
	case "tally":
		return e.tally(f, arg)
	case "decide":
		c.Outcome = csreview.Outcome(in.Position)
		e.Data = map[string]any{"outcome": in.Position, "reasons": in.Reasons}
		e.RevokeParent = c.ParentID != 0 && c.Outcome == csreview.OutcomeFail
	case "recuse":
		e.Recuse = &csreview.Recusal{CaseID: c.ID, UserID: f.Actor.ID, Role: f.Actor.Role, Org: f.Actor.Org,
			Reason: strings.TrimSpace(in.Note), On: f.On}
	case "complaint", "answer":
		e.Data = map[string]any{"kind": name}
	}
	return nil
}

// tally closes the first round of replies: if every unit that replied
// agrees, the conclusion stands (the action's state); any disagreement
// sends the case to the special review (2021 Measures Art. 12–13), whose
// clock starts and whose notice goes to the party.
func (e *Effects) tally(f Facts, special string) error {
	r := round(f)
	agree, disagree, silent := 0, 0, 0
	for _, c := range f.Roster {
		if c.Round != r {
			continue
		}
		switch c.Position {
		case "agree":
			agree++
		case "disagree":
			disagree++
		default:
			silent++
		}
	}
	// How many replied, never who said what (the party learns of a
	// disagreement from the special review's notice).
	e.Data = map[string]any{"replies": agree + disagree, "no_reply": silent}
	if disagree > 0 {
		e.Case.State = csreview.CaseState(special)
		if clk, ok := f.Pack.Clock(special); ok {
			e.Start = append(e.Start, clk)
		}
		e.Notice = &NewNotice{Kind: "special_review", Data: map[string]any{"action": e.Action.ID}}
	}
	return nil
}

// extend lengthens a running clock by what its pack allows: the fixed
// extension once (2021 Measures Art. 11: 15 working days), or, for an
// open-ended one, the days asked for (Art. 14).
func (e *Effects) extend(f Facts, in csreview.CaseAction) error {
	list := extendable(f)
	id := in.Clock
	if id == "" && len(list) > 0 {
		id = list[0].Clock
		for _, x := range list {
			if x.Clock == "special_review" && f.Case.State == csreview.StateSpecialReview {
				id = x.Clock
			}
		}
	}
	clk := clockOf(f.Clocks, id)
	def, ok := f.Pack.Clock(id)
	if !ok || clk == nil || clk.StoppedOn != "" {
		return invalid("clock", "not_running")
	}
	switch {
	case def.Extension > 0:
		if clk.Extended > 0 {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.extended", "This time limit has been extended already.")
		}
		clk.Extended = def.Extension
	case def.Open:
		lo, hi := e.Action.Days[0], e.Action.Days[1] // the pack's bounds; validation requires them
		if in.Days < lo || in.Days > hi {
			return invalid("days", "not_allowed", fmt.Sprintf("%d–%d", lo, hi))
		}
		clk.Extended += in.Days
	default:
		return invalid("clock", "not_extendable")
	}
	e.changed(clk)
	e.Data = map[string]any{"clock": id, "extended": clk.Extended}
	return nil
}

// assignBody assigns an accredited body, refusing a lapsed accreditation,
// one that does not cover the products' categories, or a conflict of
// interest (2017 Measures Art. 7 and 12: accredited, objective and fair).
func (e *Effects) assignBody(f Facts) error {
	bf := f.Body
	if bf == nil || bf.Body == nil {
		return invalid("body_id", "unknown")
	}
	reasons := Conflicts(bf, f.On)
	if len(reasons) > 0 {
		texts := make([]string, len(reasons))
		for i, r := range reasons {
			texts[i] = r.String()
		}
		err := csreview.KeyErrorf(csreview.ECONFLICT, "err.body_refused", "The body cannot be assigned: %s.", strings.Join(texts, "; "))
		// One field error per reason, each its own rule, so that a page
		// says each in its reader's language.
		for _, r := range reasons {
			err.Fields = append(err.Fields, csreview.FieldError{Field: "body_id", Rule: "conflict_" + r.Code, Param: r.Arg})
		}
		return err
	}
	// A new body starts a new assessment: the earlier body's report is not
	// the new body's.
	e.Case.BodyID, e.Case.ReportSubmitted = bf.Body.ID, false
	e.Data = map[string]any{"body_id": bf.Body.ID}
	return nil
}

// Conflicts lists why a body may not assess: a lapsed accreditation, a
// category outside its scope, the same group as the supplier or the
// operator, and the relations the store found.
func Conflicts(bf *BodyFacts, on csreview.Date) []Conflict {
	b := bf.Body
	var reasons []Conflict
	if !b.AccreditedOn(on) {
		reasons = append(reasons, Conflict{ConflictLapsed, fmt.Sprintf("%s – %s", b.ValidFrom, b.ValidUntil)})
	}
	for _, cat := range bf.Categories {
		if !b.Covers(cat) {
			reasons = append(reasons, Conflict{ConflictScope, string(cat)})
		}
	}
	if b.Group != "" && strings.EqualFold(b.Group, bf.SupplierGroup) {
		reasons = append(reasons, Conflict{ConflictSupplierGroup, b.Group})
	}
	if b.Group != "" && strings.EqualFold(b.Group, bf.OperatorGroup) {
		reasons = append(reasons, Conflict{ConflictOperatorGroup, b.Group})
	}
	return append(reasons, bf.Relations...)
}

// BodyChoice is a body the office may pick to assess a case, with why it
// may not when it may not.
type BodyChoice struct {
	Body     *csreview.Body `json:"body"`
	Eligible bool           `json:"eligible"`
	Reasons  []Conflict     `json:"reasons,omitempty"`
}

// Work is what a case asks of the caller and of everyone: the actions open
// (with what each form must ask for), those the caller may take, the roles
// awaited, and the consultation roster.
type Work struct {
	Offers     []Offer         `json:"offers"`
	Actions    []string        `json:"actions"`
	NextActors []csreview.Role `json:"next_actors"`
	// Roster is who was consulted, round by round; a unit's position is
	// shown only to those who may read the opinions (2021 Measures Art. 17).
	Roster []csreview.Consultee `json:"roster,omitempty"`
	// May is what the actor may do with the case beyond its actions.
	May csreview.CaseAccess `json:"may"`
}

// WorkOf computes the work on a case from its facts.
func WorkOf(f Facts, mayReadPositions bool) *Work {
	w := &Work{Offers: Offers(f), Actions: []string{}, NextActors: NextActors(f), May: csreview.AccessTo(f.Actor, f.Case)}
	for _, o := range w.Offers {
		if o.Mine {
			w.Actions = append(w.Actions, o.ID)
		}
	}
	for _, c := range f.Roster {
		if !mayReadPositions {
			if c.Position != "" {
				c.Position = "replied"
			}
		}
		w.Roster = append(w.Roster, c)
	}
	return w
}

// WorkService reads the work on a case. It is declared here rather than in
// the root package because Work is this package's, and this package imports
// the root.
type WorkService interface {
	// FindCaseWork is what the case asks of the caller, the roles awaited,
	// the consultation roster and what the caller may do with the case:
	// ENOTFOUND for a case the caller may not see.
	FindCaseWork(ctx context.Context, id int64) (*Work, error)
	// BodyChoices lists the bodies the office may assign to the case, the
	// eligible first, each ineligible one with its reasons: ENOTFOUND for
	// a case the caller may not see, EFORBIDDEN unless the caller may
	// assign a body now.
	BodyChoices(ctx context.Context, id int64) ([]*BodyChoice, error)
}
