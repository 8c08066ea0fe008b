package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/analysis"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
)

// TestFindingsTriage: the assigned body's assessor works through the
// findings of an analysis of the project's fixture shop: filters and
// sorts the table, sets states (not affected needs a justification, a
// false positive a comment), and each state is kept with its history and
// survives a re-analysis of the same SBOM. The supplier's VEX stands
// beside the lab's state; the lab's triage exports as CycloneDX VEX.
func TestFindingsTriage(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	ctx := adminCtx()
	importOwnAdvisories(t, store)
	id := fileDemoCase(t, store)
	path := fmt.Sprintf("/cases/%d", id)
	assessor, err := store.FindUserByUsername(ctx, "assessor")
	if err != nil {
		t.Fatal(err)
	}
	office := signIn(t, ts, "office", "zh-CN")
	office.postMultipart(path+"/act", map[string][]string{"action": {"accept"}}, nil)
	office.postMultipart(path+"/act", map[string][]string{"action": {"assign_body"}, "body_id": {fmt.Sprint(assessor.BodyID)}}, nil)
	sbom, err := os.ReadFile(testenv.Own("sboms", "shop.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	vex, err := os.ReadFile(testenv.Own("vex", "shop.openvex.json"))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := review.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	runner := &analysis.Runner{Store: store, Rules: rules, Worker: "t", Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	analyse := func() {
		t.Helper()
		sup, err := store.FindUserByUsername(ctx, "supplier")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.AttachAnalysisInputs(csreview.NewContextWithUser(context.Background(), sup), id, []csreview.FileUpload{
			{Kind: "sbom", Name: "shop.cdx.json", Content: sbom}, {Kind: "vex", Name: "shop.openvex.json", Content: vex}}); err != nil {
			t.Fatal(err)
		}
		for {
			ran, err := runner.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !ran {
				return
			}
		}
	}
	analyse()

	as := signIn(t, ts, "assessor", "zh-CN")
	type row struct {
		ID        string               `json:"id"`
		Severity  csreview.Severity    `json:"severity"`
		State     csreview.TriageState `json:"state"`
		Component *struct {
			Name string `json:"name"`
		} `json:"component"`
		Advisory *struct {
			ID string `json:"id"`
		} `json:"advisory"`
		VEX *struct {
			Status string `json:"status"`
		} `json:"vex"`
	}
	type table struct {
		Rows   []row                        `json:"items"`
		Total  int                          `json:"total"`
		All    int                          `json:"all"`
		States map[csreview.TriageState]int `json:"states"`
	}
	list := func(query string) table {
		t.Helper()
		resp, body := as.get("/api/v1/cases/" + fmt.Sprint(id) + "/findings?" + query)
		var tb table
		if err := json.Unmarshal([]byte(body), &tb); err != nil || resp.StatusCode != 200 {
			t.Fatalf("findings?%s: %d %s", query, resp.StatusCode, body)
		}
		return tb
	}
	all := list("")
	if all.All < 4 || all.States[csreview.TriageInTriage] != all.All {
		t.Fatalf("findings before triage: %+v", all)
	}
	unrated := list("severity=unrated")
	if unrated.Total != 1 || unrated.Rows[0].Advisory == nil || unrated.Rows[0].Advisory.ID != "CSR-TEST-2026-0002" {
		t.Fatalf("unrated filter: %+v", unrated)
	}
	if q := list("q=fixture-http"); q.Total != 1 || q.Rows[0].Advisory.ID != "CSR-TEST-2026-0001" {
		t.Errorf("search: %+v", q)
	}
	if p := list("limit=2&offset=2"); len(p.Rows) != 2 || p.Total != all.All {
		t.Errorf("paging: %d rows of %d", len(p.Rows), p.Total)
	}
	byKey := map[string]row{}
	for _, r := range all.Rows {
		if r.Advisory != nil {
			byKey[r.Advisory.ID] = r
		}
	}
	// The supplier's VEX claim stands beside the lab's state.
	if r := byKey["CSR-TEST-2026-0003"]; r.VEX == nil || r.VEX.Status != "not_affected" || r.State != csreview.TriageInTriage {
		t.Errorf("the VEX'd finding: %+v", r)
	}
	put := func(key string, body map[string]string) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("PUT", ts.URL+fmt.Sprintf("/api/v1/cases/%d/findings/%s/triage", id, key), strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", ts.URL)
		resp := as.do(req)
		resp.Body.Close()
		return resp.StatusCode
	}
	http1 := byKey["CSR-TEST-2026-0001"].ID
	if code := put(http1, map[string]string{"state": "not_affected"}); code != http.StatusBadRequest {
		t.Errorf("not_affected without a justification: %d, want 400", code)
	}
	if code := put(http1, map[string]string{"state": "false_positive"}); code != http.StatusBadRequest {
		t.Errorf("false_positive without a comment: %d, want 400", code)
	}
	if code := put(http1, map[string]string{"state": "exploitable", "comment": "重定向时转发凭据，管理面可被利用"}); code != 200 {
		t.Fatalf("exploitable: %d", code)
	}
	// On the page, as a form post, in Chinese.
	form := url.Values{"state": {"not_affected"}, "justification": {"code_not_reachable"}, "comment": {"管理面未调用该解析器"}}
	if resp := as.post(fmt.Sprintf("%s/findings/%s", path, byKey["CSR-TEST-2026-0002"].ID), form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage form: %d", resp.StatusCode)
	}
	if _, page := as.get(path + "/findings?state=exploitable"); !strings.Contains(page, "可被利用") || !strings.Contains(page, "fixture-http") ||
		strings.Contains(page, "fixture-json") {
		t.Error("the findings page filtered by state does not show the exploitable one alone")
	}
	// A re-analysis of the same SBOM keeps the states, keyed by component
	// and advisory.
	analyse()
	after := list("")
	got := map[string]csreview.TriageState{}
	for _, r := range after.Rows {
		if r.Advisory != nil {
			got[r.Advisory.ID] = r.State
		}
	}
	if got["CSR-TEST-2026-0001"] != csreview.TriageExploitable || got["CSR-TEST-2026-0002"] != csreview.TriageNotAffected ||
		after.States[csreview.TriageExploitable] != 1 || after.States[csreview.TriageNotAffected] != 1 {
		t.Errorf("states after re-analysis: %v %v", got, after.States)
	}
	// The history, and the export.
	var hist struct {
		Items []csreview.Triage `json:"items"`
	}
	_, body := as.get(fmt.Sprintf("/api/v1/cases/%d/findings/%s/triage", id, http1))
	if json.Unmarshal([]byte(body), &hist); len(hist.Items) != 1 || hist.Items[0].Actor != "assessor" {
		t.Errorf("history: %s", body)
	}
	resp, body := as.get(fmt.Sprintf("/api/v1/cases/%d/findings/vex", id))
	var doc struct {
		BOMFormat       string `json:"bomFormat"`
		SpecVersion     string `json:"specVersion"`
		Vulnerabilities []struct {
			ID       string `json:"id"`
			Analysis struct {
				State, Justification, Detail string
			} `json:"analysis"`
		} `json:"vulnerabilities"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || resp.StatusCode != 200 || doc.BOMFormat != "CycloneDX" || doc.SpecVersion != "1.6" {
		t.Fatalf("VEX export: %d %s", resp.StatusCode, body)
	}
	states := map[string]string{}
	for _, v := range doc.Vulnerabilities {
		states[v.ID] = v.Analysis.State + "/" + v.Analysis.Justification
	}
	if states["CSR-TEST-2026-0001"] != "exploitable/" || states["CSR-TEST-2026-0002"] != "not_affected/code_not_reachable" ||
		states["CSR-TEST-2026-0003"] != "in_triage/" {
		t.Errorf("VEX states: %v", states)
	}
	// The supplier reads its analysis but not the lab's judgement of it.
	if resp, _ := signIn(t, ts, "supplier", "en").get(fmt.Sprintf("/api/v1/cases/%d/findings", id)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the supplier's findings table: %d, want 403", resp.StatusCode)
	}
}

// triageCase is a case in assessment at the demo lab whose fixture-shop
// analysis has run, with two findings triaged by the assessor.
func triageCase(t *testing.T, store *sqlstore.Store) int64 {
	t.Helper()
	ctx := adminCtx()
	importOwnAdvisories(t, store)
	id := fileDemoCase(t, store)
	user := func(name string) context.Context {
		u, err := store.FindUserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return csreview.NewContextWithUser(context.Background(), u)
	}
	assessor, _ := store.FindUserByUsername(ctx, "assessor")
	for _, in := range []csreview.CaseAction{{Action: review.ActAccept}, {Action: review.ActAssignBody, BodyID: assessor.BodyID}} {
		if _, err := store.Act(user("office"), id, in); err != nil {
			t.Fatal(err)
		}
	}
	var files []csreview.FileUpload
	for _, f := range [][2]string{{"sbom", "sboms/shop.cdx.json"}, {"vex", "vex/shop.openvex.json"}} {
		b, err := os.ReadFile(testenv.Own(strings.Split(f[1], "/")...))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, csreview.FileUpload{Kind: f[0], Name: strings.Split(f[1], "/")[1], Content: b})
	}
	if _, err := store.AttachAnalysisInputs(user("supplier"), id, files); err != nil {
		t.Fatal(err)
	}
	rules, err := review.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	runner := &analysis.Runner{Store: store, Rules: rules, Worker: "t", Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if ran, err := runner.RunOnce(context.Background()); err != nil || !ran {
		t.Fatalf("analysis: %v %v", ran, err)
	}
	jobs, err := store.FindAnalysisJobs(ctx, id)
	if err != nil || len(jobs) == 0 {
		t.Fatal(err)
	}
	raw, err := store.AnalysisReport(ctx, id, jobs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []struct {
			ID       string `json:"id"`
			Advisory *struct {
				ID string `json:"id"`
			} `json:"advisory"`
		} `json:"findings"`
	}
	json.Unmarshal(raw, &rep)
	for _, f := range rep.Findings {
		if f.Advisory == nil {
			continue
		}
		var tr *csreview.Triage
		switch f.Advisory.ID {
		case "CSR-TEST-2026-0001":
			tr = &csreview.Triage{State: csreview.TriageExploitable, Comment: "重定向时转发凭据，管理面可被利用"}
		case "CSR-TEST-2026-0004":
			tr = &csreview.Triage{State: csreview.TriageNotAffected, Justification: "code_not_reachable", Comment: "未启用外部实体解析"}
		default:
			continue
		}
		tr.CaseID, tr.Key = id, f.ID
		if err := store.SetTriage(user("assessor"), tr); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// TestBrowserFindings: the assessor's findings table in Chromium, in
// Chinese and English: every severity named in the reader's language,
// unrated as 未评级 / Unrated, the lab's states and the supplier's VEX side
// by side, and the forms to set a state.
func TestBrowserFindings(t *testing.T) {
	t.Parallel()
	chromium(t) // skips under -short, and without a browser
	ts, store := demoServer(t)
	id := triageCase(t, store)
	for _, tc := range []struct{ lang, want, unrated, vex string }{
		{"zh-CN", "可被利用", "未评级", "不受影响"},
		{"en", "Exploitable", "Unrated", "not affected"},
	} {
		ctx := newBrowser(t, tc.lang)
		type css = chromedp.CSS
		var table string
		err := chromedp.Do(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/cases/%d/findings", ts.URL, id)),
			chromedp.WaitVisible(css(`#username`)),
			chromedp.SendKeys(css(`#username`), "assessor"),
			chromedp.SendKeys(css(`#password`), demo.Password),
			chromedp.Submit(css(`#password`)),
			chromedp.WaitVisible(css(`table.findings`)),
			into(&table, chromedp.Text(css(`main`))),
			screenshot(t, "j9-assessor-findings-"+tc.lang),
		)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tc.want, tc.unrated, tc.vex, "fixture-http", "CSR-TEST-2026-0002"} {
			if !strings.Contains(table, want) {
				t.Errorf("%s: the findings page lacks %q", tc.lang, want)
			}
		}
	}
}

