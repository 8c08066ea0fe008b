package ui

import (
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/web/internal/site"
)

type regimesData struct {
	Packs   []*regime.Pack
	Current string
	// Laws are the laws the packs cite, each version with the day it took
	// effect, and each provision's article in every version.
	Laws []lawView
	On   csreview.Date
}

// lawView is a law as the rules page lists it.
type lawView struct {
	L          *regime.Law
	Provisions []provisionView
}

// provisionView is a provision with its article in each version, and its
// text as in force on the day shown.
type provisionView struct {
	ID       string
	Articles []regime.ProvisionText
	Now      regime.ProvisionText
}

func (s *surface) regimes(w http.ResponseWriter, r *http.Request) error {
	d := regimesData{Packs: s.Rules.List, On: csreview.DateOf(s.Now().In(site.Shanghai))}
	for _, l := range regime.Laws() {
		v := lawView{L: l}
		for _, p := range l.Provisions {
			v.Provisions = append(v.Provisions, provisionView{ID: p.ID, Articles: p.Texts, Now: p.On(d.On)})
		}
		d.Laws = append(d.Laws, v)
	}
	if p := regime.InForceOn(s.Rules.List, csreview.DateOf(s.Now().In(site.Shanghai))); p != nil {
		d.Current = p.ID
	}
	return s.Render(w, http.StatusOK, "regimes", s.NewPage(r, "regime.title", d))
}

// regimeView is a pack with its citations rendered for one language, the
// laws as in force on the day shown (today).
type regimeView struct {
	P    *regime.Pack
	On   csreview.Date
	Cite func(regime.Item) string
	Text func(regime.Item) regime.Text
	// Verbatim tells the article's own words from a summary.
	Verbatim func(regime.Item) bool
	CiteA    func(article string) string
	// ActCite cites an action: its article, or that it is practice.
	ActCite func(regime.Action) string
}

func (s *surface) regime(w http.ResponseWriter, r *http.Request) error {
	p, err := s.FindPack(r)
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	on := csreview.DateOf(s.Now().In(site.Shanghai))
	v := regimeView{P: p, On: on,
		Cite:     func(it regime.Item) string { return regime.CiteItem(s.Rules.Packs, p, it, lang, on) },
		Text:     func(it regime.Item) regime.Text { return regime.ItemText(it, on) },
		Verbatim: func(it regime.Item) bool { return regime.ItemVerbatim(it, on) },
		ActCite:  func(a regime.Action) string { return review.Cite(p, a).In(lang) },
		CiteA:    func(a string) string { return p.Cite(a, lang) }}
	pg := s.NewPage(r, "", v)
	pg.Title = p.Title.In(lang)
	return s.Render(w, http.StatusOK, "regime", pg)
}
