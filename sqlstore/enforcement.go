package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/enforce"
	"github.com/csreview/csreview/procure"
)

var _ csreview.EnforcementService = (*Store)(nil)

const enforcementCols = `id, ref, inventory_id, operator_id, product_id, version_id, sector, regime, finding, amount,
	fine_min, fine_max, person_min, person_max, basis_json, state, note, procedure_json, opened_on, closed_on, created_at, updated_at`

func scanEnforcement(row interface{ Scan(...any) error }, extra ...any) (*csreview.Enforcement, error) {
	e := new(csreview.Enforcement)
	var basis, proc string
	if err := row.Scan(append([]any{&e.ID, &e.Ref, &e.InventoryID, &e.OperatorID, &e.ProductID, &e.VersionID, &e.Sector,
		&e.Regime, &e.Finding, &e.Amount, &e.FineMin, &e.FineMax, &e.PersonMin, &e.PersonMax, &basis, &e.State, &e.Note,
		&proc, &e.OpenedOn, &e.ClosedOn, tcol{&e.CreatedAt}, tcol{&e.UpdatedAt}}, extra...)...); err != nil {
		return nil, mapError(err)
	}
	if err := json.Unmarshal([]byte(basis), &e.Basis); err != nil {
		return nil, fmt.Errorf("enforcement %d: basis: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(proc), &e.Procedure); err != nil {
		return nil, fmt.Errorf("enforcement %d: procedure: %w", e.ID, err)
	}
	return e, nil
}

// Sweep finds operators using a failed, revoked or unreviewed product
// where review was required, and prepares an enforcement record for each
// that has no open one (CSL Art. 65; CII Regulations Art. 41). The office
// sweeps every sector, a regulator its own. Facts are the state's: every
// case counts, whoever filed it.
func (s *Store) Sweep(ctx context.Context) (*csreview.SweepResult, error) {
	u := actor(ctx)
	if !csreview.CanSweep(u) {
		return nil, forbidOrUnauth(ctx)
	}
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	res := &csreview.SweepResult{}
	err = s.DB.write(ctx, func(tx *Tx) error {
		var w where
		w.add("stage = ?", csreview.StageInUse)
		if sector := csreview.RegulatedSector(u); sector != "" {
			w.add("sector = ?", string(sector))
		}
		entries, _, err := inventory.list(tx, w, "id", csreview.Page{Limit: 1 << 30})
		if err != nil {
			return err
		}
		sys := tx.asSystem()
		for _, e := range entries {
			res.Checked++
			o, err := operators.get(tx, e.OperatorID)
			if err != nil {
				return err
			}
			p, err := products.get(tx, e.ProductID)
			if err != nil {
				return err
			}
			version, err := versionOf(tx, e.VersionID)
			if err != nil {
				return err
			}
			on := e.PurchasedOn
			if on == "" {
				on = tx.today()
			}
			pack := rules.InForceOn(on)
			if pack == nil {
				continue
			}
			det, err := determinationFor(tx, o, p)
			if err != nil {
				return err
			}
			st, err := versionStatus(sys, e.VersionID, version, p.ID, o.ID, pack.Procurement.Covers == "purchase")
			if err != nil {
				return err
			}
			// The use goes on to the day of the sweep, so the laws are
			// cited as in force that day (Administrative Penalty Law
			// Art. 37: the law at the time of the act; a continuing act
			// continues into the new text).
			breach, basis := procure.Breach(procure.Facts{Pack: pack, Packs: rules.Packs, On: tx.today(), CII: o.CII,
				Forecast: e.Forecast, Determination: det, NotRequiredRef: st.notRequired, Status: st.status,
				StatusOther: st.foreign, OwnOpenRef: st.ownOpen})
			if !breach {
				continue
			}
			res.Found++
			var open int
			if err := tx.queryRow(`SELECT COUNT(*) FROM enforcement WHERE inventory_id = ? AND state <> ?`,
				e.ID, csreview.EnfClosed).Scan(&open); err != nil {
				return mapError(err)
			}
			if open > 0 {
				res.Existing++
				continue
			}
			if err := createEnforcement(tx, e, o, pack.ID, st.status, basis); err != nil {
				return err
			}
			res.Created++
		}
		return tx.audit("sweep", "enforcement", 0, nil, res)
	})
	return res, err
}

// LastSweep reads the caller's latest sweep back from the audit log, so
// that its result can be shown again without sweeping again.
func (s *Store) LastSweep(ctx context.Context) (*csreview.SweepResult, error) {
	u := actor(ctx)
	if !csreview.CanSweep(u) {
		return nil, forbidOrUnauth(ctx)
	}
	var res *csreview.SweepResult
	err := s.DB.read(ctx, func(tx *Tx) error {
		var after string
		var at time.Time
		err := tx.queryRow(`SELECT after_json, at FROM audit_log WHERE action = 'sweep' AND entity = 'enforcement' AND actor_id = ?
			ORDER BY id DESC LIMIT 1`, u.ID).Scan(&after, tcol{&at})
		if csreview.ErrorCode(mapError(err)) == csreview.ENOTFOUND {
			return nil
		}
		if err != nil {
			return mapError(err)
		}
		res = new(csreview.SweepResult)
		if err := json.Unmarshal([]byte(after), res); err != nil {
			return err
		}
		res.At = at
		return nil
	})
	return res, err
}

func createEnforcement(tx *Tx, e *csreview.InventoryEntry, o *csreview.Operator, regimeID, finding string, basis []csreview.Basis) error {
	today := tx.today()
	year := today.Time().Year()
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM enforcement WHERE ref LIKE ?`, fmt.Sprintf("ENF-%d-%%", year)).Scan(&n); err != nil {
		return mapError(err)
	}
	x := &csreview.Enforcement{Ref: fmt.Sprintf("ENF-%d-%04d", year, n+1), InventoryID: e.ID, OperatorID: o.ID,
		ProductID: e.ProductID, VersionID: e.VersionID, Sector: e.Sector, Regime: regimeID, Finding: finding,
		Amount: e.Amount, Basis: basis, State: csreview.EnfOpen, OpenedOn: today, CreatedAt: tx.now, UpdatedAt: tx.now}
	x.FineMin, x.FineMax, x.PersonMin, x.PersonMax = csreview.PenaltyRange(e.Amount)
	b, err := json.Marshal(x.Basis)
	if err != nil {
		return err
	}
	if err := tx.queryRow(`INSERT INTO enforcement (ref, inventory_id, operator_id, product_id, version_id, sector, regime,
		finding, amount, fine_min, fine_max, person_min, person_max, basis_json, state, opened_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, x.Ref, x.InventoryID, x.OperatorID,
		x.ProductID, x.VersionID, string(x.Sector), x.Regime, x.Finding, x.Amount, x.FineMin, x.FineMax, x.PersonMin,
		x.PersonMax, string(b), x.State, string(x.OpenedOn), formatTime(tx.now), formatTime(tx.now)).Scan(&x.ID); err != nil {
		return mapError(err)
	}
	if err := addEnforcementEvent(tx, x.ID, "", csreview.EnfOpen, "sweep"); err != nil {
		return err
	}
	return tx.audit("create", "enforcement", x.ID, nil, x)
}

func addEnforcementEvent(tx *Tx, id int64, from, to, note string) error {
	name := "system"
	if tx.actor != nil {
		name = tx.actor.Username
	}
	_, err := tx.exec(`INSERT INTO enforcement_events (enforcement_id, at, actor, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?)`,
		id, formatTime(tx.now), name, from, to, note)
	return err
}

// FindEnforcements lists the records the caller may see, newest first.
func (s *Store) FindEnforcements(ctx context.Context, f csreview.EnforcementFilter) (list []*csreview.Enforcement, total int, err error) {
	var w where
	w.scope(csreview.OversightScope(actor(ctx)), "", "operator_id", "", "", "sector")
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	if f.OperatorID != 0 {
		w.add("operator_id = ?", f.OperatorID)
	}
	page := f.Page.Normalize()
	err = s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+enforcementCols+`, COUNT(*) OVER () FROM enforcement`+w.sql()+
			` ORDER BY id DESC LIMIT ? OFFSET ?`, append(w.args, page.Limit, page.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEnforcement(rows, &total)
			if err != nil {
				return err
			}
			list = append(list, e)
		}
		return mapError(rows.Err())
	})
	return list, total, err
}

