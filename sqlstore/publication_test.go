package sqlstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	sumtlog "golang.org/x/mod/sumdb/tlog"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/tlog"
	"github.com/csreview/csreview/verify"
)

// secret returns a confidential marker: no public output may contain one.
func secret(where string) string { return "MARKER-" + where + "-机密" }

// decide2020 files a case under the 2020 Measures as the office records
// it, takes it through assessment and the member units' agreement, and
// decides it. Every confidential part carries a marker.
func (f *caseFixture) decide2020(t *testing.T, outcome string, parent int64, versions ...int64) *csreview.Case {
	t.Helper()
	files := []csreview.FileUpload{
		{Kind: "application_form", Name: secret("filename") + ".pdf", Content: []byte(secret("application"))},
		{Kind: "impact_report", Name: "影响分析.pdf", Content: []byte(secret("impact"))},
		{Kind: "procurement_documents", Name: "合同.pdf", Content: []byte(secret("contract"))}}
	if len(versions) == 0 {
		versions = []int64{f.version}
	}
	c := &csreview.Case{Regime: "cac-2020", Channel: "operator_filing", Title: "采购审查 " + secret("title"), SupplierID: f.sup.ID,
		OperatorID: f.op.ID, VersionIDs: versions, FiledOn: "2024-04-01", Purchase: secret("purchase"), ParentID: parent}
	f.at("2024-04-01")
	if err := f.s.CreateCase(as(f.as(csreview.RoleOffice)), c, files); err != nil {
		t.Fatal(err)
	}
	f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept, Note: secret("accept")})
	f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: f.body.ID})
	ev := &csreview.Evidence{CaseID: c.ID, Method: "lab_test", Summary: secret("summary"),
		Findings: []*csreview.Finding{{Criterion: "cac2020.9.1", Risk: "high", Text: "未修复漏洞 " + secret("vuln")}}}
	if err := f.s.CreateEvidence(as(f.as(csreview.RoleAssessor)), ev,
		[]csreview.FileUpload{{Name: "raw.csv", Content: []byte(secret("rawlab"))}}); err != nil {
		t.Fatal(err)
	}
	f.do(t, c.ID, csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport})
	f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: outcome, Note: secret("recommend")})
	f.do(t, c.ID, csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "agree", Note: secret("member")})
	f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActCloseReplies})
	return f.do(t, c.ID, csreview.RoleOffice, csreview.CaseAction{Action: review.ActDecide, Position: outcome,
		Reasons: map[string]string{"cac2020.9.1": secret("reason")}})
}

var confirm = csreview.PublishOptions{ConfirmNoBasis: true}

