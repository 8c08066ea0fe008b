package csreview

import (
	"context"
	"strings"
	"time"
)

// Body is a third-party assessment body, accredited by the State under
// unified criteria (2017 Measures Art. 7) and responsible for the objectivity
// of its results (2017 Measures Art. 12). Its accreditation covers some
// product categories for a period.
type Body struct {
	ID              int64      `json:"id"`
	NameZH          string     `json:"name_zh"`
	NameEN          string     `json:"name_en,omitempty"`
	USCC            string     `json:"uscc"`
	AccreditationNo string     `json:"accreditation_no"`
	Scope           []Category `json:"scope"`
	ValidFrom       Date       `json:"valid_from"`
	ValidUntil      Date       `json:"valid_until"`
	// Group is the corporate group, for conflicts of interest.
	Group     string    `json:"group,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Name returns the name in the given language, falling back to Chinese.
func (b *Body) Name(lang string) string { return pickName(lang, b.NameZH, b.NameEN) }

// AccreditedOn reports whether the accreditation is valid on day d.
func (b *Body) AccreditedOn(d Date) bool { return !d.Before(b.ValidFrom) && !b.ValidUntil.Before(d) }

// Covers reports whether the accreditation scope includes category c.
func (b *Body) Covers(c Category) bool { return oneOf(c, b.Scope) }

// Validate checks the fields a user enters.
func (b *Body) Validate() error {
	b.NameZH, b.NameEN = strings.TrimSpace(b.NameZH), strings.TrimSpace(b.NameEN)
	b.USCC = strings.ToUpper(strings.TrimSpace(b.USCC))
	b.AccreditationNo = strings.TrimSpace(b.AccreditationNo)
	var v Invalid
	v.Required("name_zh", b.NameZH)
	v.MaxLen("name_zh", b.NameZH, 200)
	v.MaxLen("name_en", b.NameEN, 200)
	if v.Required("uscc", b.USCC) && !ValidUSCC(b.USCC) {
		v.Add("uscc", "invalid_uscc")
	}
	v.Required("accreditation_no", b.AccreditationNo)
	v.MaxLen("accreditation_no", b.AccreditationNo, 64)
	if len(b.Scope) == 0 {
		v.Add("scope", "required")
	}
	for _, c := range b.Scope {
		if !c.Valid() {
			v.Add("scope", "not_allowed", strings.Join(names(Categories), ", "))
			break
		}
	}
	from := v.Required("valid_from", string(b.ValidFrom))
	if from && !b.ValidFrom.Valid() {
		v.Add("valid_from", "invalid_date")
		from = false
	}
	if v.Required("valid_until", string(b.ValidUntil)) {
		if !b.ValidUntil.Valid() {
			v.Add("valid_until", "invalid_date")
		} else if from && b.ValidUntil.Before(b.ValidFrom) {
			v.Add("valid_until", "before_start")
		}
	}
	v.MaxLen("group", b.Group, 200)
	v.MaxLen("contact", b.Contact, 200)
	return v.Err()
}

// BodyFilter selects bodies. Zero fields do not filter.
type BodyFilter struct {
	Query    string
	Category Category // accreditation covers this category
	ValidOn  Date     // accreditation valid on this day
	Page
}

// BodyService manages the accredited third-party bodies.
type BodyService interface {
	// FindBodyByID returns a body: ENOTFOUND when there is none or the
	// caller is anonymous (CanReadBody).
	FindBodyByID(ctx context.Context, id int64) (*Body, error)
	// FindBodies lists one page of the bodies in BodyScope (none for
	// anonymous callers) and the total. Only internal errors.
	FindBodies(ctx context.Context, f BodyFilter) ([]*Body, int, error)
	// CreateBody registers a body: EUNAUTHORIZED when anonymous, EFORBIDDEN
	// unless CanWriteBody, EINVALID naming each bad field, ECONFLICT on a
	// duplicate accreditation number.
	CreateBody(ctx context.Context, b *Body) error
	// UpdateBody saves b.ID's fields: ENOTFOUND unless CanReadBody,
	// EFORBIDDEN unless CanWriteBody, EINVALID and ECONFLICT as CreateBody.
	UpdateBody(ctx context.Context, b *Body) error
	// DeleteBody deletes a body: ENOTFOUND unless CanReadBody, EFORBIDDEN
	// unless CanWriteBody, ECONFLICT while accounts or cases refer to it.
	DeleteBody(ctx context.Context, id int64) error
}

// BodyRelation is a relationship of an assessment body that can make it
// conflicted: consulting for a supplier or an operator, or advice on a
// product on a date. Assignment refuses a conflicted body (2017 Measures
// Art. 12: third-party bodies are objective and fair).
type BodyRelation struct {
	ID         int64  `json:"id"`
	BodyID     int64  `json:"body_id"`
	Kind       string `json:"kind"` // consulting or advised
	SupplierID int64  `json:"supplier_id,omitempty"`
	OperatorID int64  `json:"operator_id,omitempty"`
	ProductID  int64  `json:"product_id,omitempty"`
	On         Date   `json:"on"`
	Note       string `json:"note,omitempty"`
}

// Validate checks a relation: consulting names a supplier or an operator,
// advice names a product.
func (r *BodyRelation) Validate() error {
	var v Invalid
	if r.BodyID <= 0 {
		v.Add("body_id", "required")
	}
	switch r.Kind {
	case "consulting":
		if r.SupplierID <= 0 && r.OperatorID <= 0 {
			v.Add("supplier_id", "required")
		}
	case "advised":
		if r.ProductID <= 0 {
			v.Add("product_id", "required")
		}
	default:
		v.Add("kind", "not_allowed", "consulting, advised")
	}
	if !r.On.Valid() {
		v.Add("on", "invalid_date")
	}
	v.MaxLen("note", r.Note, 1000)
	return v.Err()
}
