package publish

import (
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

func pack(t *testing.T, id string) *regime.Pack {
	t.Helper()
	p, ok, err := regime.PackByID(id)
	if err != nil || !ok {
		t.Fatalf("pack %s: %v", id, err)
	}
	return p
}

// TestDraft: one entry per product; a failed case's report names the
// criteria its reasons concern and never the reasons; a pass names none.
func TestDraft(t *testing.T) {
	t.Parallel()
	p := pack(t, "cac-2021")
	f := Facts{Pack: p, Case: &csreview.Case{Ref: "CSR-2026-0001", Regime: p.ID, State: csreview.StateDecided, Outcome: csreview.OutcomeFail},
		Supplier: &csreview.Supplier{ID: 3, NameZH: "甲公司", NameEN: "Jia Ltd"},
		Products: []Product{{Product: &csreview.Product{ID: 7, NameZH: "数据库", NameEN: "DB"}, Versions: []string{"1.0", "1.1"}},
			{Product: &csreview.Product{ID: 8, NameZH: "中间件", NameEN: "MW"}, Versions: []string{"2.0"}}},
		DecidedOn: "2026-03-23", Reasons: map[string]string{"cac2021.10.3": "SECRET"}, Now: time.Date(2026, 3, 24, 1, 2, 3, 4, time.UTC)}
	list, err := Draft(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].List != csreview.ListFailed || list[1].Versions[0] != "2.0" || list[0].PublishedAt.Nanosecond() != 0 {
		t.Fatalf("entries %+v", list)
	}
	for _, c := range list[0].Report.Criteria {
		if c.Concern != (c.ID == "cac2021.10.3") {
			t.Errorf("criterion %s concern %v", c.ID, c.Concern)
		}
	}
	if list[0].Report.Methods == nil {
		t.Error("methods is null, want []")
	}
	f.Case.Outcome = csreview.OutcomePass
	list, _ = Draft(f)
	for _, c := range list[0].Report.Criteria {
		if c.Concern {
			t.Errorf("a pass names a concern under %s", c.ID)
		}
	}
	f.Case.State = csreview.StateDecision
	if _, err := Draft(f); csreview.ErrorCode(err) != csreview.ECONFLICT {
		t.Errorf("an undecided case drafts: %v", err)
	}
}

// TestHasBasis: the 2017 Measures publish results (Art. 8); the 2020 and
// 2021 Measures notify the party only.
func TestHasBasis(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]bool{"cac-2017-draft": true, "cac-2017-trial": true, "cac-2020": false, "cac-2021": false} {
		if got := HasBasis(pack(t, id)); got != want {
			t.Errorf("%s: basis %v, want %v", id, got, want)
		}
	}
}
