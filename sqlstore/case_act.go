package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
)

// DefaultConflictYears is how far back advice on the same product makes a
// body conflicted, when the Store does not say otherwise.
const DefaultConflictYears = 3

// Act takes a transition of a case: the store loads the facts, the
// workflow engine (review.Apply) decides from the case's pack whether the
// caller may take it now and what it does, and the change, its clocks, its
// opinion, notice and roster, its timeline entry and its audit record
// commit together or not at all.
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
		f, err := s.caseFacts(tx, rules, id)
		if err != nil {
			return err
		}
		if err := actionDate(tx, id, &in); err != nil {
			return err
		}
		f.On = in.On
		if err := checkFileKinds(f.Pack, in.Files); err != nil {
			return err
		}
		if in.Action == review.ActAssignBody {
			if f.Body, err = s.bodyFacts(tx, f.Case, in.BodyID, in.On); err != nil {
				return err
			}
		}
		eff, err := review.Apply(*f, in)
		if err != nil {
			return err
		}
		return s.writeEffects(tx, f, in, eff, &out)
	})
	return out, err
}

// caseFacts loads what the engine needs about a case the caller may see.
func (s *Store) caseFacts(tx *Tx, rules *review.Rules, id int64) (*review.Facts, error) {
	c, err := visibleCase(tx, id)
	if err != nil {
		return nil, err
	}
	p, err := rules.Pack(c.Regime)
	if err != nil {
		return nil, err
	}
	f := &review.Facts{Pack: p, Cal: rules.Cal, Case: c, Actor: tx.actor, On: tx.today(), ReportOptional: s.ReportOptional}
	if f.Clocks, err = caseClocks(tx, id); err != nil {
		return nil, err
	}
	if f.Opinions, err = caseOpinionFacts(tx, id); err != nil {
		return nil, err
	}
	if f.Roster, err = caseRoster(tx, id); err != nil {
		return nil, err
	}
	if f.Recused, err = tx.ids(`SELECT user_id FROM case_recusals WHERE case_id = ? ORDER BY user_id`, id); err != nil {
		return nil, err
	}
	// Complaints awaiting an answer: those filed less those answered.
	if err := tx.queryRow(`SELECT COUNT(CASE WHEN action = ? THEN 1 END) - COUNT(CASE WHEN action = ? THEN 1 END)
		FROM case_events WHERE case_id = ?`, review.ActComplain, review.ActAnswerComplaint, id).Scan(&f.Complaints); err != nil {
		return nil, mapError(err)
	}
	return f, nil
}

