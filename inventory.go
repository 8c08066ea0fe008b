package csreview

import (
	"context"
	"strings"
	"time"
)

// InventoryEntry is one product or service a CII operator uses or is buying
// (DESIGN §6): which version, for which CII system, what it cost, and what
// the operator obtained from the supplier — the commitments of the 2021
// Measures Art. 6 and the security and confidentiality agreement of CSL
// Art. 36 (CII Regulations Art. 20).
type InventoryEntry struct {
	ID         int64 `json:"id"`
	OperatorID int64 `json:"operator_id"`
	// ProductID is the version's product; it may be left 0 on input.
	ProductID int64 `json:"product_id"`
	VersionID int64 `json:"version_id"`
	// System is the CII system the product serves.
	System string `json:"system"`
	// Sector defaults to the operator's sector (CSL Art. 31).
	Sector Sector `json:"sector,omitempty"`
	// Stage: planned (being bought), in_use or retired.
	Stage string `json:"stage"`
	// Amount is the purchase amount in yuan; fines are multiples of it
	// (CSL Art. 65).
	Amount      int64 `json:"amount"`
	PurchasedOn Date  `json:"purchased_on,omitempty"`
	// Forecast is the operator's own forecast of the purchase's
	// national-security risk (2020/2021 Measures Art. 5): may_affect,
	// no_effect or "" (not made).
	Forecast string `json:"forecast,omitempty"`
	// The supplier's commitments (2021 Measures Art. 6): not to obtain user
	// data illegally, not to control or manipulate users' equipment
	// illegally, not to interrupt supply or support without justified reason.
	CommitData     bool   `json:"commit_data"`
	CommitControl  bool   `json:"commit_control"`
	CommitSupply   bool   `json:"commit_supply"`
	CommitmentsRef string `json:"commitments_ref,omitempty"`
	// Agreement: a security and confidentiality agreement is signed (CSL
	// Art. 36; CII Regulations Art. 20).
	Agreement    bool   `json:"agreement"`
	AgreementOn  Date   `json:"agreement_on,omitempty"`
	AgreementRef string `json:"agreement_ref,omitempty"`
	// CaseID is the review case filed for this purchase, if any.
	CaseID    int64     `json:"case_id,omitempty"`
	Notes     string    `json:"notes,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Inventory stages.
const (
	StagePlanned = "planned"
	StageInUse   = "in_use"
	StageRetired = "retired"
)

// InventoryStages lists the stages.
var InventoryStages = []string{StagePlanned, StageInUse, StageRetired}

// Forecasts are the operator's possible forecasts (2021 Measures Art. 5).
var Forecasts = []string{"may_affect", "no_effect"}

// Commitments reports whether all three Art. 6 commitments are recorded.
func (e *InventoryEntry) Commitments() bool { return e.CommitData && e.CommitControl && e.CommitSupply }

// Validate checks the fields a user enters.
func (e *InventoryEntry) Validate() error {
	e.System, e.Notes = strings.TrimSpace(e.System), strings.TrimSpace(e.Notes)
	e.CommitmentsRef, e.AgreementRef = strings.TrimSpace(e.CommitmentsRef), strings.TrimSpace(e.AgreementRef)
	if e.Stage == "" {
		e.Stage = StageInUse
	}
	var v Invalid
	if e.OperatorID <= 0 {
		v.Add("operator_id", "required")
	}
	if e.VersionID <= 0 {
		v.Add("version_id", "required")
	}
	v.Required("system", e.System)
	v.MaxLen("system", e.System, 200)
	if e.Sector != "" {
		v.OneOf("sector", string(e.Sector), names(Sectors))
	}
	v.OneOf("stage", e.Stage, InventoryStages)
	if e.Amount < 0 {
		v.Add("amount", "negative")
	}
	if e.PurchasedOn != "" && !e.PurchasedOn.Valid() {
		v.Add("purchased_on", "invalid_date")
	}
	if e.Forecast != "" {
		v.OneOf("forecast", e.Forecast, Forecasts)
	}
	if e.AgreementOn != "" && !e.AgreementOn.Valid() {
		v.Add("agreement_on", "invalid_date")
	}
	v.MaxLen("commitments_ref", e.CommitmentsRef, 200)
	v.MaxLen("agreement_ref", e.AgreementRef, 200)
	v.MaxLen("notes", e.Notes, 2000)
	return v.Err()
}

// InventoryFilter selects inventory entries. Zero fields do not filter.
type InventoryFilter struct {
	Query      string
	OperatorID int64
	ProductID  int64
	VersionID  int64
	Sector     Sector
	Stage      string
	Page
}

// InventoryService keeps operators' inventories. An operator's users keep
// their own; the office, admins and member units read all; a regulator
// reads its sector's.
type InventoryService interface {
	// FindInventoryEntry returns an entry: ENOTFOUND unless
	// CanReadInventory.
	FindInventoryEntry(ctx context.Context, id int64) (*InventoryEntry, error)
	// FindInventory lists one page of the entries in InventoryScope and
	// the total. Only internal errors.
	FindInventory(ctx context.Context, f InventoryFilter) ([]*InventoryEntry, int, error)
	// CreateInventoryEntry records one entry; errors as ImportInventory.
	CreateInventoryEntry(ctx context.Context, e *InventoryEntry) error
	// UpdateInventoryEntry saves e.ID's fields, keeping its operator:
	// ENOTFOUND unless CanReadInventory, EFORBIDDEN unless
	// CanWriteInventory, EINVALID naming each bad field.
	UpdateInventoryEntry(ctx context.Context, e *InventoryEntry) error
	// DeleteInventoryEntry removes an entry: ENOTFOUND unless
	// CanReadInventory, EFORBIDDEN unless CanWriteInventory, ECONFLICT
	// when it has enforcement records (retire it instead).
	DeleteInventoryEntry(ctx context.Context, id int64) error
	// ImportInventory adds entries in one transaction: all or none.
	// EUNAUTHORIZED when anonymous, EFORBIDDEN unless CanWriteInventory for
	// every entry, EINVALID naming each bad field ("3.system" for several),
	// an unknown operator or version among them.
	ImportInventory(ctx context.Context, list []*InventoryEntry) error
}

// Determination is a CII protection department's decision whether CII
// purchases in its sector affect national security (2017 trial Measures
// Art. 10; 2017 draft Art. 11): for one operator or the whole sector, and
// for one product or a whole category.
type Determination struct {
	ID     int64  `json:"id"`
	Sector Sector `json:"sector"`
	// OperatorID is 0 for every operator of the sector.
	OperatorID int64 `json:"operator_id,omitempty"`
	// ProductID or Category: what the determination covers.
	ProductID int64    `json:"product_id,omitempty"`
	Category  Category `json:"category,omitempty"`
	// Affects: the purchase may affect national security, so it must be
	// reviewed.
	Affects   bool      `json:"affects"`
	Reason    string    `json:"reason"`
	DecidedOn Date      `json:"decided_on"`
	DecidedBy int64     `json:"decided_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the fields a user enters.
func (d *Determination) Validate() error {
	d.Reason = strings.TrimSpace(d.Reason)
	var v Invalid
	if v.Required("sector", string(d.Sector)) {
		v.OneOf("sector", string(d.Sector), names(Sectors))
	}
	if d.ProductID == 0 && d.Category == "" {
		v.Add("product_id", "product_or_category")
	}
	if d.Category != "" {
		v.OneOf("category", string(d.Category), names(Categories))
	}
	v.Required("reason", d.Reason)
	v.MaxLen("reason", d.Reason, 2000)
	if v.Required("decided_on", string(d.DecidedOn)) && !d.DecidedOn.Valid() {
		v.Add("decided_on", "invalid_date")
	}
	return v.Err()
}

// Specificity orders determinations that apply to the same purchase: one
// about this operator beats one about the sector, and one about this
// product beats one about its category.
func (d *Determination) Specificity() int {
	n := 0
	if d.OperatorID != 0 {
		n += 2
	}
	if d.ProductID != 0 {
		n++
	}
	return n
}

// DeterminationFilter selects determinations.
type DeterminationFilter struct {
	Sector     Sector
	OperatorID int64
	ProductID  int64
	Page
}

// DeterminationService records determinations. A regulator records those
// of its sector; the office and admins read all; an operator reads those
// that apply to it.
type DeterminationService interface {
	// FindDetermination returns a determination: ENOTFOUND unless
	// CanReadDetermination.
	FindDetermination(ctx context.Context, id int64) (*Determination, error)
	// FindDeterminations lists one page of the determinations in
	// DeterminationScope and the total. Only internal errors.
	FindDeterminations(ctx context.Context, f DeterminationFilter) ([]*Determination, int, error)
	// CreateDetermination records d, in the regulator's sector by default:
	// EUNAUTHORIZED when anonymous, EFORBIDDEN unless CanWriteDetermination,
	// EINVALID naming each bad field (an unknown or other-sector operator,
	// an unknown product).
	CreateDetermination(ctx context.Context, d *Determination) error
	// UpdateDetermination saves d.ID's fields, keeping its sector:
	// ENOTFOUND unless CanReadDetermination, EFORBIDDEN unless
	// CanWriteDetermination, EINVALID as CreateDetermination.
	UpdateDetermination(ctx context.Context, d *Determination) error
	// DeleteDetermination withdraws a determination: ENOTFOUND unless
	// CanReadDetermination, EFORBIDDEN unless CanWriteDetermination.
	DeleteDetermination(ctx context.Context, id int64) error
}
