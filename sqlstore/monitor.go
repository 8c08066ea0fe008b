package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/sbom"
)

// Continuous monitoring (DESIGN §4): a new advisory, or a component or
// supplier put on the prohibited list, finds at once every product version
// whose SBOM holds it, whether that version had passed review, and the
// operators' inventory entries that hold it; each finding becomes an alert
// to the office, the supplier and those operators, and a webhook delivery
// queued in the same transaction (a transactional outbox).

var _ csreview.MonitorService = (*Store)(nil)

// hits maps a product version to the components a trigger touched in it.
type hits map[int64][]string

func (h hits) add(versionID int64, name, version, purl string) {
	c := name + "@" + version
	if purl != "" {
		c += " (" + purl + ")"
	}
	if !slices.Contains(h[versionID], c) {
		h[versionID] = append(h[versionID], c)
	}
}

// advisoryHits finds the components an OSV record affects.
func advisoryHits(tx *Tx, rec *advisory.Record) (hits, error) {
	h := hits{}
	seen := map[[2]string]bool{}
	for _, a := range rec.Affected {
		if a.Package.Name == "" {
			continue
		}
		base := BaseEcosystem(a.Package.Ecosystem)
		name := advisory.NormalizeName(a.Package.Ecosystem, a.Package.Name)
		if seen[[2]string{base, name}] {
			continue
		}
		seen[[2]string{base, name}] = true
		rows, err := tx.query(`SELECT version_id, ecosystem, name, version, purl FROM version_components WHERE name = ?`, name)
		if err != nil {
			return nil, err
		}
		memo := map[[2]string]bool{} // (ecosystem, version) → affected
		for rows.Next() {
			var vid int64
			var eco, n, v, purl string
			if err := rows.Scan(&vid, &eco, &n, &v, &purl); err != nil {
				rows.Close()
				return nil, mapError(err)
			}
			if BaseEcosystem(eco) != base || v == "" {
				continue
			}
			// A version the ecosystem cannot order is no match here; the
			// assessment of the version reports it.
			ok, done := memo[[2]string{eco, v}]
			if !done {
				ok, _ = advisory.Affects(rec, eco, n, v)
				memo[[2]string{eco, v}] = ok
			}
			if ok {
				h.add(vid, n, v, purl)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapError(err)
		}
	}
	return h, nil
}

// prohibitionHits finds the components and product versions a prohibition
// touches: by purl (every version, or the one it names), or by supplier —
// components whose SBOM names it, and every version of a registered
// supplier of that name.
func prohibitionHits(tx *Tx, p *csreview.Prohibition) (hits, error) {
	h := hits{}
	if p.PURL != "" {
		eco, name, version, err := sbom.Ecosystem(p.PURL)
		if err != nil {
			return nil, invalid("purl", "invalid_purl")
		}
		norm := advisory.NormalizeName(eco, name)
		rows, err := tx.query(`SELECT version_id, ecosystem, name, version, purl FROM version_components WHERE name = ?`, norm)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var vid int64
			var e, n, v, purl string
			if err := rows.Scan(&vid, &e, &n, &v, &purl); err != nil {
				return nil, mapError(err)
			}
			if BaseEcosystem(e) == BaseEcosystem(eco) && (version == "" || v == version) {
				h.add(vid, n, v, purl)
			}
		}
		return h, mapError(rows.Err())
	}
	rows, err := tx.query(`SELECT version_id, name, version, purl FROM version_components WHERE LOWER(supplier) = LOWER(?)`, p.Supplier)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var vid int64
		var n, v, purl string
		if err := rows.Scan(&vid, &n, &v, &purl); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		h.add(vid, n, v, purl)
	}
	rows.Close()
	rows, err = tx.query(`SELECT v.id, p.name_zh, v.version FROM product_versions v JOIN products p ON p.id = v.product_id
		JOIN suppliers s ON s.id = p.supplier_id WHERE LOWER(s.name_zh) = LOWER(?) OR LOWER(s.name_en) = LOWER(?)`, p.Supplier, p.Supplier)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var vid int64
		var n, v string
		if err := rows.Scan(&vid, &n, &v); err != nil {
			return nil, mapError(err)
		}
		h.add(vid, n, v, "")
	}
	return h, mapError(rows.Err())
}

