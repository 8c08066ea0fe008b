package regime

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/csreview/csreview"
)

// loadPacks loads the shipped packs and indexes them by ID.
func loadPacks(t *testing.T) ([]*Pack, map[string]*Pack) {
	t.Helper()
	packs, err := Packs()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Pack{}
	for _, p := range packs {
		byID[p.ID] = p
	}
	return packs, byID
}

// pack returns the shipped pack id, failing the test if there is none.
func pack(t *testing.T, byID map[string]*Pack, id string) *Pack {
	t.Helper()
	p, ok := byID[id]
	if !ok {
		t.Fatalf("no pack %q", id)
	}
	return p
}

func TestPacksLoad(t *testing.T) {
	t.Parallel()
	packs, _ := loadPacks(t)
	want := []struct {
		id, status, issued, inForce, supersededBy string
	}{
		{"cac-2017-draft", "draft", "2017-02-04", "", "cac-2017-trial"},
		{"cac-2017-trial", "superseded", "2017-05-02", "2017-06-01", "cac-2020"},
		{"cac-2020", "superseded", "2020-04-13", "2020-06-01", "cac-2021"},
		{"cac-2021", "in_force", "2021-12-28", "2022-02-15", ""},
	}
	if got, want := len(packs), len(want); got != want {
		t.Fatalf("got %d packs, want %d", got, want)
	}
	for i, w := range want {
		p := packs[i]
		t.Run(w.id, func(t *testing.T) {
			if p.ID != w.id {
				t.Fatalf("pack %d is %q, want %q (date order)", i, p.ID, w.id)
			}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := []string{p.Status, string(p.Issued), string(p.InForce), p.SupersededBy}; strings.Join(got, " ") !=
				strings.Join([]string{w.status, w.issued, w.inForce, w.supersededBy}, " ") {
				t.Errorf("status/issued/in_force/superseded_by = %q, want %q", got,
					[]string{w.status, w.issued, w.inForce, w.supersededBy})
			}
		})
	}
}

func TestInForceOn(t *testing.T) {
	t.Parallel()
	packs, _ := loadPacks(t)
	for _, tc := range []struct {
		day  csreview.Date
		want string
	}{
		{"2017-02-04", ""}, // the draft never governs
		{"2017-05-01", ""}, // before the trial Measures
		{"2017-05-31", ""}, // issued but not yet in force
		{"2017-06-01", "cac-2017-trial"},
		{"2019-06-01", "cac-2017-trial"},
		{"2020-05-31", "cac-2017-trial"},
		{"2020-06-01", "cac-2020"},
		{"2021-06-01", "cac-2020"},
		{"2022-02-14", "cac-2020"}, // the 2021 Measures issued but not yet in force
		{"2022-02-15", "cac-2021"},
		{"2026-01-01", "cac-2021"},
	} {
		got := ""
		if p := InForceOn(packs, tc.day); p != nil {
			got = p.ID
		}
		if got != tc.want {
			t.Errorf("InForceOn(%s) = %q, want %q", tc.day, got, tc.want)
		}
	}
}

