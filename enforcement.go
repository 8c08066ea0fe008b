package csreview

import (
	"context"
	"time"
)

// Penalty bounds of CSL Art. 65 (and CII Regulations Art. 41): a CII
// operator using a product that was not reviewed, or failed, where review
// was required, is ordered to stop and fined one to ten times the purchase
// amount; the directly responsible persons are fined 10,000 to 100,000
// yuan each.
const (
	FineMinMultiple = 1
	FineMaxMultiple = 10
	PersonFineMin   = 10_000
	PersonFineMax   = 100_000
)

// PenaltyRange returns the fine range on the operator for a purchase of
// amount yuan, and on each responsible person (CSL Art. 65).
func PenaltyRange(amount int64) (fineMin, fineMax, personMin, personMax int64) {
	return FineMinMultiple * amount, FineMaxMultiple * amount, PersonFineMin, PersonFineMax
}

// Enforcement states: prepared by the sweep (open), the stop-use order
// issued (ordered), the operator stopped using the product or had it
// reviewed (rectified), a fine decided (penalised), and closed — or
// dismissed, with the reason.
const (
	EnfOpen      = "open"
	EnfOrdered   = "ordered"
	EnfRectified = "rectified"
	EnfPenalised = "penalised"
	EnfClosed    = "closed"
	EnfDismissed = "dismissed"
)

// EnforcementStates lists the states.
var EnforcementStates = []string{EnfOpen, EnfOrdered, EnfRectified, EnfPenalised, EnfClosed, EnfDismissed}

// enforcementMoves are the allowed transitions.
var enforcementMoves = map[string][]string{
	EnfOpen:      {EnfOrdered, EnfDismissed},
	EnfOrdered:   {EnfRectified, EnfPenalised, EnfDismissed},
	EnfRectified: {EnfPenalised, EnfClosed},
	EnfPenalised: {EnfRectified, EnfClosed},
}

// EnforcementMoves returns the states an enforcement record may move to
// from state.
func EnforcementMoves(state string) []string { return enforcementMoves[state] }

// Enforcement is the record the compliance sweep prepares for an operator
// using a failed, revoked or unreviewed product where review was required,
// tracked to closure.
type Enforcement struct {
	ID          int64  `json:"id"`
	Ref         string `json:"ref"` // ENF-2026-0001
	InventoryID int64  `json:"inventory_id"`
	OperatorID  int64  `json:"operator_id"`
	ProductID   int64  `json:"product_id"`
	VersionID   int64  `json:"version_id"`
	Sector      Sector `json:"sector"`
	Regime      string `json:"regime"`
	// Finding is the product's status that makes the use unlawful: failed,
	// revoked or not_reviewed.
	Finding   string             `json:"finding"`
	Amount    int64              `json:"amount"`
	FineMin   int64              `json:"fine_min"`
	FineMax   int64              `json:"fine_max"`
	PersonMin int64              `json:"person_fine_min"`
	PersonMax int64              `json:"person_fine_max"`
	Basis     []Basis            `json:"basis"`
	State     string             `json:"state"`
	Note      string             `json:"note,omitempty"`
	OpenedOn  Date               `json:"opened_on"`
	ClosedOn  Date               `json:"closed_on,omitempty"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
	Events    []EnforcementEvent `json:"events,omitempty"`
}

// EnforcementEvent is one step of a record.
type EnforcementEvent struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	From  string    `json:"from"`
	To    string    `json:"to"`
	Note  string    `json:"note,omitempty"`
}

// SweepResult says what a compliance sweep found.
type SweepResult struct {
	Checked  int `json:"checked"`  // inventory entries in use
	Found    int `json:"found"`    // in breach
	Created  int `json:"created"`  // new records
	Existing int `json:"existing"` // already had an open record
}

// EnforcementFilter selects records.
type EnforcementFilter struct {
	State      string
	OperatorID int64
	Page
}

// EnforcementService runs the sweep and keeps the records. The office and
// admins act on all; a regulator on its sector's; an operator reads its
// own.
type EnforcementService interface {
	Sweep(ctx context.Context) (*SweepResult, error)
	FindEnforcements(ctx context.Context, f EnforcementFilter) ([]*Enforcement, int, error)
	FindEnforcement(ctx context.Context, id int64) (*Enforcement, error)
	MoveEnforcement(ctx context.Context, id int64, to, note string) (*Enforcement, error)
}

// CanEnforce: the office, admins, and a regulator in its sector (the
// competent department of CSL Art. 65).
func CanEnforce(u *User, sector Sector) bool {
	return u.Is(RoleAdmin, RoleOffice) || (u.Is(RoleRegulator) && u.Sector != "" && u.Sector == sector)
}

// CanReadEnforcement: those who may enforce, and the operator concerned.
func CanReadEnforcement(u *User, e *Enforcement) bool {
	return OversightScope(u).allows(0, e.OperatorID, 0, e.Sector)
}

// OversightStats are a sector's figures for its regulator (DESIGN §6):
// counts now, and trends by month.
type OversightStats struct {
	Sector    Sector `json:"sector,omitempty"` // "" for every sector
	Operators int    `json:"operators"`        // CII operators
	// Inventory counts entries in use or planned, by the product's status.
	Inventory map[string]int `json:"inventory"`
	// Checks counts procurement checks by verdict.
	Checks map[string]int `json:"checks"`
	// Alerts counts open and acknowledged alerts touching the sector.
	Alerts int `json:"alerts_open"`
	// Enforcement counts records by state.
	Enforcement map[string]int `json:"enforcement"`
	// Months are the trend's months ("2026-01"), oldest first, with the
	// checks by verdict, the alerts raised and the records opened in each.
	Months []MonthStats `json:"months"`
}

// MonthStats is one month of a trend.
type MonthStats struct {
	Month       string         `json:"month"`
	Checks      map[string]int `json:"checks"`
	Alerts      int            `json:"alerts"`
	Enforcement int            `json:"enforcement_opened"`
}

// OversightService gives regulators and the office their figures.
type OversightService interface {
	OversightStats(ctx context.Context, sector Sector, months int) (*OversightStats, error)
}
