package ui

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web/internal/site"
)

// noticeBasis is the step whose article a notice rests on, per kind.
var noticeBasis = map[string][]string{
	"acceptance":         {"screening", "filing"},
	"supplement_request": {"screening", "filing"},
	"not_required":       {"screening"},
	"special_review":     {"member_opinions"},
	"decision":           {"decision"},
}

type noticeReason struct {
	Criterion regime.Criterion
	Text      string
}

type noticeData struct {
	N        *csreview.Notice
	C        *csreview.Case
	P        *regime.Pack
	To       string
	Supplier string
	// Subject names the supplier, products, versions and categories under
	// review, so that a notice read on its own says what it is about.
	Subject  site.CaseSubject
	Basis    string
	Pause    string
	Note     string
	Due      csreview.Date
	Position string
	Reasons  []noticeReason
	// Mitigation: a review member units proposed obliges the party to take
	// risk-mitigating measures meanwhile (2021 Measures Art. 16 para 2).
	Mitigation string
	// Remedies: the party's right to administrative reconsideration and
	// suit, with the time limits and articles of the laws in force on the
	// day of the notice.
	Reconsider, Suit string
	// Final: the decision is final by law (Data Security Law Art. 24).
	Final string
}

// lawInForce reports whether the shipped law was in force on day d.
func lawInForce(id string, d csreview.Date) (*regime.Law, bool) {
	l, ok := regime.LawByID(id)
	if !ok {
		return nil, false
	}
	_, in := l.In(d)
	return l, in
}

// notice renders a written notice as a printable letter.
func (s *surface) notice(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	nid, err := site.PathID(r, "nid")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.Cases.FindCaseByID(ctx, id)
	if err != nil {
		return err
	}
	notices, err := s.Cases.FindCaseNotices(ctx, id)
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	d := noticeData{C: c, P: s.Rules.Packs[c.Regime]}
	if d.Subject, err = s.CaseSubject(ctx, c); err != nil {
		return err
	}
	for _, n := range notices {
		if n.ID == nid {
			d.N = n
		}
	}
	if d.N == nil || d.P == nil {
		return csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "Not found.")
	}
	var data struct {
		Note     string            `json:"note"`
		Position string            `json:"position"`
		Reasons  map[string]string `json:"reasons"`
		Due      csreview.Date     `json:"due"`
	}
	json.Unmarshal(d.N.Data, &data)
	d.Note, d.Position, d.Due = data.Note, data.Position, data.Due
	ids := make([]string, 0, len(data.Reasons))
	for k := range data.Reasons {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	for _, k := range ids {
		if crit, ok := d.P.Criterion(k); ok {
			d.Reasons = append(d.Reasons, noticeReason{Criterion: crit, Text: data.Reasons[k]})
		}
	}
	for _, step := range noticeBasis[d.N.Kind] {
		for _, st := range d.P.Steps {
			if st.ID == step && d.Basis == "" {
				d.Basis = regime.CiteItem(s.Rules.Packs, d.P, st.Item, lang, d.N.IssuedOn)
			}
		}
	}
	if d.N.Kind == "acceptance" && c.Channel == "member_ex_officio" {
		for _, n := range d.P.Notes {
			if n.ID == "mitigation" {
				d.Mitigation = d.P.Cite(n.Article, lang)
			}
		}
	}
	if d.N.Kind == "decision" || d.N.Kind == "not_required" {
		ch, _ := d.P.Channel(c.Channel)
		if ch.Subject == "listing" {
			// A review of data processing: the Data Security Law makes a
			// security review decision final (Art. 24), so no remedy is
			// offered and the notice says why.
			d.Final = regime.LawCite("dsl", "data_security_review", d.N.IssuedOn).In(lang)
		} else if _, ok := lawInForce("arl", d.N.IssuedOn); ok {
			d.Reconsider = regime.LawCite("arl", "time_limit", d.N.IssuedOn).In(lang)
			d.Suit = regime.LawCite("all", "direct_suit", d.N.IssuedOn).In(lang)
		}
	}
	for _, clk := range d.P.Clocks {
		if clk.PausesForMaterials && d.Pause == "" {
			d.Pause = d.P.Cite(clk.PauseArticle, lang)
		}
	}
	if x, err := s.Registry.FindSupplierByID(ctx, c.SupplierID); err == nil {
		d.Supplier = x.Name(lang)
	}
	d.To = d.Supplier
	if c.OperatorID != 0 {
		if x, err := s.Registry.FindOperatorByID(ctx, c.OperatorID); err == nil {
			d.To = x.Name(lang)
		}
	}
	pg := s.NewPage(r, "", d)
	pg.Title = pg.T.T("notice." + d.N.Kind)
	return s.Render(w, http.StatusOK, "notice", pg)
}