// writeEffects writes what the engine decided.
func (s *Store) writeEffects(tx *Tx, f *review.Facts, in csreview.CaseAction, eff *review.Effects, out **csreview.Case) error {
	c := &eff.Case
	for _, clk := range eff.Changed {
		if err := saveClock(tx, clk); err != nil {
			return err
		}
	}
	for _, clk := range eff.Start {
		if err := startClock(tx, c.ID, clk, in.On); err != nil {
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
	if o := eff.Opinion; o != nil {
		if err := addOpinion(tx, c.ID, o.Kind, o.Position, o.Text, o.Round); err != nil {
			return err
		}
		if o.Kind == csreview.OpinionMember {
			// The reply is the unit's: it answers the unit's entry in the round.
			if _, err := tx.exec(`UPDATE case_consultees SET position = ?, replied_on = ? WHERE case_id = ? AND round = ? AND org = ?`,
				o.Position, string(in.On), c.ID, o.Round, consultedOrg(f.Roster, o.Round, tx.actor.Org)); err != nil {
				return err
			}
		}
	}
	for _, k := range eff.Consult {
		if _, err := tx.exec(`INSERT INTO case_consultees (case_id, round, kind, org, asked_on) VALUES (?, ?, ?, ?, ?)`,
			c.ID, k.Round, string(k.Kind), k.Org, string(k.AskedOn)); err != nil {
			return mapError(err)
		}
	}
	if r := eff.Recuse; r != nil {
		if _, err := tx.exec(`INSERT INTO case_recusals (case_id, user_id, role, org, reason, on_date) VALUES (?, ?, ?, ?, ?, ?)`,
			r.CaseID, r.UserID, string(r.Role), r.Org, r.Reason, string(r.On)); err != nil {
			return mapError(err)
		}
	}
	if eff.RevokeParent {
		if err := revokeParent(tx, c, in.On); err != nil {
			return err
		}
	}
	if n := eff.Notice; n != nil {
		b, err := jsonString(n.Data)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO notices (case_id, kind, issued_on, data_json, created_at) VALUES (?, ?, ?, ?, ?)`,
			c.ID, n.Kind, string(in.On), b, formatTime(tx.now)); err != nil {
			return err
		}
	}
	var data any
	if eff.Data != nil {
		data = eff.Data
	}
	if err := caseEvent(tx, c, in.Action, f.Case.State, in.On, eff.Note, data); err != nil {
		return err
	}
	*out = c
	return nil
}

// consultedOrg is the roster entry org speaks for in the round.
func consultedOrg(roster []csreview.Consultee, round int, org string) string {
	for _, c := range roster {
		if c.Round == round && review.SpeaksFor(org, c.Org) {
			return c.Org
		}
	}
	return org
}

// revokeParent marks the pass a failed re-review reviewed as revoked: the
// office's practice, since the Measures provide for no revocation.
func revokeParent(tx *Tx, c *csreview.Case, on csreview.Date) error {
	parent, err := cases.get(tx, c.ParentID)
	if err != nil {
		return err
	}
	if parent.Outcome != csreview.OutcomePass {
		return nil
	}
	from := parent.State
	parent.Outcome = csreview.OutcomeRevoked
	if _, err := tx.exec(`UPDATE cases SET outcome = ?, updated_at = ? WHERE id = ?`, string(parent.Outcome),
		formatTime(tx.now), parent.ID); err != nil {
		return err
	}
	return caseEvent(tx, parent, "revoked", from, on, "re-review "+c.Ref, nil)
}

// bodyFacts loads what bears on assigning body id to the case.
func (s *Store) bodyFacts(tx *Tx, c *csreview.Case, id int64, on csreview.Date) (*review.BodyFacts, error) {
	b, err := bodies.get(tx, id)
	if err != nil {
		return nil, invalid("body_id", "unknown")
	}
	bf := &review.BodyFacts{Body: b}
	if bf.Categories, err = caseCategories(tx, c.ID); err != nil {
		return nil, err
	}
	sup, err := suppliers.get(tx, c.SupplierID)
	if err != nil {
		return nil, err
	}
	bf.SupplierGroup = sup.Group
	if c.OperatorID != 0 {
		op, err := operators.get(tx, c.OperatorID)
		if err != nil {
			return nil, err
		}
		bf.OperatorGroup = op.Group
	}
	if bf.Relations, err = bodyRelations(tx, b.ID, c, on, s.conflictYears()); err != nil {
		return nil, err
	}
	return bf, nil
}

func invalid(field, rule string, param ...string) error {
	var v csreview.Invalid
	v.Add(field, rule, param...)
	return v.Err()
}

// caseOpinionFacts are the opinions on record, as the engine weighs them.
func caseOpinionFacts(tx *Tx, id int64) ([]review.Opinion, error) {
	rows, err := tx.query(`SELECT kind, COALESCE(author_id, 0), org, position, round FROM opinions WHERE case_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []review.Opinion
	for rows.Next() {
		var o review.Opinion
		if err := rows.Scan(&o.Kind, &o.AuthorID, &o.Org, &o.Position, &o.Round); err != nil {
			return nil, mapError(err)
		}
		out = append(out, o)
	}
	return out, mapError(rows.Err())
}

// caseRoster is a case's consultation roster, round by round.
func caseRoster(tx *Tx, id int64) ([]csreview.Consultee, error) {
	rows, err := tx.query(`SELECT case_id, round, kind, org, asked_on, position, replied_on FROM case_consultees
		WHERE case_id = ? ORDER BY round, kind DESC, org`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []csreview.Consultee
	for rows.Next() {
		var c csreview.Consultee
		if err := rows.Scan(&c.CaseID, &c.Round, &c.Kind, &c.Org, &c.AskedOn, &c.Position, &c.RepliedOn); err != nil {
			return nil, mapError(err)
		}
		out = append(out, c)
	}
	return out, mapError(rows.Err())
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
func bodyRelations(tx *Tx, bodyID int64, c *csreview.Case, on csreview.Date, years int) ([]review.Conflict, error) {
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
	var out []review.Conflict
	for rows.Next() {
		var kind, d string
		if err := rows.Scan(&kind, &d); err != nil {
			return nil, mapError(err)
		}
		code := review.ConflictConsulting
		if kind == "advised" {
			code = review.ConflictAdvised
		}
		out = append(out, review.Conflict{Code: code, Arg: d})
	}
	return out, mapError(rows.Err())
}

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
	if !csreview.CanDateAction(tx.actor) {
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

// FindCaseWork returns what the case asks of the caller (the engine's
// offers from the case's pack), the roles awaited and the consultation
// roster, whose positions only those who may read the opinions see.
func (s *Store) FindCaseWork(ctx context.Context, id int64) (w *review.Work, err error) {
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		f, err := s.caseFacts(tx, rules, id)
		if err != nil {
			return err
		}
		w = review.WorkOf(*f, csreview.CanReadOpinions(tx.actor))
		return nil
	})
	return w, err
}

// BodyChoices lists the bodies the office may assign to a case, the
// eligible first, each ineligible one with its reasons, so that the
// picker offers only what the assignment would accept.
func (s *Store) BodyChoices(ctx context.Context, id int64) ([]*review.BodyChoice, error) {
	w, err := s.FindCaseWork(ctx, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(w.Actions, review.ActAssignBody) {
		return nil, errForbidden()
	}
	var out []*review.BodyChoice
	err = s.DB.read(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, id)
		if err != nil {
			return err
		}
		list, _, err := bodies.list(tx, where{}, "name_zh, id", csreview.Page{Limit: csreview.MaxLimit})
		if err != nil {
			return err
		}
		for _, b := range list {
			bf, err := s.bodyFacts(tx, c, b.ID, tx.today())
			if err != nil {
				return err
			}
			reasons := review.Conflicts(bf, tx.today())
			out = append(out, &review.BodyChoice{Body: b, Eligible: len(reasons) == 0, Reasons: reasons})
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b *review.BodyChoice) int {
		switch {
		case a.Eligible && !b.Eligible:
			return -1
		case !a.Eligible && b.Eligible:
			return 1
		}
		return 0
	})
	return out, err
}
