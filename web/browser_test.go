package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/web"
)

// demoServer serves the demo data set from a fresh SQLite store over HTTP.
func demoServer(t *testing.T) (*httptest.Server, *sqlstore.Store) {
	return startDemo(t, httptest.NewServer)
}

// demoTLSServer is demoServer over HTTPS, for clients that keep Secure
// cookies only for https (Go's cookie jar).
func demoTLSServer(t *testing.T) (*httptest.Server, *sqlstore.Store) {
	return startDemo(t, httptest.NewTLSServer)
}

func adminCtx() context.Context {
	return csreview.NewContextWithUser(context.Background(), csreview.SystemUser("test"))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func startDemo(t *testing.T, start func(http.Handler) *httptest.Server) (*httptest.Server, *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store := sqlstore.NewStore(db)
	// The demo as `serve --demo` loads it: with its cases, walked today.
	today := csreview.DateOf(db.Now().In(time.FixedZone("CST", 8*3600)))
	if _, err := demo.LoadAll(csreview.NewContextWithUser(ctx, csreview.SystemUser("demo")), store, today); err != nil {
		t.Fatal(err)
	}
	// Errors go to the test's log, so that a 500 explains itself.
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := web.New(store, db, log, web.Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := start(srv)
	t.Cleanup(ts.Close)
	return ts, store
}

// testWriter writes to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// chromium returns the browser to test with, or skips the test, saying so;
// -short, the quick loop, skips every browser test.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		testenv.Skip(t, "browser test: not in -short")
	}
	if p := os.Getenv("CSREVIEW_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Skip(t, "Chromium not found (set CSREVIEW_CHROMIUM or install Debian's chromium)")
	return ""
}

// artifactDir is where screenshots go: $CSREVIEW_ARTIFACTS, else a temp dir.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("CSREVIEW_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// newBrowser starts headless Chromium with a fresh profile and no network
// chatter, as root needs it.
func newBrowser(t *testing.T, lang string) context.Context {
	t.Helper()
	return newBrowserFor(t, lang, 90*time.Second)
}

// newBrowserFor is newBrowser for a walk that may take up to d.
func newBrowserFor(t *testing.T, lang string, d time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", lang),
		chromedp.Flag("accept-lang", lang),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, d)
	t.Cleanup(cancel3)
	return ctx
}

// screenshot saves a full-page PNG as a test artifact.
func screenshot(t *testing.T, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		buf, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		p := filepath.Join(artifactDir(t), name+".png")
		t.Logf("screenshot %s", p)
		return os.WriteFile(p, buf, 0o644)
	})
}

// elementShot saves a PNG of one element as a test artifact.
func elementShot(t *testing.T, name string, sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		buf, err := chromedp.Screenshot(sel)(ctx, tg)
		if err != nil {
			return err
		}
		p := filepath.Join(artifactDir(t), name+".png")
		t.Logf("screenshot %s", p)
		return os.WriteFile(p, buf, 0o644)
	})
}

// printMedia switches the page to the print style sheet, or back.
func printMedia(on bool) chromedp.Action[chromedp.Void] {
	media := ""
	if on {
		media = "print"
	}
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// into runs an action that returns a value and stores the value in dst.
func into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		v, err := a(ctx, tg)
		*dst = v
		return err
	})
}

// fileDemoCase files a 2021 case as the demo operator and returns its ID.
func fileDemoCase(t *testing.T, store *sqlstore.Store) int64 {
	t.Helper()
	ctx := adminCtx()
	op, err := store.FindUserByUsername(ctx, "operator")
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.FindProductByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: "核心路由器采购", SupplierID: p.SupplierID,
		VersionIDs: []int64{p.Versions[0].ID}, PurchaseAmount: 8000000}
	files := []csreview.FileUpload{{Kind: "application_form", Name: "申报书.pdf", Content: []byte("a")},
		{Kind: "impact_report", Name: "报告.pdf", Content: []byte("b")}, {Kind: "procurement_documents", Name: "合同.pdf", Content: []byte("c")}}
	if err := store.CreateCase(csreview.NewContextWithUser(ctx, op), c, files); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// TestBrowserSignInRegistry signs in with a demo account in headless
