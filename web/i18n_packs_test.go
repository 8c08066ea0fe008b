package web_test

import (
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web"
)

// TestCatalogsCoverThePacks: every action, state, role, order and unmet
// condition the packs and the engine can show has its words in both
// languages, so no page shows a bare key.
func TestCatalogsCoverThePacks(t *testing.T) {
	t.Parallel()
	cat, err := web.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	packs, err := regime.Packs()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, p := range packs {
		for _, a := range p.Actions {
			keys = append(keys, "act."+a.ID, "flash.case_"+a.ID)
			for _, pos := range a.Positions {
				keys = append(keys, "position."+pos)
			}
			for _, r := range a.Requires {
				switch r {
				case "report_practice":
					r = "report"
				case "as_recommended":
					continue // a check of the position, never unmet
				}
				keys = append(keys, "unmet."+r)
			}
			for _, r := range a.Actors {
				keys = append(keys, "role."+string(r))
			}
		}
		for _, n := range []string{"acceptance", "supplement_request", "not_required", "special_review", "decision"} {
			keys = append(keys, "notice."+n)
		}
	}
	for _, s := range csreview.CaseStates {
		keys = append(keys, "state."+string(s))
	}
	for _, s := range csreview.EnforcementStates {
		keys = append(keys, "enf_state."+s)
	}
	for _, o := range []string{"stop_use", "rectify", "eliminate_effect"} {
		keys = append(keys, "enf_order."+o)
	}
	for _, v := range csreview.Verdicts {
		keys = append(keys, "verdict."+v, "verdict_help."+v, "value.verdict."+v)
	}
	for _, lang := range []string{"zh-CN", "en"} {
		m := cat[lang]
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("%s: no message %q", lang, k)
			}
		}
	}
}
