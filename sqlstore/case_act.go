package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
)

// DefaultConflictYears is how far back advice on the same product makes a
// body conflicted, when the Store does not say otherwise.
const DefaultConflictYears = 3

// Act takes a transition of a case: the workflow engine decides whether it
// is allowed from the case's state to the caller's role (ECONFLICT or
// EFORBIDDEN listing what is allowed), and the change, its clocks, its
// timeline entry and its audit record commit together or not at all.
func (s *Store) Act(ctx context.Context, id int64, in csreview.CaseAction) (*csreview.Case, error) {
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	if err := checkActionInput(in); err != nil {
		return nil, err
	}
	var out *csreview.Case
	err = s.DB.write(ctx, func(tx *Tx) error {
		if tx.db.Dialect == Postgres {
			// Two transitions of one case at once: the second waits here and
			// then sees the first's state (SQLite has one writer anyway).
			if _, err := tx.exec(`SELECT id FROM cases WHERE id = ? FOR UPDATE`, id); err != nil {
				return err
			}
		}
		c, err := visibleCase(tx, id)
		if err != nil {
			return err
		}
		p, err := rules.Pack(c.Regime)
		if err != nil {
			return err
		}
		if _, err := review.Check(p, c.State, tx.actor, in.Action); err != nil {
			return err
		}
		if err := actionDate(tx, c.ID, &in); err != nil {
			return err
		}
		if err := checkFileKinds(p, in.Files); err != nil {
			return err
		}
		clocks, err := caseClocks(tx, id)
		if err != nil {
			return err
		}
		a := &act{s: s, tx: tx, rules: rules, p: p, c: c, in: in, clocks: clocks, from: c.State}
		if err := a.apply(); err != nil {
			return err
		}
		for _, clk := range a.changed {
			if err := saveClock(tx, clk); err != nil {
				return err
			}
		}
		c.UpdatedAt = tx.now
		if _, err := tx.exec(`UPDATE cases SET state = ?, return_state = ?, body_id = ?, report_submitted = ?, outcome = ?,
			updated_at = ? WHERE id = ?`, string(c.State), string(c.ReturnState), idcol{&c.BodyID}, c.ReportSubmitted,
			string(c.Outcome), formatTime(tx.now), c.ID); err != nil {
			return err
		}
		if err := attachFiles(tx, c.ID, 0, in.Files); err != nil {
			return err
		}
		note := strings.TrimSpace(in.Note)
		if confidentialActions[in.Action] {
			// Opinions, replies and conclusions are confidential (2017
			// Measures Art. 13; 2021 Art. 17): their text stays in the
			// opinions, read only by those who may and audited; the
			// timeline every party sees says only that they were given.
			note = ""
		}
		if err := caseEvent(tx, c, in.Action, a.from, in.On, note, a.data); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// act is one transition being applied.
type act struct {
	s       *Store
	tx      *Tx
	rules   *review.Rules
	p       *regime.Pack
	c       *csreview.Case
	in      csreview.CaseAction
	clocks  []*csreview.CaseClock
	changed []*csreview.CaseClock
	from    csreview.CaseState
	data    map[string]any
}

func (a *act) clock(id string) *csreview.CaseClock {
	for _, c := range a.clocks {
		if c.Clock == id {
			return c
		}
	}
	return nil
}

func (a *act) stop(id string) {
	if c := a.clock(id); c != nil && c.StoppedOn == "" {
		review.Stop(a.rules.Cal, c, a.in.On)
		a.changed = append(a.changed, c)
	}
}

func (a *act) start(id string) error {
	clk, ok := a.p.Clock(id)
	if !ok {
		return nil // the pack has no such time limit
	}
	return startClock(a.tx, a.c.ID, clk, a.in.On)
}

func invalid(field, rule string, param ...string) error {
	var v csreview.Invalid
	v.Add(field, rule, param...)
	return v.Err()
}

func (a *act) position(allowed ...string) error {
	for _, x := range allowed {
		if a.in.Position == x {
			return nil
		}
	}
	return invalid("position", "not_allowed", strings.Join(allowed, ", "))
}

func (a *act) needReport() error {
	if !a.c.ReportSubmitted {
		return csreview.KeyErrorf(csreview.ECONFLICT, "err.no_report", "The assessment report has not been submitted.")
	}
	return nil
}

func (a *act) apply() error {
	c, in, tx := a.c, a.in, a.tx
	next := map[string]csreview.CaseState{}
	for _, x := range review.Actions(a.p) {
		next[x.ID] = x.To
	}
	if to := next[in.Action]; to != "" {
		c.State = to
	}
	switch in.Action {
	case review.ActRequestMaterial:
		// 2021 Measures Art. 15: time waiting for materials does not count.
		c.ReturnState = a.from
		for _, clk := range a.clocks {
			if def, ok := a.p.Clock(clk.Clock); ok && def.PausesForMaterials && clk.StoppedOn == "" {
				review.Pause(clk, in.On)
				a.changed = append(a.changed, clk)
			}
		}
		if strings.TrimSpace(in.Note) == "" {
			return invalid("note", "required")
		}
		return a.notice("supplement_request")
	case review.ActSupplyMaterial:
		if len(in.Files) == 0 {
			return invalid("files", "required")
		}
		c.State, c.ReturnState = c.ReturnState, ""
		for _, clk := range a.clocks {
			if clk.PausedSince != "" {
				review.Resume(a.rules.Cal, clk, in.On)
				a.changed = append(a.changed, clk)
			}
		}
	case review.ActAccept:
		a.stop("screening")
		if err := a.start("preliminary"); err != nil {
			return err
		}
		return a.notice("acceptance")
	case review.ActNotRequired:
		a.stop("screening")
		c.Outcome = csreview.OutcomeNotRequired
		return a.notice("not_required")
	case review.ActAssignBody:
		return a.assignBody()
	case review.ActSubmitReport:
		if c.BodyID == 0 || tx.actor.BodyID != c.BodyID {
			return errForbidden()
		}
		c.ReportSubmitted = true
	case review.ActExtend:
		return a.extend()
	case review.ActToExperts, review.ActRecommend:
		if err := a.needReport(); err != nil {
			return err
		}
		if in.Action == review.ActRecommend {
			if err := a.position("pass", "fail"); err != nil {
				return err
			}
			a.stop("preliminary")
			if err := a.start("member_replies"); err != nil {
				return err
			}
			return addOpinion(tx, c.ID, "recommendation", in.Position, in.Note)
		}
	case review.ActExpertOpinion:
		if err := a.position("pass", "fail"); err != nil {
			return err
		}
		return addOpinion(tx, c.ID, "expert", in.Position, in.Note)
	case review.ActToCommittee:
		got, err := opinionPositions(tx, c.ID, "expert")
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.no_opinions", "No expert has given an opinion yet.")
		}
	case review.ActConclude:
		if err := a.position("pass", "fail"); err != nil {
			return err
		}
		return addOpinion(tx, c.ID, "committee", in.Position, in.Note)
	case review.ActMemberReply:
		if err := a.position("agree", "disagree"); err != nil {
			return err
		}
		return addOpinion(tx, c.ID, "member", in.Position, in.Note)
	case review.ActCloseReplies:
		got, err := opinionPositions(tx, c.ID, "member")
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.no_replies", "No member unit has replied yet.")
		}
		a.stop("member_replies")
		a.data = map[string]any{"replies": len(got)} // how many, never who said what
		c.State = csreview.StateDecision
		for _, author := range sortedKeys(got) {
			if got[author] == "disagree" {
				// Disagreement goes to the special review (2021 Measures Art. 12–13).
				c.State = csreview.StateSpecialReview
				return a.start("special_review")
			}
		}
	case review.ActRecommendAgain:
		if err := a.position("pass", "fail"); err != nil {
			return err
		}
		return addOpinion(tx, c.ID, "recommendation", in.Position, in.Note)
	case review.ActApprove:
		a.stop("special_review")
	case review.ActDecide:
		return a.decide()
	}
	return nil
}

// extend lengthens a running clock by what its pack allows: the fixed
// extension once (2021 Measures Art. 11: 15 working days), or, for an
// open-ended one, the days asked for (Art. 14).
func (a *act) extend() error {
	id := a.in.Clock
	if id == "" {
		id = "preliminary"
		if a.from == csreview.StateSpecialReview {
			id = "special_review"
		}
	}
	def, ok := a.p.Clock(id)
	clk := a.clock(id)
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
		if a.in.Days <= 0 || a.in.Days > 250 {
			return invalid("days", "not_allowed", "1–250")
		}
		clk.Extended += a.in.Days
	default:
		return invalid("clock", "not_extendable")
	}
	if strings.TrimSpace(a.in.Note) == "" {
		return invalid("note", "required") // the reason for the extension goes on record
	}
	a.changed = append(a.changed, clk)
	a.data = map[string]any{"clock": id, "extended": clk.Extended}
	return nil
}