// Chromium and reads the registry in Chinese, then in English after the
// language switch.
func TestBrowserSignInRegistry(t *testing.T) {
	t.Parallel()
	ts, store := demoServer(t)
	caseID := fileDemoCase(t, store)
	ctx := newBrowser(t, "zh-CN")
	type css = chromedp.CSS
	var heading, tableText, enHeading, enTable, home string
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/suppliers"),
		chromedp.WaitVisible(css(`#username`)),
		screenshot(t, "01-login-zh"),
		chromedp.SendKeys(css(`#username`), "office"),
		chromedp.SendKeys(css(`#password`), demo.Password),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`main table`)),
		into(&heading, chromedp.Text(css(`main h1`))),
		into(&tableText, chromedp.Text(css(`main table`))),
		screenshot(t, "02-suppliers-zh"),
		chromedp.Click(css(`header .tools a[hreflang="en"]`)),
		chromedp.WaitVisible(css(`html[lang="en"] main table`)),
		into(&enHeading, chromedp.Text(css(`main h1`))),
		into(&enTable, chromedp.Text(css(`main table`))),
		screenshot(t, "03-suppliers-en"),
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(css(`ul.cards`)),
		into(&home, chromedp.Text(css(`main`))),
		screenshot(t, "04-home-en"),
		chromedp.Navigate(ts.URL+"/products/1"),
		chromedp.WaitVisible(css(`dl.facts`)),
		screenshot(t, "05-product-en"),
		chromedp.Navigate(ts.URL+"/bodies/new"),
		chromedp.WaitVisible(css(`form.grid`)),
		chromedp.Submit(css(`form.grid`)),
		chromedp.WaitVisible(css(`.field.invalid`)),
		screenshot(t, "06-body-form-errors-en"),
		chromedp.Navigate(ts.URL+"/regimes/cac-2021"),
		chromedp.WaitVisible(css(`#criteria`)),
		screenshot(t, "07-regime-en"),
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", ts.URL, caseID)),
		chromedp.WaitVisible(css(`table.clocks`)),
		screenshot(t, "08-case-en"),
		chromedp.Navigate(ts.URL+"/cases"),
		chromedp.WaitVisible(css(`main table`)),
		screenshot(t, "09-cases-en"),
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", ts.URL, caseID)),
		chromedp.WaitVisible(css(`form.action`)),
		chromedp.Click(css(`form.action input[value="accept"] ~ button`)),
		chromedp.WaitVisible(css(`a[href*="/notices/"]`)),
		chromedp.Click(css(`a[href*="/notices/"]`)),
		chromedp.WaitVisible(css(`article.notice`)),
		screenshot(t, "10-notice-en"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := heading, "供应商"; got != want {
		t.Errorf("Chinese heading: got %q, want %q", got, want)
	}
	if !strings.Contains(tableText, "北京星河网络技术有限公司") {
		t.Errorf("Chinese supplier list lacks a demo supplier:\n%s", tableText)
	}
	if got, want := enHeading, "Suppliers"; got != want {
		t.Errorf("English heading: got %q, want %q", got, want)
	}
	if !strings.Contains(enTable, "Chinese name") || !strings.Contains(enTable, "Cascadia") {
		t.Errorf("English supplier list:\n%s", enTable)
	}
	if !strings.Contains(home, "Welcome") {
		t.Errorf("home page after switching to English:\n%s", home)
	}
	for _, text := range []string{heading, tableText, enHeading, enTable, home} {
		if strings.Contains(text, web.Missing) {
			t.Errorf("untranslated message on a page: %q", text)
		}
	}
}