func runVerify(t *testing.T, s *sqlstore.Store, prev *verify.State) (*verify.Result, *verify.State) {
	t.Helper()
	r, next, err := verify.Run(context.Background(), s.VerifySource(), prev, verify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r, next
}

func wantHolds(t *testing.T, r *verify.Result) {
	t.Helper()
	for _, p := range r.Problems {
		t.Errorf("verify: %s", p)
	}
}

// TestPublishAndRevoke publishes a pass, then a failed re-review that
// revokes it: the product moves to the failed list, the old entry stays as
// history, and the log verifies before and after, each tree extending the
// last.
func TestPublishAndRevoke(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		office := as(f.as(csreview.RoleOffice))
		pass := f.decide2020(t, "pass", 0)

		for _, r := range []csreview.Role{csreview.RoleOperator, csreview.RoleSupplier, csreview.RoleMember} {
			_, err := f.s.PublishCase(as(f.as(r)), pass.ID, confirm)
			wantCode(t, err, csreview.EFORBIDDEN)
		}
		_, err := f.s.PublishCase(anon, pass.ID, confirm)
		wantCode(t, err, csreview.EUNAUTHORIZED)

		preview, err := f.s.PreviewPublication(office, pass.ID)
		if err != nil || len(preview) != 1 {
			t.Fatalf("preview: %v %d", err, len(preview))
		}
		f.at("2024-06-10")
		// The 2020 Measures send the conclusion to the party only: the
		// office confirms it publishes anyway.
		_, err = f.s.PublishCase(office, pass.ID, csreview.PublishOptions{})
		wantInvalid(t, err, "confirm_no_basis")
		published, err := f.s.PublishCase(office, pass.ID, confirm)
		if err != nil {
			t.Fatal(err)
		}
		e := published[0]
		if e.List != csreview.ListPassed || e.LeafIndex != 0 || e.Product != "星河数据库" || e.Versions[0] != "V5.2" ||
			e.CaseRef != pass.Ref || e.DecidedOn == "" || e.Report.Outcome != csreview.OutcomePass {
			t.Fatalf("published %+v", e)
		}
		// The preview showed exactly what was published, but for the ID
		// and the time.
		preview[0].ID, preview[0].PublishedAt, preview[0].LeafIndex = e.ID, e.PublishedAt, e.LeafIndex
		pj, _ := json.Marshal(preview[0])
		ej, _ := json.Marshal(e)
		if !bytes.Equal(pj, ej) {
			t.Errorf("preview differs from publication:\n%s\n%s", pj, ej)
		}
		_, err = f.s.PublishCase(office, pass.ID, confirm)
		wantCode(t, err, csreview.ECONFLICT)

		r, state := runVerify(t, f.s, nil)
		wantHolds(t, r)
		if !r.TrustedNew || r.Checkpoint.Size != 1 || r.Entries != 1 || r.Proofs != 1 || state == nil {
			t.Fatalf("first verify: %+v", r)
		}

		// A re-review fails the product: the pass is revoked.
		f.at("2025-03-03")
		re := f.decide2020(t, "fail", pass.ID)
		f.at("2025-03-20")
		if _, err := f.s.PublishCase(office, re.ID, confirm); err != nil {
			t.Fatal(err)
		}
		current, _, err := f.s.FindListEntries(anon, csreview.ListFilter{Current: true})
		if err != nil || len(current) != 1 || current[0].List != csreview.ListFailed || current[0].CaseRef != re.Ref {
			t.Fatalf("current after revocation: %v %+v", err, current)
		}
		if !current[0].Report.Criteria[0].Concern && !current[0].Report.Criteria[1].Concern {
			// cac2020.9.1 is among the first criteria; the decision named it.
			t.Errorf("failed report names no concern: %+v", current[0].Report.Criteria)
		}
		old, err := f.s.FindListEntry(anon, e.ID)
		if err != nil || old.RevokedAt == "" || old.RevokedBy != re.Ref || old.RevokeLeaf != 1 {
			t.Fatalf("revoked entry: %v %+v", err, old)
		}
		all, total, _ := f.s.FindListEntries(anon, csreview.ListFilter{})
		if total != 2 || len(all) != 2 {
			t.Errorf("history: %d entries, want 2", total)
		}
		r, state2 := runVerify(t, f.s, state)
		wantHolds(t, r)
		if r.Checkpoint.Size != 3 || r.Previous == nil || r.Previous.Size != 1 || r.Current != 1 || r.Proofs != 3 || state2.Size != 3 {
			t.Fatalf("second verify: %+v", r)
		}
	})
}

// TestPublicationFilters: the public lists filter by list, supplier,
// category, regime, date and name.
func TestPublicationFilters(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		office := as(f.as(csreview.RoleOffice))
		other := f.product(t, f.sup.ID, "星河防火墙")
		other.Versions = nil
		a := f.decide2020(t, "pass", 0)
		f.at("2024-06-10")
		if _, err := f.s.PublishCase(office, a.ID, confirm); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			f    csreview.ListFilter
			want int
		}{
			{csreview.ListFilter{}, 1},
			{csreview.ListFilter{List: csreview.ListPassed}, 1},
			{csreview.ListFilter{List: csreview.ListFailed}, 0},
			{csreview.ListFilter{Query: "星河"}, 1},
			{csreview.ListFilter{Query: "nothing"}, 0},
			{csreview.ListFilter{SupplierID: f.sup.ID}, 1},
			{csreview.ListFilter{SupplierID: f.sup.ID + 100}, 0},
			{csreview.ListFilter{Category: f.prod.Category}, 1},
			{csreview.ListFilter{Regime: "cac-2020"}, 1},
			{csreview.ListFilter{Regime: "cac-2021"}, 0},
			{csreview.ListFilter{Since: "2024-06-10"}, 1},
			{csreview.ListFilter{Since: "2024-06-11"}, 0},
		} {
			if _, n, err := f.s.FindListEntries(anon, tc.f); err != nil || n != tc.want {
				t.Errorf("%+v: %d entries (%v), want %d", tc.f, n, err, tc.want)
			}
		}
		// A rename in the registry does not change what was published.
		f.prod.NameZH = "新名字"
		if err := f.s.UpdateProduct(sysCtx, f.prod); err != nil {
			t.Fatal(err)
		}
		r, _ := runVerify(t, f.s, nil)
		wantHolds(t, r)
	})
}

