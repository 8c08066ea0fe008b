package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/analysis"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/web"
)

var sharedTestdata = filepath.Join("..", "..", "shared", "testdata")

// serverErrors records every answer of 500 or more a test server gives.
type serverErrors struct {
	mu   sync.Mutex
	seen []string
}

func (e *serverErrors) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		if sw.code >= 500 {
			e.mu.Lock()
			e.seen = append(e.seen, fmt.Sprintf("%s %s → %d", r.Method, r.URL, sw.code))
			e.mu.Unlock()
		}
	})
}

func (e *serverErrors) check(t *testing.T) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range e.seen {
		t.Errorf("server error: %s", s)
	}
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// journey is one walk through the review in one language.
type journey struct {
	t      *testing.T
	lang   string
	url    string
	pages  int
	byName map[string]string // page texts by step name
}

// step saves a screenshot of the page as it is, and fails the test on an
// untranslated message key anywhere on it.
func (j *journey) step(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		j.pages++
		text, err := chromedp.Evaluate[string](`document.body.innerText`)(ctx, tg)
		if err != nil {
			return err
		}
		j.byName[name] = text
		if strings.Contains(text, web.Missing) {
			j.t.Errorf("%s: untranslated message key on the page:\n%s", name, text)
		}
		if _, err := a11yCheck(j.t, name)(ctx, tg); err != nil {
			return err
		}
		_, err = screenshot(j.t, fmt.Sprintf("j%s-%s", name, j.lang))(ctx, tg)
		return err
	})
}

// a11yProbe lists a page's accessibility slips: a form control without a
// label, no main landmark, other than one h1, an image or chart without a
// text alternative, no language, text below the WCAG AA contrast.
const a11yProbe = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      out.push('unlabelled ' + el.tagName.toLowerCase() + ' ' + (el.name || el.id));
  }
  if (!document.querySelector('main')) out.push('no <main> landmark');
  if (document.querySelectorAll('h1').length !== 1) out.push(document.querySelectorAll('h1').length + ' h1 headings');
  for (const el of document.querySelectorAll('img:not([alt])')) out.push('image without alt: ' + el.src);
  for (const el of document.querySelectorAll('svg[role=img]')) {
    if (!el.querySelector('title')) out.push('svg without a title');
  }
  if (!document.documentElement.lang) out.push('no lang on <html>');
  // Contrast of text against the background it sits on (WCAG 2.x AA:
  // 4.5:1, or 3:1 for large text).
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bgOf = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || seen.has(el) || el.closest('svg, .sr, .skip, option')) continue;
    seen.add(el);
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    const fg = rgb(st.color), bg = bgOf(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) out.push('contrast ' + ratio.toFixed(2) + ' < ' + need + ': "' + n.textContent.trim().slice(0, 40) + '" (' + st.color + ' on rgb(' + bg.join(',') + '))');
  }
  return out;
})()`

// a11yCheck fails the test on each slip a11yProbe finds.
func a11yCheck(t *testing.T, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		problems, err := chromedp.Evaluate[[]string](a11yProbe)(ctx, tg)
		if err != nil {
			return err
		}
		for _, p := range problems {
			t.Errorf("%s: accessibility: %s", name, p)
		}
		return nil
	})
}

func (j *journey) signIn(user string) chromedp.Action[chromedp.Void] {
	type css = chromedp.CSS
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return chromedp.Do(ctx,
			chromedp.Navigate(j.url+"/login"),
			chromedp.WaitVisible(css(`#username`)),
			chromedp.SendKeys(css(`#username`), user),
			chromedp.SendKeys(css(`#password`), demo.Password),
			chromedp.Submit(css(`#password`)),
			chromedp.WaitVisible(css(`form[action="/logout"]`)),
		)
	})
}

func (j *journey) signOut() chromedp.Action[chromedp.Void] {
	type css = chromedp.CSS
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return chromedp.Do(ctx,
			chromedp.Click(css(`form[action="/logout"] button`)),
			chromedp.WaitNotPresent(css(`form[action="/logout"]`)),
		)
	})
}

// act submits the case page's form for an action, first running fill
// on it (choosing a position, say).
func act(action string, fill ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	type css = chromedp.CSS
	form := fmt.Sprintf(`form.action:has(input[name="action"][value=%q])`, action)
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.WaitVisible(css(form))}, fill...)...); err != nil {
			return fmt.Errorf("action %s: %w", action, err)
		}
		return chromedp.Do(ctx, submitAndWait(css(form+` button[type=submit]`)))
	})
}

