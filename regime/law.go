package regime

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/csreview/csreview"
)

// Law is a statute or administrative regulation the packs cite beside the
// Measures: the Cybersecurity Law (Art. 35 review duty, Art. 36 security
// and confidentiality agreement, Art. 65 penalties) and the CII Security
// Protection Regulations (Art. 20 agreement, Art. 41 penalties). An item
// cites one through its Source.
type Law struct {
	ID       string        `json:"id"`
	Title    Text          `json:"title"`
	Citation Text          `json:"citation"`
	InForce  csreview.Date `json:"in_force"`
}

// Cite renders an article of the law: "CSL Art. 65", 《网络安全法》第六十五条.
func (l *Law) Cite(article, lang string) string {
	if strings.HasPrefix(lang, "en") {
		return l.Citation.EN + " " + article
	}
	return l.Citation.ZH + ArticleZH(article)
}

// lawsByID are the shipped laws; the data is part of the binary, so a
// defect in it stops the program at start rather than misciting later.
var lawsByID = mustLaws()

func mustLaws() map[string]*Law {
	b, err := dataFS.ReadFile("data/laws.json")
	if err != nil {
		panic(err)
	}
	var list []*Law
	if err := json.Unmarshal(b, &list); err != nil {
		panic(fmt.Sprintf("regime: data/laws.json: %v", err))
	}
	m := map[string]*Law{}
	for _, l := range list {
		if l.ID == "" || l.Title.ZH == "" || l.Title.EN == "" || l.Citation.ZH == "" || l.Citation.EN == "" || !l.InForce.Valid() {
			panic(fmt.Sprintf("regime: data/laws.json: law %q incomplete", l.ID))
		}
		m[l.ID] = l
	}
	return m
}

// LawByID returns a shipped law.
func LawByID(id string) (*Law, bool) {
	l, ok := lawsByID[id]
	return l, ok
}