// TestPublicationRedaction seeds every confidential part of a case with a
// marker; no public output carries one.
func TestPublicationRedaction(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		office := as(f.as(csreview.RoleOffice))
		c := f.decide2020(t, "fail", 0)
		// The markers are in the case, as its parties see it.
		evidence, err := f.s.FindEvidence(office, c.ID)
		if err != nil || !strings.Contains(fmt.Sprint(evidence[0].Summary), "MARKER-") {
			t.Fatalf("seeding: %v", err)
		}
		preview, err := f.s.PreviewPublication(office, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.PublishCase(office, c.ID, confirm); err != nil {
			t.Fatal(err)
		}
		pub, _, err := f.s.PublicEntries(anon, csreview.ListFilter{}, true)
		if err != nil {
			t.Fatal(err)
		}
		leaves, err := f.s.LogLeaves(anon, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		report, _ := f.s.ReportJSON(anon, pub[0].ID)
		for name, v := range map[string]any{"preview": preview, "entries": pub, "leaves": string(bytes.Join(leaves, nil)), "report": string(report)} {
			b, _ := json.Marshal(v)
			if bytes.Contains(b, []byte("MARKER-")) || bytes.Contains(b, []byte("机密")) {
				t.Errorf("%s carries a confidential marker: %s", name, b)
			}
		}
		var rep csreview.PublicReport
		json.Unmarshal(report, &rep)
		if rep.Outcome != csreview.OutcomeFail || len(rep.Methods) != 1 || rep.Methods[0] != "lab_test" || len(rep.Criteria) == 0 {
			t.Errorf("report: %+v", rep)
		}
	})
}

