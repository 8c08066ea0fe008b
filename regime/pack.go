package regime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
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
	// Opens is the state a case filed through the channel starts in:
	// screening (the default, whose clock starts), or approval — a review
	// that member units propose waits for the Central Commission's approval
	// and is not screened (2021 Measures Art. 16).
	Opens csreview.CaseState `json:"opens,omitempty"`
	// Subject is what a case through the channel is about: products (the
	// default: versions under review) or listing (a platform operator's
	// data and listing, 2021 Art. 7: no product version).
	Subject string `json:"subject,omitempty"`
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

// Action is one transition of a case under the pack (DESIGN §3): from which
// states and to which, who takes it, what it must carry, what must be on
// record first, and what it does. The engine (package review) applies it;
// pages show what it says. Its article is its own or its step's.
type Action struct {
	ID      string `json:"id"`
	Step    string `json:"step"`
	Article string `json:"article,omitempty"`
	// Practice: the action is the review office's practice, not a step the
	// text sets (e.g. third-party assessment under the 2020 and 2021
	// Measures); it cites no article.
	Practice bool                 `json:"practice,omitempty"`
	From     []csreview.CaseState `json:"from"`
	// To is the state the case moves to; empty when it stays, or when an
	// effect decides (a tally of replies).
	To     csreview.CaseState `json:"to,omitempty"`
	Actors []csreview.Role    `json:"actors"`
	// What the action carries: a position (one of Positions), reasons per
	// criterion, a note (the reason on record), files, a number of days
	// within Days ([min, max]), the units consulted.
	Positions []string `json:"positions,omitempty"`
	Reasons   bool     `json:"reasons,omitempty"`
	Note      bool     `json:"note,omitempty"`
	Files     bool     `json:"files,omitempty"`
	Days      []int    `json:"days,omitempty"`
	// Due: the action names the date by which what it asks is due. The
	// Measures set no time for supplementary material (2021 Art. 15 says
	// only that it does not count): the office sets one in its request.
	Due     bool   `json:"due,omitempty"`
	Consult string `json:"consult,omitempty"` // "members" or "experts": the action names who is consulted
	// Requires are what must be on record first: body, no_report, report,
	// report_practice (a third-party report, where office practice wants
	// one), opinions:KIND, asked:experts, replies, complaint, and
	// as_recommended (the position is the last recommended conclusion's:
	// the one the units agreed to, or the special review's that was
	// approved, 2021 Measures Art. 12–13).
	Requires []string `json:"requires,omitempty"`
	// Effects are what it does: start:CLOCK, stop:CLOCK, pause, resume,
	// extend, notice:KIND, opinion:KIND, assign_body, report, save_return,
	// return, tally:STATE (all agree: To; otherwise STATE), decide,
	// outcome:OUTCOME, recuse, complaint, answer.
	Effects []string `json:"effects,omitempty"`
	// Optional actions are possible without being awaited; Confidential
	// ones keep their note out of the timeline (2021 Art. 17).
	Optional     bool `json:"optional,omitempty"`
	Confidential bool `json:"confidential,omitempty"`
}

// ActionRequires and ActionEffects are the vocabulary of Action.
var (
	ActionRequires = []string{"body", "no_report", "report", "report_practice", "opinions:expert", "asked:experts", "replies", "complaint",
		"as_recommended"}
	ActionEffects = []string{"start:", "stop:", "pause", "resume", "extend", "notice:", "opinion:", "assign_body", "report",
		"save_return", "return", "tally:", "decide", "outcome:", "recuse", "complaint", "answer", "consult"}
)

// Action returns an action by ID.
func (p *Pack) Action(id string) (Action, bool) {
	return find(p.Actions, id, func(x *Action) string { return x.ID })
}

