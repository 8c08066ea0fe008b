package regime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/csreview/csreview"
)

// Law is a statute or administrative regulation cited beside the Measures:
// the Cybersecurity Law, the CII Security Protection Regulations, the Data
// Security Law, and the laws on administrative penalties, reconsideration
// and litigation that give the parties their steps and rights. A law is
// versioned like the packs: an amendment may renumber its articles and
// change their text (the Cybersecurity Law, amended on 2025-10-28 and in
// force from 2026-01-01, moved Art. 35, 36 and 65 to Art. 37, 38 and 67),
// so a citation names a provision, and the version in force on the day of
// the event decides its article and its text.
type Law struct {
	ID       string `json:"id"`
	Title    Text   `json:"title"`
	Citation Text   `json:"citation"` // 《网络安全法》, "CSL"
	// Versions are the texts in force one after another, oldest first.
	Versions []LawVersion `json:"versions"`
	// Provisions are the parts of the law csreview applies or cites.
	Provisions []Provision `json:"provisions"`
}

// LawVersion is one text of a law: when it took effect and the act that
// made it.
type LawVersion struct {
	InForce csreview.Date `json:"in_force"`
	Source  Text          `json:"source"`
	// Checked names the copy of the text the provisions were checked
	// against.
	Checked string `json:"checked"`
}

// Provision is one rule of a law, stable across its versions, with its
// article and text in each version that has it.
type Provision struct {
	ID string `json:"id"`
	// Texts, oldest first: each version's article and text from its date;
	// a version that is silent keeps the text before it.
	Texts []ProvisionText `json:"texts"`
}

// ProvisionText is a provision as one version of the law has it.
type ProvisionText struct {
	From    csreview.Date `json:"from"`
	Article string        `json:"article"` // "Art. 67", "Art. 63(1)"
	// Text is the article's own words in Chinese where Verbatim is set,
	// with an English rendering; otherwise both are summaries.
	Text     Text `json:"text"`
	Verbatim bool `json:"verbatim,omitempty"`
	// Orders are the measures a penalty provision orders beside the fines
	// (CSL Art. 65: stop_use; Art. 67 from 2026-01-01: rectify, stop_use,
	// eliminate_effect).
	Orders []string `json:"orders,omitempty"`
}

// In returns the version of the law in force on day d, and false before
// the law took effect (its first version is returned then).
func (l *Law) In(d csreview.Date) (LawVersion, bool) {
	v := l.Versions[0]
	ok := !d.Before(v.InForce)
	for _, x := range l.Versions[1:] {
		if !d.Before(x.InForce) {
			v = x
		}
	}
	return v, ok
}

// Provision returns a provision by ID.
func (l *Law) Provision(id string) (*Provision, bool) {
	for i := range l.Provisions {
		if l.Provisions[i].ID == id {
			return &l.Provisions[i], true
		}
	}
	return nil, false
}

// On returns the provision as it stood on day d: the text of the latest
// version in force by then (the first one before the law took effect).
func (p *Provision) On(d csreview.Date) ProvisionText {
	t := p.Texts[0]
	for _, x := range p.Texts[1:] {
		if !d.Before(x.From) {
			t = x
		}
	}
	return t
}

// Cite renders an article of the law: "CSL Art. 67", 《网络安全法》第六十七条.
func (l *Law) Cite(article, lang string) string {
	if strings.HasPrefix(lang, "en") {
		return l.Citation.EN + " " + article
	}
	return l.Citation.ZH + ArticleZH(article)
}

// CiteOn renders the article of a provision in the version in force on
// day d.
func (l *Law) CiteOn(provision string, d csreview.Date, lang string) string {
	p, ok := l.Provision(provision)
	if !ok {
		panic(fmt.Sprintf("regime: law %s has no provision %q", l.ID, provision)) // ruled out by the data tests
	}
	return l.Cite(p.On(d).Article, lang)
}

// Renumbered lists the provision's other articles across versions, for a
// citation that says where the rule stood before or after an amendment:
// "Art. 65 until 2025-12-31". It is empty when the number never changed.
func (l *Law) Renumbered(provision string, d csreview.Date) []ProvisionText {
	p, ok := l.Provision(provision)
	if !ok {
		return nil
	}
	cur := p.On(d).Article
	var out []ProvisionText
	for _, t := range p.Texts {
		if t.Article != cur && (len(out) == 0 || out[len(out)-1].Article != t.Article) {
			out = append(out, t)
		}
	}
	return out
}