// raiseAlerts records one alert per touched version (once per trigger:
// a re-import raises nothing new) and queues its webhook deliveries.
func raiseAlerts(tx *Tx, kind, trigger string, severity csreview.Severity, summary string, h hits) (*csreview.MonitorResult, error) {
	res := &csreview.MonitorResult{}
	ids := make([]int64, 0, len(h))
	for vid := range h {
		ids = append(ids, vid)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, vid := range ids {
		a := &csreview.Alert{At: tx.now, Kind: kind, Trigger: trigger, Severity: severity, VersionID: vid,
			Components: h[vid], Summary: summary, State: csreview.AlertOpen}
		var version string
		if err := tx.queryRow(`SELECT v.product_id, p.supplier_id, v.version FROM product_versions v JOIN products p ON p.id = v.product_id
			WHERE v.id = ?`, vid).Scan(&a.ProductID, &a.SupplierID, &version); err != nil {
			return nil, mapError(err)
		}
		st, err := versionStatus(tx.asSystem(), vid, version, a.ProductID, 0, false)
		if err != nil {
			return nil, err
		}
		if st.status == csreview.StatusPassed {
			a.Passed, a.ParentCase, a.ParentCaseID = true, st.ref, st.caseID
			res.Passed++
		}
		comps, _ := json.Marshal(a.Components)
		err = tx.queryRow(`INSERT INTO alerts (at, kind, trigger_ref, severity, product_id, version_id, supplier_id, passed,
			components, summary, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, trigger_ref, version_id) DO NOTHING RETURNING id`,
			formatTime(tx.now), kind, trigger, severity, a.ProductID, vid, a.SupplierID, a.Passed, string(comps),
			summary, a.State).Scan(&a.ID)
		if csreview.ErrorCode(mapError(err)) == csreview.ENOTFOUND {
			continue // raised before
		}
		if err != nil {
			return nil, mapError(err)
		}
		res.Alerts++
		n, err := tx.exec(`INSERT INTO alert_operators (alert_id, operator_id, inventory_id)
			SELECT ?, operator_id, id FROM inventory WHERE version_id = ? AND stage <> ?`, a.ID, vid, csreview.StageRetired)
		if err != nil {
			return nil, err
		}
		k, _ := n.RowsAffected()
		res.Inventory += int(k)
		queued, err := enqueueAlert(tx, a)
		if err != nil {
			return nil, err
		}
		res.Webhooks += queued
	}
	return res, nil
}

// alertSectors maps an alert's operators to their sectors.
func alertSectors(tx *Tx, alertID int64) (map[int64]csreview.Sector, map[int64][]int64, error) {
	rows, err := tx.query(`SELECT ao.operator_id, o.sector, ao.inventory_id FROM alert_operators ao
		JOIN operators o ON o.id = ao.operator_id WHERE ao.alert_id = ? ORDER BY ao.inventory_id`, alertID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	sectors, entries := map[int64]csreview.Sector{}, map[int64][]int64{}
	for rows.Next() {
		var op, inv int64
		var s string
		if err := rows.Scan(&op, &s, &inv); err != nil {
			return nil, nil, mapError(err)
		}
		sectors[op] = csreview.Sector(s)
		entries[op] = append(entries[op], inv)
	}
	return sectors, entries, mapError(rows.Err())
}

// forReader returns a copy of a with only the operators u may know of, or
// nil if u may not read it at all.
func forReader(tx *Tx, u *csreview.User, a *csreview.Alert) (*csreview.Alert, error) {
	sectors, entries, err := alertSectors(tx, a.ID)
	if err != nil {
		return nil, err
	}
	if !csreview.CanReadAlert(u, a, sectors) {
		return nil, nil
	}
	out := *a
	out.OperatorIDs, out.InventoryIDs = nil, nil
	for op := range csreview.VisibleOperators(u, sectors) {
		out.OperatorIDs = append(out.OperatorIDs, op)
		out.InventoryIDs = append(out.InventoryIDs, entries[op]...)
	}
	slices.Sort(out.OperatorIDs)
	slices.Sort(out.InventoryIDs)
	if !csreview.CanReadCaseRefs(u) {
		out.ParentCase, out.ParentCaseID = "", 0 // case references are the office's
	}
	return &out, nil
}

// AddProhibition lists a component or supplier and raises its alerts.
func (s *Store) AddProhibition(ctx context.Context, p *csreview.Prohibition) (*csreview.MonitorResult, error) {
	if !csreview.CanManageMonitoring(actor(ctx)) {
		return nil, forbidOrUnauth(ctx)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var res *csreview.MonitorResult
	err := s.DB.write(ctx, func(tx *Tx) error {
		h, err := prohibitionHits(tx, p)
		if err != nil {
			return err
		}
		p.AddedBy, p.Created = *actorID(tx), tx.now
		if err := tx.queryRow(`INSERT INTO prohibitions (purl, supplier, reason, added_by, created_at) VALUES (?, ?, ?, ?, ?)
			RETURNING id`, p.PURL, p.Supplier, p.Reason, idcol{&p.AddedBy}, formatTime(tx.now)).Scan(&p.ID); err != nil {
			return mapError(err)
		}
		if err := tx.audit("create", "prohibition", p.ID, nil, p); err != nil {
			return err
		}
		what := p.PURL
		if what == "" {
			what = p.Supplier
		}
		res, err = raiseAlerts(tx, csreview.AlertProhibition, fmt.Sprintf("prohibition:%d", p.ID), csreview.SeverityCritical,
			"禁用清单 / Prohibited: "+what+" — "+p.Reason, h)
		return err
	})
	return res, err
}

// LiftProhibition takes an entry off the list; its alerts stay.
func (s *Store) LiftProhibition(ctx context.Context, id int64) error {
	if !csreview.CanManageMonitoring(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		r, err := tx.exec(`UPDATE prohibitions SET lifted_at = ? WHERE id = ? AND lifted_at = ''`, formatTime(tx.now), id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errNotFound("prohibition", id)
		}
		return tx.audit("lift", "prohibition", id, nil, map[string]any{"lifted_at": formatTime(tx.now)})
	})
}

// FindProhibitions lists the prohibited list (current entries only, or
// all). Every signed-in user may read it: it tells suppliers and operators
// what not to build in or buy.
func (s *Store) FindProhibitions(ctx context.Context, current bool, page csreview.Page) (list []*csreview.Prohibition, total int, err error) {
	if actor(ctx) == nil {
		return nil, 0, errUnauthenticated()
	}
	cond := ""
	if current {
		cond = " WHERE lifted_at = ''"
	}
	page = page.Normalize()
	err = s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT id, purl, supplier, reason, added_by, created_at, lifted_at, COUNT(*) OVER ()
			FROM prohibitions`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, page.Limit, page.Offset)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p := new(csreview.Prohibition)
			if err := rows.Scan(&p.ID, &p.PURL, &p.Supplier, &p.Reason, idcol{&p.AddedBy}, tcol{&p.Created}, &p.Lifted, &total); err != nil {
				return mapError(err)
			}
			list = append(list, p)
		}
		return mapError(rows.Err())
	})
	return list, total, err
}

const alertCols = `id, at, kind, trigger_ref, severity, product_id, version_id, supplier_id, passed, components, summary, state, case_id`

func scanAlert(row interface{ Scan(...any) error }, extra ...any) (*csreview.Alert, error) {
	a := new(csreview.Alert)
	var comps string
	if err := row.Scan(append([]any{&a.ID, tcol{&a.At}, &a.Kind, &a.Trigger, &a.Severity, &a.ProductID, &a.VersionID,
		&a.SupplierID, &a.Passed, &comps, &a.Summary, &a.State, idcol{&a.CaseID}}, extra...)...); err != nil {
		return nil, mapError(err)
	}
	json.Unmarshal([]byte(comps), &a.Components)
	return a, nil
}

// parentCaseOf finds the passed case an alert proposes to re-review.
func parentCaseOf(tx *Tx, a *csreview.Alert) error {
	if !a.Passed {
		return nil
	}
	version, err := versionOf(tx, a.VersionID)
	if err != nil {
		return err
	}
	st, err := versionStatus(tx.asSystem(), a.VersionID, version, a.ProductID, 0, false)
	if err != nil {
		return err
	}
	if st.status == csreview.StatusPassed {
		a.ParentCase, a.ParentCaseID = st.ref, st.caseID
	}
	return nil
}

// FindAlerts lists the alerts the caller may see, newest first.
func (s *Store) FindAlerts(ctx context.Context, f csreview.AlertFilter) (list []*csreview.Alert, total int, err error) {
	u := actor(ctx)
	var w where
	switch sc := csreview.AlertScope(u); {
	case sc.None:
		w.add("1 = 0")
	case sc.SupplierID != 0:
		w.add("supplier_id = ?", sc.SupplierID)
	case sc.OperatorID != 0:
		w.add("id IN (SELECT alert_id FROM alert_operators WHERE operator_id = ?)", sc.OperatorID)
	case sc.Sector != "":
		w.add("id IN (SELECT ao.alert_id FROM alert_operators ao JOIN operators o ON o.id = ao.operator_id WHERE o.sector = ?)", string(sc.Sector))
	}
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.VersionID != 0 {
		w.add("version_id = ?", f.VersionID)
	}
	page := f.Page.Normalize()
	err = s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+alertCols+`, COUNT(*) OVER () FROM alerts`+w.sql()+` ORDER BY id DESC LIMIT ? OFFSET ?`,
			append(w.args, page.Limit, page.Offset)...)
		if err != nil {
			return err
		}
		var raw []*csreview.Alert
		for rows.Next() {
			a, err := scanAlert(rows, &total)
			if err != nil {
				rows.Close()
				return err
			}
			raw = append(raw, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
		for _, a := range raw {
			if err := parentCaseOf(tx, a); err != nil {
				return err
			}
			x, err := forReader(tx, u, a)
			if err != nil {
				return err
			}
			if x != nil {
				list = append(list, x)
			}
		}
		return nil
	})
	return list, total, err
}

// FindAlert returns an alert the caller may see.
func (s *Store) FindAlert(ctx context.Context, id int64) (a *csreview.Alert, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		a, err = visibleAlert(tx, id)
		return err
	})
	return a, err
}

func visibleAlert(tx *Tx, id int64) (*csreview.Alert, error) {
	a, err := scanAlert(tx.queryRow(`SELECT `+alertCols+` FROM alerts WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "alert", id)
	}
	if err := parentCaseOf(tx, a); err != nil {
		return nil, err
	}
	x, err := forReader(tx, tx.actor, a)
	if err != nil {
		return nil, err
	}
	if x == nil {
		return nil, errNotFound("alert", id)
	}
	return x, nil
}

