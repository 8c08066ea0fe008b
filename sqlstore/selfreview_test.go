package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestSelfReview: an operator's answers land under the criteria of their
// themes in the regime in force, the draft report says so, and only the
// operator (and the office) may read it.
func TestSelfReview(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		op := as(f.as(csreview.RoleOperator))
		f.at("2024-03-04")
		r := &csreview.SelfReview{VersionID: f.version, ProductID: f.prod.ID, Answers: map[string]string{
			"export_control": "yes", "remote_access": "yes", "supply_alternatives": "yes"},
			Notes: map[string]string{"remote_access": "厂商保留远程运维通道"}}
		if err := f.s.CreateSelfReview(op, r); err != nil {
			t.Fatal(err)
		}
		if r.Regime != "cac-2021" || r.OperatorID != f.op.ID || r.Answers["data_outbound"] != "unknown" {
			t.Errorf("self-review %+v", r)
		}
		concerns := map[string][]string{}
		for _, it := range r.Summary {
			concerns[it.Criterion] = it.Concerns
		}
		if got := concerns["cac2021.10.1"]; len(got) != 1 || got[0] != "remote_access" {
			t.Errorf("control criterion concerns %v", got)
		}
		if got := concerns["cac2021.10.3"]; len(got) != 1 || got[0] != "export_control" {
			t.Errorf("supply-chain criterion concerns %v (alternatives answered yes is no concern)", got)
		}
		for _, want := range []string{"国家安全影响分析报告（草稿）", "《网络安全审查办法》（2021）第八条第（二）项", "厂商保留远程运维通道",
			"未登记 SBOM", "自查发现 2 项需关注的风险"} {
			if !strings.Contains(r.Report, want) {
				t.Errorf("report lacks %q:\n%s", want, r.Report)
			}
		}
		if _, err := f.s.FindSelfReview(as(f.as(csreview.RoleSupplier)), r.ID); csreview.ErrorCode(err) != csreview.ENOTFOUND {
			t.Errorf("the supplier reads the operator's self-review: %v", err)
		}
		if _, err := f.s.FindSelfReview(as(f.as(csreview.RoleOffice)), r.ID); err != nil {
			t.Errorf("the office cannot read it: %v", err)
		}
		bad := &csreview.SelfReview{VersionID: f.version, ProductID: f.prod.ID, Answers: map[string]string{"export_control": "maybe"}}
		wantInvalid(t, f.s.CreateSelfReview(op, bad), "export_control")
		other := f.product(t, f.supplier(t, "别家").ID, "别家产品")
		wantCode(t, f.s.CreateSelfReview(as(f.as(csreview.RoleSupplier)), &csreview.SelfReview{ProductID: other.ID, VersionID: f.version}),
			csreview.ENOTFOUND)
	})
}
