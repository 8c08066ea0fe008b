package sqlstore

import (
	"context"
	"time"

	"github.com/csreview/csreview"
)

var products = &table[csreview.Product]{
	name:   "products",
	entity: "product",
	id:     func(p *csreview.Product) *int64 { return &p.ID },
	columns: func(p *csreview.Product) []column {
		return []column{
			{"supplier_id", &p.SupplierID},
			{"name_zh", &p.NameZH},
			{"name_en", &p.NameEN},
			{"category", &p.Category},
			{"service", &p.Service},
			{"model", &p.Model},
			{"description", &p.Description},
			{"created_at", tcol{&p.CreatedAt}},
			{"updated_at", tcol{&p.UpdatedAt}},
		}
	},
	stamps: func(x *csreview.Product) (c, u *time.Time) { return &x.CreatedAt, &x.UpdatedAt },
}

var productVersions = &table[csreview.ProductVersion]{
	name:   "product_versions",
	entity: "product_version",
	id:     func(v *csreview.ProductVersion) *int64 { return &v.ID },
	columns: func(v *csreview.ProductVersion) []column {
		return []column{
			{"product_id", &v.ProductID},
			{"version", &v.Version},
			{"released_on", &v.ReleasedOn},
			{"notes", &v.Notes},
			{"created_at", tcol{&v.CreatedAt}},
		}
	},
}

// FindProductByID returns a product the caller may see, with its versions.
func (s *Store) FindProductByID(ctx context.Context, id int64) (p *csreview.Product, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		if p, err = findVisible(tx, products, id, csreview.CanReadProduct); err != nil {
			return err
		}
		p.Versions, err = versionsOf(tx, id)
		return err
	})
	return p, err
}

// FindProducts lists the products the caller may see.
func (s *Store) FindProducts(ctx context.Context, f csreview.ProductFilter) (list []*csreview.Product, total int, err error) {
	var w where
	w.scope(csreview.ProductScope(actor(ctx)), "supplier_id", "", "", "", "")
	w.search(f.Query, "name_zh", "name_en", "model")
	if f.SupplierID != 0 {
		w.add("supplier_id = ?", f.SupplierID)
	}
	if f.Category != "" {
		w.add("category = ?", string(f.Category))
	}
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, total, err = products.list(tx, w, "name_zh, id", f.Page)
		return err
	})
	return list, total, err
}

// CreateProduct registers a product of a supplier the caller may write for.
func (s *Store) CreateProduct(ctx context.Context, p *csreview.Product) error {
	if !csreview.CanCreateProducts(actor(ctx)) {
		return forbidOrUnauth(ctx)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.DB.write(ctx, func(tx *Tx) error {
		// The supplier must be visible to the caller: a missing or hidden
		// one is a field error, not a leak of its existence.
		if _, err := findVisible(tx, suppliers, p.SupplierID, csreview.CanReadSupplier); err != nil {
			return supplierFieldErr(err)
		}
		if !csreview.CanWriteProduct(tx.actor, p) {
			return forbidOrUnauth(ctx)
		}
		p.CreatedAt, p.UpdatedAt = tx.now, tx.now
		versions := p.Versions
		p.Versions = nil
		if err := products.insert(tx, p); err != nil {
			return err
		}
		for _, v := range versions {
			v.ProductID = p.ID
			if err := insertVersion(tx, v); err != nil {
				return err
			}
		}
		p.Versions = versions
		return nil
	})
}

// inReview reports whether any version of a product (or the one version)
// is the subject of a case: what was reviewed must stay what it was.
func inReview(tx *Tx, productID, versionID int64) (bool, error) {
	var n int
	q := `SELECT COUNT(*) FROM case_versions cv JOIN product_versions v ON v.id = cv.version_id WHERE v.product_id = ?`
	args := []any{productID}
	if versionID != 0 {
		q += ` AND v.id = ?`
		args = append(args, versionID)
	}
	err := tx.queryRow(q, args...).Scan(&n)
	return n > 0, mapError(err)
}

func errInReview() error {
	return csreview.KeyErrorf(csreview.ECONFLICT, "err.in_review", "It is the subject of a review case and cannot change.")
}

// UpdateProduct saves the editable fields of p; moving a product to another
// supplier needs write permission on both.
func (s *Store) UpdateProduct(ctx context.Context, p *csreview.Product) error {
	var reviewed bool
	if err := s.DB.read(ctx, func(tx *Tx) (err error) { reviewed, err = inReview(tx, p.ID, 0); return err }); err != nil {
		return err
	}
	return updateVisible(s.DB, ctx, products, p, csreview.CanReadProduct, csreview.CanWriteProduct, (*csreview.Product).Validate,
		func(u *csreview.User, before, after *csreview.Product) {
			// A product under review keeps its supplier and category: the
			// body's accreditation scope was checked against them.
			if reviewed {
				after.SupplierID, after.Category = before.SupplierID, before.Category
			}
		})
}

// DeleteProduct deletes a product and its versions; the audit record's
// "before" holds the versions too.
func (s *Store) DeleteProduct(ctx context.Context, id int64) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := findVisible(tx, products, id, csreview.CanReadProduct)
		if err != nil {
			return err
		}
		if !csreview.CanWriteProduct(tx.actor, before) {
			return errForbidden()
		}
		if before.Versions, err = versionsOf(tx, id); err != nil {
			return err
		}
		return products.delete(tx, before)
	})
}