// TestChannelsDiffer: who may start a review is where the versions differ most.
func TestChannelsDiffer(t *testing.T) {
	t.Parallel()
	_, byID := loadPacks(t)
	draft, trial := pack(t, byID, "cac-2017-draft"), pack(t, byID, "cac-2017-trial")

	c, ok := draft.Channel("enterprise_application")
	if !ok {
		t.Fatal("the draft does not allow enterprise applications (Art. 8)")
	}
	if c.Initiator != csreview.RoleSupplier || c.Article != "Art. 8" {
		t.Errorf("draft enterprise_application: initiator %q, article %q; want supplier, Art. 8", c.Initiator, c.Article)
	}
	if _, ok := trial.Channel("enterprise_application"); ok {
		t.Error("the trial Measures allow enterprise applications")
	}
	if ex, ok := trial.Exclusion("enterprise_application"); !ok || !strings.HasPrefix(ex.Article, "Art. 8") {
		t.Errorf("trial does not exclude enterprise_application citing Art. 8: %+v", ex)
	}
	// Nor do operators file under the trial Measures: the office selects
	// what to review (Art. 8), the CII protection department decides
	// whether a purchase affects national security (Art. 10).
	if ex, ok := trial.Exclusion("operator_filing"); !ok || ex.Article != "Art. 8, 10" {
		t.Errorf("trial does not exclude operator_filing citing Art. 8 and 10: %+v", ex)
	}

	// Each allowed channel, pack by pack, in ChannelIDs order.
	for _, tc := range []struct{ pack, allowed string }{
		{"cac-2017-draft", "national_requirement regulator association_suggestion user_feedback operator_filing enterprise_application"},
		{"cac-2017-trial", "office_ex_officio national_requirement regulator association_suggestion user_feedback"},
		{"cac-2020", "operator_filing member_ex_officio"},
		{"cac-2021", "operator_filing platform_listing member_ex_officio"},
	} {
		p := pack(t, byID, tc.pack)
		var got []string
		for _, id := range ChannelIDs {
			if _, ok := p.Channel(id); ok {
				got = append(got, id)
			}
		}
		if g := strings.Join(got, " "); g != tc.allowed {
			t.Errorf("%s allows %q, want %q", tc.pack, g, tc.allowed)
		}
	}

	for _, p := range byID {
		_, allowed := p.Channel("platform_listing")
		if want := p.ID == "cac-2021"; allowed != want {
			t.Errorf("%s: platform_listing allowed = %v, want %v", p.ID, allowed, want)
		}
	}
	c, _ = pack(t, byID, "cac-2021").Channel("platform_listing")
	if c.Article != "Art. 7" || c.Initiator != csreview.RoleOperator {
		t.Errorf("2021 platform_listing: %q by %q, want Art. 7 by operator", c.Article, c.Initiator)
	}
}

func TestScopePublicInterest(t *testing.T) {
	t.Parallel()
	_, byID := loadPacks(t)
	for _, tc := range []struct {
		pack string
		want bool
	}{
		{"cac-2017-draft", true},
		{"cac-2017-trial", false},
		{"cac-2020", false},
		{"cac-2021", false},
	} {
		p := pack(t, byID, tc.pack)
		if got := strings.Contains(strings.ToLower(p.Scope.Text.EN), "public interest"); got != tc.want {
			t.Errorf("%s scope mentions public interest: %v, want %v (%q)", tc.pack, got, tc.want, p.Scope.Text.EN)
		}
		if p.Scope.Article != "Art. 2" {
			t.Errorf("%s scope cites %q, want Art. 2", tc.pack, p.Scope.Article)
		}
	}
	if s := pack(t, byID, "cac-2021").Scope.Text.EN; !strings.Contains(s, "platform") {
		t.Errorf("2021 scope does not reach network platform operators: %q", s)
	}
}

func TestClocks(t *testing.T) {
	t.Parallel()
	_, byID := loadPacks(t)
	type want struct {
		workdays, extension int
		open                bool
		article             string
	}
	for _, tc := range []struct {
		pack, clock string
		want        want
	}{
		{"cac-2021", "screening", want{10, 0, false, "Art. 9"}},
		{"cac-2021", "preliminary", want{30, 15, false, "Art. 11"}},
		{"cac-2021", "member_replies", want{15, 0, false, "Art. 12"}},
		{"cac-2021", "special_review", want{90, 0, true, "Art. 14"}},
		{"cac-2020", "screening", want{10, 0, false, "Art. 8"}},
		{"cac-2020", "preliminary", want{30, 15, false, "Art. 10"}},
		{"cac-2020", "member_replies", want{15, 0, false, "Art. 11"}},
		{"cac-2020", "special_review", want{45, 0, true, "Art. 13"}},
	} {
		c, ok := pack(t, byID, tc.pack).Clock(tc.clock)
		if !ok {
			t.Errorf("%s has no clock %q", tc.pack, tc.clock)
			continue
		}
		if got := (want{c.Workdays, c.Extension, c.Open, c.Article}); got != tc.want {
			t.Errorf("%s %s: got %+v, want %+v", tc.pack, tc.clock, got, tc.want)
		}
	}
	// Time awaiting supplementary materials does not count (2021 Art. 15, 2020 Art. 14).
	for id, art := range map[string]string{"cac-2021": "Art. 15", "cac-2020": "Art. 14"} {
		c, _ := pack(t, byID, id).Clock("screening")
		if !c.PausesForMaterials || c.PauseArticle != art {
			t.Errorf("%s screening: pauses %v under %q, want under %s", id, c.PausesForMaterials, c.PauseArticle, art)
		}
	}
	// The 2017 Measures set no time limits, and say so in a note.
	for _, id := range []string{"cac-2017-draft", "cac-2017-trial"} {
		p := pack(t, byID, id)
		if len(p.Clocks) != 0 {
			t.Errorf("%s has clocks %+v; the 2017 Measures set none", id, p.Clocks)
		}
		if !hasItem(p.Notes, "no_time_limits") {
			t.Errorf("%s does not note that it sets no time limits", id)
		}
	}
}