// TestA11yProbe: the probe the journey runs on every page finds what it
// looks for.
func TestA11yProbe(t *testing.T) {
	t.Parallel()
	page := `<!doctype html><html><body><h1>a</h1><h1>b</h1><input name=q><svg role=img></svg>` +
		`<p style="color:#bbb;background:#fff">faint</p><p style="color:#111">fine</p></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	ctx := newBrowser(t, "en")
	var problems []string
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), into(&problems, chromedp.Evaluate[[]string](a11yProbe))); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(problems, "\n")
	for _, want := range []string{"unlabelled input q", "no <main> landmark", "2 h1 headings", "svg without a title", "no lang", `contrast 1.9`, `"faint"`} {
		if !strings.Contains(got, want) {
			t.Errorf("probe missed %q; found:\n%s", want, got)
		}
	}
	if strings.Contains(got, `"fine"`) {
		t.Errorf("probe flagged legible text:\n%s", got)
	}
}

// journeyInputs are the SBOM the supplier uploads, the advisories in the
// store and the number of findings the analysis gives: dropwizard's real
// SBOM and the Maven advisories of shared/testdata when it is there, else
// the demo's own SBOM and advisories, so that the journey runs on any
// machine.
func journeyInputs(t *testing.T) (sbomPath string, rows []*sqlstore.AdvisoryRow, findings string) {
	t.Helper()
	if _, err := os.Stat(sharedTestdata); err == nil {
		if err := advisory.Walk(filepath.Join(sharedTestdata, "advisories", "osv", "Maven"), advisory.Limits{},
			func(r *advisory.Record, _ string) error { rows = append(rows, sqlstore.RowOf(r)); return nil }); err != nil {
			t.Fatal(err)
		}
		p, err := filepath.Abs(filepath.Join(sharedTestdata, "sboms", "cyclonedx-json", "dropwizard-1.3.15.cdx.json"))
		if err != nil {
			t.Fatal(err)
		}
		return p, rows, "6"
	}
	t.Log("shared/testdata not found: the journey uploads the demo SBOM")
	file, records, err := demo.AnalysisInputs()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		rows = append(rows, sqlstore.RowOf(r))
	}
	p := filepath.Join(t.TempDir(), file.Name)
	if err := os.WriteFile(p, file.Content, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, rows, "8"
}

// submitAndWait clicks a submit button and waits for the next page to
// load: the old page is marked, and the mark must go.
func submitAndWait(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = "1"; undefined`),
			chromedp.Click(sel),
			chromedp.WaitNotPresent(chromedp.CSS(`body[data-stale]`)),
			chromedp.WaitReady(chromedp.CSS(`body`)),
		)
	})
}

// TestBrowserJourney walks a review through every role in headless
// Chromium, in Chinese and in English: the supplier uploads the product's
// SBOM and the analysis runs; the office screens the case and assigns a
// lab; the assessor records evidence and submits the report; the office
// recommends and a member unit agrees; the office decides and publishes;
// the public finds the result; the operator's buyer checks the purchase.
// Each step is a screenshot; any untranslated key, accessibility slip or
// server error fails the test.
func TestBrowserJourney(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) { walkJourney(t, lang) })
	}
}