// TestBrowserPublicSite reads the public site as a member of the public in
// Chinese: the lists, filtered to the failed list, a product with its
// history, a report, the log page, and the feedback form with its receipt.
func TestBrowserPublicSite(t *testing.T) {
	t.Parallel()
	ts, _ := demoServer(t)
	ctx := newBrowser(t, "zh-CN")
	type css = chromedp.CSS
	var lists, failed, product, report, receipt string
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(css(`table.lists`)),
		into(&lists, chromedp.Text(css(`main`))),
		screenshot(t, "20-public-lists-zh"),
		chromedp.Click(css(`nav.tabs li:nth-child(3) a`)),
		chromedp.WaitVisible(css(`nav.tabs a[aria-current="page"]`)),
		into(&failed, chromedp.Text(css(`table.lists`))),
		chromedp.Navigate(ts.URL+"/public?history=1"),
		chromedp.WaitVisible(css(`tr.closed`)),
		chromedp.Click(css(`tr.closed td a`)),
		chromedp.WaitVisible(css(`.status-box`)),
		into(&product, chromedp.Text(css(`main`))),
		screenshot(t, "21-public-product-zh"),
		chromedp.Click(css(`tr.closed td:last-child a`)),
		chromedp.WaitVisible(css(`article.report`)),
		into(&report, chromedp.Text(css(`article.report`))),
		screenshot(t, "22-public-report-zh"),
		chromedp.Navigate(ts.URL+"/public/log"),
		chromedp.WaitVisible(css(`pre`)),
		screenshot(t, "23-public-log-zh"),
		chromedp.Navigate(ts.URL+"/public/feedback"),
		chromedp.WaitVisible(css(`#fb-text`)),
		chromedp.SendKeys(css(`#fb-product`), "星河 XR-9000 V8.3.0"),
		chromedp.SendKeys(css(`#fb-text`), "设备启动后向未知境外地址发起 TLS 连接，手册未说明。"),
		screenshot(t, "24-public-feedback-zh"),
		chromedp.Submit(css(`#fb-text`)),
		chromedp.WaitVisible(css(`.flash`)),
		into(&receipt, chromedp.Text(css(`.flash`))),
		screenshot(t, "25-public-feedback-sent-zh"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lists, "网络安全审查结果公开名单") || !strings.Contains(lists, "恒数分布式关系型数据库") {
		t.Errorf("lists:\n%s", lists)
	}
	if strings.Contains(failed, "恒数") || !strings.Contains(failed, "未通过审查") {
		t.Errorf("failed list:\n%s", failed)
	}
	if !strings.Contains(product, "未通过网络安全审查") || !strings.Contains(product, "历史记录") {
		t.Errorf("product page:\n%s", product)
	}
	if !strings.Contains(report, "通过审查") || !strings.Contains(report, "被复审") {
		t.Errorf("report of the revoked pass:\n%s", report)
	}
	if !strings.Contains(receipt, "FB-") {
		t.Errorf("feedback receipt:\n%s", receipt)
	}
	for _, text := range []string{lists, failed, product, report, receipt} {
		if strings.Contains(text, web.Missing) {
			t.Errorf("untranslated message: %q", text)
		}
	}
}

// TestBrowserProcurement walks an operator's buyer through the inventory
// and the procurement check in Chinese, then reads the answer in English.
func TestBrowserProcurement(t *testing.T) {
	t.Parallel()
	ts, _ := demoServer(t)
	ctx := newBrowser(t, "zh-CN")
	type css = chromedp.CSS
	var verdict, parts, enVerdict, alert, enf string
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/inventory"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "operator"),
		chromedp.SendKeys(css(`#password`), demo.Password),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`main table`)),
		screenshot(t, "30-inventory-zh"),
		chromedp.Click(css(`main table tbody tr:nth-child(3) a`)),
		chromedp.WaitVisible(css(`dl.facts`)),
		screenshot(t, "31-inventory-entry-zh"),
		chromedp.Click(css(`main form[action="/procurement"] button`)),
		chromedp.WaitVisible(css(`.answer`)),
		into(&verdict, chromedp.Text(css(`.answer .verdict-line`))),
		into(&parts, chromedp.Text(css(`main`))),
		screenshot(t, "32-procurement-answer-zh"),
		chromedp.Navigate(ts.URL+"/procurement"),
		chromedp.WaitVisible(css(`#p-version`)),
		screenshot(t, "33-procurement-form-zh"),
		chromedp.Navigate(ts.URL+"/inventory/import"),
		chromedp.WaitVisible(css(`#i-file`)),
		screenshot(t, "34-inventory-import-zh"),
		chromedp.Navigate(ts.URL+"/procurement/checks/1"),
		chromedp.WaitVisible(css(`.answer`)),
		chromedp.Click(css(`header .tools a[hreflang="en"]`)),
		chromedp.WaitVisible(css(`html[lang="en"] .answer`)),
		into(&enVerdict, chromedp.Text(css(`.answer .verdict-line`))),
		screenshot(t, "35-procurement-answer-en"),
		chromedp.Navigate(ts.URL+"/alerts"),
		chromedp.WaitVisible(css(`main table`)),
		screenshot(t, "36-alerts-en"),
		chromedp.Click(css(`main table tbody tr a`)),
		chromedp.WaitVisible(css(`.answer`)),
		into(&alert, chromedp.Text(css(`main`))),
		screenshot(t, "37-alert-en"),
		chromedp.Navigate(ts.URL+"/enforcement"),
		chromedp.WaitVisible(css(`main table`)),
		chromedp.Click(css(`main table tbody tr a`)),
		chromedp.WaitVisible(css(`.answer`)),
		into(&enf, chromedp.Text(css(`main`))),
		screenshot(t, "38-enforcement-en"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The third entry is the server whose pass a re-review revoked.
	if verdict != "不得采购" || !strings.Contains(parts, "《网络安全法》第六十七条") || !strings.Contains(parts, "消除对国家安全的影响") || !strings.Contains(parts, "通过结论已撤销") {
		t.Errorf("answer for the revoked server: %q\n%s", verdict, parts)
	}
	if !strings.Contains(alert, "Revontuli") || !strings.Contains(alert, "5G 专网") && !strings.Contains(alert, "entry #") {
		t.Errorf("the bank's alert on its planned 5G core:\n%s", alert)
	}
	if !strings.Contains(enf, "CSL Art. 67") || !strings.Contains(enf, "Order to stop using the product") {
		t.Errorf("the bank's enforcement record:\n%s", enf)
	}
	if enVerdict != "May buy" {
		t.Errorf("check #1 (the passed database) in English: %q", enVerdict)
	}
}

