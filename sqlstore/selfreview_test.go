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
		// With an SBOM whose one vulnerability no record rates, the draft
		// does not conclude that no risk is evident: the unrated one
		// needs attention as a high one would.
		if err := f.s.ImportAdvisories(sysCtx, []*sqlstore.AdvisoryRow{{ID: "CSR-TEST-UNRATED", Modified: "2024-01-01T00:00:00Z",
			Raw: []byte(`{"id":"CSR-TEST-UNRATED","modified":"2024-01-01T00:00:00Z","summary":"no rating",` +
				`"affected":[{"package":{"ecosystem":"npm","name":"fixture-json"},"versions":["2.0.1"]}]}`),
			Packages: [][2]string{{"npm", "fixture-json"}}}}, &sqlstore.ImportStats{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AttachVersionSBOM(sysCtx, f.prod.ID, f.version, csreview.FileUpload{Kind: "sbom", Name: "s.cdx.json",
			Content: []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[` +
				`{"type":"library","bom-ref":"j","name":"fixture-json","version":"2.0.1","purl":"pkg:npm/fixture-json@2.0.1",` +
				`"supplier":{"name":"Fixture"},"hashes":[{"alg":"SHA-256","content":"` + strings.Repeat("a", 64) + `"}]}]}`)}); err != nil {
			t.Fatal(err)
		}
		r2 := &csreview.SelfReview{VersionID: f.version, ProductID: f.prod.ID, Answers: map[string]string{}}
		if err := f.s.CreateSelfReview(op, r2); err != nil {
			t.Fatal(err)
		}
		// Reading the supplier's SBOM for the assessment is recorded; the
		// product page's listing of the documents, without content, is not.
		if _, err := f.s.VersionSBOMs(sysCtx, f.prod.ID, f.version); err != nil {
			t.Fatal(err)
		}
		if recs, _, err := f.s.FindAuditRecords(sysCtx, csreview.AuditFilter{Entity: "version_sboms", EntityID: f.version}); err != nil || len(recs) != 1 || recs[0].Action != "read" {
			t.Errorf("audit of the SBOM reads: %d records, %v, want 1 (the assessment's)", len(recs), err)
		}
		for _, want := range []string{"1 个漏洞未评级，风险未知，须由评估人员评级", "自查发现 1 项需关注的风险"} {
			if !strings.Contains(r2.Report, want) {
				t.Errorf("report with an unrated vulnerability lacks %q:\n%s", want, r2.Report)
			}
		}
		// Others' newer self-reviews never hide the caller's own: 600 of
		// the supplier's own come after the operator's two.
		for i := 0; i < 600; i++ {
			if err := db.ExecForTest(sysCtx, `INSERT INTO self_reviews (product_id, version_id, supplier_id, regime, answers_json,
				summary_json, report, created_at) VALUES (?, ?, ?, 'cac-2021', '{}', '[]', '', '2024-03-04T00:00:00.000000Z')`,
				f.prod.ID, f.version, f.prod.SupplierID); err != nil {
				t.Fatal(err)
			}
		}
		if mine, err := f.s.FindSelfReviews(op, 0); err != nil || len(mine) != 2 || mine[0].ID != r2.ID || mine[1].ID != r.ID {
			t.Errorf("the operator's self-reviews behind 600 newer ones: %d, %v", len(mine), err)
		}
		if all, err := f.s.FindSelfReviews(as(f.as(csreview.RoleOffice)), 0); err != nil || len(all) != 200 {
			t.Errorf("the office's newest self-reviews: %d, %v, want 200", len(all), err)
		}
		bad := &csreview.SelfReview{VersionID: f.version, ProductID: f.prod.ID, Answers: map[string]string{"export_control": "maybe"}}
		wantInvalid(t, f.s.CreateSelfReview(op, bad), "export_control")
		other := f.product(t, f.supplier(t, "别家").ID, "别家产品")
		wantCode(t, f.s.CreateSelfReview(as(f.as(csreview.RoleSupplier)), &csreview.SelfReview{ProductID: other.ID, VersionID: f.version}),
			csreview.ENOTFOUND)
	})
}