func walkJourney(t *testing.T, lang string) {
	errs := &serverErrors{}
	ts, store := startDemo(t, func(h http.Handler) *httptest.Server { return httptest.NewServer(errs.wrap(h)) })
	defer errs.check(t)
	ctx := adminCtx()
	// The analysis worker, as `serve` runs it, and the Maven advisories.
	rules, err := review.LoadRules("")
	if err != nil {
		t.Fatal(err)
	}
	sbomPath, rows, findings := journeyInputs(t)
	if err := store.ImportAdvisories(ctx, rows, &sqlstore.ImportStats{}); err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(context.Background())
	defer stop()
	runner := &analysis.Runner{Store: store, Rules: rules, Worker: "journey", Poll: 100 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError})), Version: "test"}
	go runner.Run(wctx)

	caseID := fileDemoCase(t, store)
	p, err := store.FindProductByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	assessor, err := store.FindUserByUsername(ctx, "assessor")
	if err != nil {
		t.Fatal(err)
	}
	bodyID := assessor.BodyID
	caseURL := fmt.Sprintf("%s/cases/%d", ts.URL, caseID)
	product := p.NameZH
	if lang == "en" {
		product = p.NameEN
	}
	j := &journey{t: t, lang: lang, url: ts.URL, byName: map[string]string{}}
	type css = chromedp.CSS
	bctx := newBrowserFor(t, lang, 4*time.Minute)
	run := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			shot, cancel := context.WithTimeout(bctx, 10*time.Second)
			defer cancel()
			chromedp.Do(shot, screenshot(t, "jFAILED-"+lang))
			t.Fatalf("%s: %v", name, err)
		}
	}
	criterion := "cac2021.10.2"
	run("1 supplier uploads the SBOM",
		j.signIn("supplier"),
		j.step("1a-supplier-home"),
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(css(`#sbom-file`)),
		chromedp.SetUploadFiles(css(`#sbom-file`), []string{sbomPath}),
		submitAndWait(css(`form[action$="/sboms"] button`)),
		chromedp.WaitVisible(css(`.job`)),
		j.step("1b-supplier-analysis-queued"),
		chromedp.WaitVisible(css(`.job-done`)),
		j.step("1c-supplier-analysis-done"),
		j.signOut(),
	)
	run("2 office opens and screens the case",
		j.signIn("office"),
		j.step("2a-office-home"),
		chromedp.Navigate(caseURL),
		j.step("2b-office-case-filed"),
		act("accept"),
		act("assign_body", chromedp.SetValue(css(`#b-assign_body`), itoa(bodyID))),
		j.step("2c-office-case-screened"),
		chromedp.Click(css(`ul.notices a`)),
		chromedp.WaitVisible(css(`article.notice`)),
		j.step("2d-office-acceptance-notice"),
		printMedia(true),
		screenshot(t, "j2e-office-notice-print-"+lang),
		printMedia(false),
		j.signOut(),
	)
	run("3 assessor records evidence and submits",
		j.signIn("assessor"),
		j.step("3a-assessor-home"),
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(css(`#ev-summary`)),
		chromedp.SetValue(css(`#ev-method`), "lab_test"),
		chromedp.SendKeys(css(`#ev-summary`), "实验室测试：固件签名校验与管理面渗透测试。"),
		chromedp.SetValue(css(`#crit1`), criterion),
		chromedp.SetValue(css(`#risk1`), "high"),
		chromedp.SendKeys(css(`#text1`), "管理面存在未授权访问接口，可远程修改路由配置。"),
		submitAndWait(css(`form[action$="/evidence"] button[type=submit]`)),
		chromedp.WaitVisible(css(`#findings`)),
		j.step("3b-assessor-findings"),
		elementShot(t, "j3b-assessor-graph-"+lang, css(`figure.graph-box`)),
		elementShot(t, "j3b-assessor-chart-"+lang, css(`figure.chart-box`)),
		act("submit_report"),
		j.step("3c-assessor-report-submitted"),
		j.signOut(),
	)
	run("4 office recommends; a member unit agrees",
		j.signIn("office"),
		chromedp.Navigate(caseURL),
		// The member units are all ticked; this one consults the Ministry of
		// Industry and Information Technology, whose staff the demo has.
		act("recommend", chromedp.Click(css(`form.action:has(input[value="recommend"]) input[name=position][value=pass]`)),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`document.querySelectorAll('form.action input[name=consult]').forEach(b => { b.checked = b.value === '工业和信息化部' }); true`)(ctx, tg)
				return err
			})),
		j.signOut(),
		j.signIn("member"),
		j.step("4a-member-home"),
		chromedp.Navigate(caseURL),
		j.step("4b-member-case"),
		act("member_reply",
			chromedp.Click(css(`form.action:has(input[value="member_reply"]) input[name=position][value=agree]`)),
			chromedp.SendKeys(css(`form.action:has(input[value="member_reply"]) textarea[name=note]`), "同意通过，请督促供应商修复管理面问题。")),
		j.step("4c-member-replied"),
		j.signOut(),
	)
	run("5 office decides and publishes",
		j.signIn("office"),
		chromedp.Navigate(caseURL),
		act("close_replies"),
		act("decide",
			chromedp.Click(css(`form.action:has(input[value="decide"]) input[name=position][value=pass]`)),
			chromedp.SendKeys(css(`[id="r-`+criterion+`"]`), "管理面问题已承诺修复，风险可控。")),
		j.step("5a-office-decided"),
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(css(`table.tasks`)),
		j.step("5b-office-home-to-publish"),
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(css(`a[href$="/publication"]`)),
		chromedp.Click(css(`a[href$="/publication"]`)),
		chromedp.WaitVisible(css(`input[name=confirm_no_basis]`)),
		j.step("5c-office-publication-preview"),
		chromedp.Click(css(`input[name=confirm_no_basis]`)),
		submitAndWait(css(`form[action$="/publication"] button[type=submit]`)),
		chromedp.WaitVisible(css(`a[href^="/public/reports/"]`)),
		j.step("5d-office-published"),
		j.signOut(),
	)
	var focused, focusedAfter string
	run("6 the public finds the result",
		// Keyboard: the first Tab reaches the skip link, Enter follows it.
		chromedp.Navigate(ts.URL+"/public"),
		chromedp.WaitVisible(css(`#q`)),
		chromedp.KeyEvent(kb.Tab),
		into(&focused, chromedp.Evaluate[string](`document.activeElement.className`)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.KeyEvent(kb.Tab),
		into(&focusedAfter, chromedp.Evaluate[string](`document.activeElement.closest("main") ? "main" : document.activeElement.tagName`)),
		// The public lists are cached for up to a second after a
		// publication: search again until the entry shows.
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			for try := 0; ; try++ {
				var rows int
				err := chromedp.Do(ctx,
					chromedp.Navigate(ts.URL+"/public"),
					chromedp.WaitVisible(css(`#q`)),
					chromedp.SendKeys(css(`#q`), product),
					submitAndWait(css(`form[role=search] button[type=submit]`)),
					into(&rows, chromedp.Evaluate[int](`document.querySelectorAll("table.lists tbody tr").length`)))
				if err != nil || rows > 0 || try == 10 {
					return err
				}
				time.Sleep(300 * time.Millisecond)
			}
		}),
		chromedp.WaitVisible(css(`table.lists tbody tr`)),
		j.step("6a-public-search"),
		chromedp.Click(css(`table.lists tbody tr td a`)),
		chromedp.WaitVisible(css(`.status-box`)),
		j.step("6b-public-product"),
		chromedp.Click(css(`table a[href^="/public/reports/"]`)),
		chromedp.WaitVisible(css(`article.report`)),
		j.step("6c-public-report"),
		printMedia(true),
		screenshot(t, "j6d-public-report-print-"+lang),
		printMedia(false),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(ts.URL+"/public"),
		chromedp.WaitVisible(css(`table.lists`)),
		j.step("6e-public-phone"),
		chromedp.EmulateViewport(1280, 900),
	)
	run("7 an operator checks a procurement",
		j.signIn("operator"),
		j.step("7a-operator-home"),
		chromedp.Navigate(ts.URL+"/procurement"),
		chromedp.WaitVisible(css(`#p-version`)),
		chromedp.SetValue(css(`#p-version`), itoa(p.Versions[0].ID)),
		chromedp.SetValue(css(`#p-forecast`), "may_affect"),
		submitAndWait(css(`main form[action="/procurement"] button[type=submit]`)),
		chromedp.WaitVisible(css(`.answer`)),
		j.step("7b-operator-answer"),
	)
	if focused != "skip" || focusedAfter != "main" {
		t.Errorf("keyboard: first Tab focuses %q (want the skip link), Tab after following it lands in %q (want main)", focused, focusedAfter)
	}
	say := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	for step, want := range map[string][]string{
		"1c-supplier-analysis-done":    {say("已完成 · "+findings+" 项发现", "Done · "+findings+" findings")},
		"2a-office-home":               {"核心路由器采购"},
		"3b-assessor-findings":         {say("依赖路径", "Dependency paths"), "管理面存在未授权访问接口"},
		"3c-assessor-report-submitted": {say("评价报告已提交", "report submitted")},
		"5d-office-published":          {say("通过审查", "Passed")},
		"5b-office-home-to-publish":    {say("待公开", "To publish"), "核心路由器采购"},
		"6b-public-product":            {product, say("通过", "passed")},
		"7b-operator-answer":           {say("可以采购", "May buy")},
	} {
		text, ok := j.byName[step]
		if !ok {
			t.Errorf("step %s was not walked", step)
			continue
		}
		for _, w := range want {
			if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
				t.Errorf("step %s: page lacks %q:\n%s", step, w, text)
			}
		}
	}
	t.Logf("%s: %d pages checked", lang, j.pages)
}