// TestBrowserOversight: the finance regulator opens its dashboard; the
// charts are drawn on the server and carry their titles.
func TestBrowserOversight(t *testing.T) {
	t.Parallel()
	ts, _ := demoServer(t)
	ctx := newBrowser(t, "zh-CN")
	type css = chromedp.CSS
	var titles string
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/oversight"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "regulator"),
		chromedp.SendKeys(css(`#password`), demo.Password),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`svg.chart`)),
		into(&titles, chromedp.Text(css(`.charts`))),
		screenshot(t, "39-oversight-zh"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(titles, "每月采购审查查询") || !strings.Contains(titles, "执法记录按状态") {
		t.Errorf("dashboard charts:\n%s", titles)
	}
}

// TestBrowserFilingOffer: a "file first" answer offers the filing, and the
// filing form comes filled in from the check: the channel, the version,
// the amount and the system (2021 Measures Art. 5, 8).
func TestBrowserFilingOffer(t *testing.T) {
	t.Parallel()
	ts, _ := demoServer(t)
	ctx := newBrowser(t, "zh-CN")
	type css = chromedp.CSS
	var verdict, offer, amount, purchase, title string
	var channel, version bool
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/inventory/5"),
		chromedp.WaitVisible(css(`#username`)),
		chromedp.SendKeys(css(`#username`), "operator"),
		chromedp.SendKeys(css(`#password`), demo.Password),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`dl.facts`)),
		chromedp.Click(css(`main form[action="/procurement"] button`)),
		chromedp.WaitVisible(css(`.answer`)),
		into(&verdict, chromedp.Text(css(`.answer .verdict-line`))),
		into(&offer, chromedp.Text(css(`section.filing`))),
		screenshot(t, "32b-procurement-file-first-zh"),
		chromedp.Click(css(`section.filing a.button`)),
		chromedp.WaitVisible(css(`#purchase_amount`)),
		into(&amount, chromedp.Value(css(`#purchase_amount`))),
		into(&purchase, chromedp.Value(css(`#purchase`))),
		into(&title, chromedp.Value(css(`#title`))),
		into(&channel, chromedp.Evaluate[bool](`document.querySelector('input[name=channel][value=operator_filing]').checked`)),
		into(&version, chromedp.Evaluate[bool](`[...document.querySelectorAll('input[name=version_ids]')].some(b => b.checked)`)),
		screenshot(t, "32c-filing-prefilled-zh"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if verdict != "须先经审查" || !strings.Contains(offer, "申报书") {
		t.Errorf("answer %q, offer:\n%s", verdict, offer)
	}
	if amount == "" || amount == "0" || purchase == "" || !strings.Contains(title, "采购审查申报") || !channel || !version {
		t.Errorf("the filing form is not filled in: amount %q purchase %q title %q channel %v version %v", amount, purchase, title, channel, version)
	}
}