// Step returns a step by ID.
func (p *Pack) Step(id string) (Step, bool) {
	return find(p.Steps, id, func(x *Step) string { return x.ID })
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
	// Actions are the transitions of a case the procedure allows; the
	// workflow engine (package review) takes them from here.
	Actions []Action `json:"actions"`
	// Members are the member units of the review mechanism (2021 Measures
	// Art. 4), whom a recommended conclusion is sent to with the departments
	// concerned (Art. 11–12).
	Members     []Text      `json:"members,omitempty"`
	Outcomes    []Item      `json:"outcomes"`
	Publication []Item      `json:"publication"`
	Notes       []Item      `json:"notes,omitempty"`
	Procurement Procurement `json:"procurement"`
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
	// conclusion covers a purchase; optionally scope_regs (CII Regulations
	// Art. 19), commitments (a duty in the
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
	return find(p.Procurement.Items, id, func(x *Item) string { return x.ID })
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

// itemProvision is the law's provision text an item that only names one
// stands for on day on; false when the item has its own text.
func itemProvision(it Item, on csreview.Date) (ProvisionText, bool) {
	if it.Text.ZH != "" || it.Provision == "" {
		return ProvisionText{}, false
	}
	if l, ok := lawsByID[it.Source]; ok {
		if pr, ok := l.Provision(it.Provision); ok {
			return pr.On(on), true
		}
	}
	return ProvisionText{}, false
}

// ItemVerbatim reports whether the item's text on day on is the article's
// own words: its own text if marked so, or its law's provision's.
func ItemVerbatim(it Item, on csreview.Date) bool {
	if t, ok := itemProvision(it, on); ok {
		return t.Verbatim
	}
	return it.Verbatim
}

// ItemText is the item's text as it stood on day on: its own, or, for an
// item that only names a law's provision, that provision's text in the
// version in force that day.
func ItemText(it Item, on csreview.Date) Text {
	if t, ok := itemProvision(it, on); ok {
		return t.Text
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
	return find(p.Channels, id, func(x *Channel) string { return x.ID })
}

// Exclusion returns why the pack excludes a channel, if it does.
func (p *Pack) Exclusion(id string) (Exclusion, bool) {
	return find(p.Excluded, id, func(x *Exclusion) string { return x.Channel })
}

// Criterion returns a criterion by ID.
func (p *Pack) Criterion(id string) (Criterion, bool) {
	return find(p.Criteria, id, func(x *Criterion) string { return x.ID })
}

// Clock returns a clock by ID.
func (p *Pack) Clock(id string) (Clock, bool) {
	return find(p.Clocks, id, func(x *Clock) string { return x.ID })
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
		if c.Opens != "" && c.Opens != csreview.StateScreening && c.Opens != csreview.StateApproval {
			bad("channel %q: opens %q must be screening or approval", c.ID, c.Opens)
		}
		if c.Subject != "" && c.Subject != "listing" {
			bad("channel %q: subject %q", c.ID, c.Subject)
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
	p.validateActions(bad, ids)
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

// validateActions checks the actions against the pack: a known step whose
// actors include the action's (so that the step and the engine agree on
// who acts), known states, clocks, outcomes and vocabulary, and every
// actor of a step acting in some action of it.
func (p *Pack) validateActions(bad func(string, ...any), ids map[string]bool) {
	if len(p.Actions) == 0 {
		bad("no actions")
	}
	acting := map[string]map[csreview.Role]bool{}
	seen := map[string]bool{}
	for _, a := range p.Actions {
		if a.ID == "" || seen[a.ID] {
			bad("action %q: an id, once", a.ID)
		}
		seen[a.ID] = true
		st, ok := p.Step(a.Step)
		if !ok {
			bad("action %q: unknown step %q", a.ID, a.Step)
		}
		if a.Practice && a.Article != "" || a.Article != "" && !strings.HasPrefix(a.Article, "Art. ") {
			bad("action %q: article %q (practice cites none)", a.ID, a.Article)
		}
		if len(a.From) == 0 || len(a.Actors) == 0 {
			bad("action %q: from and actors are required", a.ID)
		}
		for _, s := range append(append([]csreview.CaseState{}, a.From...), a.To) {
			if s != "" && !s.Valid() {
				bad("action %q: state %q", a.ID, s)
			}
		}
		if acting[a.Step] == nil {
			acting[a.Step] = map[csreview.Role]bool{}
		}
		for _, r := range a.Actors {
			if !r.Valid() {
				bad("action %q: actor %q is not a role", a.ID, r)
			}
			if ok && !slices.Contains(st.Actors, r) && !a.Optional {
				bad("action %q: %s acts, but step %q names %v", a.ID, r, a.Step, st.Actors)
			}
			acting[a.Step][r] = true
		}
		if len(a.Days) != 0 && (len(a.Days) != 2 || a.Days[0] < 1 || a.Days[1] < a.Days[0]) {
			bad("action %q: days must be [min, max]", a.ID)
		}
		if slices.Contains(a.Effects, "extend") && len(a.Days) != 2 {
			bad("action %q: an extension names the days it may add, [min, max]", a.ID)
		}
		if a.Consult != "" && !oneOfStr(a.Consult, "members", "experts") {
			bad("action %q: consult %q", a.ID, a.Consult)
		}
		for _, r := range a.Requires {
			if !oneOfStr(r, ActionRequires...) {
				bad("action %q: requires %q is not one of %v", a.ID, r, ActionRequires)
			}
		}
		for _, e := range a.Effects {
			name, arg, _ := strings.Cut(e, ":")
			if !oneOfStr(name, "pause", "resume", "extend", "assign_body", "report", "save_return", "return", "decide",
				"recuse", "complaint", "answer", "consult") && !oneOfStr(name+":", "start:", "stop:", "notice:", "opinion:", "tally:", "outcome:") {
				bad("action %q: effect %q is not one of %v", a.ID, e, ActionEffects)
			}
			switch name {
			case "start", "stop":
				if !ids["clock:"+arg] {
					bad("action %q: effect %q: unknown clock", a.ID, e)
				}
			case "outcome":
				if !hasItem(p.Outcomes, arg) {
					bad("action %q: effect %q: the pack has no such outcome", a.ID, e)
				}
			case "tally":
				if !csreview.CaseState(arg).Valid() {
					bad("action %q: effect %q: unknown state", a.ID, e)
				}
			}
		}
	}
	for _, s := range p.Steps {
		if acting[s.ID] == nil {
			continue // a step with no action of its own (filing, publication)
		}
		for _, r := range s.Actors {
			if !acting[s.ID][r] {
				bad("step %q names %s, but no action of it is %s's", s.ID, r, r)
			}
		}
	}
}

func hasItem(items []Item, id string) bool {
	_, ok := find(items, id, func(x *Item) string { return x.ID })
	return ok
}

// find returns the element of list whose key is id.
func find[T any](list []T, id string, key func(*T) string) (T, bool) {
	for i := range list {
		if key(&list[i]) == id {
			return list[i], true
		}
	}
	var zero T
	return zero, false
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