// Validate checks that the law's versions are in order, each provision's
// texts belong to versions of the law and cite their articles, and the
// first text of each provision is the first version's.
func (l *Law) Validate() error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if l.ID == "" || l.Title.ZH == "" || l.Title.EN == "" || l.Citation.ZH == "" || l.Citation.EN == "" {
		bad("id, title and citation are required in both languages")
	}
	if len(l.Versions) == 0 {
		bad("no versions")
	}
	dates := map[csreview.Date]bool{}
	for i, v := range l.Versions {
		if !v.InForce.Valid() || v.Source.ZH == "" || v.Source.EN == "" || v.Checked == "" {
			bad("version %d: in_force, source in both languages and the text checked against are required", i)
		}
		if i > 0 && !l.Versions[i-1].InForce.Before(v.InForce) {
			bad("version %s: versions must be in the order they took effect", v.InForce)
		}
		dates[v.InForce] = true
	}
	seen := map[string]bool{}
	for _, p := range l.Provisions {
		if p.ID == "" || seen[p.ID] {
			bad("provision %q: an id, once", p.ID)
		}
		seen[p.ID] = true
		if len(p.Texts) == 0 {
			bad("provision %q: no text", p.ID)
			continue
		}
		if len(l.Versions) > 0 && p.Texts[0].From != l.Versions[0].InForce {
			bad("provision %q: its first text must be the first version's (%s)", p.ID, l.Versions[0].InForce)
		}
		for i, t := range p.Texts {
			if !dates[t.From] {
				bad("provision %q: %s is not a version of the law", p.ID, t.From)
			}
			if i > 0 && !p.Texts[i-1].From.Before(t.From) {
				bad("provision %q: texts must be in the order of the versions", p.ID)
			}
			if !strings.HasPrefix(t.Article, "Art. ") || t.Text.ZH == "" || t.Text.EN == "" {
				bad("provision %q (%s): article \"Art. N\" and text in both languages are required", p.ID, t.From)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("law %s: %s", l.ID, strings.Join(errs, "; "))
	}
	return nil
}

// lawsByID are the shipped laws; the data is part of the binary, so a
// defect in it stops the program at start rather than misciting later.
var lawsByID, lawList = mustLaws()

func mustLaws() (map[string]*Law, []*Law) {
	b, err := dataFS.ReadFile("data/laws.json")
	if err != nil {
		panic(err)
	}
	list, err := parseLaws(b)
	if err != nil {
		panic(fmt.Sprintf("regime: data/laws.json: %v", err))
	}
	m := map[string]*Law{}
	for _, l := range list {
		m[l.ID] = l
	}
	return m, list
}

func parseLaws(b []byte) ([]*Law, error) {
	var list []*Law
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, l := range list {
		if err := l.Validate(); err != nil {
			return nil, err
		}
		if seen[l.ID] {
			return nil, fmt.Errorf("law %q twice", l.ID)
		}
		seen[l.ID] = true
	}
	return list, nil
}

// LawByID returns a shipped law.
func LawByID(id string) (*Law, bool) {
	l, ok := lawsByID[id]
	return l, ok
}

// Laws returns the shipped laws in the order of the data.
func Laws() []*Law { return lawList }

// LawCite renders the article of a shipped law's provision as in force on
// day d, in both languages; it panics on an ID the data does not have,
// which the data tests rule out for every ID the code uses.
func LawCite(law, provision string, d csreview.Date) csreview.Text {
	l, ok := lawsByID[law]
	if !ok {
		panic(fmt.Sprintf("regime: no law %q", law))
	}
	return csreview.Text{ZH: l.CiteOn(provision, d, "zh"), EN: l.CiteOn(provision, d, "en")}
}

// LawText returns a shipped law's provision as in force on day d.
func LawText(law, provision string, d csreview.Date) ProvisionText {
	l, ok := lawsByID[law]
	if !ok {
		panic(fmt.Sprintf("regime: no law %q", law))
	}
	p, ok := l.Provision(provision)
	if !ok {
		panic(fmt.Sprintf("regime: law %s has no provision %q", law, provision))
	}
	return p.On(d)
}

// LawInForce reports whether the item can be cited on day d: an item that
// cites a law's provision only once that law is in force (the CII
// Regulations from 2021-09-01); any other item always.
func LawInForce(it Item, d csreview.Date) bool {
	if it.Provision == "" {
		return true
	}
	l, ok := lawsByID[it.Source]
	if !ok {
		return false
	}
	_, ok = l.In(d)
	return ok
}
