package sqlstore

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/procure"
)

var _ csreview.ProcurementService = (*Store)(nil)

// CheckProcurement answers whether an operator may buy a product version
// under the regime in force on the purchase date, and records the answer
// (DESIGN §6).
func (s *Store) CheckProcurement(ctx context.Context, r csreview.ProcurementRequest) (*csreview.ProcurementAnswer, error) {
	if actor(ctx) == nil {
		return nil, errUnauthenticated()
	}
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	var a *csreview.ProcurementAnswer
	err = s.DB.write(ctx, func(tx *Tx) error {
		if r.InventoryID != 0 {
			e, err := findVisible(tx, inventory, r.InventoryID, csreview.CanReadInventory)
			if err != nil {
				return err
			}
			fillFromInventory(&r, e)
		}
		if err := r.Validate(); err != nil {
			return err
		}
		o, err := findVisible(tx, operators, r.OperatorID, csreview.CanReadOperator)
		if err != nil {
			return err
		}
		if !csreview.CanCheckProcurement(tx.actor, o) {
			return errForbidden()
		}
		var pid int64
		var version string
		if err := tx.queryRow(`SELECT product_id, version FROM product_versions WHERE id = ?`, r.VersionID).Scan(&pid, &version); err != nil {
			return invalid("version_id", "unknown")
		}
		if r.ProductID == 0 {
			r.ProductID = pid
		}
		if pid != r.ProductID {
			return invalid("version_id", "not_of_product")
		}
		p, err := products.get(tx, r.ProductID)
		if err != nil {
			return err
		}
		if r.Date == "" {
			r.Date = tx.today()
		}
		pack := rules.InForceOn(r.Date)
		if r.Regime != "" {
			if pack, err = rules.Pack(r.Regime); err != nil {
				return err
			}
		}
		if pack == nil {
			// Before 1 June 2017 no Measures were in force.
			return invalid("date", "no_regime_in_force")
		}
		det, err := determinationFor(tx, o, p)
		if err != nil {
			return err
		}
		st, err := versionStatus(tx, r.VersionID, version, p.ID, o.ID, pack.Procurement.Covers == "purchase")
		if err != nil {
			return err
		}
		// The answer is about the purchase on its date: that day decides the
		// pack and the version of the laws cited.
		a = procure.Decide(procure.Facts{Pack: pack, Packs: rules.Packs, On: r.Date, CII: o.CII, Forecast: r.Forecast,
			Determination: det, NotRequiredRef: st.notRequired, Status: st.status, StatusRef: st.ref,
			ReReviewRef: st.reReview, StatusOther: st.foreign, OwnOpenRef: st.ownOpen,
			OperatorID: o.ID, ProductID: p.ID, VersionID: r.VersionID, Amount: r.Amount, System: r.System,
			Commitments: r.Commitments, Agreement: r.Agreement})
		a.Request, a.At, a.ActorID = r, tx.now, *actorID(tx)
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		return tx.queryRow(`INSERT INTO procurement_checks (at, actor_id, operator_id, product_id, version_id, inventory_id,
			sector, regime, required, status, verdict, answer_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			formatTime(tx.now), idcol{&a.ActorID}, o.ID, p.ID, r.VersionID, idcol{&r.InventoryID}, string(o.Sector), a.Regime, a.Required,
			a.Status, a.Verdict, string(b)).Scan(&a.ID)
	})
	return a, err
}

// fillFromInventory fills the request's empty fields from an entry.
func fillFromInventory(r *csreview.ProcurementRequest, e *csreview.InventoryEntry) {
	r.OperatorID, r.ProductID, r.VersionID = e.OperatorID, e.ProductID, e.VersionID
	if r.Amount == 0 {
		r.Amount = e.Amount
	}
	if r.Date == "" {
		r.Date = e.PurchasedOn
	}
	if r.System == "" {
		r.System = e.System
	}
	if r.Forecast == "" {
		r.Forecast = e.Forecast
	}
	r.Commitments = r.Commitments || e.Commitments()
	r.Agreement = r.Agreement || e.Agreement
}

// statusFacts is what is known of a product version's review.
type statusFacts struct {
	status, ref string
	caseID      int64  // the case the status comes from
	operatorID  int64  // the operator whose purchase that case was about; 0 for none
	reReview    string // an open case about a version that passed
	notRequired string // a case that found the operator's purchase needs no review
	ownOpen     string // the operator's own open case about the version
	// foreign: the status comes from a case that was not about this
	// operator's purchase — another operator's, or one with no operator
	// (a member-proposed review, a product reviewed under the 2017
	// Measures).
	foreign bool
}

// versionStatus finds a version's review status from what the caller may
// know: the public lists, and the decided and open cases the caller may
// see (conclusions go to the parties only: 2021 Measures Art. 12–13, 17).
// The latest decision wins; a failed re-review of a pass is "revoked".
func versionStatus(tx *Tx, versionID int64, version string, productID, operatorID int64, coversPurchase bool) (statusFacts, error) {
	type decision struct {
		on, status, ref    string
		caseID, operatorID int64
	}
	var decisions []decision
	var f statusFacts

	// The public lists.
	rows, err := tx.query(`SELECT e.list, e.versions, e.case_ref, e.case_id, e.decided_on,
		EXISTS (SELECT 1 FROM list_entries r WHERE r.revoked_by = e.case_id AND r.product_id = e.product_id)
		FROM list_entries e WHERE e.product_id = ? AND e.revoked_at = ''`, productID)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var list, versions, ref, on string
		var caseID int64
		var revokes bool
		if err := rows.Scan(&list, &versions, &ref, &caseID, &on, &revokes); err != nil {
			rows.Close()
			return f, mapError(err)
		}
		var vs []string
		json.Unmarshal([]byte(versions), &vs)
		if !slices.Contains(vs, version) {
			continue
		}
		st := csreview.StatusPassed
		if list == csreview.ListFailed {
			st = csreview.StatusFailed
			if revokes {
				st = csreview.StatusRevoked
			}
		}
		decisions = append(decisions, decision{on: on, status: st, ref: ref, caseID: caseID})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, mapError(err)
	}

	// The cases the caller may see.
	rows, err = tx.query(cases.selectSQL()+` WHERE id IN (SELECT case_id FROM case_versions WHERE version_id = ?) ORDER BY id`, versionID)
	if err != nil {
		return f, err
	}
	var list []*csreview.Case
	for rows.Next() {
		c, err := cases.scan(rows)
		if err != nil {
			rows.Close()
			return f, err
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, mapError(err)
	}
	var open []string
	for _, c := range list {
		var on, parentOutcome string
		var sector csreview.Sector
		if c.OperatorID != 0 {
			if sector, err = operatorSectorOf(tx, c.OperatorID); err != nil {
				return f, err
			}
		}
		if !csreview.CanReadCase(tx.actor, c, sector) {
			continue
		}
		switch c.State {
		case csreview.StateDecided, csreview.StateNotRequired:
		default:
			open = append(open, c.Ref)
			if c.OperatorID == operatorID {
				f.ownOpen = c.Ref
			}
			continue
		}
		if err := tx.queryRow(`SELECT COALESCE(MAX(on_date), '') FROM case_events WHERE case_id = ? AND to_state = ?`,
			c.ID, string(c.State)).Scan(&on); err != nil {
			return f, mapError(err)
		}
		switch c.Outcome {
		case csreview.OutcomePass:
			decisions = append(decisions, decision{on, csreview.StatusPassed, c.Ref, c.ID, c.OperatorID})
		case csreview.OutcomeFail:
			st := csreview.StatusFailed
			if c.ParentID != 0 {
				if err := tx.queryRow(`SELECT outcome FROM cases WHERE id = ?`, c.ParentID).Scan(&parentOutcome); err != nil {
					return f, notFound(err, "case", c.ParentID)
				}
				if parentOutcome == string(csreview.OutcomeRevoked) {
					st = csreview.StatusRevoked
				}
			}
			decisions = append(decisions, decision{on, st, c.Ref, c.ID, c.OperatorID})
		case csreview.OutcomeNotRequired:
			if c.OperatorID == operatorID {
				f.notRequired = c.Ref
			}
		}
	}
	if len(decisions) == 0 {
		f.status = csreview.StatusNotReviewed
		if len(open) > 0 {
			f.status, f.ref = csreview.StatusUnderReview, open[len(open)-1]
		}
		return f, nil
	}
	for i := range decisions {
		if d := &decisions[i]; d.operatorID == 0 && d.caseID != 0 {
			// A list entry: whose purchase its case was about is a fact of
			// the state's, whether or not the caller may read the case.
			if err := tx.queryRow(`SELECT COALESCE(operator_id, 0) FROM cases WHERE id = ?`, d.caseID).Scan(&d.operatorID); err != nil {
				return f, notFound(err, "case", d.caseID)
			}
		}
	}
	latest := func(list []decision) decision {
		return slices.MaxFunc(list, func(a, b decision) int {
			if a.on != b.on {
				return compareStr(a.on, b.on)
			}
			return int(a.caseID - b.caseID)
		})
	}
	last := latest(decisions)
	if coversPurchase {
		// A conclusion covers one operator's purchase (2020 and 2021
		// Measures Art. 2, 5): the operator's own decision answers, and any
		// other is only a fact about the product.
		var own []decision
		for _, d := range decisions {
			if d.operatorID == operatorID {
				own = append(own, d)
			}
		}
		if len(own) > 0 {
			last = latest(own)
		} else {
			f.foreign = true
		}
	}
	f.status, f.ref, f.caseID, f.operatorID = last.status, last.ref, last.caseID, last.operatorID
	if last.status == csreview.StatusPassed && len(open) > 0 {
		f.reReview = open[len(open)-1]
	}
	return f, nil
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FindProcurementCheck returns a recorded check the caller may see.
func (s *Store) FindProcurementCheck(ctx context.Context, id int64) (*csreview.ProcurementAnswer, error) {
	list, _, err := s.findChecks(ctx, csreview.ProcurementFilter{}, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNotFound("procurement_check", id)
	}
	return list[0], nil
}

// FindProcurementChecks lists recorded checks, newest first: an operator
// its own, a regulator its sector's, the office and admins all.
func (s *Store) FindProcurementChecks(ctx context.Context, f csreview.ProcurementFilter) ([]*csreview.ProcurementAnswer, int, error) {
	return s.findChecks(ctx, f, 0)
}

func (s *Store) findChecks(ctx context.Context, f csreview.ProcurementFilter, id int64) (list []*csreview.ProcurementAnswer, total int, err error) {
	var w where
	w.scope(csreview.OversightScope(actor(ctx)), "", "operator_id", "", "", "sector")
	if id != 0 {
		w.add("id = ?", id)
	}
	if f.OperatorID != 0 {
		w.add("operator_id = ?", f.OperatorID)
	}
	if f.InventoryID != 0 {
		w.add("inventory_id = ?", f.InventoryID)
	}
	if f.Sector != "" {
		w.add("sector = ?", string(f.Sector))
	}
	if f.Verdict != "" {
		w.add("verdict = ?", f.Verdict)
	}
	page := f.Page.Normalize()
	err = s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT id, answer_json, COUNT(*) OVER () FROM procurement_checks`+w.sql()+
			` ORDER BY id DESC LIMIT ? OFFSET ?`, append(w.args, page.Limit, page.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var b string
			if err := rows.Scan(&id, &b, &total); err != nil {
				return mapError(err)
			}
			a := new(csreview.ProcurementAnswer)
			if err := json.Unmarshal([]byte(b), a); err != nil {
				return err
			}
			a.ID = id
			list = append(list, a)
		}
		return rows.Err()
	})
	return list, total, err
}
