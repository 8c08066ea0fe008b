package sqlstore

import (
	"context"
	"time"

	"github.com/csreview/csreview"
)

var determinations = &table[csreview.Determination]{
	name:   "determinations",
	entity: "determination",
	id:     func(d *csreview.Determination) *int64 { return &d.ID },
	columns: func(d *csreview.Determination) []column {
		return []column{
			{"sector", &d.Sector},
			{"operator_id", idcol{&d.OperatorID}},
			{"product_id", idcol{&d.ProductID}},
			{"category", &d.Category},
			{"affects", &d.Affects},
			{"reason", &d.Reason},
			{"decided_on", &d.DecidedOn},
			{"decided_by", idcol{&d.DecidedBy}},
			{"created_at", tcol{&d.CreatedAt}},
			{"updated_at", tcol{&d.UpdatedAt}},
		}
	},
	stamps: func(d *csreview.Determination) (c, u *time.Time) { return &d.CreatedAt, &d.UpdatedAt },
}

var _ csreview.DeterminationService = (*Store)(nil)

// operatorSector is the sector of the acting operator user's operator, ""
// for any other user.
func operatorSector(tx *Tx) (csreview.Sector, error) {
	if u := tx.actor; u != nil && u.OperatorID > 0 {
		return operatorSectorOf(tx, u.OperatorID)
	}
	return "", nil
}

func canReadDetermination(tx *Tx) (func(*csreview.User, *csreview.Determination) bool, error) {
	sector, err := operatorSector(tx)
	if err != nil {
		return nil, err
	}
	return func(u *csreview.User, d *csreview.Determination) bool {
		return csreview.CanReadDetermination(u, d, sector)
	}, nil
}

// FindDetermination returns a determination the caller may see.
func (s *Store) FindDetermination(ctx context.Context, id int64) (d *csreview.Determination, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		can, err := canReadDetermination(tx)
		if err != nil {
			return err
		}
		d, err = findVisible(tx, determinations, id, can)
		return err
	})
	return d, err
}

// FindDeterminations lists the determinations the caller may see.
func (s *Store) FindDeterminations(ctx context.Context, f csreview.DeterminationFilter) (list []*csreview.Determination, total int, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		var w where
		switch sc := csreview.DeterminationScope(tx.actor); {
		case sc.None:
			w.add("1 = 0")
		case sc.Sector != "":
			w.add("sector = ?", string(sc.Sector))
		case sc.OperatorID != 0:
			// An operator reads its sector's determinations that apply to
			// all its operators or to it.
			sector, err := operatorSectorOf(tx, sc.OperatorID)
			if err != nil {
				return err
			}
			w.add("sector = ? AND (operator_id IS NULL OR operator_id = ?)", string(sector), sc.OperatorID)
		}
		if f.Sector != "" {
			w.add("sector = ?", string(f.Sector))
		}
		if f.OperatorID != 0 {
			w.add("(operator_id IS NULL OR operator_id = ?)", f.OperatorID)
		}
		if f.ProductID != 0 {
			w.add("(product_id IS NULL OR product_id = ?)", f.ProductID)
		}
		list, total, err = determinations.list(tx, w, "decided_on DESC, id DESC", f.Page)
		return err
	})
	return list, total, err
}

// CreateDetermination records a regulator's determination for its sector.
func (s *Store) CreateDetermination(ctx context.Context, d *csreview.Determination) error {
	u := actor(ctx)
	if d.Sector == "" {
		d.Sector = csreview.RegulatedSector(u)
	}
	if !csreview.CanWriteDetermination(u, d) {
		return forbidOrUnauth(ctx)
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		if err := checkDeterminationRefs(tx, d); err != nil {
			return err
		}
		d.DecidedBy, d.CreatedAt, d.UpdatedAt = u.ID, tx.now, tx.now
		return determinations.insert(tx, d)
	})
}

// checkDeterminationRefs: the operator must be of the determination's
// sector, and the product must exist.
func checkDeterminationRefs(tx *Tx, d *csreview.Determination) error {
	if d.OperatorID != 0 {
		var sector string
		if err := tx.queryRow(`SELECT sector FROM operators WHERE id = ?`, d.OperatorID).Scan(&sector); err != nil {
			return invalid("operator_id", "unknown")
		}
		if csreview.Sector(sector) != d.Sector {
			return invalid("operator_id", "other_sector")
		}
	}
	if d.ProductID != 0 {
		n, err := countOf(tx, `SELECT COUNT(*) FROM products WHERE id = ?`, d.ProductID)
		if err != nil {
			return err
		}
		if n == 0 {
			return invalid("product_id", "unknown")
		}
	}
	return nil
}

// UpdateDetermination changes a determination of the regulator's sector.
func (s *Store) UpdateDetermination(ctx context.Context, d *csreview.Determination) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		can, err := canReadDetermination(tx)
		if err != nil {
			return err
		}
		before, err := findVisible(tx, determinations, d.ID, can)
		if err != nil {
			return err
		}
		if !csreview.CanWriteDetermination(tx.actor, before) {
			return errForbidden()
		}
		d.Sector, d.DecidedBy, d.CreatedAt, d.UpdatedAt = before.Sector, before.DecidedBy, before.CreatedAt, tx.now
		if err := d.Validate(); err != nil {
			return err
		}
		if err := checkDeterminationRefs(tx, d); err != nil {
			return err
		}
		return determinations.update(tx, before, d)
	})
}

// DeleteDetermination withdraws a determination.
func (s *Store) DeleteDetermination(ctx context.Context, id int64) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		can, err := canReadDetermination(tx)
		if err != nil {
			return err
		}
		before, err := findVisible(tx, determinations, id, can)
		if err != nil {
			return err
		}
		if !csreview.CanWriteDetermination(tx.actor, before) {
			return errForbidden()
		}
		return determinations.delete(tx, before)
	})
}

// determinationFor returns the most specific determination that covers an
// operator's purchase of a product (2017 trial Measures Art. 10), or nil.
func determinationFor(tx *Tx, o *csreview.Operator, p *csreview.Product) (*csreview.Determination, error) {
	var w where
	w.add("sector = ?", string(o.Sector))
	w.add("(operator_id IS NULL OR operator_id = ?)", o.ID)
	w.add("(product_id = ? OR (product_id IS NULL AND category = ?))", p.ID, string(p.Category))
	list, _, err := determinations.list(tx, w, "decided_on DESC, id DESC", csreview.Page{Limit: csreview.MaxLimit})
	if err != nil {
		return nil, err
	}
	var best *csreview.Determination
	for _, d := range list {
		if best == nil || d.Specificity() > best.Specificity() {
			best = d
		}
	}
	return best, nil
}