// TestMaterials: each filing channel asks for the materials its article lists.
func TestMaterials(t *testing.T) {
	t.Parallel()
	_, byID := loadPacks(t)
	for _, tc := range []struct{ pack, channel, materials string }{
		{"cac-2020", "operator_filing", "application_form impact_report procurement_documents"},
		{"cac-2021", "operator_filing", "application_form impact_report procurement_documents"},
		{"cac-2021", "platform_listing", "application_form impact_report listing_documents"},
	} {
		c, _ := pack(t, byID, tc.pack).Channel(tc.channel)
		if got := strings.Join(c.Materials, " "); got != tc.materials {
			t.Errorf("%s %s needs %q, want %q", tc.pack, tc.channel, got, tc.materials)
		}
	}
	for _, id := range []string{"cac-2017-draft", "cac-2017-trial"} {
		if p := pack(t, byID, id); len(p.Materials) != 0 || !hasItem(p.Notes, "no_materials") {
			t.Errorf("%s: the 2017 Measures prescribe no materials, and the pack should note it", id)
		}
	}
}

func TestCriterionIDsUnique(t *testing.T) {
	t.Parallel()
	packs, _ := loadPacks(t)
	seen := map[string]string{}
	for _, p := range packs {
		for _, c := range p.Criteria {
			if q, dup := seen[c.ID]; dup {
				t.Errorf("criterion %q in both %s and %s", c.ID, q, p.ID)
			}
			seen[c.ID] = p.ID
		}
	}
	if len(seen) == 0 {
		t.Fatal("no criteria")
	}
}

// TestBorrowedCitations: an item that cites another pack points at an earlier
// pack that has an item under that very article, so no article is invented.
func TestBorrowedCitations(t *testing.T) {
	t.Parallel()
	packs, byID := loadPacks(t)
	for _, p := range packs {
		var items []Item
		items = append(items, p.Methods...)
		for _, c := range p.Criteria {
			items = append(items, c.Item)
		}
		items = append(items, p.Notes...)
		items = append(items, p.Outcomes...)
		items = append(items, p.Publication...)
		items = append(items, p.Procurement.Items...)
		for _, it := range items {
			if it.Source == "" {
				continue
			}
			if l, ok := LawByID(it.Source); ok {
				// A law the pack cites must be in force at some time while
				// the pack is; an answer on a day before the law took
				// effect leaves the item out (LawInForce).
				if p.InForce != "" && p.SupersededBy != "" {
					next := pack(t, byID, p.SupersededBy)
					if !l.Versions[0].InForce.Before(next.InForce) {
						t.Errorf("%s %s: cites %s, in force only after the pack was superseded", p.ID, it.ID, l.ID)
					}
				}
				continue
			}
			q, ok := byID[it.Source]
			if !ok {
				t.Errorf("%s %s: source %q is not a pack", p.ID, it.ID, it.Source)
				continue
			}
			if !q.Issued.Before(p.Issued) {
				t.Errorf("%s %s: source %s is not an earlier pack", p.ID, it.ID, q.ID)
			}
			if !packCites(q, it.Article) {
				t.Errorf("%s %s: %s has nothing under %s", p.ID, it.ID, q.ID, it.Article)
			}
		}
	}
	// The 2020 and 2021 Measures list no methods: every method is borrowed.
	for _, id := range []string{"cac-2020", "cac-2021"} {
		p := pack(t, byID, id)
		if len(p.Methods) != 8 {
			t.Errorf("%s: %d methods, want the 8 of the 2017 trial Measures", id, len(p.Methods))
		}
		for _, m := range p.Methods {
			if m.Source != "cac-2017-trial" || m.Article != "Art. 3" {
				t.Errorf("%s method %s cites %q %s, want cac-2017-trial Art. 3", id, m.ID, m.Source, m.Article)
			}
		}
		if !hasItem(p.Notes, "no_methods") {
			t.Errorf("%s does not note that it lists no methods", id)
		}
		if got := CiteItem(byID, p, p.Methods[0], "en", "2022-03-01"); got != "2017 trial Measures Art. 3" {
			t.Errorf("%s: borrowed method cited as %q", id, got)
		}
	}
}