// assignBody assigns an accredited body, refusing a lapsed accreditation,
// one that does not cover the products' categories, or a conflict of
// interest (2017 Measures Art. 7 and 12: accredited, objective and fair).
func (a *act) assignBody() error {
	tx, c := a.tx, a.c
	b, err := bodies.get(tx, a.in.BodyID)
	if err != nil {
		return invalid("body_id", "unknown")
	}
	var reasons []string
	if !b.AccreditedOn(a.in.On) {
		reasons = append(reasons, fmt.Sprintf("accreditation_lapsed: valid %s to %s", b.ValidFrom, b.ValidUntil))
	}
	cats, err := caseCategories(tx, c.ID)
	if err != nil {
		return err
	}
	for _, cat := range cats {
		if !b.Covers(cat) {
			reasons = append(reasons, "scope: "+string(cat))
		}
	}
	sup, err := suppliers.get(tx, c.SupplierID)
	if err != nil {
		return err
	}
	if b.Group != "" && strings.EqualFold(b.Group, sup.Group) {
		reasons = append(reasons, "same_group_as_supplier: "+b.Group)
	}
	if c.OperatorID != 0 {
		op, err := operators.get(tx, c.OperatorID)
		if err != nil {
			return err
		}
		if b.Group != "" && strings.EqualFold(b.Group, op.Group) {
			reasons = append(reasons, "same_group_as_operator: "+b.Group)
		}
	}
	rel, err := bodyRelations(tx, b.ID, c, a.in.On, a.s.conflictYears())
	if err != nil {
		return err
	}
	reasons = append(reasons, rel...)
	if len(reasons) > 0 {
		e := csreview.KeyErrorf(csreview.ECONFLICT, "err.body_refused", "The body cannot be assigned: %s.", strings.Join(reasons, "; "))
		e.Fields = []csreview.FieldError{{Field: "body_id", Rule: "body_refused", Param: strings.Join(reasons, "; ")}}
		return e
	}
	// A new body starts a new assessment: the earlier body's report is not
	// the new body's.
	c.BodyID, c.ReportSubmitted = b.ID, false
	a.data = map[string]any{"body_id": b.ID}
	return nil
}