// SetAlertState moves an alert; a case ID links the re-review opened from
// it.
func (s *Store) SetAlertState(ctx context.Context, id int64, state string, caseID int64) (a *csreview.Alert, err error) {
	// Who may, before what: a caller who may not move the alert learns
	// nothing from the validation of its request.
	err = s.DB.write(ctx, func(tx *Tx) error {
		before, err := visibleAlert(tx, id)
		if err != nil {
			return err
		}
		if !csreview.CanManageMonitoring(tx.actor) {
			return errForbidden()
		}
		var v csreview.Invalid
		v.OneOf("state", state, csreview.AlertStates)
		if state == csreview.AlertCase && caseID == 0 {
			v.Add("case_id", "required")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if caseID != 0 {
			if _, err := cases.get(tx, caseID); err != nil {
				return invalid("case_id", "unknown")
			}
		}
		closed := ""
		if state == csreview.AlertClosed {
			closed = formatTime(tx.now)
		}
		if _, err := tx.exec(`UPDATE alerts SET state = ?, case_id = ?, closed_at = ? WHERE id = ?`, state, idcol{&caseID}, closed, id); err != nil {
			return err
		}
		a, err = visibleAlert(tx, id)
		if err != nil {
			return err
		}
		return tx.audit("update", "alert", id, before, a)
	})
	return a, err
}

// monitorAdvisory raises the alerts for one added or changed advisory, in
// the import's transaction.
func monitorAdvisory(tx *Tx, rec *advisory.Record) (*csreview.MonitorResult, error) {
	if rec.IsWithdrawn() {
		return &csreview.MonitorResult{}, nil
	}
	h, err := advisoryHits(tx, rec)
	if err != nil || len(h) == 0 {
		return &csreview.MonitorResult{}, err
	}
	level, _, _ := rec.Severity()
	summary := rec.ID
	if len(rec.Aliases) > 0 {
		summary += " (" + strings.Join(rec.Aliases, ", ") + ")"
	}
	if rec.Summary != "" {
		summary += ": " + rec.Summary
	}
	return raiseAlerts(tx, csreview.AlertAdvisory, rec.ID, level, summary, h)
}

// addResult sums what triggers touched.
func addResult(r *csreview.MonitorResult, x *csreview.MonitorResult) {
	r.Alerts += x.Alerts
	r.Passed += x.Passed
	r.Inventory += x.Inventory
	r.Webhooks += x.Webhooks
}

// asSystem is tx acting as the system, for facts the store needs whoever
// asked (whether a version passed, for an alert).
func (tx *Tx) asSystem() *Tx {
	c := *tx
	c.actor = csreview.SystemUser("monitor")
	return &c
}