// publishedFixture is a log with three entries and one revocation.
func publishedFixture(t *testing.T, db *sqlstore.DB) *caseFixture {
	t.Helper()
	f := newCaseFixture(t, db)
	office := as(f.as(csreview.RoleOffice))
	second := f.product(t, f.sup.ID, "星河交换机")
	v := &csreview.ProductVersion{ProductID: second.ID, Version: "S9"}
	if err := f.s.CreateProductVersion(sysCtx, v); err != nil {
		t.Fatal(err)
	}
	a := f.decide2020(t, "pass", 0)
	f.at("2024-06-10")
	if _, err := f.s.PublishCase(office, a.ID, confirm); err != nil {
		t.Fatal(err)
	}
	b := f.decide2020(t, "fail", 0, v.ID)
	f.at("2024-06-11")
	if _, err := f.s.PublishCase(office, b.ID, confirm); err != nil {
		t.Fatal(err)
	}
	re := f.decide2020(t, "fail", a.ID)
	f.at("2024-06-12")
	if _, err := f.s.PublishCase(office, re.ID, confirm); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestVerifyTamper changes, deletes or reorders stored leaves and list
// rows behind the store's back; verify fails and names the entry. Entries
// 1 and 3 are a pass and the re-review that revoked it (leaves 0, 2, 3);
// entry 2 a fail (leaf 1).
func TestVerifyTamper(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		sql   []string
		entry int64
	}{
		{"none", nil, 0},
		{"list row: list changed", []string{`UPDATE list_entries SET list = 'passed' WHERE id = 2`}, 2},
		{"list row: versions changed", []string{`UPDATE list_entries SET versions = '["S9","S10"]' WHERE id = 2`}, 2},
		{"list row: report changed", []string{`UPDATE list_entries SET report = REPLACE(report, '"fail"', '"pass"') WHERE id = 2`}, 2},
		{"list row: revocation undone", []string{`UPDATE list_entries SET revoked_at = '', revoked_by = NULL, revoke_leaf = NULL WHERE id = 1`}, 1},
		{"list row: deleted", []string{`DELETE FROM list_entries WHERE id = 2`}, 2},
		{"list rows: reordered", []string{
			`UPDATE list_entries SET leaf_index = 99 WHERE id = 1`, `UPDATE list_entries SET leaf_index = 0 WHERE id = 2`,
			`UPDATE list_entries SET leaf_index = 1 WHERE id = 1`}, 1},
		{"leaf: changed", []string{`UPDATE tlog_leaves SET data = REPLACE(data, '"failed"', '"passed"') WHERE idx = 1`}, 2},
		{"leaf: deleted", []string{`DELETE FROM tlog_leaves WHERE idx = 3`}, 3},
		{"leaves: reordered", []string{
			`UPDATE tlog_leaves SET idx = 99 WHERE idx = 0`, `UPDATE tlog_leaves SET idx = 0 WHERE idx = 1`,
			`UPDATE tlog_leaves SET idx = 1 WHERE idx = 99`}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
				f := publishedFixture(t, db)
				raw := rawDB(t, db)
				for _, q := range tc.sql {
					if _, err := raw.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				r, next := runVerify(t, f.s, nil)
				if tc.entry == 0 {
					wantHolds(t, r)
					if r.Leaves != 4 || r.Entries != 3 || r.Current != 2 || r.Proofs != 4 {
						t.Fatalf("fixture: %+v", r)
					}
					return
				}
				if r.OK() || next != nil {
					t.Fatal("verify holds after tampering")
				}
				named := false
				for _, p := range r.Problems {
					t.Log(p)
					named = named || p.Entry == tc.entry
				}
				if !named {
					t.Errorf("no problem names entry %d: %v", tc.entry, r.Problems)
				}
			})
		})
	}
}

// TestVerifyFork: whoever holds the signing key rewrites history with a
// different tree of the same size. Each tree verifies on its own; a
// verifier that saw the first detects the fork.
func TestVerifyFork(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := publishedFixture(t, db)
		_, state := runVerify(t, f.s, nil)
		raw := rawDB(t, db)
		// Rewrite leaf 1 and entry 2 to agree, rebuild the tree and sign it.
		if _, err := raw.Exec(`UPDATE list_entries SET list = 'passed', report = REPLACE(report, '"fail"', '"pass"') WHERE id = 2`); err != nil {
			t.Fatal(err)
		}
		var forged []byte
		all, _, err := f.s.PublicEntries(anon, csreview.ListFilter{}, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range all {
			if w.ID == 2 {
				if forged, err = verify.PublishLeaf(w); err != nil {
					t.Fatal(err)
				}
			}
		}
		leaves, _ := f.s.LogLeaves(anon, 0, 4)
		leaves[1] = forged
		var skey string
		raw.QueryRow(`SELECT skey FROM tlog_key`).Scan(&skey)
		st := memStore{}
		for i, l := range leaves {
			a, err := tlog.Append(st, int64(i), l)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range a.Hashes {
				st[k] = v
			}
		}
		root, _ := tlog.TreeHash(st, 4)
		note, err := tlog.Sign(skey, sqlstore.LogOrigin, 4, root)
		if err != nil {
			t.Fatal(err)
		}
		lit := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
		stmts := []string{`DELETE FROM tlog_hashes`,
			`UPDATE tlog_leaves SET data = ` + lit(string(forged)) + ` WHERE idx = 1`,
			fmt.Sprintf(`UPDATE tlog_checkpoints SET root = '%x', note = %s WHERE size = 4`, root[:], lit(string(note)))}
		for k, v := range st {
			stmts = append(stmts, fmt.Sprintf(`INSERT INTO tlog_hashes (idx, hash) VALUES (%d, '%x')`, k, v[:]))
		}
		for _, q := range stmts {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// A newcomer sees a consistent forged history…
		r, _ := runVerify(t, f.s, nil)
		wantHolds(t, r)
		// …the verifier that saw the first tree does not.
		r, next := runVerify(t, f.s, state)
		if r.OK() || next != nil || !strings.Contains(fmt.Sprint(r.Problems), "fork") {
			t.Fatalf("fork not detected: %v", r.Problems)
		}
	})
}

