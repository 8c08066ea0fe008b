package sqlstore

import (
	"context"
	"time"

	"github.com/csreview/csreview"
)

var suppliers = &table[csreview.Supplier]{
	name:   "suppliers",
	entity: "supplier",
	id:     func(s *csreview.Supplier) *int64 { return &s.ID },
	columns: func(s *csreview.Supplier) []column {
		return []column{
			{"name_zh", &s.NameZH},
			{"name_en", &s.NameEN},
			{"country", &s.Country},
			{"uscc", nscol{&s.USCC}},
			{"registration_no", nscol{&s.RegistrationNo}},
			{"group_name", &s.Group},
			{"ownership", &s.Ownership},
			{"address", &s.Address},
			{"contact", &s.Contact},
			{"website", &s.Website},
			{"created_at", tcol{&s.CreatedAt}},
			{"updated_at", tcol{&s.UpdatedAt}},
		}
	},
	stamps: func(x *csreview.Supplier) (c, u *time.Time) { return &x.CreatedAt, &x.UpdatedAt },
}

// FindSupplierByID returns a supplier the caller may see.
func (s *Store) FindSupplierByID(ctx context.Context, id int64) (sup *csreview.Supplier, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		sup, err = findVisible(tx, suppliers, id, csreview.CanReadSupplier)
		return err
	})
	return sup, err
}

// FindSuppliers lists the suppliers the caller may see.
func (s *Store) FindSuppliers(ctx context.Context, f csreview.SupplierFilter) (list []*csreview.Supplier, total int, err error) {
	var w where
	w.scope(csreview.SupplierScope(actor(ctx)), "id", "", "", "", "")
	w.search(f.Query, "name_zh", "name_en", "uscc", "registration_no")
	if f.Country != "" {
		w.add("country = ?", f.Country)
	}
	if f.Domestic != nil {
		if *f.Domestic {
			w.add("country = 'CN'")
		} else {
			w.add("country <> 'CN'")
		}
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, total, err = suppliers.list(tx, w, "name_zh, id", f.Page)
		return err
	})
	return list, total, err
}

// CreateSupplier registers a supplier.
func (s *Store) CreateSupplier(ctx context.Context, sup *csreview.Supplier) error {
	if !csreview.CanCreateSupplier(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	if err := sup.Validate(); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		sup.CreatedAt, sup.UpdatedAt = tx.now, tx.now
		return suppliers.insert(tx, sup)
	})
}

// UpdateSupplier saves the editable fields of sup.
func (s *Store) UpdateSupplier(ctx context.Context, sup *csreview.Supplier) error {
	return updateVisible(s.DB, ctx, suppliers, sup, csreview.CanReadSupplier, csreview.CanUpdateSupplier, (*csreview.Supplier).Validate,
		func(u *csreview.User, before, after *csreview.Supplier) {
			// What a supplier is, the office records.
			if !csreview.CanSetSupplierIdentity(u) {
				after.NameZH, after.Country, after.USCC, after.RegistrationNo = before.NameZH, before.Country, before.USCC, before.RegistrationNo
				after.Group, after.Ownership = before.Group, before.Ownership
			}
		})
}

// DeleteSupplier deletes a supplier that no product refers to.
func (s *Store) DeleteSupplier(ctx context.Context, id int64) error {
	return deleteVisible(s.DB, ctx, suppliers, id, csreview.CanReadSupplier, csreview.CanDeleteSupplier)
}

// forbidOrUnauth is the error for a refused action that names no object:
// EUNAUTHORIZED for anonymous callers, EFORBIDDEN for others.
func forbidOrUnauth(ctx context.Context) error {
	if actor(ctx) == nil {
		return errUnauthenticated()
	}
	return errForbidden()
}