func versionsOf(tx *Tx, productID int64) ([]*csreview.ProductVersion, error) {
	var w where
	w.add("product_id = ?", productID)
	list, _, err := productVersions.list(tx, w, "created_at DESC, id DESC", csreview.Page{Limit: csreview.MaxLimit})
	return list, err
}

// CreateProductVersion adds a version to a product the caller may write.
func (s *Store) CreateProductVersion(ctx context.Context, v *csreview.ProductVersion) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		if err := s.writableProduct(tx, v.ProductID); err != nil {
			return err
		}
		return insertVersion(tx, v)
	})
}

func insertVersion(tx *Tx, v *csreview.ProductVersion) error {
	if err := v.Validate(); err != nil {
		return err
	}
	v.CreatedAt = tx.now
	return productVersions.insert(tx, v)
}

// UpdateProductVersion saves a version's fields.
func (s *Store) UpdateProductVersion(ctx context.Context, v *csreview.ProductVersion) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := s.versionOf(tx, v.ProductID, v.ID)
		if err != nil {
			return err
		}
		if err := v.Validate(); err != nil {
			return err
		}
		if r, err := inReview(tx, v.ProductID, v.ID); err != nil || r {
			if err != nil {
				return err
			}
			return errInReview()
		}
		v.CreatedAt = before.CreatedAt
		return productVersions.update(tx, before, v)
	})
}

// DeleteProductVersion deletes a version.
func (s *Store) DeleteProductVersion(ctx context.Context, productID, id int64) error {
	return s.DB.write(ctx, func(tx *Tx) error {
		before, err := s.versionOf(tx, productID, id)
		if err != nil {
			return err
		}
		if r, err := inReview(tx, productID, id); err != nil || r {
			if err != nil {
				return err
			}
			return errInReview()
		}
		return productVersions.delete(tx, before)
	})
}

// versionOf returns version id of productID if the caller may write it.
func (s *Store) versionOf(tx *Tx, productID, id int64) (*csreview.ProductVersion, error) {
	if err := s.writableProduct(tx, productID); err != nil {
		return nil, err
	}
	v, err := productVersions.get(tx, id)
	if err != nil || v.ProductID != productID {
		return nil, errNotFound("product_version", id)
	}
	return v, nil
}

func (s *Store) writableProduct(tx *Tx, id int64) error {
	p, err := findVisible(tx, products, id, csreview.CanReadProduct)
	if err != nil {
		return err
	}
	if !csreview.CanWriteProduct(tx.actor, p) {
		return errForbidden()
	}
	return nil
}

// supplierFieldErr turns a missing supplier into a field error.
func supplierFieldErr(err error) error {
	if csreview.ErrorCode(err) != csreview.ENOTFOUND {
		return err
	}
	var v csreview.Invalid
	v.Add("supplier_id", "unknown")
	return v.Err()
}

// VersionChoices lists the versions of the products the caller may see,
// by product name, for forms that pick one (at most MaxChoices).
func (s *Store) VersionChoices(ctx context.Context) (list []csreview.VersionChoice, err error) {
	var w where
	w.scope(csreview.ProductScope(actor(ctx)), "p.supplier_id", "", "", "", "")
	err = s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT p.id, p.name_zh, p.name_en, v.id, v.version FROM product_versions v
			JOIN products p ON p.id = v.product_id`+w.sql()+` ORDER BY p.name_zh, p.id, v.version LIMIT ?`, append(w.args, MaxChoices)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c csreview.VersionChoice
			if err := rows.Scan(&c.ProductID, &c.ProductZH, &c.ProductEN, &c.VersionID, &c.Version); err != nil {
				return mapError(err)
			}
			list = append(list, c)
		}
		return rows.Err()
	})
	return list, err
}

// MaxChoices bounds the options of a select.
const MaxChoices = 2000
