package csreview

import (
	"context"
	"time"
)

// Product statuses a procurement check reports (DESIGN §6).
const (
	StatusPassed      = "passed"
	StatusFailed      = "failed"
	StatusRevoked     = "revoked"
	StatusUnderReview = "under_review"
	StatusNotReviewed = "not_reviewed"
)

// ProductStatuses lists the statuses.
var ProductStatuses = []string{StatusPassed, StatusFailed, StatusRevoked, StatusUnderReview, StatusNotReviewed}

// Whether a purchase needs review.
const (
	RequiredYes          = "yes"
	RequiredNo           = "no"
	RequiredUndetermined = "undetermined"
)

// Verdicts of a procurement check. DetermineFirst: whether the purchase
// needs review is not known yet (no forecast, no determination), so nothing
// may be said of buying it until that is settled (2021 Measures Art. 5;
// 2017 trial Measures Art. 10).
const (
	VerdictMayBuy         = "may_buy"
	VerdictDetermineFirst = "determine_first"
	VerdictFileFirst      = "file_first"
	VerdictMustNotBuy     = "must_not_buy"
)

// Verdicts lists the verdicts.
var Verdicts = []string{VerdictMayBuy, VerdictDetermineFirst, VerdictFileFirst, VerdictMustNotBuy}

// ProcurementRequest asks whether an operator may buy a product version.
type ProcurementRequest struct {
	OperatorID int64 `json:"operator_id"`
	// ProductID is the version's product; it may be left 0.
	ProductID int64 `json:"product_id,omitempty"`
	VersionID int64 `json:"version_id"`
	// Amount in yuan, and the date of the purchase (default today), which
	// decides the regime in force.
	Amount int64  `json:"amount,omitempty"`
	Date   Date   `json:"date,omitempty"`
	System string `json:"system,omitempty"`
	// Forecast: the operator's own forecast (2021 Measures Art. 5):
	// may_affect, no_effect or "".
	Forecast string `json:"forecast,omitempty"`
	// Commitments and Agreement: what the procurement documents hold
	// (2021 Measures Art. 6; the security and confidentiality agreement of
	// CSL Art. 36, Art. 38 from 2026-01-01).
	Commitments bool `json:"commitments,omitempty"`
	Agreement   bool `json:"agreement,omitempty"`
	// Regime answers under another pack than the one in force on Date,
	// e.g. to compare.
	Regime string `json:"regime,omitempty"`
	// InventoryID checks an inventory entry: its fields fill those left
	// empty here.
	InventoryID int64 `json:"inventory_id,omitempty"`
}

// Validate checks the request's own fields.
func (r *ProcurementRequest) Validate() error {
	var v Invalid
	if r.OperatorID <= 0 {
		v.Add("operator_id", "required")
	}
	if r.VersionID <= 0 {
		v.Add("version_id", "required")
	}
	if r.Amount < 0 {
		v.Add("amount", "negative")
	}
	if r.Date != "" && !r.Date.Valid() {
		v.Add("date", "invalid_date")
	}
	if r.Forecast != "" {
		v.OneOf("forecast", r.Forecast, Forecasts)
	}
	v.MaxLen("system", r.System, 200)
	return v.Err()
}

// Text is a text in both languages.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In returns the text in lang ("en…" for English, else Chinese).
func (t Text) In(lang string) string {
	if len(lang) >= 2 && lang[:2] == "en" && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// Basis is one rule an answer applies: the pack item, its article as cited
// in both languages, and what it says.
type Basis struct {
	Regime string `json:"regime"`
	Item   string `json:"item"`
	Cite   Text   `json:"cite"`
	Text   Text   `json:"text"`
	// Practice: the rule is the review office's practice, not a legal
	// provision (its citation says so).
	Practice bool `json:"practice,omitempty"`
}

// AnswerPart is one part of a procurement answer: whether review is
// required, the product's status, the verdict, and the reminders about
// commitments, agreement and penalties — each with the rules that decide it.
type AnswerPart struct {
	Part  string  `json:"part"`  // required, status, verdict, commitments, agreement, penalty
	Value string  `json:"value"` // e.g. "yes", "passed", "may_buy"
	Basis []Basis `json:"basis"`
	// Note adds facts, e.g. the case reference or determination.
	Note string `json:"note,omitempty"`
}

// ProcurementAnswer is the recorded answer to a ProcurementRequest.
type ProcurementAnswer struct {
	ID       int64              `json:"id"`
	At       time.Time          `json:"at"`
	ActorID  int64              `json:"actor_id,omitempty"`
	Request  ProcurementRequest `json:"request"`
	Regime   string             `json:"regime"`
	Required string             `json:"required"`
	Status   string             `json:"status"`
	Verdict  string             `json:"verdict"`
	// StatusRef names what the status comes from: a case reference or a
	// public list entry.
	StatusRef string `json:"status_ref,omitempty"`
	// DeterminationID is the determination applied, if any.
	DeterminationID int64        `json:"determination_id,omitempty"`
	Parts           []AnswerPart `json:"parts"`
	// Filing, when set, offers to file the review case the answer calls
	// for, with what the check already knows (only where the pack lets the
	// operator file: 2020 and 2021 Measures Art. 5).
	Filing *FilingOffer `json:"filing,omitempty"`
}

// FilingOffer is what a "file first" answer pre-fills in the filing form.
type FilingOffer struct {
	Regime     string `json:"regime"`
	Channel    string `json:"channel"`
	OperatorID int64  `json:"operator_id"`
	ProductID  int64  `json:"product_id"`
	VersionID  int64  `json:"version_id"`
	Amount     int64  `json:"amount,omitempty"`
	System     string `json:"system,omitempty"`
	// Materials are the materials the filing must attach (2021 Measures
	// Art. 8).
	Materials []string `json:"materials"`
}

// Part returns the part with the given name.
func (a *ProcurementAnswer) Part(name string) *AnswerPart {
	for i := range a.Parts {
		if a.Parts[i].Part == name {
			return &a.Parts[i]
		}
	}
	return nil
}

// ProcurementFilter selects recorded checks.
type ProcurementFilter struct {
	OperatorID  int64
	InventoryID int64
	Sector      Sector
	Verdict     string
	Page
}

// ProcurementService answers and records procurement checks. An operator
// checks its own purchases; the office, admins and the sector's regulator
// check any in their scope.
type ProcurementService interface {
	// CheckProcurement answers and records whether the operator may buy the
	// version: EUNAUTHORIZED when anonymous, ENOTFOUND for an operator or
	// inventory entry the caller may not see, EFORBIDDEN unless
	// CanCheckProcurement, EINVALID naming each bad field.
	CheckProcurement(ctx context.Context, r ProcurementRequest) (*ProcurementAnswer, error)
	// FindProcurementChecks lists one page of the recorded checks in
	// OversightScope, newest first, and the total. Only internal errors.
	FindProcurementChecks(ctx context.Context, f ProcurementFilter) ([]*ProcurementAnswer, int, error)
	// FindProcurementCheck returns a recorded check: ENOTFOUND unless
	// CanReadProcurementCheck.
	FindProcurementCheck(ctx context.Context, id int64) (*ProcurementAnswer, error)
}

// CanReadProcurementCheck: a recorded check is read by the operator it is
// for, its sector's regulator, the office and admins (OversightScope);
// sector is the operator's.
func CanReadProcurementCheck(u *User, operatorID int64, sector Sector) bool {
	return OversightScope(u).allows(0, operatorID, 0, sector)
}
