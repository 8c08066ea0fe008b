package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/csreview/csreview"
)

var bodies = &table[csreview.Body]{
	name:   "bodies",
	entity: "body",
	id:     func(b *csreview.Body) *int64 { return &b.ID },
	columns: func(b *csreview.Body) []column {
		return []column{
			{"name_zh", &b.NameZH},
			{"name_en", &b.NameEN},
			{"uscc", &b.USCC},
			{"accreditation_no", &b.AccreditationNo},
			{"scope", jcol[[]csreview.Category]{&b.Scope}},
			{"valid_from", &b.ValidFrom},
			{"valid_until", &b.ValidUntil},
			{"group_name", &b.Group},
			{"contact", &b.Contact},
			{"created_at", tcol{&b.CreatedAt}},
			{"updated_at", tcol{&b.UpdatedAt}},
		}
	},
	stamps: func(x *csreview.Body) (c, u *time.Time) { return &x.CreatedAt, &x.UpdatedAt },
}

// FindBodyByID returns an assessment body.
func (s *Store) FindBodyByID(ctx context.Context, id int64) (b *csreview.Body, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		b, err = findVisible(tx, bodies, id, csreview.CanReadBody)
		return err
	})
	return b, err
}

// FindBodies lists assessment bodies.
func (s *Store) FindBodies(ctx context.Context, f csreview.BodyFilter) (list []*csreview.Body, total int, err error) {
	var w where
	w.scope(csreview.BodyScope(actor(ctx)), "", "", "id", "", "")
	w.search(f.Query, "name_zh", "name_en", "accreditation_no")
	if f.Category != "" {
		// scope is a JSON array of plain identifiers: a quoted match is exact.
		w.add("scope LIKE ?", `%"`+strings.ReplaceAll(string(f.Category), `%`, ``)+`"%`)
	}
	if f.ValidOn != "" {
		w.add("valid_from <= ? AND valid_until >= ?", string(f.ValidOn), string(f.ValidOn))
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, total, err = bodies.list(tx, w, "name_zh, id", f.Page)
		return err
	})
	return list, total, err
}

// CreateBody registers an accredited body.
func (s *Store) CreateBody(ctx context.Context, b *csreview.Body) error {
	if !csreview.CanWriteBody(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	if err := b.Validate(); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		b.CreatedAt, b.UpdatedAt = tx.now, tx.now
		return bodies.insert(tx, b)
	})
}

// UpdateBody saves the editable fields of b.
func (s *Store) UpdateBody(ctx context.Context, b *csreview.Body) error {
	canWrite := func(u *csreview.User, _ *csreview.Body) bool { return csreview.CanWriteBody(u) }
	return updateVisible(s.DB, ctx, bodies, b, csreview.CanReadBody, canWrite, (*csreview.Body).Validate)
}

// DeleteBody deletes a body no assessor account refers to.
func (s *Store) DeleteBody(ctx context.Context, id int64) error {
	canWrite := func(u *csreview.User, _ *csreview.Body) bool { return csreview.CanWriteBody(u) }
	return deleteVisible(s.DB, ctx, bodies, id, csreview.CanReadBody, canWrite)
}

// CreateBodyRelation records a relationship that may conflict a body; only
// the office and admins, who maintain accreditations, may.
func (s *Store) CreateBodyRelation(ctx context.Context, r *csreview.BodyRelation) error {
	if !csreview.CanWriteBody(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		// The body is named by the path: an unknown one is not found,
		// whatever the rest of the request says.
		if ok, err := bodies.exists(tx, r.BodyID); err != nil {
			return err
		} else if !ok {
			return errNotFound("body", r.BodyID)
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if err := tx.queryRow(`INSERT INTO body_relations (body_id, kind, supplier_id, operator_id, product_id, on_date, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.BodyID, r.Kind, idcol{&r.SupplierID}, idcol{&r.OperatorID},
			idcol{&r.ProductID}, string(r.On), r.Note, formatTime(tx.now)).Scan(&r.ID); err != nil {
			return mapError(err)
		}
		return tx.audit("create", "body_relation", r.ID, nil, r)
	})
}
