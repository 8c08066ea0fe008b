package sqlstore

import (
	"context"
	"time"

	"github.com/csreview/csreview"
)

var operators = &table[csreview.Operator]{
	name:   "operators",
	entity: "operator",
	id:     func(o *csreview.Operator) *int64 { return &o.ID },
	columns: func(o *csreview.Operator) []column {
		return []column{
			{"name_zh", &o.NameZH},
			{"name_en", &o.NameEN},
			{"uscc", &o.USCC},
			{"sector", &o.Sector},
			{"region", &o.Region},
			{"cii", &o.CII},
			{"platform", &o.Platform},
			{"personal_info_users", &o.PersonalInfoUsers},
			{"contact", &o.Contact},
			{"group_name", &o.Group},
			{"created_at", tcol{&o.CreatedAt}},
			{"updated_at", tcol{&o.UpdatedAt}},
		}
	},
	stamps: func(x *csreview.Operator) (c, u *time.Time) { return &x.CreatedAt, &x.UpdatedAt },
}

// FindOperatorByID returns an operator the caller may see.
func (s *Store) FindOperatorByID(ctx context.Context, id int64) (o *csreview.Operator, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		o, err = findVisible(tx, operators, id, csreview.CanReadOperator)
		return err
	})
	return o, err
}

// FindOperators lists the operators the caller may see.
func (s *Store) FindOperators(ctx context.Context, f csreview.OperatorFilter) (list []*csreview.Operator, total int, err error) {
	var w where
	w.scope(csreview.OperatorScope(actor(ctx)), "", "id", "", "", "sector")
	w.search(f.Query, "name_zh", "name_en", "uscc")
	if f.Sector != "" {
		w.add("sector = ?", string(f.Sector))
	}
	if f.CII != nil {
		w.add("cii = ?", *f.CII)
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, total, err = operators.list(tx, w, "name_zh, id", f.Page)
		return err
	})
	return list, total, err
}

// CreateOperator registers an operator.
func (s *Store) CreateOperator(ctx context.Context, o *csreview.Operator) error {
	if !csreview.CanCreateOperator(actor(ctx), o) {
		return forbidOrUnauth(ctx)
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		o.CreatedAt, o.UpdatedAt = tx.now, tx.now
		return operators.insert(tx, o)
	})
}

// UpdateOperator saves the editable fields of o.
func (s *Store) UpdateOperator(ctx context.Context, o *csreview.Operator) error {
	return updateVisible(s.DB, ctx, operators, o, csreview.CanReadOperator, csreview.CanUpdateOperator, (*csreview.Operator).Validate,
		func(u *csreview.User, before, after *csreview.Operator) {
			// What decides whether a purchase needs review and who oversees
			// it is recorded by the office and the sector regulator.
			if !csreview.CanSetOperatorStanding(u, before) {
				after.NameZH, after.USCC, after.Sector, after.CII, after.Platform = before.NameZH, before.USCC, before.Sector, before.CII, before.Platform
				after.PersonalInfoUsers, after.Group = before.PersonalInfoUsers, before.Group
			}
		})
}

// DeleteOperator deletes an operator.
func (s *Store) DeleteOperator(ctx context.Context, id int64) error {
	return deleteVisible(s.DB, ctx, operators, id, csreview.CanReadOperator, csreview.CanDeleteOperator)
}
