package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/internal/syncbuf"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sqlstore/sqltest"
)

func TestMain(m *testing.M) {
	// Hashes carry their parameters; cheap ones keep the suite fast.
	csreview.DefaultArgon2 = csreview.Argon2Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

// cli runs csreview with args and returns the exit code and output.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// startServer runs 'csreview serve' through main's own wiring on port 0
// and returns its URL; the server stops when the test ends.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	var logs syncbuf.Buffer
	e := &env{stdout: &logs, stderr: &logs, getenv: func(string) string { return "" },
		ready: func(u string) { urls <- u }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, logs.String())
		}
	})
	select {
	case u := <-urls:
		return u
	case code := <-done:
		t.Fatalf("serve exited %d before listening:\n%s", code, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start:\n%s", logs.String())
	}
	return ""
}

func apiGet(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestEndToEnd starts the real server with the demo data, creates a token
// with the command line, and calls the API with it; then restarts the
// server on the same data and finds the data kept.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	base := startServer(t, "--demo", "--data", data)

	code, out, errOut := cli(t, "", "token", "create", "--user", "supplier", "--data", data)
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errOut)
	}
	token := strings.TrimSpace(out)
	if !strings.HasPrefix(token, csreview.TokenPrefix) {
		t.Fatalf("token create printed %q", out)
	}

	status, body := apiGet(t, base+"/api/v1/products", token)
	if status != http.StatusOK {
		t.Fatalf("GET products: %d %s", status, body)
	}
	var list struct {
		Items []csreview.Product `json:"items"`
		Total int                `json:"total"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	status, body = apiGet(t, base+"/api/v1/me", token)
	var me csreview.User
	if err := json.Unmarshal(body, &me); err != nil || status != 200 {
		t.Fatalf("GET me: %d %s", status, body)
	}
	if list.Total == 0 {
		t.Fatal("the supplier sees no products")
	}
	for _, p := range list.Items {
		if p.SupplierID != me.SupplierID {
			t.Errorf("supplier %d sees product %d of supplier %d", me.SupplierID, p.ID, p.SupplierID)
		}
	}
	if status, _ := apiGet(t, base+"/api/v1/products", ""); status != http.StatusUnauthorized {
		t.Errorf("GET products without a token: %d, want 401", status)
	}
	if status, body := apiGet(t, base+"/api/v1/openapi.json", ""); status != 200 || !bytes.Contains(body, []byte(`"openapi": "3.1.0"`)) {
		t.Errorf("GET openapi.json: %d", status)
	}
	demoAnalysis(t, base, data)
}

// demoAnalysis: the demo's SBOM of the storage in assessment is analysed
// by the server's worker, and the report draws the paths to the four demo
// advisories.
func demoAnalysis(t *testing.T, base, data string) {
	code, out, errOut := cli(t, "", "token", "create", "--user", "office", "--data", data)
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errOut)
	}
	token := strings.TrimSpace(out)
	var cases struct {
		Items []csreview.Case `json:"items"`
	}
	status, body := apiGet(t, base+"/api/v1/cases?q="+neturl.QueryEscape(demo.AnalysisCase), token)
	if err := json.Unmarshal(body, &cases); err != nil || status != 200 || len(cases.Items) != 1 {
		t.Fatalf("GET cases: %d %s", status, body)
	}
	id := cases.Items[0].ID
	var jobs []csreview.AnalysisJob
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		status, body = apiGet(t, fmt.Sprintf("%s/api/v1/cases/%d/analysis", base, id), token)
		var list struct {
			Items []csreview.AnalysisJob `json:"items"`
		}
		if err := json.Unmarshal(body, &list); err != nil || status != 200 {
			t.Fatalf("GET analysis: %d %s", status, body)
		}
		jobs = list.Items
		if len(jobs) > 0 && jobs[0].State == csreview.JobDone || time.Now().After(deadline) {
			break
		}
	}
	if len(jobs) == 0 || jobs[0].State != csreview.JobDone || jobs[0].Highest != "critical" {
		t.Fatalf("demo analysis: %+v", jobs)
	}
	status, body = apiGet(t, fmt.Sprintf("%s/api/v1/cases/%d/analysis/%d/report", base, id, jobs[0].ID), token)
	var rep assess.Report
	if err := json.Unmarshal(body, &rep); err != nil || status != 200 {
		t.Fatalf("GET report: %d %s", status, body)
	}
	if len(rep.Graphs) != 1 || rep.Graphs[0].Risky != 5 || rep.Summary.Vulnerabilities != 5 || rep.Summary.Unrated != 1 {
		t.Errorf("demo report: %d graphs, summary %+v", len(rep.Graphs), rep.Summary)
	}
}

// TestRestartKeepsData restarts on the same data directory with --demo: the
// data is kept and not loaded twice.
func TestRestartKeepsData(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan string, 1)
	done := make(chan int, 1)
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, ready: func(u string) { first <- u }}
	go func() { done <- run(ctx, e, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", data}) }()
	<-first
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("first serve exited %d", code)
	}
	startServer(t, "--demo", "--data", data)
	code, out, _ := cli(t, "", "user", "list", "--data", data)
	if code != 0 || strings.Count(out, "\n") != len(csreview.Roles)+1 {
		t.Errorf("user list after restart (exit %d):\n%s", code, out)
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	for _, tc := range []struct {
		name     string
		stdin    string
		args     []string
		code     int
		out, err string
	}{
		{"NoArgs", "", nil, 2, "Usage:", ""},
		{"Help", "", []string{"help"}, 0, "Commands:", ""},
		{"HelpServe", "", []string{"help", "serve"}, 0, "-addr", ""},
		{"ServeDashH", "", []string{"serve", "-h"}, 0, "-demo", ""},
		{"UserHelp", "", []string{"user", "-h"}, 0, "Subcommands:", ""},
		{"UserCreateHelp", "", []string{"user", "create", "-h"}, 0, "-role", ""},
		{"TokenHelp", "", []string{"token", "create", "-h"}, 0, "-user", ""},
		{"Version", "", []string{"version"}, 0, "csreview ", ""},
		{"Unknown", "", []string{"frobnicate"}, 2, "", "unknown command"},
		{"BadFlag", "", []string{"serve", "--nope"}, 2, "", "flag provided but not defined"},
		{"ServeBadPublicURL", "", []string{"serve", "--data", data, "--public-url", "ftp://csreview.example"}, 2, "", "--public-url \"ftp://csreview.example\": give an absolute http:// or https:// URL"},
		{"ServePublicURLQuery", "", []string{"serve", "--data", data, "--public-url", "https://csreview.example/?x=1"}, 2, "", "no query"},
		{"Migrate", "", []string{"migrate", "--data", data}, 0, "applied 0001_registry.sql", ""},
		{"MigrateAgain", "", []string{"migrate", "--data", data}, 0, "up to date", ""},
		{"CreateUser", "a-long-password\n", []string{"user", "create", "--data", data, "--username", "li.na", "--role", "office", "--name", "李娜"}, 0, "created user", ""},
		{"CreateUserDuplicate", "a-long-password\n", []string{"user", "create", "--data", data, "--username", "li.na", "--role", "office"}, 2, "", "already"},
		{"CreateUserBadRole", "a-long-password\n", []string{"user", "create", "--data", data, "--username", "x1", "--role", "king"}, 2, "", "role not allowed"},
		{"CreateUserNoSupplier", "a-long-password\n", []string{"user", "create", "--data", data, "--username", "x2", "--role", "supplier"}, 2, "", "supplier_id required"},
		{"CreateUserShortPassword", "short\n", []string{"user", "create", "--data", data, "--username", "x3", "--role", "office"}, 2, "", "password too short"},
		{"CreateUserNoPassword", "", []string{"user", "create", "--data", data, "--username", "x4", "--role", "office"}, 2, "", "standard input"},
		{"List", "", []string{"user", "list", "--data", data}, 0, "li.na", ""},
		{"ListBadRole", "", []string{"user", "list", "--data", data, "--role", "king"}, 2, "", "unknown role"},
		{"Disable", "", []string{"user", "disable", "--data", data, "li.na"}, 0, "disabled user", ""},
		{"ListDisabled", "", []string{"user", "list", "--data", data}, 0, "disabled", ""},
		{"DisableUnknown", "", []string{"user", "disable", "--data", data, "nobody"}, 2, "", "not found"},
		{"TokenForDisabled", "", []string{"token", "create", "--data", data, "--user", "li.na"}, 2, "", "disabled"},
		{"Enable", "", []string{"user", "enable", "--data", data, "li.na"}, 0, "enabled user", ""},
		{"TokenNoUser", "", []string{"token", "create", "--data", data}, 2, "", "--user is required"},
		{"Token", "", []string{"token", "create", "--data", data, "--user", "li.na", "--days", "1"}, 0, "csr_", "expires"},
		// 2025 National Day and Mid-Autumn: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
		{"CalendarAdd", "", []string{"calendar", "add", "2025-09-26", "10"}, 0, "2025-10-16\n", ""},
		{"CalendarSubtract", "", []string{"calendar", "add", "2025-10-09", "-1"}, 0, "2025-09-30\n", ""},
		{"CalendarBadDate", "", []string{"calendar", "add", "2025-02-30", "1"}, 2, "", "not a date"},
		{"CalendarBadN", "", []string{"calendar", "add", "2025-02-03", "x"}, 2, "", "not a number"},
		{"CalendarNoArgs", "", []string{"calendar", "add"}, 2, "", "give a DATE"},
		// 2030 has no notice: 1 January is a statutory holiday (Tuesday), so
		// from the Monday before it the next working day is Wednesday.
		{"CalendarOutside", "", []string{"calendar", "add", "2029-12-31", "1"}, 0, "2030-01-02\n", "2030-01-02 is provisional"},
		{"CalendarBeyond9999", "", []string{"calendar", "add", "9999-12-31", "1"}, 2, "", "outside the years 0001-9999"},
		{"CalendarBefore2014", "", []string{"calendar", "add", "2013-09-30", "1"}, 0, "2013-10-01\n", "only weekends were skipped"},
		{"RegimeList", "", []string{"regime", "list"}, 0, "cac-2021", ""},
		{"RegimeShow", "", []string{"regime", "show", "cac-2021"}, 0, "[2021 Measures Art. 9]", ""},
		{"RegimeShowZH", "", []string{"regime", "show", "--lang", "zh", "cac-2017-trial"}, 0, "enterprise_application", ""},
		{"RegimeShowJSON", "", []string{"regime", "show", "--json", "cac-2020"}, 0, `"id": "cac-2020"`, ""},
		{"RegimeUnknown", "", []string{"regime", "show", "cac-1999"}, 2, "", "no regime"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, out)
			}
			if !strings.Contains(errOut, tc.err) {
				t.Errorf("stderr lacks %q:\n%s", tc.err, errOut)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(data, "csreview.db")); err != nil {
		t.Errorf("no database in --data: %v", err)
	}
}

// TestEndToEndPostgres runs the server with --db on PostgreSQL, in a schema
// of its own, when CSREVIEW_TEST_POSTGRES names a server.
func TestEndToEndPostgres(t *testing.T) {
	t.Parallel()
	pg := sqltest.PostgresDSN(t)
	base := startServer(t, "--demo", "--db", pg)
	code, out, errOut := cli(t, "", "token", "create", "--user", "office", "--db", pg)
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errOut)
	}
	status, body := apiGet(t, base+"/api/v1/operators?sector=finance", strings.TrimSpace(out))
	if status != http.StatusOK || !bytes.Contains(body, []byte(`"sector": "finance"`)) {
		t.Fatalf("GET operators on PostgreSQL: %d %s", status, body)
	}
}

// TestAssessCommand runs 'csreview assess' as a CI gate would.
func TestAssessCommand(t *testing.T) {
	t.Parallel()
	td := testenv.Shared(t)
	adv := filepath.Join(td, "advisories", "osv")
	juice := filepath.Join(td, "sboms", "cyclonedx-json", "juice-shop-11.1.2.npm.cdx.json")
	laravel := filepath.Join(td, "sboms", "cyclonedx-json", "laravel-7.12.0.cdx.json")
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"hello": "world"}`), 0o644)
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"FailsOnCritical", []string{"assess", "--advisories", adv, juice}, 1, "2021 Measures Art. 10(1)", "reach --fail-on high"},
		{"NoneFails", []string{"assess", "--advisories", adv, "--fail-on", "none", juice}, 0, "Recommendation: material_risk", ""},
		{"CleanSBOM", []string{"assess", "--advisories", adv, laravel}, 0, "0 vulnerabilities", ""},
		{"JSON", []string{"assess", "--advisories", adv, "--format", "json", "--fail-on", "none", juice}, 0, `"schema": "csreview.assess/v1"`, ""},
		{"Regime2017", []string{"assess", "--advisories", adv, "--regime", "cac-2017-trial", "--fail-on", "none", juice}, 0, "2017 trial Measures Art. 4(1)", ""},
		{"NotAnSBOM", []string{"assess", "--advisories", adv, bad}, 2, "", "bad.json"},
		{"Missing", []string{"assess", "--advisories", adv, "/nonexistent.cdx.json"}, 2, "", "nonexistent"},
		{"BadFormat", []string{"assess", "--advisories", adv, "--format", "pdf", juice}, 2, "", "--format"},
		{"BadFailOn", []string{"assess", "--advisories", adv, "--fail-on", "bad", juice}, 2, "", "--fail-on"},
		{"NoAdvisories", []string{"assess", "--data", t.TempDir(), juice}, 2, "", "advisories import"},
		{"TooLarge", []string{"assess", "--advisories", adv, "--max-sbom-bytes", "1000", juice}, 2, "", "larger than"},
		{"TooManyComponents", []string{"assess", "--advisories", adv, "--max-components", "100", juice}, 2, "", "components"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
				t.Errorf("output lacks %q / %q:\n%s\n%s", tc.out, tc.err, clip(out), errOut)
			}
		})
	}
}

