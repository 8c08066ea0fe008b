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

// Enforcement states. The sweep prepares a record (open); the competent
// department orders the operator to stop using the product — from
// 2026-01-01 also to put it right within a time limit and to eliminate the
// effect on national security (CSL Art. 65, Art. 67 from 2026-01-01) —
// (ordered); before any fine it tells the operator of the intended penalty
// and its rights (notified: Administrative Penalty Law Art. 44), hears its
// statement and defence and, where asked, holds a hearing (heard: Art. 45,
// 63, 64); it then decides a fine (penalised: Art. 57(1), 59) or no fine
// under the provision that allows it (not_penalised: Art. 57(2)–(4)); a
// record closes only after one of those decisions.
const (
	EnfOpen         = "open"
	EnfOrdered      = "ordered"
	EnfNotified     = "notified"
	EnfHeard        = "heard"
	EnfPenalised    = "penalised"
	EnfNotPenalised = "not_penalised"
	EnfClosed       = "closed"
)

// EnforcementStates lists the states.
var EnforcementStates = []string{EnfOpen, EnfOrdered, EnfNotified, EnfHeard, EnfPenalised, EnfNotPenalised, EnfClosed}

// enforcementMoves are the allowed transitions: no fine without the notice
// and the hearing of the party (Administrative Penalty Law Art. 62).
var enforcementMoves = map[string][]string{
	EnfOpen:         {EnfOrdered, EnfNotified, EnfNotPenalised},
	EnfOrdered:      {EnfNotified, EnfNotPenalised},
	EnfNotified:     {EnfHeard},
	EnfHeard:        {EnfPenalised, EnfNotPenalised},
	EnfPenalised:    {EnfClosed},
	EnfNotPenalised: {EnfClosed},
}

// EnforcementMoves returns the states an enforcement record may move to
// from state.
func EnforcementMoves(state string) []string { return enforcementMoves[state] }

// The reasons a decision may impose no fine, each an item of
// Administrative Penalty Law Art. 57: a minor breach the law allows to go
// unpunished, facts not made out, or a suspected crime referred to the
// judicial organs. The values are the law's provision IDs.
var NoFineProvisions = []string{"no_penalty_minor", "no_penalty_unproven", "referral"}

// EnforcementStep is one step of a record's procedure, with what the step
// records.
type EnforcementStep struct {
	To   string `json:"to"`
	Note string `json:"note,omitempty"`
	// RectifyBy: the time limit for putting it right (ordered, from
	// 2026-01-01).
	RectifyBy Date `json:"rectify_by,omitempty"`
	// Fine on the operator and on each responsible person: intended
	// (notified) or decided (penalised).
	Fine       int64 `json:"fine,omitempty"`
	PersonFine int64 `json:"person_fine,omitempty"`
	// Heard: the party stated its case (Statement), waived it (Waived), or
	// asked for a hearing that was held (HearingHeld).
	Statement   string `json:"statement,omitempty"`
	Waived      bool   `json:"waived,omitempty"`
	HearingHeld bool   `json:"hearing_held,omitempty"`
	// HearingRequested: the party asked for a hearing in time.
	HearingRequested bool `json:"hearing_requested,omitempty"`
	// NoFine is the provision under which no fine was imposed
	// (not_penalised), one of NoFineProvisions.
	NoFine string `json:"no_fine,omitempty"`
}