type memStore map[int64]sumtlog.Hash

func (m memStore) ReadHashes(idx []int64) ([]sumtlog.Hash, error) {
	out := make([]sumtlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m[x]
	}
	return out, nil
}

func (m memStore) Size() (int64, error) { return 0, nil }

// TestLogProofsIndependent checks every inclusion and consistency proof
// the store serves with transparency-dev/merkle, a second implementation
// of RFC 6962.
func TestLogProofsIndependent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := publishedFixture(t, db)
		leaves, _ := f.s.LogLeaves(anon, 0, 100)
		roots := map[int64][]byte{}
		rows, err := rawDB(t, db).Query(`SELECT size, note FROM tlog_checkpoints`)
		if err != nil {
			t.Fatal(err)
		}
		vkey, _ := f.s.LogPublicKey(anon)
		for rows.Next() {
			var size int64
			var note string
			rows.Scan(&size, &note)
			cp, err := tlog.Open(vkey, sqlstore.LogOrigin, []byte(note))
			if err != nil || cp.Size != size {
				t.Fatalf("checkpoint %d: %v", size, err)
			}
			roots[size] = cp.Hash[:]
		}
		rows.Close()
		if len(roots) != len(leaves) {
			t.Fatalf("%d checkpoints for %d leaves: one per append", len(roots), len(leaves))
		}
		h := rfc6962.DefaultHasher
		for size := int64(1); size <= int64(len(leaves)); size++ {
			for i := int64(0); i < size; i++ {
				p, err := f.s.InclusionProof(anon, size, i)
				if err != nil {
					t.Fatal(err)
				}
				if err := proof.VerifyInclusion(h, uint64(i), uint64(size), h.HashLeaf(leaves[i]), hashes(p), roots[size]); err != nil {
					t.Errorf("inclusion of %d in %d: %v", i, size, err)
				}
			}
			for old := int64(1); old < size; old++ {
				p, err := f.s.ConsistencyProof(anon, size, old)
				if err != nil {
					t.Fatal(err)
				}
				if err := proof.VerifyConsistency(h, uint64(old), uint64(size), hashes(p), roots[old], roots[size]); err != nil {
					t.Errorf("consistency %d→%d: %v", old, size, err)
				}
			}
		}
		_, err = f.s.InclusionProof(anon, 5, 0)
		wantCode(t, err, csreview.EINVALID)
		_, err = f.s.ConsistencyProof(anon, 2, 3)
		wantCode(t, err, csreview.EINVALID)
	})
}

func hashes(p []sumtlog.Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

// TestConcurrentAppenders publishes from two servers on one database at
// once: the log stays one sequence, every entry included.
func TestConcurrentAppenders(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		var ids []int64
		for i := range 6 {
			p := f.product(t, f.sup.ID, fmt.Sprintf("产品%d", i))
			v := &csreview.ProductVersion{ProductID: p.ID, Version: "1.0"}
			if err := f.s.CreateProductVersion(sysCtx, v); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, f.decide2020(t, []string{"pass", "fail"}[i%2], 0, v.ID).ID)
		}
		dsn, _ := rawDSNs.Load(db)
		other := sqlstore.NewStore(openDB(t, dsn.(string)))
		office := as(f.as(csreview.RoleOffice))
		errs := make(chan error, len(ids))
		for i, id := range ids {
			s := f.s
			if i%2 == 1 {
				s = other
			}
			go func() {
				_, err := s.PublishCase(office, id, confirm)
				errs <- err
			}()
		}
		for range ids {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		r, _ := runVerify(t, f.s, nil)
		wantHolds(t, r)
		if r.Leaves != len(ids) || r.Entries != len(ids) {
			t.Errorf("%d leaves, %d entries; want %d", r.Leaves, r.Entries, len(ids))
		}
	})
}

