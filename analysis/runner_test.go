package analysis

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/sqlstore/sqltest"
)

var testdata = filepath.Join("..", "..", "shared", "testdata")

func TestMain(m *testing.M) {
	csreview.DefaultArgon2 = csreview.Argon2Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

// env is a demo store with the npm advisories imported and a 2021 case on
// a demo product.
type env struct {
	store  *sqlstore.Store
	caseID int64
	sys    context.Context
	sup    context.Context
}

func newEnv(t *testing.T, dsn string) *env {
	t.Helper()
	return newEnvWith(t, dsn, testenv.Shared(t, "advisories", "osv", "npm"))
}

// newEnvWith is newEnv with the advisories of osvDir.
func newEnvWith(t *testing.T, dsn, osvDir string) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st := sqlstore.NewStore(db)
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
	if _, err := demo.Load(sys, st, "2026-03-15"); err != nil {
		t.Fatal(err)
	}
	var rows []*sqlstore.AdvisoryRow
	err = advisory.Walk(osvDir, advisory.Limits{}, func(r *advisory.Record, _ string) error {
		row := &sqlstore.AdvisoryRow{ID: r.ID, Modified: r.Modified.String(), Raw: r.Raw}
		for _, a := range r.Affected {
			row.Packages = append(row.Packages, [2]string{sqlstore.BaseEcosystem(a.Package.Ecosystem), advisory.NormalizeName(a.Package.Ecosystem, a.Package.Name)})
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var stats sqlstore.ImportStats
	if err := st.ImportAdvisories(sys, rows, &stats); err != nil {
		t.Fatal(err)
	}
	supUser, err := st.FindUserByUsername(sys, "supplier")
	if err != nil {
		t.Fatal(err)
	}
	op, err := st.FindUserByUsername(sys, "operator")
	if err != nil {
		t.Fatal(err)
	}
	prods, _, err := st.FindProducts(csreview.NewContextWithUser(ctx, supUser), csreview.ProductFilter{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.FindProductByID(sys, prods[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "采购", SupplierID: p.SupplierID,
		VersionIDs: []int64{p.Versions[0].ID}}
	files := []csreview.FileUpload{{Kind: "application_form", Content: []byte("a")}, {Kind: "impact_report", Content: []byte("b")},
		{Kind: "procurement_documents", Content: []byte("c")}}
	if err := st.CreateCase(csreview.NewContextWithUser(ctx, op), c, files); err != nil {
		t.Fatal(err)
	}
	return &env{store: st, caseID: c.ID, sys: sys, sup: csreview.NewContextWithUser(ctx, supUser)}
}

func runner(e *env, worker string) *Runner {
	rules, _ := review.DefaultRules()
	return &Runner{Store: e.store, Rules: rules, Worker: worker, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"}
}

// TestAnalysisEndToEnd: the supplier attaches juice-shop's SBOM and a VEX;
// one run turns the findings into evidence filed under the 2021 criteria.
func TestAnalysisEndToEnd(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		sbomBytes, err := os.ReadFile(filepath.Join(testdata, "sboms", "cyclonedx-json", "juice-shop-11.1.2.npm.cdx.json"))
		if err != nil {
			t.Fatal(err)
		}
		vex := []byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"s","timestamp":"2026-01-01T00:00:00Z","version":1,
			"statements":[{"vulnerability":{"name":"CVE-2022-23529"},"products":[{"@id":"pkg:npm/jsonwebtoken"}],"status":"not_affected",
			"justification":"vulnerable_code_not_in_execute_path"}]}`)
		job, err := e.store.AttachAnalysisInputs(e.sup, e.caseID, []csreview.FileUpload{
			{Kind: "sbom", Name: "juice-shop.cdx.json", Content: sbomBytes}, {Kind: "vex", Name: "vex.json", Content: vex}})
		if err != nil {
			t.Fatal(err)
		}
		if job.State != csreview.JobQueued {
			t.Fatalf("job %+v", job)
		}
		ran, err := runner(e, "w1").RunOnce(context.Background())
		if err != nil || !ran {
			t.Fatalf("RunOnce: %v %v", ran, err)
		}
		jobs, err := e.store.FindAnalysisJobs(e.sys, e.caseID)
		if err != nil || len(jobs) != 1 || jobs[0].State != csreview.JobDone || jobs[0].Findings == 0 || jobs[0].Highest != "critical" {
			t.Fatalf("job after the run: %+v %v", jobs[0], err)
		}
		ev, err := e.store.FindEvidence(e.sys, e.caseID)
		if err != nil || len(ev) != 1 || ev[0].Method != sqlstore.MethodAutomated {
			t.Fatalf("evidence: %v %+v", err, ev)
		}
		var vulns, vexed int
		for _, f := range ev[0].Findings {
			if f.Criterion == "cac2021.10.1" {
				vulns++
			}
			if strings.Contains(f.TextEN, "VEX: not_affected") && strings.Contains(f.Text, "供应商 VEX 声明：不受影响") && f.Risk == "none" {
				vexed++
			}
		}
		if vulns != 19 || vexed != 2 {
			t.Errorf("vulnerability findings %d (want 19), VEX not_affected %d (want 2)", vulns, vexed)
		}
		report, err := e.store.AnalysisReport(e.sys, e.caseID, jobs[0].ID)
		if err != nil || !strings.Contains(string(report), `"schema":"csreview.assess/v1"`) {
			t.Errorf("report: %v %.200s", err, report)
		}
		// New advisories: every open case with an SBOM is queued again, and
		// the new run replaces the old evidence rather than adding to it.
		n, err := e.store.EnqueueReanalysis(e.sys, "advisories")
		if err != nil || n != 1 {
			t.Fatalf("EnqueueReanalysis: %d %v", n, err)
		}
		if ran, err := runner(e, "w1").RunOnce(context.Background()); err != nil || !ran {
			t.Fatalf("second run: %v", err)
		}
		if ev, _ := e.store.FindEvidence(e.sys, e.caseID); len(ev) != 1 {
			t.Errorf("evidence after re-analysis: %d records, want 1", len(ev))
		}
		if ran, _ := runner(e, "w1").RunOnce(context.Background()); ran {
			t.Error("a job ran with nothing queued")
		}
	})
}

// TestAnalysisOfReattachedSBOM: the same SBOM attached twice is analysed
// once; a second SBOM's findings about it as a whole say which SBOM.
func TestAnalysisOfReattachedSBOM(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		read := func(path string) []byte {
			b, err := os.ReadFile(filepath.Join(testdata, "sboms", path))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		juice, harp := read("cyclonedx-json/juice-shop-11.1.2.npm.cdx.json"), read("cyclonedx-json/harp-0.2.10-darwin-amd64.gomod.cdx.json")
		findings := func(files ...csreview.FileUpload) []*csreview.Finding {
			t.Helper()
			if _, err := e.store.AttachAnalysisInputs(e.sup, e.caseID, files); err != nil {
				t.Fatal(err)
			}
			if ran, err := runner(e, "w1").RunOnce(context.Background()); err != nil || !ran {
				t.Fatalf("RunOnce: %v %v", ran, err)
			}
			ev, err := e.store.FindEvidence(e.sys, e.caseID)
			if err != nil || len(ev) != 1 {
				t.Fatalf("evidence: %v %d records", err, len(ev))
			}
			return ev[0].Findings
		}
		once := findings(csreview.FileUpload{Kind: "sbom", Name: "juice-shop.cdx.json", Content: juice})
		twice := findings(csreview.FileUpload{Kind: "sbom", Name: "juice-shop.cdx.json", Content: juice})
		if len(once) == 0 || len(twice) != len(once) {
			t.Errorf("%d findings with the SBOM attached once, %d with it attached twice", len(once), len(twice))
		}
		both := findings(csreview.FileUpload{Kind: "sbom", Name: "harp.cdx.json", Content: harp})
		var named []string
		for _, f := range both {
			if strings.Contains(f.TextEN, "components name no supplier") {
				named = append(named, f.TextEN)
			}
		}
		if all := strings.Join(named, " | "); len(named) != 2 || !strings.Contains(all, "juice-shop.cdx.json: ") || !strings.Contains(all, "harp.cdx.json: ") {
			t.Errorf("findings on suppliers with two SBOMs: %q, want one naming each", named)
		}
	})
}

// TestClaimsDoNotCollide: several workers claiming at once each get a
// different job (FOR UPDATE SKIP LOCKED on PostgreSQL; one writer on
// SQLite), and every job is claimed once.
func TestClaimsDoNotCollide(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		for i := 0; i < 6; i++ {
			if _, err := e.store.AttachAnalysisInputs(e.sys, e.caseID, []csreview.FileUpload{{Kind: "sbom", Name: "x", Content: []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}`)}}); err != nil {
				t.Fatal(err)
			}
			// enqueueJob keeps one queued job per case: claim it to let the next queue.
			if _, err := e.store.ClaimJob(e.sys, "setup"); err != nil {
				t.Fatal(err)
			}
		}
		// Put them back in the queue, as after every server stopped.
		if err := resetJobs(e); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		claimed := map[int64]string{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(name string) {
				defer wg.Done()
				for {
					j, err := e.store.ClaimJob(e.sys, name)
					if err != nil {
						t.Error(err)
						return
					}
					if j == nil {
						return
					}
					mu.Lock()
					if prev, dup := claimed[j.ID]; dup {
						t.Errorf("job %d claimed by %s and %s", j.ID, prev, name)
					}
					claimed[j.ID] = name
					mu.Unlock()
				}
			}(string(rune('a' + w)))
		}
		wg.Wait()
		if len(claimed) != 6 {
			t.Errorf("%d jobs claimed, want 6", len(claimed))
		}
	})
}