// PenaltyProcedure is what the steps of a record established, with the
// date each was taken.
type PenaltyProcedure struct {
	// Orders are what the operator was ordered to do, from the penalty
	// provision in force on OrderedOn: stop_use; rectify and
	// eliminate_effect from 2026-01-01.
	Orders    []string `json:"orders,omitempty"`
	OrderedOn Date     `json:"ordered_on,omitempty"`
	RectifyBy Date     `json:"rectify_by,omitempty"`
	// The notice of the intended penalty (Administrative Penalty Law
	// Art. 44): its date, the fines intended, whether the party may ask for
	// a hearing (Art. 63) and by when (five working days: Art. 64(1), 85).
	NotifiedOn       Date  `json:"notified_on,omitempty"`
	IntendedFine     int64 `json:"intended_fine,omitempty"`
	IntendedPerson   int64 `json:"intended_person_fine,omitempty"`
	HearingRight     bool  `json:"hearing_right,omitempty"`
	HearingBy        Date  `json:"hearing_by,omitempty"`
	HearingRequested bool  `json:"hearing_requested,omitempty"`
	// HearingByProvisional: HearingBy rests on a year without the holiday
	// notice.
	HearingByProvisional bool `json:"hearing_by_provisional,omitempty"`
	// Hearing the party (Art. 45, 64).
	HeardOn     Date   `json:"heard_on,omitempty"`
	Statement   string `json:"statement,omitempty"`
	Waived      bool   `json:"waived,omitempty"`
	HearingHeld bool   `json:"hearing_held,omitempty"`
	// The decision (Art. 57, 59): the fines, or the provision under which
	// none was imposed; by law it is due within 90 days of opening the
	// record (Art. 60).
	DecideBy   Date   `json:"decide_by,omitempty"`
	DecidedOn  Date   `json:"decided_on,omitempty"`
	Fine       int64  `json:"fine,omitempty"`
	PersonFine int64  `json:"person_fine,omitempty"`
	NoFine     string `json:"no_fine,omitempty"`
	// The party's remedies against a penalty decision, counted from the
	// day it is served (taken as the decision day): administrative
	// reconsideration within 60 days (Administrative Reconsideration Law
	// Art. 20) or an administrative suit within 6 months (Administrative
	// Litigation Law Art. 46), a last day on a holiday moving to the next
	// working day.
	ReconsiderBy Date `json:"reconsider_by,omitempty"`
	SueBy        Date `json:"sue_by,omitempty"`
	// RemediesProvisional: those last days rest on a year whose holiday
	// notice the calendar lacks.
	RemediesProvisional bool `json:"remedies_provisional,omitempty"`
	// Basis cites each step's rule as in force on its day.
	Basis []Basis `json:"basis,omitempty"`
}

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
	Procedure PenaltyProcedure   `json:"procedure"`
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
	// At is when the sweep ran (LastSweep; the audit record's time).
	At time.Time `json:"at,omitzero"`
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
	// Sweep opens a record for each inventory entry in use in breach that
	// has no open one (a regulator sweeps its own sector): EUNAUTHORIZED
	// when anonymous, EFORBIDDEN unless CanSweep.
	Sweep(ctx context.Context) (*SweepResult, error)
	// LastSweep is the caller's latest sweep as recorded in the audit log,
	// nil when the caller has run none: EFORBIDDEN unless CanSweep.
	LastSweep(ctx context.Context) (*SweepResult, error)
	// FindEnforcements lists one page of the records in OversightScope,
	// newest first, and the total. Only internal errors.
	FindEnforcements(ctx context.Context, f EnforcementFilter) ([]*Enforcement, int, error)
	// FindEnforcement returns a record with its history: ENOTFOUND unless
	// CanReadEnforcement.
	FindEnforcement(ctx context.Context, id int64) (*Enforcement, error)
	// StepEnforcement takes a record a step on: EINVALID naming the field
	// when the step lacks what it must record or goes where the record may
	// not, EFORBIDDEN unless CanEnforce, ENOTFOUND unless
	// CanReadEnforcement.
	StepEnforcement(ctx context.Context, id int64, step EnforcementStep) (*Enforcement, error)
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
	// OversightStats computes sector's figures ("" for all) over the last
	// months (1 to 36): EUNAUTHORIZED or EFORBIDDEN when StatsScope allows
	// none; a regulator gets its own sector whatever it asks.
	OversightStats(ctx context.Context, sector Sector, months int) (*OversightStats, error)
}