// TestAssessCommandOwnFixtures runs 'csreview assess' on the project's own
// fixtures, so that the gate is tested on any machine: the high finding
// fails --fail-on high, the critical one the VEX states not affected does
// not fail --fail-on critical, and the unrated one is named as unrated.
func TestAssessCommandOwnFixtures(t *testing.T) {
	t.Parallel()
	adv, vex := testenv.Own("osv"), testenv.Own("vex", "shop.openvex.json")
	cdx, spdx := testenv.Own("sboms", "shop.cdx.json"), testenv.Own("sboms", "shop.spdx.json")
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"FailsOnHigh", []string{"assess", "--advisories", adv, "--vex", vex, cdx}, 1, "unrated   -                   fixture-json@2.0.1", "reach --fail-on high"},
		// The unrated one is not known to be below any threshold.
		{"UnratedFailsEveryThreshold", []string{"assess", "--advisories", adv, "--vex", vex, "--fail-on", "critical", cdx, spdx}, 1,
			"2 unrated (no rating in their records)", "2 unrated, not known to be below it"},
		{"NoneFails", []string{"assess", "--advisories", adv, "--vex", vex, "--fail-on", "none", cdx}, 0, "CSR-TEST-2026-0002", ""},
		{"WithoutVEX", []string{"assess", "--advisories", adv, "--fail-on", "critical", cdx}, 1, "CSR-TEST-2026-0003", "reach --fail-on critical"},
		{"SARIF", []string{"assess", "--advisories", adv, "--vex", vex, "--format", "sarif", "--fail-on", "none", spdx}, 0, `"CSR-TEST-2026-0002"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
				t.Errorf("output lacks %q / %q:\n%s\n%s", tc.out, tc.err, clip(out), errOut)
			}
		})
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// TestVerifyCommand runs verify against a demo server and its database:
// it holds, it remembers the checkpoint, and a row changed behind the
// server's back fails it with exit code 1, naming the entry.
func TestVerifyCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url := startServer(t, "--demo", "--data", dir)
	state := filepath.Join(t.TempDir(), "state.json")
	code, out, errs := cli(t, "", "verify", "--server", url, "--state", state)
	if code != 0 || !strings.Contains(out, "trusted on first use") || !strings.Contains(out, "5 inclusion proofs") {
		t.Fatalf("verify --server: %d\n%s%s", code, out, errs)
	}
	code, out, _ = cli(t, "", "verify", "--server", url, "--state", state)
	if code != 0 || !strings.Contains(out, "consistent with the tree of 5 leaves") {
		t.Fatalf("second verify: %d\n%s", code, out)
	}
	dbState := filepath.Join(t.TempDir(), "db.json")
	if code, out, _ = cli(t, "", "verify", "--data", dir, "--state", dbState); code != 0 {
		t.Fatalf("verify --data: %d\n%s", code, out)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, "csreview.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE list_entries SET versions = '["25.1","26.0"]' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	code, out, errs = cli(t, "", "verify", "--data", dir, "--state", dbState)
	if code != 1 || !strings.Contains(out, "MISMATCH  entry 2 (") || !strings.Contains(out, "in versions") ||
		!strings.Contains(errs, "do not match") {
		t.Fatalf("verify after tampering: %d\n%s%s", code, out, errs)
	}
	for _, args := range [][]string{{"verify"}, {"verify", "--server", "ftp://x"}, {"verify", "--server", url, "--data", dir}} {
		if code, _, _ := cli(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := cli(t, "", "verify", "--server", "http://127.0.0.1:1", "--state", state); code != 1 || !strings.Contains(errs, "cannot verify") {
		t.Errorf("unreachable server: %d %s", code, errs)
	}
}

// TestProcurementCommand checks purchases from the command line, on the
// local store and against a server as the demo operator: exit 0 when the
// operator may buy, 1 when not, 2 on bad input.
func TestProcurementCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url := startServer(t, "--demo", "--data", dir)
	code, tok, errs := cli(t, "", "token", "create", "--data", dir, "--user", "operator")
	if code != 0 {
		t.Fatalf("token create: %d %s", code, errs)
	}
	tok = strings.TrimSpace(tok[strings.LastIndex(tok, "csr_"):])
	var operatorID int64
	inventory := func(system string) string {
		_, body := apiGet(t, url+"/api/v1/inventory?q="+neturl.QueryEscape(system), tok)
		var list struct{ Items []csreview.InventoryEntry }
		if err := json.Unmarshal(body, &list); err != nil || len(list.Items) != 1 {
			t.Fatalf("inventory %s: %v %s", system, err, body)
		}
		operatorID = list.Items[0].OperatorID
		return strconv.FormatInt(list.Items[0].ID, 10)
	}
	server := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
			if k == "CSREVIEW_TOKEN" {
				return tok
			}
			return ""
		}}
		code := run(context.Background(), e, append([]string{"procurement", "check", "--server", url}, args...))
		return code, out.String(), errb.String()
	}
	// The database that passed; the server whose pass was revoked.
	code, out, errs := server("--inventory", inventory("新一代核心账务系统"), "--lang", "zh")
	if code != 0 || !strings.Contains(out, "结论：可以采购") || !strings.Contains(out, "《网络安全审查办法》（2021）第五条") || strings.Contains(out, "试行") {
		t.Errorf("passed database: %d\n%s%s", code, out, errs)
	}
	code, out, errs = server("--inventory", inventory("同城灾备数据中心计算资源池"), "--lang", "en")
	if code != 1 || !strings.Contains(out, "Verdict: Must not buy") || !strings.Contains(out, "[CSL Art. 67]") || !strings.Contains(out, "eliminate the effect on national security") {
		t.Errorf("revoked server: %d\n%s%s", code, out, errs)
	}
	// The regulator found the storage harmless and the operator's own
	// forecast (2021 Measures Art. 5) says the same.
	code, out, _ = cli(t, "", "procurement", "check", "--data", dir, "--inventory", inventory("影像档案存储"), "--json")
	var a csreview.ProcurementAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil || code != 0 || a.Required != "no" {
		t.Errorf("storage the regulator found harmless: %d %+v %v", code, a, err)
	}
	for _, args := range [][]string{{"procurement"}, {"procurement", "check"}, {"procurement", "check", "--data", dir, "--operator", "1"},
		{"procurement", "check", "--data", dir, "--operator", "1", "--product", "1", "--version", "no-such"}} {
		if code, _, _ := cli(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := server("--operator", strconv.FormatInt(operatorID, 10), "--version-id", "99999"); code != 2 || !strings.Contains(errs, "version_id") {
		t.Errorf("unknown version over the API: %d %s", code, errs)
	}
}

// TestAdvisoriesImport: records are read while earlier batches are
// written; a second import finds them unchanged; a malformed record after
// good ones stops the import with exit code 2, naming the file, and the
// batches before it stay written.
func TestAdvisoriesImport(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	record := func(id string) string {
		return `{"id":"` + id + `","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go","name":"example.com/x"},` +
			`"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`
	}
	for i := range 7 {
		id := fmt.Sprintf("GO-2024-%04d", i)
		if err := os.WriteFile(filepath.Join(dir, id+".json"), []byte(record(id)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := cli(t, "", "advisories", "import", "--batch", "2", "--data", data, dir)
	if code != 0 || !strings.Contains(out, "7 records read: 7 added, 0 updated, 0 unchanged") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, "", "advisories", "import", "--batch", "2", "--data", data, dir)
	if code != 0 || !strings.Contains(out, "7 records read: 0 added, 0 updated, 7 unchanged") {
		t.Fatalf("import again: exit %d\n%s%s", code, out, errs)
	}
	if err := os.WriteFile(filepath.Join(dir, "zz-bad.json"), []byte(`{"id":"GO-bad","modified":"yesterday"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 7; i < 10; i++ {
		id := fmt.Sprintf("GO-2024-%04d", i)
		if err := os.WriteFile(filepath.Join(dir, id+".json"), []byte(record(id)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs = cli(t, "", "advisories", "import", "--batch", "1", "--data", data, dir)
	if code != 2 || !strings.Contains(errs, "zz-bad.json") {
		t.Fatalf("import with a malformed record: exit %d, want 2 naming the file\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, "", "advisories", "import", "--data", data, filepath.Join(dir, "GO-2024-0009.json"))
	if code != 0 || !strings.Contains(out, "1 records read: 0 added, 0 updated, 1 unchanged") {
		t.Errorf("a record read before the malformed one was not stored: exit %d\n%s%s", code, out, errs)
	}
}