func (s *Store) conflictYears() int {
	if s.ConflictYears > 0 {
		return s.ConflictYears
	}
	return DefaultConflictYears
}

// caseCategories are the categories of the products under review.
func caseCategories(tx *Tx, caseID int64) ([]csreview.Category, error) {
	rows, err := tx.query(`SELECT DISTINCT p.category FROM case_versions cv JOIN product_versions v ON v.id = cv.version_id
		JOIN products p ON p.id = v.product_id WHERE cv.case_id = ? ORDER BY p.category`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []csreview.Category
	for rows.Next() {
		var c csreview.Category
		if err := rows.Scan(&c); err != nil {
			return nil, mapError(err)
		}
		out = append(out, c)
	}
	return out, mapError(rows.Err())
}

// bodyRelations names the relationships that conflict: consulting for the
// supplier or the operator, or advice on a product under review within the
// given number of years.
func bodyRelations(tx *Tx, bodyID int64, c *csreview.Case, on csreview.Date, years int) ([]string, error) {
	since := csreview.DateOf(on.Time().AddDate(-years, 0, 0))
	rows, err := tx.query(`SELECT r.kind, r.on_date FROM body_relations r WHERE r.body_id = ? AND (
		(r.kind = 'consulting' AND (r.supplier_id = ? OR r.operator_id = ?))
		OR (r.kind = 'advised' AND r.on_date >= ? AND r.product_id IN (
			SELECT v.product_id FROM case_versions cv JOIN product_versions v ON v.id = cv.version_id WHERE cv.case_id = ?)))
		ORDER BY r.id`, bodyID, c.SupplierID, idcol{&c.OperatorID}, string(since), c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, d string
		if err := rows.Scan(&kind, &d); err != nil {
			return nil, mapError(err)
		}
		out = append(out, fmt.Sprintf("%s since %s", kind, d))
	}
	return out, mapError(rows.Err())
}

// decide concludes the case, pass or fail, with reasons per criterion of
// the case's pack; a failed re-review revokes the pass it reviewed.
func (a *act) decide() error {
	if err := a.position("pass", "fail"); err != nil {
		return err
	}
	var v csreview.Invalid
	for id := range a.in.Reasons {
		if _, ok := a.p.Criterion(id); !ok {
			v.Add("reasons", "unknown", id)
		}
	}
	if len(a.in.Reasons) == 0 {
		v.Add("reasons", "required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	a.c.Outcome = csreview.Outcome(a.in.Position)
	a.data = map[string]any{"outcome": a.in.Position, "reasons": a.in.Reasons}
	if a.c.ParentID != 0 && a.c.Outcome == csreview.OutcomeFail {
		parent, err := cases.get(a.tx, a.c.ParentID)
		if err != nil {
			return err
		}
		if parent.Outcome == csreview.OutcomePass {
			from := parent.State
			parent.Outcome = csreview.OutcomeRevoked
			if _, err := a.tx.exec(`UPDATE cases SET outcome = ?, updated_at = ? WHERE id = ?`, string(parent.Outcome),
				formatTime(a.tx.now), parent.ID); err != nil {
				return err
			}
			if err := caseEvent(a.tx, parent, "revoked", from, a.in.On, "re-review "+a.c.Ref, nil); err != nil {
				return err
			}
		}
	}
	return a.notice("decision")
}

// notice records a written notice to the party; its printable text is
// rendered from the case and the pack when shown.
func (a *act) notice(kind string) error {
	data := map[string]any{"action": a.in.Action, "note": a.in.Note, "position": a.in.Position, "reasons": a.in.Reasons}
	b, err := jsonString(data)
	if err != nil {
		return err
	}
	_, err = a.tx.exec(`INSERT INTO notices (case_id, kind, issued_on, data_json, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.c.ID, kind, string(a.in.On), b, formatTime(a.tx.now))
	return err
}

// confidentialActions give opinions whose text must not reach the timeline.
var confidentialActions = map[string]bool{review.ActExpertOpinion: true, review.ActMemberReply: true,
	review.ActRecommend: true, review.ActRecommendAgain: true, review.ActConclude: true}

// checkActionInput bounds what a transition carries.
func checkActionInput(in csreview.CaseAction) error {
	var v csreview.Invalid
	v.MaxLen("note", in.Note, 8000)
	for id, r := range in.Reasons {
		if len([]rune(r)) > 4000 {
			v.Add("reasons."+id, "too_long", "4000")
		}
	}
	for i, f := range in.Files {
		if len(f.Content) > csreview.MaxFileSize {
			v.Add(fmt.Sprintf("files[%d]", i), "too_large", "20 MiB")
		}
	}
	return v.Err()
}

// actionDate settles the working date a transition counts from. Only the
// office may date one other than today, never in the future and never
// before the case's last event, so that no party can move the statutory
// clocks (2021 Measures Art. 9, 11, 12, 14, 15).
func actionDate(tx *Tx, caseID int64, in *csreview.CaseAction) error {
	today := tx.today()
	if in.On == "" {
		in.On = today
		return nil
	}
	if !in.On.Valid() {
		return invalid("on", "invalid_date")
	}
	if !tx.actor.Is(csreview.RoleOffice, csreview.RoleAdmin) {
		if in.On != today {
			return invalid("on", "not_allowed", string(today))
		}
		return nil
	}
	if today.Before(in.On) {
		return invalid("on", "in_future")
	}
	var last string
	if err := tx.queryRow(`SELECT COALESCE(MAX(on_date), '') FROM case_events WHERE case_id = ?`, caseID).Scan(&last); err != nil {
		return mapError(err)
	}
	if last != "" && in.On.Before(csreview.Date(last)) {
		return invalid("on", "before_last_event", last)
	}
	return nil
}

// checkFileKinds allows attachments of the pack's materials, "other", and
// nothing else: SBOMs and VEX documents go through their own route, where
// who uploads them is checked.
func checkFileKinds(p *regime.Pack, files []csreview.FileUpload) error {
	allowed := map[string]bool{"other": true}
	for _, m := range p.Materials {
		allowed[m.ID] = true
	}
	var v csreview.Invalid
	for i, f := range files {
		if !allowed[f.Kind] {
			v.Add(fmt.Sprintf("files[%d].kind", i), "not_allowed")
		}
	}
	return v.Err()
}