// TestFeedback: anyone submits and gets a reference; only the office reads
// the queue (each read recorded) and moves feedback through it; a case
// opened through the user_feedback channel of the 2017 trial Measures
// (Art. 8) is linked to it.
func TestFeedback(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newCaseFixture(t, db)
		office := as(f.as(csreview.RoleOffice))
		fb := &csreview.Feedback{Product: "星河数据库 V5.2", Text: "该产品存在未公开的远程升级通道，建议审查。", Contact: "138-0000-0000"}
		if err := f.s.SubmitFeedback(anon, fb, "203.0.113.9"); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(fb.Ref, "FB-2024") || len(fb.Ref) != len("FB-20240301-ABCDEF") || fb.State != csreview.FeedbackNew {
			t.Fatalf("submitted %+v", fb)
		}
		wantInvalid(t, f.s.SubmitFeedback(anon, &csreview.Feedback{Text: "太短"}, "x"), "product", "text")
		if rec := f.lastAudit(t, "feedback", fb.ID); strings.Contains(fmt.Sprint(rec.After), "138") {
			t.Errorf("the audit record carries the contact: %v", rec.After)
		}
		for _, r := range []csreview.Role{csreview.RoleOperator, csreview.RoleSupplier, csreview.RoleExpert} {
			_, _, err := f.s.FindFeedback(as(f.as(r)), csreview.FeedbackFilter{})
			wantCode(t, err, csreview.EFORBIDDEN)
		}
		_, _, err := f.s.FindFeedback(anon, csreview.FeedbackFilter{})
		wantCode(t, err, csreview.EUNAUTHORIZED)
		before := f.auditTotal(t)
		list, total, err := f.s.FindFeedback(office, csreview.FeedbackFilter{State: csreview.FeedbackNew})
		if err != nil || total != 1 || list[0].Contact != fb.Contact {
			t.Fatalf("queue: %v %d", err, total)
		}
		if f.auditTotal(t) != before+1 {
			t.Error("reading the queue was not recorded")
		}
		got, err := f.s.SetFeedbackState(office, fb.ID, csreview.FeedbackNoted, "与在审案件相关")
		if err != nil || got.State != csreview.FeedbackNoted {
			t.Fatalf("noted: %v %+v", err, got)
		}
		_, err = f.s.SetFeedbackState(office, fb.ID, csreview.FeedbackCase, "")
		wantInvalid(t, err, "state")

		// Under the 2020 Measures user feedback does not open a review.
		c := &csreview.Case{Regime: "cac-2020", Channel: "user_feedback", Title: "用户反映", SupplierID: f.sup.ID,
			VersionIDs: []int64{f.version}, FeedbackRef: fb.Ref}
		wantInvalid(t, f.s.CreateCase(office, c, nil), "channel")
		c = &csreview.Case{Regime: "cac-2017-trial", Channel: "user_feedback", Title: "用户反映", SupplierID: f.sup.ID,
			VersionIDs: []int64{f.version}, FiledOn: "2019-05-06", FeedbackRef: "FB-NOPE"}
		wantInvalid(t, f.s.CreateCase(office, c, nil), "feedback_ref")
		c.FeedbackRef = fb.Ref
		if err := f.s.CreateCase(office, c, nil); err != nil {
			t.Fatal(err)
		}
		list, _, _ = f.s.FindFeedback(office, csreview.FeedbackFilter{Query: fb.Ref})
		if len(list) != 1 || list[0].State != csreview.FeedbackCase || list[0].CaseRef != c.Ref {
			t.Fatalf("linked: %+v", list[0])
		}
		_, err = f.s.SetFeedbackState(office, fb.ID, csreview.FeedbackDismissed, "")
		wantCode(t, err, csreview.ECONFLICT)
		c2 := &csreview.Case{Regime: "cac-2017-trial", Channel: "user_feedback", Title: "再次", SupplierID: f.sup.ID,
			VersionIDs: []int64{f.version}, FiledOn: "2019-05-07", FeedbackRef: fb.Ref}
		wantInvalid(t, f.s.CreateCase(office, c2, nil), "feedback_ref")
	})
}