// TestBrowserDeadlines: the office's deadline cockpit in Chromium, in
// Chinese and English: every running clock of the open cases, nearest
// due first, each with its article, and the counts at 3 and 1 working
// days left.
func TestBrowserDeadlines(t *testing.T) {
	t.Parallel()
	chromium(t)
	ts, store := demoServer(t)
	id := fileDemoCase(t, store)
	c, err := store.FindCaseByID(adminCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, title, limit string }{
		{"zh-CN", "时限总览", "工作日"},
		{"en", "Deadlines", "working day"},
	} {
		ctx := newBrowser(t, tc.lang)
		type css = chromedp.CSS
		var text string
		err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/deadlines"),
			chromedp.WaitVisible(css(`#username`)),
			chromedp.SendKeys(css(`#username`), "office"),
			chromedp.SendKeys(css(`#password`), demo.Password),
			chromedp.Submit(css(`#password`)),
			chromedp.WaitVisible(css(`table.deadlines`)),
			into(&text, chromedp.Text(css(`main`))),
			screenshot(t, "j9-office-deadlines-"+tc.lang),
		)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tc.title, tc.limit, c.Ref} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the cockpit lacks %q", tc.lang, want)
			}
		}
	}
}

// importOwnAdvisories puts the project's own fixture advisories
// (testdata/osv) in the store.
func importOwnAdvisories(t *testing.T, store *sqlstore.Store) {
	t.Helper()
	var rows []*sqlstore.AdvisoryRow
	if err := advisory.Walk(testenv.Own("osv"), advisory.Limits{}, func(r *advisory.Record, _ string) error {
		rows = append(rows, sqlstore.RowOf(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.ImportAdvisories(adminCtx(), rows, &sqlstore.ImportStats{}); err != nil {
		t.Fatal(err)
	}
}
