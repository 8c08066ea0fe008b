package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/csreview/csreview"
)

var inventory = &table[csreview.InventoryEntry]{
	name:   "inventory",
	entity: "inventory",
	id:     func(e *csreview.InventoryEntry) *int64 { return &e.ID },
	columns: func(e *csreview.InventoryEntry) []column {
		return []column{
			{"operator_id", &e.OperatorID},
			{"product_id", &e.ProductID},
			{"version_id", &e.VersionID},
			{"system", &e.System},
			{"sector", &e.Sector},
			{"stage", &e.Stage},
			{"amount", &e.Amount},
			{"purchased_on", &e.PurchasedOn},
			{"forecast", &e.Forecast},
			{"commit_data", &e.CommitData},
			{"commit_control", &e.CommitControl},
			{"commit_supply", &e.CommitSupply},
			{"commitments_ref", &e.CommitmentsRef},
			{"agreement", &e.Agreement},
			{"agreement_on", &e.AgreementOn},
			{"agreement_ref", &e.AgreementRef},
			{"case_id", idcol{&e.CaseID}},
			{"notes", &e.Notes},
			{"created_at", tcol{&e.CreatedAt}},
			{"updated_at", tcol{&e.UpdatedAt}},
		}
	},
	stamps: func(e *csreview.InventoryEntry) (c, u *time.Time) { return &e.CreatedAt, &e.UpdatedAt },
}

var _ csreview.InventoryService = (*Store)(nil)

// FindInventoryEntry returns an entry the caller may see.
func (s *Store) FindInventoryEntry(ctx context.Context, id int64) (e *csreview.InventoryEntry, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		e, err = findVisible(tx, inventory, id, csreview.CanReadInventory)
		return err
	})
	return e, err
}

// FindInventory lists the entries the caller may see.
func (s *Store) FindInventory(ctx context.Context, f csreview.InventoryFilter) (list []*csreview.InventoryEntry, total int, err error) {
	var w where
	w.scope(csreview.InventoryScope(actor(ctx)), "", "operator_id", "", "", "sector")
	w.search(f.Query, "system", "notes", "commitments_ref", "agreement_ref")
	for col, v := range map[string]int64{"operator_id": f.OperatorID, "product_id": f.ProductID, "version_id": f.VersionID} {
		if v != 0 {
			w.add(col+" = ?", v)
		}
	}
	if f.Sector != "" {
		w.add("sector = ?", string(f.Sector))
	}
	if f.Stage != "" {
		w.add("stage = ?", f.Stage)
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, total, err = inventory.list(tx, w, "operator_id, system, id", f.Page)
		return err
	})
	return list, total, err
}

// CreateInventoryEntry records a product an operator uses or is buying.
func (s *Store) CreateInventoryEntry(ctx context.Context, e *csreview.InventoryEntry) error {
	return s.ImportInventory(ctx, []*csreview.InventoryEntry{e})
}

// ImportInventory records entries in one transaction: every entry is
// checked, and one bad entry writes none. Errors name the entry by its
// position ("3.system") when there is more than one.
func (s *Store) ImportInventory(ctx context.Context, list []*csreview.InventoryEntry) error {
	u := actor(ctx)
	if u == nil {
		return errUnauthenticated()
	}
	for _, e := range list {
		if e.OperatorID == 0 {
			e.OperatorID = csreview.ActingOperator(u)
		}
		if !csreview.CanWriteInventory(u, e) {
			return forbidOrUnauth(ctx)
		}
	}
	var all csreview.Invalid
	for i, e := range list {
		if err := e.Validate(); err != nil {
			prefixFields(&all, err, list, i)
		}
	}
	if err := all.Err(); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		var bad csreview.Invalid
		for i, e := range list {
			if err := checkInventoryRefs(tx, e); err != nil {
				prefixFields(&bad, err, list, i)
			}
		}
		if err := bad.Err(); err != nil {
			return err
		}
		for _, e := range list {
			e.ID, e.CreatedAt, e.UpdatedAt = 0, tx.now, tx.now
			if err := inventory.insert(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// prefixFields adds err's field errors to v, naming the entry when there
// are several (the CSV import reports rows).
func prefixFields[T any](v *csreview.Invalid, err error, list []T, i int) {
	e := csreview.AsError(err)
	if e == nil || len(e.Fields) == 0 {
		v.Add(fmt.Sprint(i+1), "invalid", csreview.ErrorMessage(err))
		return
	}
	for _, f := range e.Fields {
		if len(list) > 1 {
			f.Field = fmt.Sprintf("%d.%s", i+1, f.Field)
		}
		v.Fields = append(v.Fields, f)
	}
}

// checkInventoryRefs checks that the operator, product and version exist
// and fit together, fills the sector from the operator, and that a linked
// case is the operator's.
func checkInventoryRefs(tx *Tx, e *csreview.InventoryEntry) error {
	var sector string
	if err := tx.queryRow(`SELECT sector FROM operators WHERE id = ?`, e.OperatorID).Scan(&sector); err != nil {
		return invalid("operator_id", "unknown")
	}
	if e.Sector == "" {
		e.Sector = csreview.Sector(sector)
	}
	var pid int64
	if err := tx.queryRow(`SELECT product_id FROM product_versions WHERE id = ?`, e.VersionID).Scan(&pid); err != nil {
		return invalid("version_id", "unknown")
	}
	if e.ProductID == 0 {
		e.ProductID = pid
	}
	if pid != e.ProductID {
		return invalid("version_id", "not_of_product")
	}
	if e.CaseID != 0 {
		var op int64
		if err := tx.queryRow(`SELECT COALESCE(operator_id, 0) FROM cases WHERE id = ?`, e.CaseID).Scan(&op); err != nil || op != e.OperatorID {
			return invalid("case_id", "not_operators")
		}
	}
	return nil
}

// UpdateInventoryEntry saves an entry. The operator it belongs to does not
// change.
func (s *Store) UpdateInventoryEntry(ctx context.Context, e *csreview.InventoryEntry) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, inventory, e.ID, csreview.CanReadInventory)
		if err != nil {
			return err
		}
		if !csreview.CanWriteInventory(tx.actor, before) {
			return errForbidden()
		}
		e.OperatorID, e.CreatedAt, e.UpdatedAt = before.OperatorID, before.CreatedAt, tx.now
		if err := e.Validate(); err != nil {
			return err
		}
		if err := checkInventoryRefs(tx, e); err != nil {
			return err
		}
		return inventory.update(tx, before, e)
	})
}

// DeleteInventoryEntry removes an entry; one with enforcement records is
// kept (set it retired instead).
func (s *Store) DeleteInventoryEntry(ctx context.Context, id int64) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, inventory, id, csreview.CanReadInventory)
		if err != nil {
			return err
		}
		if !csreview.CanWriteInventory(tx.actor, before) {
			return errForbidden()
		}
		n, err := countOf(tx, `SELECT COUNT(*) FROM enforcement WHERE inventory_id = ?`, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.inventory_enforced",
				"This entry has enforcement records; mark it retired instead of deleting it.")
		}
		return inventory.delete(tx, before)
	})
}
