// Package procure answers an operator's question "may I buy this?" under the
// regime pack in force (DESIGN §6): whether the purchase needs review, what
// the product's status is, and the verdict — each part with the articles
// that decide it. It is pure: the store gathers the facts, this package
// applies the pack's rules to them.
package procure

import (
	"fmt"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// Facts are what the store knows about one purchase.
type Facts struct {
	Pack  *regime.Pack
	Packs map[string]*regime.Pack // for citations borrowed from other packs
	// CII: the operator is identified as a CII operator (CSL Art. 31, 35).
	CII bool
	// Forecast is the operator's own forecast (2020/2021 Measures Art. 5).
	Forecast string
	// Determination is the most specific determination of the CII
	// protection department that covers the purchase, if any.
	Determination *csreview.Determination
	// NotRequiredRef is the reference of a case in which the office
	// decided this operator's purchase of this version needs no review.
	NotRequiredRef string
	// Status of the version and where it comes from (a case reference or a
	// list entry); ReReviewRef names an open re-review of a passed product.
	Status      string
	StatusRef   string
	ReReviewRef string
	Commitments bool
	Agreement   bool
}

// Decide applies the pack's procurement rules to the facts.
func Decide(f Facts) *csreview.ProcurementAnswer {
	a := &csreview.ProcurementAnswer{Regime: f.Pack.ID, Status: f.Status, StatusRef: f.StatusRef}
	b := func(id string) csreview.Basis { return basis(f, id) }

	// Whether review is required.
	req := csreview.AnswerPart{Part: "required"}
	switch {
	case !f.CII:
		// CSL Art. 35 binds CII operators only.
		req.Value, req.Basis = csreview.RequiredNo, []csreview.Basis{b("not_cii")}
	case f.NotRequiredRef != "":
		req.Value, req.Note = csreview.RequiredNo, f.NotRequiredRef
		req.Basis = []csreview.Basis{outcomeBasis(f, string(csreview.OutcomeNotRequired))}
	default:
		req.Value, req.Basis, req.Note = required(f)
		if f.Determination != nil {
			a.DeterminationID = f.Determination.ID
		}
	}
	a.Required = req.Value

	// The product's status.
	st := csreview.AnswerPart{Part: "status", Value: f.Status, Note: f.StatusRef}
	st.Basis = []csreview.Basis{b(f.Status)}
	if f.Status == csreview.StatusPassed && f.ReReviewRef != "" {
		st.Note = f.StatusRef + "; " + f.ReReviewRef
		st.Basis = append(st.Basis, b(csreview.StatusUnderReview))
	}

	// The verdict.
	verdict := csreview.AnswerPart{Part: "verdict"}
	switch f.Status {
	case csreview.StatusPassed:
		verdict.Value = csreview.VerdictMayBuy
		verdict.Basis = []csreview.Basis{b("passed")}
	case csreview.StatusFailed, csreview.StatusRevoked:
		if f.CII {
			// What buying anyway costs is the penalty part's.
			verdict.Value = csreview.VerdictMustNotBuy
			verdict.Basis = []csreview.Basis{b(f.Status)}
		} else {
			// Outside CSL Art. 35 nothing forbids the purchase; the status
			// part still says the product failed.
			verdict.Value = csreview.VerdictMayBuy
			verdict.Basis = []csreview.Basis{b("not_cii"), b(f.Status)}
		}
	default: // under review or not reviewed
		if a.Required == csreview.RequiredNo {
			verdict.Value = csreview.VerdictMayBuy
			verdict.Basis = req.Basis
		} else {
			verdict.Value = csreview.VerdictFileFirst
			verdict.Basis = []csreview.Basis{b(f.Status)}
			if a.Required == csreview.RequiredUndetermined {
				verdict.Basis = append(verdict.Basis, b("undetermined"))
			}
		}
	}
	a.Verdict = verdict.Value
	a.Parts = []csreview.AnswerPart{req, st, verdict}

	// What the procurement documents must hold, for CII operators.
	if f.CII && a.Verdict != csreview.VerdictMustNotBuy {
		a.Parts = append(a.Parts,
			csreview.AnswerPart{Part: "commitments", Value: recorded(f.Commitments), Basis: []csreview.Basis{b("commitments")}},
			csreview.AnswerPart{Part: "agreement", Value: recorded(f.Agreement), Basis: appendIf(f, []csreview.Basis{b("agreement")}, "agreement_regs")})
	}
	// What buying anyway would cost.
	if f.CII && a.Verdict != csreview.VerdictMayBuy {
		a.Parts = append(a.Parts, csreview.AnswerPart{Part: "penalty", Value: "applies",
			Basis: appendIf(f, []csreview.Basis{b("penalty")}, "penalty_regs")})
	}
	return a
}

// required decides, for a CII operator, whether the purchase needs review:
// by the CII protection department's determination under the 2017
// Measures, by the operator's own forecast under 2020 and 2021 — where a
// recorded determination that the purchase affects national security still
// counts.
func required(f Facts) (string, []csreview.Basis, string) {
	b := func(id string) csreview.Basis { return basis(f, id) }
	d := f.Determination
	note := "" // the answer names the determination by its ID
	if f.Pack.Procurement.Decides == "determination" {
		switch {
		case d == nil:
			return csreview.RequiredUndetermined, []csreview.Basis{b("undetermined")}, ""
		case d.Affects:
			return csreview.RequiredYes, []csreview.Basis{b("scope"), b("decides")}, note
		default:
			return csreview.RequiredNo, []csreview.Basis{b("not_required")}, note
		}
	}
	switch {
	case d != nil && d.Affects:
		out := []csreview.Basis{b("scope")}
		if _, ok := f.Pack.ProcurementItem("determination"); ok {
			out = append(out, b("determination"))
		}
		return csreview.RequiredYes, out, note
	case f.Forecast == "may_affect":
		return csreview.RequiredYes, []csreview.Basis{b("scope"), b("decides")}, ""
	case f.Forecast == "no_effect":
		return csreview.RequiredNo, []csreview.Basis{b("not_required")}, ""
	case d != nil:
		// The department found no effect and the operator made no forecast
		// of its own: the department's word stands.
		return csreview.RequiredNo, []csreview.Basis{b("decides")}, note
	}
	return csreview.RequiredUndetermined, []csreview.Basis{b("undetermined")}, ""
}

func recorded(ok bool) string {
	if ok {
		return "recorded"
	}
	return "missing"
}

// appendIf appends the item when the pack has it (the CII Regulations are
// cited from 1 September 2021 only).
func appendIf(f Facts, list []csreview.Basis, id string) []csreview.Basis {
	if _, ok := f.Pack.ProcurementItem(id); ok {
		list = append(list, basis(f, id))
	}
	return list
}

// basis renders a procurement item of the pack. A missing item is a defect
// of the shipped data, which the pack tests rule out.
func basis(f Facts, id string) csreview.Basis {
	it, ok := f.Pack.ProcurementItem(id)
	if !ok {
		panic(fmt.Sprintf("procure: pack %s has no procurement item %q", f.Pack.ID, id))
	}
	return toBasis(f, it)
}

func outcomeBasis(f Facts, id string) csreview.Basis {
	for _, o := range f.Pack.Outcomes {
		if o.ID == id {
			return toBasis(f, o)
		}
	}
	return basis(f, "not_required")
}

func toBasis(f Facts, it regime.Item) csreview.Basis {
	return csreview.Basis{Regime: f.Pack.ID, Item: it.ID,
		Cite: csreview.Text{ZH: regime.CiteItem(f.Packs, f.Pack, it, "zh-CN"), EN: regime.CiteItem(f.Packs, f.Pack, it, "en")},
		Text: csreview.Text{ZH: it.Text.ZH, EN: it.Text.EN}}
}

// Breach says whether using a product, as the facts describe, breaches CSL
// Art. 35 (penalised under Art. 65): a CII operator, review required, and
// the product failed, revoked or not reviewed. It returns the rules that
// establish it.
func Breach(f Facts) (bool, []csreview.Basis) {
	a := Decide(f)
	if !f.CII || a.Required != csreview.RequiredYes {
		return false, nil
	}
	switch f.Status {
	case csreview.StatusFailed, csreview.StatusRevoked, csreview.StatusNotReviewed:
	default:
		return false, nil
	}
	var out []csreview.Basis
	out = append(out, a.Part("required").Basis...)
	out = append(out, a.Part("status").Basis...)
	out = append(out, basis(f, "penalty"))
	return true, appendIf(f, out, "penalty_regs")
}
