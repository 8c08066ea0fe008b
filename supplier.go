package csreview

import (
	"context"
	"strings"
	"time"
)

// Supplier provides network products or services. Suppliers must cooperate
// with the review (2017 Measures Art. 13), and the Expert Committee weighs
// their security and credibility (2017 Measures Art. 6), which is why the
// registry keeps their ownership and corporate group.
type Supplier struct {
	ID     int64  `json:"id"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code of the place of registration;
	// "CN" makes the supplier domestic.
	Country string `json:"country"`
	// USCC is the unified social credit code (GB 32100-2015) of a domestic
	// supplier; unique.
	USCC string `json:"uscc,omitempty"`
	// RegistrationNo is a foreign supplier's company number at home; unique
	// with Country.
	RegistrationNo string `json:"registration_no,omitempty"`
	// Group is the corporate group, used to detect conflicts of interest
	// with assessment bodies.
	Group string `json:"group,omitempty"`
	// Ownership describes ownership and control (2017 Measures Art. 6).
	Ownership string    `json:"ownership,omitempty"`
	Address   string    `json:"address,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	Website   string    `json:"website,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Domestic reports whether the supplier is registered in mainland China.
func (s *Supplier) Domestic() bool { return s.Country == "CN" }

// Name returns the name in the given language, falling back to Chinese.
func (s *Supplier) Name(lang string) string { return pickName(lang, s.NameZH, s.NameEN) }

// Validate checks the fields a user enters. It normalises case and spaces
// first, so that keys compare equal.
func (s *Supplier) Validate() error {
	s.NameZH, s.NameEN = strings.TrimSpace(s.NameZH), strings.TrimSpace(s.NameEN)
	s.Country = strings.ToUpper(strings.TrimSpace(s.Country))
	s.USCC = strings.ToUpper(strings.TrimSpace(s.USCC))
	s.RegistrationNo = strings.TrimSpace(s.RegistrationNo)
	var v Invalid
	v.Required("name_zh", s.NameZH)
	v.MaxLen("name_zh", s.NameZH, 200)
	v.MaxLen("name_en", s.NameEN, 200)
	if v.Required("country", s.Country) && !ValidCountry(s.Country) {
		v.Add("country", "invalid_country")
	}
	if s.Domestic() {
		if v.Required("uscc", s.USCC) && !ValidUSCC(s.USCC) {
			v.Add("uscc", "invalid_uscc")
		}
	} else {
		if s.USCC != "" && !ValidUSCC(s.USCC) {
			v.Add("uscc", "invalid_uscc")
		}
		v.Required("registration_no", s.RegistrationNo)
	}
	v.MaxLen("registration_no", s.RegistrationNo, 64)
	v.MaxLen("group", s.Group, 200)
	v.MaxLen("ownership", s.Ownership, 4000)
	v.MaxLen("address", s.Address, 400)
	v.MaxLen("contact", s.Contact, 200)
	v.MaxLen("website", s.Website, 400)
	if s.Website != "" && !strings.HasPrefix(s.Website, "https://") && !strings.HasPrefix(s.Website, "http://") {
		v.Add("website", "invalid_url")
	}
	return v.Err()
}

// SupplierFilter selects suppliers. Zero fields do not filter.
type SupplierFilter struct {
	Query    string // substring of either name, the USCC or the registration number
	Country  string
	Domestic *bool
	Page
}

// SupplierService manages suppliers. Every method decides authorization for
// the user in ctx (CanReadSupplier…): an object the user may not read is
// ENOTFOUND, one it may read but not change is EFORBIDDEN.
type SupplierService interface {
	// FindSupplierByID returns ENOTFOUND if there is none or it is not visible.
	FindSupplierByID(ctx context.Context, id int64) (*Supplier, error)
	// FindSuppliers returns one page of the visible suppliers and the total.
	// Only internal errors.
	FindSuppliers(ctx context.Context, f SupplierFilter) ([]*Supplier, int, error)
	// CreateSupplier returns EINVALID, EFORBIDDEN unless CanCreateSupplier
	// (EUNAUTHORIZED when anonymous), or ECONFLICT on a duplicate USCC or
	// registration number.
	CreateSupplier(ctx context.Context, s *Supplier) error
	// UpdateSupplier saves s.ID's editable fields (its identity only if
	// CanSetSupplierIdentity): ENOTFOUND unless CanReadSupplier, EFORBIDDEN
	// unless CanUpdateSupplier, EINVALID and ECONFLICT as Create.
	UpdateSupplier(ctx context.Context, s *Supplier) error
	// DeleteSupplier returns ENOTFOUND unless CanReadSupplier, EFORBIDDEN
	// unless CanDeleteSupplier, and ECONFLICT while products, accounts or
	// cases refer to it.
	DeleteSupplier(ctx context.Context, id int64) error
}

func pickName(lang, zh, en string) string {
	if strings.HasPrefix(lang, "en") && en != "" {
		return en
	}
	return zh
}