// FindEnforcement returns a record with its history.
func (s *Store) FindEnforcement(ctx context.Context, id int64) (e *csreview.Enforcement, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		e, err = visibleEnforcement(tx, id)
		return err
	})
	return e, err
}

func visibleEnforcement(tx *Tx, id int64) (*csreview.Enforcement, error) {
	e, err := scanEnforcement(tx.queryRow(`SELECT `+enforcementCols+` FROM enforcement WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "enforcement", id)
	}
	if !csreview.CanReadEnforcement(tx.actor, e) {
		return nil, errNotFound("enforcement", id)
	}
	rows, err := tx.query(`SELECT at, actor, from_state, to_state, note FROM enforcement_events WHERE enforcement_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev csreview.EnforcementEvent
		if err := rows.Scan(tcol{&ev.At}, &ev.Actor, &ev.From, &ev.To, &ev.Note); err != nil {
			return nil, mapError(err)
		}
		e.Events = append(e.Events, ev)
	}
	return e, mapError(rows.Err())
}

// StepEnforcement takes a record a step on: the enforce package decides
// whether the step is allowed and what it establishes; the record, its
// event and the audit record commit together.
func (s *Store) StepEnforcement(ctx context.Context, id int64, st csreview.EnforcementStep) (e *csreview.Enforcement, err error) {
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	var v csreview.Invalid
	v.MaxLen("note", st.Note, 8000)
	v.MaxLen("statement", st.Statement, 8000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.DB.write(ctx, func(tx *Tx) error {
		before, err := visibleEnforcement(tx, id)
		if err != nil {
			return err
		}
		if !csreview.CanEnforce(tx.actor, before.Sector) {
			return errForbidden()
		}
		after := *before
		after.Procedure.Orders = slices.Clone(before.Procedure.Orders)
		after.Procedure.Basis = slices.Clone(before.Procedure.Basis)
		if err := enforce.Apply(&after, st, enforce.Facts{On: tx.today(), Cal: rules.Cal, HearingThreshold: s.HearingThreshold}); err != nil {
			return err
		}
		proc, err := json.Marshal(after.Procedure)
		if err != nil {
			return err
		}
		note := st.Note
		if note == "" {
			note = before.Note
		}
		if _, err := tx.exec(`UPDATE enforcement SET state = ?, note = ?, procedure_json = ?, closed_on = ?, updated_at = ? WHERE id = ?`,
			after.State, note, string(proc), string(after.ClosedOn), formatTime(tx.now), id); err != nil {
			return err
		}
		if err := addEnforcementEvent(tx, id, before.State, after.State, st.Note); err != nil {
			return err
		}
		if e, err = visibleEnforcement(tx, id); err != nil {
			return err
		}
		return tx.audit("update", "enforcement", id, before, e)
	})
	return e, err
}
