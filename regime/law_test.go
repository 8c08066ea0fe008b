package regime

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
)

// TestCSLRenumbered: the Cybersecurity Law as amended on 2025-10-28 (in
// force 2026-01-01) moved Art. 31, 35, 36 and 65 to Art. 33, 37, 38 and 67;
// every citation names the article in force on the day of the event.
func TestCSLRenumbered(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		provision string
		on        csreview.Date
		zh, en    string
	}{
		{"cii_sectors", "2025-12-31", "《网络安全法》第三十一条", "CSL Art. 31"},
		{"cii_sectors", "2026-01-01", "《网络安全法》第三十三条", "CSL Art. 33"},
		{"cii_review", "2017-06-01", "《网络安全法》第三十五条", "CSL Art. 35"},
		{"cii_review", "2026-12-04", "《网络安全法》第三十七条", "CSL Art. 37"},
		{"cii_agreement", "2025-12-31", "《网络安全法》第三十六条", "CSL Art. 36"},
		{"cii_agreement", "2026-01-01", "《网络安全法》第三十八条", "CSL Art. 38"},
		{"cii_review_penalty", "2025-12-31", "《网络安全法》第六十五条", "CSL Art. 65"},
		{"cii_review_penalty", "2026-01-01", "《网络安全法》第六十七条", "CSL Art. 67"},
	} {
		got := LawCite("csl", c.provision, c.on)
		if got.ZH != c.zh || got.EN != c.en {
			t.Errorf("%s on %s: %q / %q, want %q / %q", c.provision, c.on, got.ZH, got.EN, c.zh, c.en)
		}
	}
	l, _ := LawByID("csl")
	if v, ok := l.In("2026-06-01"); !ok || v.InForce != "2026-01-01" {
		t.Errorf("CSL in force on 2026-06-01: %v %v", v.InForce, ok)
	}
	if _, ok := l.In("2017-05-31"); ok {
		t.Error("the CSL was not in force before 2017-06-01")
	}
	old := l.Renumbered("cii_review_penalty", "2026-02-01")
	if len(old) != 1 || old[0].Article != "Art. 65" {
		t.Errorf("renumbered from: %+v", old)
	}
	// Art. 67 adds the orders to put it right within a time limit and to
	// eliminate the effect on national security; the fines are the same.
	art67 := LawText("csl", "cii_review_penalty", "2026-01-01").Text.ZH
	for _, s := range []string{"责令限期改正、停止使用、消除对国家安全的影响", "采购金额一倍以上十倍以下罚款", "一万元以上十万元以下罚款", "违反本法第三十七条"} {
		if !strings.Contains(art67, s) {
			t.Errorf("Art. 67 lacks %q", s)
		}
	}
	if art65 := LawText("csl", "cii_review_penalty", "2025-12-31").Text.ZH; !strings.Contains(art65, "违反本法第三十五条") {
		t.Errorf("Art. 65 cites %q", art65)
	}
}

// TestLawsShipped: every law the packs and the enforcement steps rely on is
// shipped, with the provisions the code cites by ID.
func TestLawsShipped(t *testing.T) {
	t.Parallel()
	for law, provisions := range map[string][]string{
		"csl":      {"cii_sectors", "cii_review", "cii_agreement", "cii_review_penalty"},
		"cii-regs": {"cii_definition", "procurement_preference", "procurement_agreement", "review_penalty"},
		"dsl":      {"data_security_review"},
		"apl":      {"prior_notice", "statement_defence", "decision_kinds", "decision_document", "decision_deadline", "no_decision_unheard", "hearing_right", "hearing_procedure", "working_days"},
		"arl":      {"time_limit"},
		"all":      {"choice", "after_reconsideration", "direct_suit"},
	} {
		l, ok := LawByID(law)
		if !ok {
			t.Errorf("law %s is not shipped", law)
			continue
		}
		for _, id := range provisions {
			if _, ok := l.Provision(id); !ok {
				t.Errorf("%s: no provision %s", law, id)
			}
		}
	}
	for _, c := range []struct{ law, provision, article string }{
		{"cii-regs", "procurement_preference", "Art. 19"}, {"cii-regs", "procurement_agreement", "Art. 20"},
		{"cii-regs", "review_penalty", "Art. 41"}, {"dsl", "data_security_review", "Art. 24"},
		{"apl", "prior_notice", "Art. 44"}, {"apl", "statement_defence", "Art. 45"}, {"apl", "hearing_right", "Art. 63"},
		{"apl", "hearing_procedure", "Art. 64"}, {"apl", "decision_document", "Art. 59"}, {"arl", "time_limit", "Art. 20"},
		{"all", "direct_suit", "Art. 46"}, {"all", "after_reconsideration", "Art. 45"},
	} {
		if got := LawText(c.law, c.provision, "2026-12-04").Article; got != c.article {
			t.Errorf("%s %s: %s, want %s", c.law, c.provision, got, c.article)
		}
	}
}

// TestLawValidate: broken law data is refused with what is wrong.
func TestLawValidate(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ data, want string }{
		"unknown field": {`[{"id":"x","bogus":1}]`, "unknown field"},
		"no versions":   {`[{"id":"x","title":{"zh":"甲","en":"X"},"citation":{"zh":"《甲》","en":"X"},"versions":[],"provisions":[]}]`, "no versions"},
		"text of no version": {`[{"id":"x","title":{"zh":"甲","en":"X"},"citation":{"zh":"《甲》","en":"X"},
			"versions":[{"in_force":"2020-01-01","source":{"zh":"甲","en":"X"},"checked":"c"}],
			"provisions":[{"id":"p","texts":[{"from":"2020-01-01","article":"Art. 1","text":{"zh":"甲","en":"X"}},{"from":"2021-01-01","article":"Art. 2","text":{"zh":"甲","en":"X"}}]}]}]`,
			"2021-01-01 is not a version"},
		"article": {`[{"id":"x","title":{"zh":"甲","en":"X"},"citation":{"zh":"《甲》","en":"X"},
			"versions":[{"in_force":"2020-01-01","source":{"zh":"甲","en":"X"},"checked":"c"}],
			"provisions":[{"id":"p","texts":[{"from":"2020-01-01","article":"1","text":{"zh":"甲","en":"X"}}]}]}]`,
			"article \"Art. N\""},
		"versions out of order": {`[{"id":"x","title":{"zh":"甲","en":"X"},"citation":{"zh":"《甲》","en":"X"},
			"versions":[{"in_force":"2020-01-01","source":{"zh":"甲","en":"X"},"checked":"c"},{"in_force":"2019-01-01","source":{"zh":"甲","en":"X"},"checked":"c"}],
			"provisions":[]}]`, "in the order they took effect"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseLaws([]byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}

// TestRemedyLawsByDate: a notice cites the reconsideration rule in force on
// its day: Art. 9 of the 1999 law until 2023, Art. 20 of the 2023 text from
// 2024-01-01.
func TestRemedyLawsByDate(t *testing.T) {
	t.Parallel()
	for on, want := range map[csreview.Date]string{"2023-06-01": "Administrative Reconsideration Law Art. 9", "2024-01-01": "Administrative Reconsideration Law Art. 20"} {
		if got := LawCite("arl", "time_limit", on).EN; got != want {
			t.Errorf("on %s: %s, want %s", on, got, want)
		}
	}
}