// packCites reports whether p has an item, of its own, under article.
func packCites(p *Pack, article string) bool {
	var items []Item
	items = append(items, p.Methods...)
	for _, c := range p.Criteria {
		items = append(items, c.Item)
	}
	for _, c := range p.Channels {
		items = append(items, c.Item)
	}
	items = append(items, p.Notes...)
	for _, it := range items {
		if it.Source == "" && it.Article == article {
			return true
		}
	}
	return false
}

// clonePack returns a deep copy of p.
func clonePack(t *testing.T, p *Pack) *Pack {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q := new(Pack)
	if err := json.Unmarshal(b, q); err != nil {
		t.Fatal(err)
	}
	return q
}

func TestValidateCatchesBrokenPacks(t *testing.T) {
	t.Parallel()
	_, byID := loadPacks(t)
	base := pack(t, byID, "cac-2021")
	if err := clonePack(t, base).Validate(); err != nil {
		t.Fatalf("unbroken copy: %v", err)
	}
	stepWithClock := func(p *Pack) int {
		for i, s := range p.Steps {
			if s.Clock != "" {
				return i
			}
		}
		t.Fatal("no step with a clock")
		return -1
	}
	for _, tc := range []struct {
		name   string
		break_ func(p *Pack)
		want   string
	}{
		{"MissingArticle", func(p *Pack) { p.Criteria[0].Article = "" }, `must cite "Art. N"`},
		{"ArticleNotCited", func(p *Pack) { p.Steps[0].Article = "Article 9" }, `must cite "Art. N"`},
		{"ScopeWithoutArticle", func(p *Pack) { p.Scope.Article = "" }, "scope"},
		{"CriterionKind", func(p *Pack) { p.Criteria[0].Kind = "x" }, `kind "x" must be static or dynamic`},
		{"UnknownTheme", func(p *Pack) { p.Criteria[1].Theme = "weather" }, `theme "weather"`},
		{"UnknownClock", func(p *Pack) { p.Steps[stepWithClock(p)].Clock = "nope" }, `unknown clock "nope"`},
		{"ChannelNeitherAllowedNorExcluded", func(p *Pack) { p.Excluded = p.Excluded[1:] }, "neither allowed nor excluded"},
		{"ChannelBothAllowedAndExcluded", func(p *Pack) {
			p.Excluded = append(p.Excluded, Exclusion{Channel: "platform_listing", Reason: Text{"x", "x"}, Article: "Art. 7"})
		}, "both allowed and excluded"},
		{"UnknownChannel", func(p *Pack) { p.Channels[0].ID = "fax" }, `channel "fax" is not one of`},
		{"DuplicateCriterion", func(p *Pack) { p.Criteria = append(p.Criteria, p.Criteria[0]) }, "twice"},
		{"DuplicateMaterial", func(p *Pack) { p.Materials = append(p.Materials, p.Materials[0]) }, "twice"},
		{"MissingMaterial", func(p *Pack) {
			var ms []Item
			for _, m := range p.Materials {
				if m.ID != "listing_documents" {
					ms = append(ms, m)
				}
			}
			p.Materials = ms
		}, `unknown material "listing_documents"`},
		{"TextOneLanguage", func(p *Pack) { p.Outcomes[0].Text.EN = "" }, "needs both zh and en"},
		{"InitiatorNotARole", func(p *Pack) { p.Channels[0].Initiator = "citizen" }, `initiator "citizen" is not a role`},
		{"ActorNotARole", func(p *Pack) { p.Steps[0].Actors = []csreview.Role{"judge"} }, `actor "judge" is not a role`},
		{"NoActors", func(p *Pack) { p.Steps[0].Actors = nil }, "who acts is required"},
		{"ExtensionWithoutArticle", func(p *Pack) {
			for i := range p.Clocks {
				if p.Clocks[i].Extension > 0 {
					p.Clocks[i].ExtensionArticle = ""
				}
			}
		}, "an extension needs its article"},
		{"PauseWithoutArticle", func(p *Pack) { p.Clocks[0].PauseArticle = "" }, "pausing needs its article"},
		{"ExclusionWithoutReason", func(p *Pack) { p.Excluded[0].Reason = Text{} }, "reason in both languages"},
		{"BadStatus", func(p *Pack) { p.Status = "repealed" }, `status "repealed"`},
		{"BadDate", func(p *Pack) { p.InForce = "2022-02-30" }, "must be dates"},
		{"NoCriteria", func(p *Pack) { p.Criteria = nil }, "no criteria"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := clonePack(t, base)
			tc.break_(p)
			err := p.Validate()
			if err == nil {
				t.Fatalf("Validate accepted the broken pack")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
	// Breaking a copy leaves the shipped pack intact.
	if err := base.Validate(); err != nil {
		t.Errorf("shipped pack after the mutations: %v", err)
	}
}

// TestArticlesRenderInChinese: every article a pack cites is one the Chinese
// citation can read ("Art. 10(3)" is 第十条第（三）项), so no citation reaches a
// Chinese reader as an untranslated "Art. …".
func TestArticlesRenderInChinese(t *testing.T) {
	t.Parallel()
	packs, _ := loadPacks(t)
	for _, p := range packs {
		articles := []string{p.Scope.Article}
		add := func(items ...Item) {
			for _, it := range items {
				if it.Article != "" { // practice, commentary and laws' provisions cite no article of the pack
					articles = append(articles, it.Article)
				}
			}
		}
		add(p.Materials...)
		add(p.Methods...)
		add(p.Outcomes...)
		add(p.Publication...)
		add(p.Notes...)
		for _, c := range p.Channels {
			add(c.Item)
		}
		for _, e := range p.Excluded {
			articles = append(articles, e.Article)
		}
		for _, c := range p.Criteria {
			add(c.Item)
		}
		for _, s := range p.Steps {
			add(s.Item)
		}
		for _, c := range p.Clocks {
			add(c.Item)
			for _, a := range []string{c.ExtensionArticle, c.PauseArticle} {
				if a != "" {
					articles = append(articles, a)
				}
			}
		}
		for _, a := range articles {
			if zh := ArticleZH(a); !strings.HasPrefix(zh, "第") || strings.Contains(zh, "Art") {
				t.Errorf("%s: article %q renders in Chinese as %q", p.ID, a, zh)
			}
		}
	}
	_, byID := loadPacks(t)
	if got, want := pack(t, byID, "cac-2021").Cite("Art. 9", "zh"), "《网络安全审查办法》（2021）第九条"; got != want {
		t.Errorf("Cite zh = %q, want %q", got, want)
	}
}

// TestProcurementRules: each pack says who decides whether a purchase needs
// review as its text does — the CII protection department under the 2017
// Measures, the operator's own forecast under 2020 and 2021 — and every
// procurement item renders a citation in both languages.
func TestProcurementRules(t *testing.T) {
	t.Parallel()
	packs, byID := loadPacks(t)
	want := map[string]string{"cac-2017-draft": "determination", "cac-2017-trial": "determination",
		"cac-2020": "forecast", "cac-2021": "forecast"}
	for _, p := range packs {
		if got := p.Procurement.Decides; got != want[p.ID] {
			t.Errorf("%s: decides %q, want %q", p.ID, got, want[p.ID])
		}
		for _, it := range p.Procurement.Items {
			zh, en := CiteItem(byID, p, it, "zh-CN", "2025-06-01"), CiteItem(byID, p, it, "en", "2025-06-01")
			if it.Practice {
				if !strings.Contains(zh, "工作惯例") || !strings.Contains(en, "practice") {
					t.Errorf("%s %s: practice cited as %q / %q", p.ID, it.ID, zh, en)
				}
			} else if !strings.Contains(zh, "第") || !strings.Contains(en, "Art. ") {
				t.Errorf("%s %s: citations %q / %q", p.ID, it.ID, zh, en)
			}
			if txt := ItemText(it, "2025-06-01"); txt.ZH == "" || txt.EN == "" {
				t.Errorf("%s %s: no text", p.ID, it.ID)
			}
		}
	}
	// The Cybersecurity Law was renumbered on 2026-01-01: a citation names
	// the article of the version in force on the day of the event.
	p := pack(t, byID, "cac-2021")
	pen, _ := p.ProcurementItem("penalty")
	for on, want := range map[csreview.Date]string{"2025-12-31": "《网络安全法》第六十五条", "2026-01-01": "《网络安全法》第六十七条"} {
		if got := CiteItem(byID, p, pen, "zh-CN", on); got != want {
			t.Errorf("penalty on %s cites %q, want %q", on, got, want)
		}
	}
	if got := ItemText(pen, "2026-01-01").ZH; !strings.Contains(got, "责令限期改正、停止使用、消除对国家安全的影响") {
		t.Errorf("the 2026 penalty text lacks Art. 67's orders: %q", got)
	}
	if got := ItemText(pen, "2025-12-31").ZH; strings.Contains(got, "限期改正") {
		t.Errorf("the 2017 text of Art. 65 has no order to rectify: %q", got)
	}
	regs, ok := p.ProcurementItem("penalty_regs")
	if got := CiteItem(byID, p, regs, "en", "2026-03-01"); !ok || got != "CII Regulations Art. 41" {
		t.Errorf("penalty_regs cites %q", got)
	}
	if LawInForce(regs, "2021-08-31") || !LawInForce(regs, "2021-09-01") {
		t.Error("the CII Regulations are in force from 1 Sep 2021")
	}
	// Under the 2017 Measures the enterprise commitment is a review method
	// (Art. 3), not a duty in the procurement documents.
	for _, id := range []string{"cac-2017-draft", "cac-2017-trial"} {
		if _, ok := pack(t, byID, id).ProcurementItem("commitments"); ok {
			t.Errorf("%s: a commitments item in the procurement answer", id)
		}
		if got := pack(t, byID, id).Procurement.Covers; got != "product" {
			t.Errorf("%s: conclusions cover %q, want product", id, got)
		}
	}
	// The 2020 and 2021 Measures review one operator's purchase, and cite
	// no repealed article of the trial Measures in their answers.
	for _, id := range []string{"cac-2020", "cac-2021"} {
		q := pack(t, byID, id)
		if q.Procurement.Covers != "purchase" {
			t.Errorf("%s: conclusions cover %q, want purchase", id, q.Procurement.Covers)
		}
		for _, it := range q.Procurement.Items {
			if it.Source == "cac-2017-trial" || it.Source == "cac-2017-draft" {
				t.Errorf("%s %s cites the repealed %s %s", id, it.ID, it.Source, it.Article)
			}
		}
	}
}

// TestPackByID: each shipped pack loads alone as it loads among the
// others; an unknown or malformed ID is no pack, not an error.
func TestPackByID(t *testing.T) {
	t.Parallel()
	packs, _ := loadPacks(t)
	for _, want := range packs {
		got, ok, err := PackByID(want.ID)
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("PackByID(%q) = %v, %v; want the pack Packs gives", want.ID, ok, err)
		}
	}
	for _, id := range []string{"", "cac-2099", "../packs/cac-2021", "cac-*", "data/packs/cac-2021"} {
		if p, ok, err := PackByID(id); p != nil || ok || err != nil {
			t.Errorf("PackByID(%q) = %v, %v, %v; want no pack", id, p, ok, err)
		}
	}
}

// TestTextCorrections pins the corrections made against the texts of the
// Measures (see regime/data/laws.json and each pack's source): words the
// statute uses, readings that are not the statute's, and provisions that
// were missing.
func TestTextCorrections(t *testing.T) {
	t.Parallel()
	_, byID := loadPacks(t)
	all := func(p *Pack) string { b, _ := json.Marshal(p); return string(b) }
	trial, draft, p20, p21 := pack(t, byID, "cac-2017-trial"), pack(t, byID, "cac-2017-draft"), pack(t, byID, "cac-2020"), pack(t, byID, "cac-2021")
	// Trial Art. 2 says 经过 (must undergo), not 通过.
	if !strings.Contains(trial.Scope.Text.ZH, "应当经过网络安全审查") || strings.Contains(trial.Scope.Text.ZH, "通过") {
		t.Errorf("trial scope: %s", trial.Scope.Text.ZH)
	}
	// Trial Art. 4 has neither 静态 nor 动态: the split is the commentary's.
	for _, c := range trial.Criteria {
		if strings.Contains(c.Text.ZH, "静态") || strings.Contains(c.Text.ZH, "动态") {
			t.Errorf("trial criterion %s presents the commentary's reading as Art. 4: %s", c.ID, c.Text.ZH)
		}
	}
	for _, n := range trial.Notes {
		if n.ID == "static_dynamic" && (n.Commentary == nil || n.Article != "") {
			t.Errorf("the static/dynamic note cites %q, not the commentary", n.Article)
		}
	}
	// Trial Art. 14: suppliers may report third parties.
	if !hasItem(trial.Notes, "complaints") {
		t.Error("trial Art. 14 (reports against third parties) is missing")
	}
	// Draft Art. 8: associations suggest; departments request.
	if s := all(draft); strings.Contains(s, "行业协会要求") || strings.Contains(s, "行业协会提出要求") {
		t.Error("the draft has associations requiring a review; Art. 8 says 建议")
	}
	// The typo 项条.
	for _, p := range []*Pack{trial, draft, p20, p21} {
		if strings.Contains(all(p), "项条") {
			t.Errorf("%s: 项条", p.ID)
		}
	}
	// 2021 Art. 7 has no 前, and 国外 is "in a foreign country".
	pl, _ := p21.Channel("platform_listing")
	if strings.Contains(pl.Text.ZH, "上市前") || !strings.Contains(pl.Text.EN, "in a foreign country") || strings.Contains(pl.Text.EN, "abroad") {
		t.Errorf("2021 Art. 7: %s / %s", pl.Text.ZH, pl.Text.EN)
	}
	// 2021 Art. 22 para 2: the data security and foreign investment reviews.
	found := false
	for _, n := range p21.Notes {
		found = found || n.ID == "state_secrets" && strings.Contains(n.Text.ZH, "外商投资安全审查") && strings.Contains(n.Text.ZH, "应当同时符合其规定")
	}
	if !found {
		t.Error("2021 Art. 22 para 2 is missing")
	}
	// The 2021 Art. 10 factors are quoted, and so flagged.
	for _, c := range p21.Criteria {
		if c.Source == "" && !c.Verbatim {
			t.Errorf("2021 %s is not flagged as the article's words", c.ID)
		}
	}
	if c, _ := p21.Criterion("cac2021.10.6"); !strings.HasPrefix(c.Text.ZH, "上市存在") {
		t.Errorf("2021 Art. 10(6): %s", c.Text.ZH)
	}
	// The review methods carry no glosses presented as Art. 3.
	for _, p := range []*Pack{trial, draft, p20, p21} {
		for _, m := range p.Methods {
			if strings.Contains(m.Text.ZH, "：") {
				t.Errorf("%s method %s glosses Art. 3: %s", p.ID, m.ID, m.Text.ZH)
			}
		}
	}
	// No Measures provides for revocation: it is practice in every pack.
	for _, p := range []*Pack{trial, draft, p20, p21} {
		for _, items := range [][]Item{p.Outcomes, p.Procurement.Items} {
			for _, it := range items {
				if it.ID == "revoked" && (!it.Practice || it.Article != "") {
					t.Errorf("%s: revocation cites %q", p.ID, it.Article)
				}
			}
		}
	}
	// The trial Measures' penalties are the CSL's, not an article of theirs.
	for _, n := range trial.Notes {
		if n.ID == "penalties" && (n.Source != "csl" || n.Provision != "cii_review_penalty") {
			t.Errorf("trial penalties cite %s %s", n.Source, n.Article)
		}
	}
}
