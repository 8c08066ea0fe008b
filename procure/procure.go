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
	// On is the day the answer is about (the check, or the sweep that
	// finds a product in use): the laws are cited as in force that day.
	On csreview.Date
	// CII: the operator is identified as a CII operator; only they bear
	// the review duty (CSL Art. 35; Art. 37 from 2026-01-01).
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
	// StatusOther: the status comes from a case about another operator's
	// purchase. Where the pack's conclusions cover one purchase (2020 and
	// 2021 Measures Art. 2, 5) it says nothing of this operator's.
	StatusOther bool
	// OwnOpenRef names this operator's own open case about the version:
	// it has filed already, and is offered no second filing.
	OwnOpenRef string
	// The request, for the filing offer.
	OperatorID, ProductID, VersionID, Amount int64
	System                                   string
	Commitments                              bool
	Agreement                                bool
}

// Decide applies the pack's procurement rules to the facts.
func Decide(f Facts) *csreview.ProcurementAnswer {
	a := &csreview.ProcurementAnswer{Regime: f.Pack.ID, Status: f.Status, StatusRef: f.StatusRef}
	b := func(id string) csreview.Basis { return basis(f, id) }
	// Where conclusions cover one purchase, another operator's conclusion
	// is a fact about the product, not an answer for this purchase.
	other := f.StatusOther && f.Pack.Procurement.Covers == "purchase"

	// Whether review is required.
	req := csreview.AnswerPart{Part: "required"}
	switch {
	case !f.CII:
		// The review duty binds CII operators only (CSL Art. 35/37).
		req.Value, req.Basis = csreview.RequiredNo, []csreview.Basis{b("not_cii")}
	case f.NotRequiredRef != "":
		req.Value, req.Note = csreview.RequiredNo, f.NotRequiredRef
		req.Basis = []csreview.Basis{outcomeBasis(f, string(csreview.OutcomeNotRequired))}
	default:
		req.Value, req.Basis = required(f)
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
	if other {
		st.Basis = append(st.Basis, b("other_operator"))
	}

	// The verdict.
	verdict := csreview.AnswerPart{Part: "verdict"}
	switch {
	case a.Required == csreview.RequiredNo:
		// Nothing in the Measures stands in the way; the status part still
		// says if the product failed.
		verdict.Value, verdict.Basis = csreview.VerdictMayBuy, req.Basis
	case a.Required == csreview.RequiredUndetermined:
		// Never "may buy" while nobody has settled whether the purchase
		// needs review (2021 Art. 5; 2017 trial Art. 10).
		verdict.Value, verdict.Basis = csreview.VerdictDetermineFirst, []csreview.Basis{b("undetermined")}
		if other {
			verdict.Basis = append(verdict.Basis, b("other_operator"))
		}
	case other:
		// Review required, and only another operator's purchase was
		// reviewed: this one must be filed in its own right.
		verdict.Value, verdict.Basis = csreview.VerdictFileFirst, []csreview.Basis{b("other_operator"), b("not_reviewed")}
	case f.Status == csreview.StatusPassed:
		verdict.Value, verdict.Basis = csreview.VerdictMayBuy, []csreview.Basis{b("passed")}
	case f.Status == csreview.StatusFailed:
		verdict.Value, verdict.Basis = csreview.VerdictMustNotBuy, []csreview.Basis{b("failed")}
	case f.Status == csreview.StatusRevoked:
		// What forbids the purchase is the failed re-review; that the earlier
		// pass counts as revoked is the office's practice.
		verdict.Value, verdict.Basis = csreview.VerdictMustNotBuy, []csreview.Basis{b("failed"), b("revoked")}
	default: // under review or not reviewed
		verdict.Value, verdict.Basis = csreview.VerdictFileFirst, []csreview.Basis{b(f.Status)}
		if f.OwnOpenRef != "" {
			verdict.Note = f.OwnOpenRef
		}
	}
	a.Verdict = verdict.Value
	a.Parts = []csreview.AnswerPart{req, st, verdict}

	// What the procurement documents must hold, for CII operators.
	if f.CII && a.Verdict != csreview.VerdictMustNotBuy {
		if _, ok := f.Pack.ProcurementItem("commitments"); ok {
			a.Parts = append(a.Parts, csreview.AnswerPart{Part: "commitments", Value: recorded(f.Commitments),
				Basis: []csreview.Basis{b("commitments")}})
		}
		a.Parts = append(a.Parts, csreview.AnswerPart{Part: "agreement", Value: recorded(f.Agreement),
			Basis: appendIf(f, []csreview.Basis{b("agreement")}, "agreement_regs")})
	}
	// What buying anyway would cost: only where review is required (the
	// penalties are for using what was required to be reviewed and was not,
	// or failed: CSL Art. 65/67; CII Regulations Art. 41).
	if f.CII && a.Required == csreview.RequiredYes && a.Verdict != csreview.VerdictMayBuy {
		a.Parts = append(a.Parts, csreview.AnswerPart{Part: "penalty", Value: "applies", Basis: penalties(f, other)})
	}
	a.Filing = filing(f, a)
	return a
}

// filing offers the case a "file first" answer calls for, pre-filled from
// the check, where the pack lets the operator file (2020 and 2021 Measures
// Art. 5) and the operator has no open case about the version yet. Under
// the 2017 Measures operators do not file: the office decides what to
// review (trial Art. 8), so nothing is offered.
func filing(f Facts, a *csreview.ProcurementAnswer) *csreview.FilingOffer {
	if a.Verdict != csreview.VerdictFileFirst || f.OwnOpenRef != "" {
		return nil
	}
	ch, ok := f.Pack.Channel("operator_filing")
	if !ok {
		return nil
	}
	return &csreview.FilingOffer{Regime: f.Pack.ID, Channel: ch.ID, OperatorID: f.OperatorID, ProductID: f.ProductID,
		VersionID: f.VersionID, Amount: f.Amount, System: f.System, Materials: ch.Materials}
}

// required decides, for a CII operator, whether the purchase needs review:
// by the CII protection department's determination under the 2017
// Measures, by the operator's own forecast under 2020 and 2021 — where a
// recorded determination that the purchase affects national security still
// counts.
func required(f Facts) (string, []csreview.Basis) {
	b := func(id string) csreview.Basis { return basis(f, id) }
	d := f.Determination
	if f.Pack.Procurement.Decides == "determination" {
		switch {
		case d == nil:
			return csreview.RequiredUndetermined, []csreview.Basis{b("undetermined")}
		case d.Affects:
			return csreview.RequiredYes, []csreview.Basis{b("scope"), b("decides")}
		default:
			return csreview.RequiredNo, []csreview.Basis{b("not_required")}
		}
	}
	switch {
	case d != nil && d.Affects:
		out := []csreview.Basis{b("scope")}
		if _, ok := f.Pack.ProcurementItem("determination"); ok {
			out = append(out, b("determination"))
		}
		// CII Regulations Art. 19 (from 2021-09-01): prefer secure and
		// trustworthy products; a purchase that may affect national
		// security passes the review.
		return csreview.RequiredYes, appendIf(f, out, "scope_regs")
	case f.Forecast == "may_affect":
		return csreview.RequiredYes, appendIf(f, []csreview.Basis{b("scope"), b("decides")}, "scope_regs")
	case f.Forecast == "no_effect":
		return csreview.RequiredNo, []csreview.Basis{b("not_required")}
	}
	// A department's finding of no effect does not stand in for the
	// operator's own forecast, which the operator owes in any case (2021
	// Art. 5): the answer waits for it.
	return csreview.RequiredUndetermined, []csreview.Basis{b("undetermined")}
}

func recorded(ok bool) string {
	if ok {
		return "recorded"
	}
	return "missing"
}

// appendIf appends the item when the pack has it and its law is in force on
// the day (the CII Regulations from 1 September 2021 only).
func appendIf(f Facts, list []csreview.Basis, id string) []csreview.Basis {
	if it, ok := f.Pack.ProcurementItem(id); ok && regime.LawInForce(it, f.On) {
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
	t := regime.ItemText(it, f.On)
	return csreview.Basis{Regime: f.Pack.ID, Item: it.ID,
		Cite: csreview.Text{ZH: regime.CiteItem(f.Packs, f.Pack, it, "zh-CN", f.On), EN: regime.CiteItem(f.Packs, f.Pack, it, "en", f.On)},
		Text: csreview.Text{ZH: t.ZH, EN: t.EN}, Practice: it.Practice}
}

// Breach says whether using a product, as the facts describe, breaches the
// review duty (CSL Art. 35, penalised under Art. 65; Art. 37 and 67 from
// 2026-01-01): a CII operator, review required, and the product failed,
// revoked or not reviewed — or reviewed only for another operator's
// purchase where a conclusion covers one purchase. It returns the rules
// that establish it.
func Breach(f Facts) (bool, []csreview.Basis) {
	a := Decide(f)
	if !f.CII || a.Required != csreview.RequiredYes {
		return false, nil
	}
	other := f.StatusOther && f.Pack.Procurement.Covers == "purchase"
	switch f.Status {
	case csreview.StatusFailed, csreview.StatusRevoked, csreview.StatusNotReviewed:
	case csreview.StatusPassed:
		if !other {
			return false, nil
		}
	default:
		return false, nil
	}
	var out []csreview.Basis
	out = append(out, a.Part("required").Basis...)
	out = append(out, a.Part("status").Basis...)
	return true, append(out, penalties(f, other)...)
}

// penalties are the rules that punish the use: the CSL's for using a
// product not reviewed or failed, and, for a purchase made without the
// review (not for one that failed it), CII Regulations Art. 41.
func penalties(f Facts, other bool) []csreview.Basis {
	out := []csreview.Basis{basis(f, "penalty")}
	switch {
	case other, f.Status == csreview.StatusNotReviewed, f.Status == csreview.StatusUnderReview:
		out = appendIf(f, out, "penalty_regs")
	}
	return out
}
