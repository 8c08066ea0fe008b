package csreview

import (
	"context"
	"strings"
	"time"
)

// Operator runs critical information infrastructure (CSL Art. 31) or an
// online platform. CII operators file for review before buying a product
// that may affect national security (2021 Measures Art. 5); a platform
// operator holding personal information of more than one million users files
// before listing abroad (2021 Measures Art. 7).
type Operator struct {
	ID     int64  `json:"id"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en,omitempty"`
	USCC   string `json:"uscc"`
	Sector Sector `json:"sector"`
	// Region is the province-level region of registration.
	Region string `json:"region,omitempty"`
	// CII is true when the operator has been identified as a CII operator.
	CII bool `json:"cii"`
	// Platform is true for an online platform operator.
	Platform bool `json:"platform"`
	// PersonalInfoUsers is the number of users whose personal information the
	// operator holds (2021 Measures Art. 7 threshold: 1,000,000).
	PersonalInfoUsers int64 `json:"personal_info_users,omitempty"`
	// Group is the corporate group, for conflicts of interest with
	// assessment bodies.
	Group     string    `json:"group,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Name returns the name in the given language, falling back to Chinese.
func (o *Operator) Name(lang string) string { return pickName(lang, o.NameZH, o.NameEN) }

// Validate checks the fields a user enters.
func (o *Operator) Validate() error {
	o.NameZH, o.NameEN = strings.TrimSpace(o.NameZH), strings.TrimSpace(o.NameEN)
	o.USCC = strings.ToUpper(strings.TrimSpace(o.USCC))
	var v Invalid
	v.Required("name_zh", o.NameZH)
	v.MaxLen("name_zh", o.NameZH, 200)
	v.MaxLen("name_en", o.NameEN, 200)
	if v.Required("uscc", o.USCC) && !ValidUSCC(o.USCC) {
		v.Add("uscc", "invalid_uscc")
	}
	if v.Required("sector", string(o.Sector)) {
		v.OneOf("sector", string(o.Sector), names(Sectors))
	}
	v.MaxLen("region", o.Region, 50)
	if o.PersonalInfoUsers < 0 {
		v.Add("personal_info_users", "negative")
	}
	v.MaxLen("contact", o.Contact, 200)
	v.MaxLen("group", o.Group, 200)
	return v.Err()
}

// OperatorFilter selects operators. Zero fields do not filter.
type OperatorFilter struct {
	Query  string
	Sector Sector
	CII    *bool
	Page
}

// OperatorService manages operators. An operator's users see and edit only
// their own entry; a regulator only the operators of its sector.
type OperatorService interface {
	// FindOperatorByID returns an operator: ENOTFOUND unless
	// CanReadOperator.
	FindOperatorByID(ctx context.Context, id int64) (*Operator, error)
	// FindOperators lists one page of the operators in OperatorScope and
	// the total. Only internal errors.
	FindOperators(ctx context.Context, f OperatorFilter) ([]*Operator, int, error)
	// CreateOperator returns EUNAUTHORIZED when anonymous, EFORBIDDEN
	// unless CanCreateOperator, EINVALID naming each bad field, ECONFLICT
	// on a duplicate USCC.
	CreateOperator(ctx context.Context, o *Operator) error
	// UpdateOperator saves o.ID's editable fields (its standing only if
	// CanSetOperatorStanding): ENOTFOUND unless CanReadOperator, EFORBIDDEN
	// unless CanUpdateOperator, EINVALID and ECONFLICT as CreateOperator.
	UpdateOperator(ctx context.Context, o *Operator) error
	// DeleteOperator returns ENOTFOUND unless CanReadOperator, EFORBIDDEN
	// unless CanDeleteOperator, ECONFLICT while accounts, cases or
	// enforcement records refer to it.
	DeleteOperator(ctx context.Context, id int64) error
}
