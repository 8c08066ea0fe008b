// Package publish drafts what a decided case puts on the public lists
// (DESIGN §5): one entry per product with its public report — the
// confidential parts left out, the criteria under which the decision found
// a concern named but never what it was — and says whether a pack's
// Measures provide for publishing results at all. It is pure: the store
// gathers the facts, this package drafts, the store appends to the log.
package publish

import (
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// Product is a product under review with its versions in the case.
type Product struct {
	Product  *csreview.Product
	Versions []string
}

// Facts are what the store knows of a decided case.
type Facts struct {
	Pack     *regime.Pack
	Case     *csreview.Case
	Supplier *csreview.Supplier
	// Products in the order the case names them.
	Products []Product
	// The decision notice's day and the criteria its reasons name.
	DecidedOn csreview.Date
	Reasons   map[string]string
	// Methods are the review methods the evidence came from.
	Methods []string
	// Body is the name of the body that assessed, if any.
	Body string
	Now  time.Time
}

// Draft builds the entries the case would publish, one per product. Only a
// case decided pass or fail is published.
func Draft(f Facts) ([]*csreview.ListEntry, error) {
	c, p := f.Case, f.Pack
	if c.State != csreview.StateDecided || (c.Outcome != csreview.OutcomePass && c.Outcome != csreview.OutcomeFail) {
		return nil, csreview.KeyErrorf(csreview.ECONFLICT, "err.not_decided", "Only a case decided pass or fail is published.")
	}
	list := csreview.ListPassed
	if c.Outcome == csreview.OutcomeFail {
		list = csreview.ListFailed
	}
	methods := f.Methods
	if methods == nil {
		methods = []string{}
	}
	sup := f.Supplier
	var out []*csreview.ListEntry
	for _, pr := range f.Products {
		prod := pr.Product
		e := &csreview.ListEntry{ProductID: prod.ID, Product: prod.NameZH, ProductEN: prod.NameEN, Category: prod.Category,
			SupplierID: sup.ID, Supplier: sup.NameZH, SupplierEN: sup.NameEN, List: list, Versions: pr.Versions,
			Regime: c.Regime, CaseRef: c.Ref, DecidedOn: f.DecidedOn, PublishedAt: f.Now.UTC().Truncate(time.Second)}
		r := &csreview.PublicReport{CaseRef: c.Ref, Regime: p.ID, RegimeZH: p.Title.ZH, RegimeEN: p.Title.EN, Supplier: sup.NameZH,
			Product: prod.NameZH, Versions: e.Versions, Outcome: c.Outcome, DecidedOn: f.DecidedOn, Body: f.Body, Methods: methods}
		for _, cr := range p.Criteria {
			_, concern := f.Reasons[cr.ID]
			r.Criteria = append(r.Criteria, csreview.PublicCriterion{ID: cr.ID, TextZH: cr.Text.ZH, TextEN: cr.Text.EN,
				Article: cr.Article, Concern: c.Outcome == csreview.OutcomeFail && concern})
		}
		e.Report = r
		out = append(out, e)
	}
	return out, nil
}

// HasBasis reports whether p's Measures provide for publishing review
// results: the 2017 draft and trial Measures do (Art. 8: results are
// published or circulated), the 2020 and 2021 Measures send the conclusion
// to the party only, so publishing under them is the office's decision and
// the page says so.
func HasBasis(p *regime.Pack) bool {
	if p == nil {
		return false
	}
	for _, it := range p.Publication {
		if it.ID == "results" {
			return true
		}
	}
	return false
}