func resetJobs(e *env) error { return e.store.RequeueAll(e.sys) }

// TestAnalysisOwnFixtures runs the analysis on the project's own fixture
// shop and advisories, so that it runs on any machine: the four
// vulnerabilities become evidence under the 2021 criteria at their own
// risks — the unrated one unrated, the one the VEX states not affected
// none — and the job's highest is the high one.
func TestAnalysisOwnFixtures(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newEnvWith(t, dsn, testenv.Own("osv"))
		var files []csreview.FileUpload
		for _, f := range []struct{ kind, path string }{{"sbom", "sboms/shop.cdx.json"}, {"vex", "vex/shop.openvex.json"}} {
			b, err := os.ReadFile(testenv.Own(f.path))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, csreview.FileUpload{Kind: f.kind, Name: filepath.Base(f.path), Content: b})
		}
		if _, err := e.store.AttachAnalysisInputs(e.sup, e.caseID, files); err != nil {
			t.Fatal(err)
		}
		if ran, err := runner(e, "w1").RunOnce(context.Background()); err != nil || !ran {
			t.Fatalf("RunOnce: %v %v", ran, err)
		}
		jobs, err := e.store.FindAnalysisJobs(e.sys, e.caseID)
		if err != nil || len(jobs) != 1 || jobs[0].State != csreview.JobDone || jobs[0].Highest != csreview.SeverityHigh || jobs[0].FinishedAt == nil {
			t.Fatalf("job after the run: %+v %v", jobs, err)
		}
		ev, err := e.store.FindEvidence(e.sys, e.caseID)
		if err != nil || len(ev) != 1 {
			t.Fatalf("evidence: %v %+v", err, ev)
		}
		risks := map[string]csreview.Severity{}
		for _, f := range ev[0].Findings {
			for _, id := range []string{"CSR-TEST-2026-0001", "CSR-TEST-2026-0002", "CSR-TEST-2026-0003", "CSR-TEST-2026-0004"} {
				if strings.Contains(f.Text, id) {
					risks[id] = f.Risk
					// Each reader reads the system's sentence in their language.
					if !strings.Contains(f.Text, "受 "+id+" 影响") || !strings.Contains(f.Text, "评级依据") ||
						!strings.Contains(f.TextEN, "is affected by "+id) || !strings.Contains(f.TextEN, "rated by") {
						t.Errorf("%s: Text %q, TextEN %q", id, f.Text, f.TextEN)
					}
				}
			}
		}
		want := map[string]csreview.Severity{"CSR-TEST-2026-0001": csreview.SeverityHigh, "CSR-TEST-2026-0002": csreview.SeverityUnrated,
			"CSR-TEST-2026-0003": csreview.SeverityNone, "CSR-TEST-2026-0004": csreview.SeverityMedium}
		if len(risks) != len(want) {
			t.Fatalf("evidence risks: %v, want %v", risks, want)
		}
		for id, r := range want {
			if risks[id] != r {
				t.Errorf("%s: risk %q, want %q", id, risks[id], r)
			}
		}
	})
}
