package regime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/csreview/csreview"
)

// Text is a text in Chinese and English; the Chinese is authoritative.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In returns the text in lang ("en…" for English, else Chinese).
func (t Text) In(lang string) string {
	if strings.HasPrefix(lang, "en") && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// Item is anything a pack says, with the article it comes from.
type Item struct {
	ID      string `json:"id"`
	Text    Text   `json:"text"`
	Article string `json:"article"` // e.g. "Art. 10(1)"; the pack's citation names the Measures
	// Source, when set, is the ID of another pack whose article this item
	// cites: a later version that is silent on a point keeps an earlier
	// one's practice, and says so rather than inventing an article. Or it
	// is the ID of a law (data/laws.json), and Provision names the rule of
	// that law: its article, and its text where the item has none, are
	// those of the law's version in force on the day of the event (CiteOn).
	Source    string `json:"source,omitempty"`
	Provision string `json:"provision,omitempty"`
	// Practice marks what the office does where the texts are silent
	// (DESIGN §1): it cites no article, and every page says it is practice.
	Practice bool `json:"practice,omitempty"`
	// Verbatim: the Chinese text is the article's own words (the English
	// a translation); otherwise the text is a summary, and pages say so.
	Verbatim bool `json:"verbatim,omitempty"`
	// Commentary names a reading that is not the text's own (a published
	// commentary), cited in place of an article so that no reading is
	// passed off as the statute.
	Commentary *Text `json:"commentary,omitempty"`
}

// Channel is a way a review may be started (DESIGN §3).
type Channel struct {
	Item
	// Initiator is the role that opens a case through this channel; the
	// office records channels whose initiator is outside the system
	// (national requirement, user feedback received by post).
	Initiator csreview.Role `json:"initiator"`
	// Materials lists the IDs of the materials a filing must attach.
	Materials []string `json:"materials,omitempty"`
}

// Exclusion names a channel the pack does not allow, and why, so that a
// refusal can cite the article that excludes it.
type Exclusion struct {
	Channel string `json:"channel"`
	Reason  Text   `json:"reason"`
	Article string `json:"article"`
}

// Criterion is one review criterion: static (risks of the product itself)
// or dynamic (supply-chain risks), as the 2017 trial Measures distinguish.
type Criterion struct {
	Item
	Kind string `json:"kind"` // "static" or "dynamic"
	// Supplier marks criteria about the supplier rather than the product
	// (its security and credibility, 2017 Measures Art. 6).
	Supplier bool `json:"supplier,omitempty"`
	// Theme is the kind of risk, shared across packs, by which the
	// assessment engine files its findings: control (illegal control,
	// interference, interruption), supply_chain, continuity (supply
	// interruption), data (user information and data), dependency (abuse
	// of users' dependency), compliance (supplier's legal compliance),
	// credibility (supplier security and credibility), listing (foreign
	// listing), other.
	Theme string `json:"theme"`
}

// Themes are the values of Criterion.Theme.
var Themes = []string{"control", "supply_chain", "continuity", "data", "dependency", "compliance",
	"credibility", "listing", "other"}

// Clock is a statutory time limit in working days.
type Clock struct {
	Item
	Workdays int `json:"workdays"`
	// Extension is how many working days the limit may be extended by, and
	// ExtensionArticle where that is allowed; 0 for none.
	Extension        int    `json:"extension,omitempty"`
	ExtensionArticle string `json:"extension_article,omitempty"`
	// Extendable without a fixed bound (2021 Art. 14: special review "may
	// be extended where the situation is complex").
	Open bool `json:"open,omitempty"`
	// PausesForMaterials: time waiting for supplementary materials does not
	// count (2021 Art. 15).
	PausesForMaterials bool   `json:"pauses_for_materials,omitempty"`
	PauseArticle       string `json:"pause_article,omitempty"`
}

// Step is a stage of the procedure, who acts in it, and its clock.
type Step struct {
	Item
	Actors []csreview.Role `json:"actors"`
	Clock  string          `json:"clock,omitempty"`
}

// Pack is one regime: the rules as one version of the Measures set them.
type Pack struct {
	ID           string        `json:"id"`
	Title        Text          `json:"title"`
	Citation     Text          `json:"citation"` // how articles are cited, e.g. "2021 Measures"
	Source       Text          `json:"source"`   // the issuing document
	Status       string        `json:"status"`   // draft, in_force, superseded
	Issued       csreview.Date `json:"issued"`
	InForce      csreview.Date `json:"in_force,omitempty"`
	SupersededBy string        `json:"superseded_by,omitempty"`
	Scope        Item          `json:"scope"`
	Channels     []Channel     `json:"channels"`
	Excluded     []Exclusion   `json:"excluded_channels"`
	Materials    []Item        `json:"materials"`
	Methods      []Item        `json:"methods"`
	Criteria     []Criterion   `json:"criteria"`
	Steps        []Step        `json:"steps"`
	Clocks       []Clock       `json:"clocks"`
	Outcomes     []Item        `json:"outcomes"`
	Publication  []Item        `json:"publication"`
	Notes        []Item        `json:"notes,omitempty"`
	Procurement  Procurement   `json:"procurement"`
}

// Procurement is how the pack answers an operator's "may I buy this?"
// (DESIGN §6): who decides whether a purchase needs review, what a
// conclusion covers, and the items that cite the article deciding each
// part of the answer.
type Procurement struct {
	// Decides is who decides whether a CII purchase needs review:
	// "determination" — the CII protection department (2017 draft Art. 11,
	// trial Art. 10) — or "forecast" — the operator itself (2020 and 2021
	// Art. 5).
	Decides string `json:"decides"`
	// Covers is what a conclusion is about: "product" — the 2017 Measures
	// review a product or service, whoever buys it — or "purchase" — the
	// 2020 and 2021 Measures review one operator's purchase (Art. 2, 5), so
	// another operator's pass is no answer to this operator's purchase.
	Covers string `json:"covers"`
	// Items, by ID: those of ProcurementItemIDs; other_operator where a
	// conclusion covers a purchase; optionally commitments (a duty in the
	// procurement documents: 2020 and 2021 Art. 6), determination (a
	// recorded determination under a forecast pack), agreement_regs and
	// penalty_regs. An item that cites a law not yet in force on the day
	// of the check is left out of the answer.
	Items []Item `json:"items"`
}

// ProcurementItemIDs are the items every pack's procurement rules carry.
var ProcurementItemIDs = []string{"scope", "decides", "undetermined", "not_required", "not_cii", "passed", "failed",
	"revoked", "under_review", "not_reviewed", "agreement", "penalty"}

// ProcurementItem returns the procurement item with the given ID.
func (p *Pack) ProcurementItem(id string) (Item, bool) {
	for _, it := range p.Procurement.Items {
		if it.ID == id {
			return it, true
		}
	}
	return Item{}, false
}

// Cite renders an article of this pack for users: "2021 Measures Art. 9",
// or in Chinese 《网络安全审查办法》（2021）第九条.
func (p *Pack) Cite(article, lang string) string {
	if strings.HasPrefix(lang, "en") {
		return p.Citation.EN + " " + article
	}
	return p.Citation.ZH + ArticleZH(article)
}

// CiteItem renders the citation of an item as it stood on day on: to this
// pack's article, another pack's, or a law's provision in the version in
// force that day (a citation names the article of the law as in force on
// the date of the event it is about). Office practice cites no article.
func CiteItem(packs map[string]*Pack, p *Pack, it Item, lang string, on csreview.Date) string {
	switch {
	case it.Practice:
		if strings.HasPrefix(lang, "en") {
			return "Review Office practice (no legal provision)"
		}
		return "网络安全审查办公室工作惯例（无法定依据）"
	case it.Commentary != nil:
		return it.Commentary.In(lang)
	case it.Provision != "":
		if l, ok := lawsByID[it.Source]; ok {
			return l.CiteOn(it.Provision, on, lang)
		}
	case it.Source != "":
		if q, ok := packs[it.Source]; ok {
			return q.Cite(it.Article, lang)
		}
	}
	return p.Cite(it.Article, lang)
}

// ItemVerbatim reports whether the item's text on day on is the article's
// own words: its own text if marked so, or its law's provision's.
func ItemVerbatim(it Item, on csreview.Date) bool {
	if it.Text.ZH != "" || it.Provision == "" {
		return it.Verbatim
	}
	if l, ok := lawsByID[it.Source]; ok {
		if pr, ok := l.Provision(it.Provision); ok {
			return pr.On(on).Verbatim
		}
	}
	return false
}

// ItemText is the item's text as it stood on day on: its own, or, for an
// item that only names a law's provision, that provision's text in the
// version in force that day.
func ItemText(it Item, on csreview.Date) Text {
	if it.Text.ZH != "" || it.Provision == "" {
		return it.Text
	}
	if l, ok := lawsByID[it.Source]; ok {
		if pr, ok := l.Provision(it.Provision); ok {
			return pr.On(on).Text
		}
	}
	return it.Text
}

// InitiatorRoles are the roles that open cases through the pack's
// channels (none for a nil pack).
func (p *Pack) InitiatorRoles() []csreview.Role {
	if p == nil {
		return nil
	}
	var out []csreview.Role
	for _, c := range p.Channels {
		out = append(out, c.Initiator)
	}
	return out
}

// Channel returns the channel with the given ID, if the pack allows it.
func (p *Pack) Channel(id string) (Channel, bool) {
	for _, c := range p.Channels {
		if c.ID == id {
			return c, true
		}
	}
	return Channel{}, false
}

// Exclusion returns why the pack excludes a channel, if it does.
func (p *Pack) Exclusion(id string) (Exclusion, bool) {
	for _, e := range p.Excluded {
		if e.Channel == id {
			return e, true
		}
	}
	return Exclusion{}, false
}

// Criterion returns a criterion by ID.
func (p *Pack) Criterion(id string) (Criterion, bool) {
	for _, c := range p.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// Clock returns a clock by ID.
func (p *Pack) Clock(id string) (Clock, bool) {
	for _, c := range p.Clocks {
		if c.ID == id {
			return c, true
		}
	}
	return Clock{}, false
}

// ChannelIDs are every initiation channel any pack may name (DESIGN §3).
var ChannelIDs = []string{"office_ex_officio", "national_requirement", "regulator", "association_suggestion",
	"user_feedback", "operator_filing", "platform_listing", "member_ex_officio", "enterprise_application"}

// Validate checks that a pack is complete and that every item cites its
// article: the rules are only as good as their citations.
func (p *Pack) Validate() error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if p.ID == "" || p.Title.ZH == "" || p.Title.EN == "" || p.Citation.ZH == "" || p.Citation.EN == "" || p.Source.ZH == "" {
		bad("id, title, citation and source are required in both languages")
	}
	if !p.Issued.Valid() || (p.InForce != "" && !p.InForce.Valid()) {
		bad("issued and in_force must be dates")
	}
	if !oneOfStr(p.Status, "draft", "in_force", "superseded") {
		bad("status %q: use draft, in_force or superseded", p.Status)
	}
	ids := map[string]bool{}
	item := func(kind string, it Item) {
		if it.ID == "" {
			bad("%s without an id", kind)
		}
		if ids[kind+":"+it.ID] {
			bad("%s %q twice", kind, it.ID)
		}
		ids[kind+":"+it.ID] = true
		law, isLaw := lawsByID[it.Source]
		switch {
		case it.Practice || it.Commentary != nil:
			// Practice cites nothing, and says so in its text; a
			// commentary is cited by name, not by an article.
			if it.Article != "" || it.Source != "" || it.Practice && it.Commentary != nil {
				bad("%s %q: practice or commentary cites no article", kind, it.ID)
			}
			if c := it.Commentary; c != nil && (c.ZH == "" || c.EN == "") {
				bad("%s %q: the commentary needs its name in both languages", kind, it.ID)
			}
		case isLaw:
			if _, ok := law.Provision(it.Provision); !ok {
				bad("%s %q: law %s has no provision %q", kind, it.ID, it.Source, it.Provision)
			}
			if it.Article != "" {
				// The law's version in force on the day decides the article.
				bad("%s %q: cites law %s by provision, not by article", kind, it.ID, it.Source)
			}
		case it.Provision != "":
			bad("%s %q: provision %q without a law as its source", kind, it.ID, it.Provision)
		case !strings.HasPrefix(it.Article, "Art. "):
			bad("%s %q: article %q must cite \"Art. N\"", kind, it.ID, it.Article)
		}
		if (it.Text.ZH == "") != (it.Text.EN == "") || it.Text.ZH == "" && !isLaw {
			bad("%s %q: text needs both zh and en", kind, it.ID)
		}
	}
	p.Scope.ID = "scope"
	item("scope", p.Scope)
	for _, m := range p.Materials {
		item("material", m)
	}
	for _, c := range p.Channels {
		item("channel", c.Item)
		if !oneOfStr(c.ID, ChannelIDs...) {
			bad("channel %q is not one of %v", c.ID, ChannelIDs)
		}
		if !c.Initiator.Valid() {
			bad("channel %q: initiator %q is not a role", c.ID, c.Initiator)
		}
		for _, m := range c.Materials {
			if !ids["material:"+m] {
				bad("channel %q: unknown material %q", c.ID, m)
			}
		}
	}
	if len(p.Channels) == 0 {
		bad("no initiation channels")
	}
	for _, e := range p.Excluded {
		if ids["channel:"+e.Channel] {
			bad("channel %q both allowed and excluded", e.Channel)
		}
		if !strings.HasPrefix(e.Article, "Art. ") || e.Reason.ZH == "" || e.Reason.EN == "" {
			bad("excluded channel %q: reason in both languages and article required", e.Channel)
		}
	}
	for _, id := range ChannelIDs {
		if !ids["channel:"+id] {
			if _, ok := p.Exclusion(id); !ok {
				bad("channel %q is neither allowed nor excluded", id)
			}
		}
	}
	for _, m := range p.Methods {
		item("method", m)
	}
	for _, c := range p.Criteria {
		item("criterion", c.Item)
		if !oneOfStr(c.Kind, "static", "dynamic") {
			bad("criterion %q: kind %q must be static or dynamic", c.ID, c.Kind)
		}
		if !oneOfStr(c.Theme, Themes...) {
			bad("criterion %q: theme %q must be one of %v", c.ID, c.Theme, Themes)
		}
	}
	if len(p.Criteria) == 0 {
		bad("no criteria")
	}
	for _, c := range p.Clocks {
		item("clock", c.Item)
		if c.Workdays <= 0 {
			bad("clock %q: workdays must be positive", c.ID)
		}
		if c.Extension > 0 && !strings.HasPrefix(c.ExtensionArticle, "Art. ") {
			bad("clock %q: an extension needs its article", c.ID)
		}
		if c.PausesForMaterials && !strings.HasPrefix(c.PauseArticle, "Art. ") {
			bad("clock %q: pausing needs its article", c.ID)
		}
	}
	for _, s := range p.Steps {
		item("step", s.Item)
		if len(s.Actors) == 0 {
			bad("step %q: who acts is required", s.ID)
		}
		for _, r := range s.Actors {
			if !r.Valid() {
				bad("step %q: actor %q is not a role", s.ID, r)
			}
		}
		if s.Clock != "" && !ids["clock:"+s.Clock] {
			bad("step %q: unknown clock %q", s.ID, s.Clock)
		}
	}
	for _, o := range p.Outcomes {
		item("outcome", o)
	}
	for _, x := range p.Publication {
		item("publication", x)
	}
	for _, x := range p.Notes {
		item("note", x)
	}
	if !oneOfStr(p.Procurement.Decides, "determination", "forecast") {
		bad("procurement: decides %q must be determination or forecast", p.Procurement.Decides)
	}
	if !oneOfStr(p.Procurement.Covers, "product", "purchase") {
		bad("procurement: covers %q must be product or purchase", p.Procurement.Covers)
	}
	for _, x := range p.Procurement.Items {
		item("procurement", x)
		if _, isLaw := lawsByID[x.Source]; x.Source != "" && !isLaw && !strings.HasPrefix(x.Source, "cac-") {
			bad("procurement %q: source %q is neither a pack nor a law", x.ID, x.Source)
		}
	}
	for _, id := range ProcurementItemIDs {
		if !ids["procurement:"+id] {
			bad("procurement: item %q is missing", id)
		}
	}
	if p.Procurement.Covers == "purchase" && !ids["procurement:other_operator"] {
		bad("procurement: a pack whose conclusions cover a purchase needs the other_operator item")
	}
	if len(errs) > 0 {
		return fmt.Errorf("regime %s: %s", p.ID, strings.Join(errs, "; "))
	}
	return nil
}

func oneOfStr(s string, list ...string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// Packs loads and validates the shipped regime packs, ordered by date.
func Packs() ([]*Pack, error) {
	names, err := fs.Glob(dataFS, "data/packs/*.json")
	if err != nil {
		return nil, err
	}
	var packs []*Pack
	for _, n := range names {
		p, err := loadPack(n)
		if err != nil {
			return nil, err
		}
		packs = append(packs, p)
	}
	sort.Slice(packs, func(i, j int) bool { return packs[i].Issued < packs[j].Issued })
	return packs, nil
}

// PackByID loads and validates the shipped pack with that ID alone (a
// command that needs one pack need not read the others), and reports
// false when there is none.
func PackByID(id string) (*Pack, bool, error) {
	name := "data/packs/" + id + ".json"
	if _, err := fs.Stat(dataFS, name); err != nil { // no such file, or not a valid path ("..")
		return nil, false, nil
	}
	p, err := loadPack(name)
	if err != nil {
		return nil, false, err
	}
	if p.ID != id {
		return nil, false, fmt.Errorf("%s: its id is %q", name, p.ID)
	}
	return p, true, nil
}

func loadPack(name string) (*Pack, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	p := new(Pack)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// InForceOn returns the pack that governed on day d: the latest pack in
// force by then (drafts never govern).
func InForceOn(packs []*Pack, d csreview.Date) *Pack {
	var best *Pack
	for _, p := range packs {
		if p.Status == "draft" || p.InForce == "" || d.Before(p.InForce) {
			continue
		}
		if best == nil || best.InForce.Before(p.InForce) {
			best = p
		}
	}
	return best
}
