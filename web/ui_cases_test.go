package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sqlstore"
)

// postMultipart posts a form with files, each field "file:<material>".
func (u *uiClient) postMultipart(path string, values map[string][]string, files map[string]string) *http.Response {
	u.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, content := range files {
		fw, _ := mw.CreateFormFile(field, strings.TrimPrefix(field, "file:")+".pdf")
		fw.Write([]byte(content))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", u.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", u.base)
	return u.do(req)
}

// TestCaseForms files a 2021 case in the browser forms as the demo
// operator, and screens it as the office: the case page shows the clocks
// and what each may do.
func TestCaseForms(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	products, _, err := store.FindProducts(adminCtx(), csreview.ProductFilter{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.FindProductByID(adminCtx(), products[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	op := signIn(t, ts, "operator", "zh-CN")
	if resp, body := op.get("/cases/new"); resp.StatusCode != 200 || !strings.Contains(body, "关键信息基础设施运营者申报") {
		t.Fatalf("filing form: %d", resp.StatusCode)
	}
	form := map[string][]string{"regime": {"cac-2021"}, "channel": {"operator_filing"}, "title": {"数据库采购"},
		"version_ids": {fmt.Sprint(p.Versions[0].ID)}, "purchase_amount": {"5000000"}}
	resp := op.postMultipart("/cases", form, map[string]string{"file:application_form": "form"})
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "impact_report") {
		t.Fatalf("filing without materials: %d", resp.StatusCode)
	}
	resp = op.postMultipart("/cases", form, map[string]string{"file:application_form": "form",
		"file:impact_report": "report", "file:procurement_documents": "contract"})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("filing: %d %s", resp.StatusCode, loc)
	}
	casePath := strings.SplitN(loc, "?", 2)[0]
	office := signIn(t, ts, "office", "en")
	_, page := office.get(casePath)
	for _, want := range []string{"Screening", "Deciding whether to review", "Accept for review", "2021 Measures Art. 9"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	resp = office.postMultipart(casePath+"/act", map[string][]string{"action": {"accept"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", resp.StatusCode)
	}
	_, page = office.get(casePath)
	if !strings.Contains(page, "Assessment") || !strings.Contains(page, "Preliminary review") {
		t.Errorf("after acceptance the page lacks the assessment state or the preliminary clock")
	}
	resp = office.postMultipart(casePath+"/act", map[string][]string{"action": {"decide"}, "position": {"pass"}}, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("decide during assessment: %d, want 409", resp.StatusCode)
	}
	if resp, _ := signIn(t, ts, "expert", "en").get(casePath); resp.StatusCode != http.StatusNotFound {
		t.Errorf("expert sees a case not before the experts: %d", resp.StatusCode)
	}
	_, list := office.get("/cases")
	if !strings.Contains(list, "CSR-") {
		t.Error("the office's case list lacks the case")
	}
}

// TestHomeAwaiting: a filed case appears on the office's home page as
// awaiting it, with its due date, and on the operator's only among the
// cases others act on; the operator's own task (the demo's alert on its
// inventory) is listed.
func TestHomeAwaiting(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	link := fmt.Sprintf(`<a href="/cases/%d">`, id)
	section := func(page, id string) string {
		i := strings.Index(page, `id="`+id+`"`)
		if i < 0 {
			return ""
		}
		rest := page[i:]
		return rest[:strings.Index(rest, "</section>")]
	}
	_, home := signIn(t, ts, "office", "en").get("/")
	tasks := section(home, "tasks")
	if !strings.Contains(tasks, link) || !strings.Contains(tasks, "working days left") || !strings.Contains(tasks, "Accept for review") {
		t.Errorf("the office's tasks lack the case awaiting it:\n%s", tasks)
	}
	_, home = signIn(t, ts, "operator", "en").get("/")
	if tasks := section(home, "tasks"); strings.Contains(tasks, link) {
		t.Errorf("the operator's tasks list a case that awaits the office:\n%s", tasks)
	} else if !strings.Contains(tasks, `href="/alerts/`) || !strings.Contains(tasks, "An entry on the prohibited list affects") {
		t.Errorf("the operator's tasks lack its alert:\n%s", tasks)
	}
	if !strings.Contains(section(home, "watching"), link) {
		t.Error("the operator's home page does not show its filed case among the others' open cases")
	}
}

// TestNoticePrintable: acceptance and decision notices render as letters
// with their basis, and the decision lists its reasons per criterion.
func TestNoticePrintable(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	office := signIn(t, ts, "office", "zh-CN")
	path := fmt.Sprintf("/cases/%d", id)
	office.postMultipart(path+"/act", map[string][]string{"action": {"not_required"}, "note": {"不影响国家安全"}}, nil)
	_, page := office.get(path)
	if !strings.Contains(page, "无需审查通知书") {
		t.Fatal("the case page does not list the notice")
	}
	i := strings.Index(page, path+"/notices/")
	href := page[i : i+strings.Index(page[i:], `"`)]
	resp, letter := office.get(href)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", href, resp.StatusCode)
	}
	// The notice states the party's remedies with the articles of the laws
	// in force on its day (ARL Art. 20; ALL Art. 46).
	for _, want := range []string{"网络安全审查办公室", "无需进行网络安全审查", "《网络安全审查办法》（2021）第九条", "不影响国家安全",
		"六十日内", "《行政复议法》第二十条", "六个月内", "《行政诉讼法》第四十六条"} {
		if !strings.Contains(letter, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	if resp, _ := signIn(t, ts, "expert", "zh-CN").get(href); resp.StatusCode != http.StatusNotFound {
		t.Errorf("expert reads the notice of a case not before the experts: %d", resp.StatusCode)
	}
}

// TestEvidenceForm: the assigned body's assessor records evidence with a
// finding; the office sees it filed under its criterion, the operator and
// the supplier never see the finding, and the office sees the supplier's
// credibility record.
func TestEvidenceForm(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	assessor, err := store.FindUserByUsername(adminCtx(), "assessor")
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/cases/%d", id)
	office := signIn(t, ts, "office", "en")
	office.postMultipart(path+"/act", map[string][]string{"action": {"accept"}}, nil)
	resp := office.postMultipart(path+"/act", map[string][]string{"action": {"assign_body"}, "body_id": {fmt.Sprint(assessor.BodyID)}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign body: %d", resp.StatusCode)
	}
	as := signIn(t, ts, "assessor", "en")
	resp = as.postMultipart(path+"/evidence", map[string][]string{"method": {"lab_test"}, "summary": {"Fuzzing of the management plane"},
		"criterion1": {"cac2021.10.1"}, "risk1": {"high"}, "text1": {"SECRET-FINDING undocumented debug port"}},
		map[string]string{"file:evidence": "pcap bytes"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("record evidence: %d", resp.StatusCode)
	}
	_, page := office.get(path)
	for _, want := range []string{"Findings by criterion", "SECRET-FINDING", "Supplier security and credibility", "Laboratory test"} {
		if !strings.Contains(page, want) {
			t.Errorf("office's case page lacks %q", want)
		}
	}
	for _, who := range []string{"operator", "supplier", "regulator"} {
		if _, page := signIn(t, ts, who, "en").get(path); strings.Contains(page, "SECRET-FINDING") {
			t.Errorf("%s sees the confidential finding", who)
		}
	}
}

// TestAttachSBOMForm: the supplier attaches an SBOM on the case page; the
// analysis is queued, the page follows it with a refresh, and the API lists
// the job.
func TestAttachSBOMForm(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	path := fmt.Sprintf("/cases/%d", id)
	sup := signIn(t, ts, "supplier", "en")
	resp := sup.postMultipart(path+"/sboms", nil, map[string]string{"file:sbom": `{"bomFormat":"CycloneDX","specVersion":"1.4","version":1,"components":[]}`})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attach: %d", resp.StatusCode)
	}
	_, page := sup.get(path)
	if !strings.Contains(page, "Queued") || !strings.Contains(page, `http-equiv="refresh"`) {
		t.Error("the case page does not show and follow the queued analysis")
	}
	if resp, _ := signIn(t, ts, "operator", "en").get(path); resp.StatusCode != 200 {
		t.Fatalf("operator's case page: %d", resp.StatusCode)
	}
	op := signIn(t, ts, "operator", "en")
	if resp := op.postMultipart(path+"/sboms", nil, map[string]string{"file:sbom": "{}"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("operator attaching an SBOM: %d, want 403", resp.StatusCode)
	}
}

// TestNoticeMitigation: a review member units proposed starts with the
// Central Commission's approval, and the acceptance notice tells the party
// to take risk-mitigating measures meanwhile (2021 Measures Art. 16).
func TestNoticeMitigation(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	ctx := adminCtx()
	member, err := store.FindUserByUsername(ctx, "member")
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.FindProductByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := &csreview.Case{Regime: "cac-2021", Channel: "member_ex_officio", Title: "成员单位提出的审查", SupplierID: p.SupplierID,
		VersionIDs: []int64{p.Versions[0].ID}}
	if err := store.CreateCase(csreview.NewContextWithUser(ctx, member), c, nil); err != nil {
		t.Fatal(err)
	}
	office := signIn(t, ts, "office", "zh-CN")
	path := fmt.Sprintf("/cases/%d", c.ID)
	_, page := office.get(path)
	if !strings.Contains(page, "记录中央网络安全和信息化委员会的批准") || strings.Contains(page, `value="not_required"`) {
		t.Fatalf("the office's case page offers the wrong actions")
	}
	office.postMultipart(path+"/act", map[string][]string{"action": {"record_approval"}, "note": {"中网委批复〔2026〕2号"}}, nil)
	_, page = office.get(path)
	i := strings.Index(page, path+"/notices/")
	if i < 0 {
		t.Fatal("no acceptance notice")
	}
	href := page[i : i+strings.Index(page[i:], `"`)]
	_, letter := office.get(href)
	for _, want := range []string{"采取预防和消减风险的措施", "《网络安全审查办法》（2021）第十六条"} {
		if !strings.Contains(letter, want) {
			t.Errorf("acceptance notice lacks %q", want)
		}
	}
}

// TestEnforcementFormSaysWhatIsWrong: a step refused on the enforcement
// page names the field and what is wrong with it.
func TestEnforcementFormSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	if _, err := store.Sweep(adminCtx()); err != nil {
		t.Fatal(err)
	}
	office := signIn(t, ts, "office", "zh-CN")
	req, _ := http.NewRequest("POST", office.base+"/enforcement/1", strings.NewReader("to=ordered"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", office.base)
	resp := office.do(req)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	if resp.StatusCode != 400 || !strings.Contains(page, "改正期限 — ") {
		t.Errorf("%d: the refusal does not name the time limit:\n%s", resp.StatusCode, page[:min(len(page), 400)])
	}
}

// TestAssessorVEXRefused: a VEX is the supplier's statement on its product
// (csreview.CanStateVEX). The assigned body's assessor may attach an SBOM,
// but a VEX from the lab is refused with a sentence in the reader's
// language naming the file, not stored and quietly ignored; the supplier's
// is taken.
func TestAssessorVEXRefused(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	assessor, err := store.FindUserByUsername(adminCtx(), "assessor")
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/cases/%d", id)
	office := signIn(t, ts, "office", "en")
	office.postMultipart(path+"/act", map[string][]string{"action": {"accept"}}, nil)
	office.postMultipart(path+"/act", map[string][]string{"action": {"assign_body"}, "body_id": {fmt.Sprint(assessor.BodyID)}}, nil)
	b, err := os.ReadFile(testenv.Own("vex", "shop.openvex.json"))
	if err != nil {
		t.Fatal(err)
	}
	vex := string(b)
	for lang, want := range map[string]string{"en": "vex.pdf: a VEX document is the supplier&#39;s statement",
		"zh-CN": "vex.pdf：VEX 文件是供应商就其产品所作的声明"} {
		as := signIn(t, ts, "assessor", lang)
		resp := as.postMultipart(path+"/sboms", nil, map[string]string{"file:vex": vex, "file:sbom": `{"bomFormat":"CycloneDX","specVersion":"1.4","version":1,"components":[]}`})
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), want) {
			t.Errorf("%s: the assessor's VEX: %d, want 403 saying %q", lang, resp.StatusCode, want)
		}
	}
	jobs, err := store.FindAnalysisJobs(adminCtx(), id)
	if err != nil || len(jobs) != 0 {
		t.Errorf("a refused attachment queued a job: %v %v", jobs, err)
	}
	sup := signIn(t, ts, "supplier", "en")
	if resp := sup.postMultipart(path+"/sboms", nil, map[string]string{"file:vex": vex}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the supplier's VEX: %d", resp.StatusCode)
	}
}

// TestCaseMaterials: the case page lists what was filed, with who gave it
// and when, and names what is under review; the operator downloads its
// application form as an attachment under its Chinese name, each download
// recorded, while the supplier neither sees nor reads the operator's
// filing (2021 Measures Art. 17).
func TestCaseMaterials(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	path := fmt.Sprintf("/cases/%d", id)
	op := signIn(t, ts, "operator", "zh-CN")
	_, page := op.get(path)
	for _, want := range []string{"案卷材料", "申报书.pdf", "报告.pdf", "合同.pdf", "海川商业银行股份有限公司", "审查对象", "800万元"} {
		if !strings.Contains(page, want) {
			t.Errorf("the operator's case page lacks %q", want)
		}
	}
	mats, err := store.FindCaseMaterials(adminCtx(), id)
	if err != nil || len(mats) != 3 {
		t.Fatalf("materials: %v %v", mats, err)
	}
	form := mats[0]
	resp, body := op.get(fmt.Sprintf("%s/files/%d", path, form.ID))
	cd := resp.Header.Get("Content-Disposition")
	if resp.StatusCode != 200 || body != "a" || !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "utf-8''%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf") ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download: %d %q, Content-Disposition %q", resp.StatusCode, body, cd)
	}
	recs, _, err := store.FindAuditRecords(adminCtx(), csreview.AuditFilter{Entity: "case_file", EntityID: form.ID})
	if err != nil || len(recs) != 1 || recs[0].Action != "read" {
		t.Errorf("audit of the download: %d records, %v", len(recs), err)
	}
	sup := signIn(t, ts, "supplier", "en")
	if _, page := sup.get(path); strings.Contains(page, "申报书.pdf") {
		t.Error("the supplier sees the operator's filing")
	}
	if resp, _ := sup.get(fmt.Sprintf("%s/files/%d", path, form.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the supplier reading the operator's form: %d, want 404 (not confirmed to exist)", resp.StatusCode)
	}
}

// TestSupplementDue: the office's request for supplementary material
// states the date it is due; the case shows what is outstanding and by
// when, the notice says it, and supplying the material ends it.
func TestSupplementDue(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	path := fmt.Sprintf("/cases/%d", id)
	office := signIn(t, ts, "office", "zh-CN")
	due := csreview.DateOf(time.Now().AddDate(0, 0, 14))
	if resp := office.postMultipart(path+"/act", map[string][]string{"action": {"request_material"}, "note": {"请补充产品源代码审计报告"}}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a request without a due date: %d, want 400", resp.StatusCode)
	}
	if resp := office.postMultipart(path+"/act", map[string][]string{"action": {"request_material"}, "note": {"请补充产品源代码审计报告"},
		"due": {string(due)}}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("request material: %d", resp.StatusCode)
	}
	op := signIn(t, ts, "operator", "zh-CN")
	_, page := op.get(path)
	for _, want := range []string{"待补充材料", "应于 " + string(due) + " 前提交", "请补充产品源代码审计报告"} {
		if !strings.Contains(page, want) {
			t.Errorf("the operator's case page lacks %q", want)
		}
	}
	notices, err := store.FindCaseNotices(adminCtx(), id)
	if err != nil || len(notices) == 0 {
		t.Fatalf("notices: %v %v", notices, err)
	}
	_, page = op.get(fmt.Sprintf("%s/notices/%d", path, notices[len(notices)-1].ID))
	if !strings.Contains(page, "请于 "+string(due)+" 前提交上述材料") {
		t.Error("the supplement notice does not say by when")
	}
	if resp := op.postMultipart(path+"/act", map[string][]string{"action": {"supply_material"}}, map[string]string{"file:other": "audit"}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("supply: %d", resp.StatusCode)
	}
	if _, page = op.get(path); strings.Contains(page, "应于 "+string(due)+" 前提交") {
		t.Error("the case still shows the material outstanding once supplied")
	}
}

// TestRefusedFormSays: a refused case form names the field as the form
// labels it, in the reader's language, and says plainly that the files
// chosen must be chosen again (a browser never keeps them).
func TestRefusedFormSays(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	path := fmt.Sprintf("/cases/%d", id)
	office := signIn(t, ts, "office", "zh-CN")
	resp := office.postMultipart(path+"/act", map[string][]string{"action": {"request_material"}}, map[string]string{"file:other": "x"})
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	for _, want := range []string{"说明：", "提交期限：", "所选文件未被保存：other.pdf"} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form's page lacks %q", want)
		}
	}
	if strings.Contains(page, "due: ") || strings.Contains(page, "note: ") {
		t.Error("the refused form's page shows raw field names")
	}
	// The filing form, refused for want of a title, says the same of the
	// application form chosen.
	op := signIn(t, ts, "operator", "zh-CN")
	resp = op.postMultipart("/cases", map[string][]string{"regime": {"cac-2021"}, "channel": {"operator_filing"}},
		map[string]string{"file:application_form": "form"})
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "所选文件未被保存：application_form.pdf") {
		t.Errorf("refused filing: %d, and the page does not say the file must be chosen again", resp.StatusCode)
	}
	// A regime not in force is said, not dropped for want of a field to
	// show it beside.
	resp = op.postMultipart("/cases", map[string][]string{"regime": {"cac-2017-draft"}, "channel": {"operator_filing"}, "title": {"x"}}, nil)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "规则版本：") || !strings.Contains(string(b), "现行") {
		t.Errorf("filing under a repealed regime: %d, and the page does not say why", resp.StatusCode)
	}
}

// TestCaseArchive: a closed case exports as one zip whose manifest lists
// every part with its SHA-256 and the date until which it is kept; the
// export is recorded with the manifest's hash; an open case is not yet
// archived, and a party may not export.
func TestCaseArchive(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	decided, _, err := store.FindCases(adminCtx(), csreview.CaseFilter{State: csreview.StateDecided})
	if err != nil || len(decided) == 0 {
		t.Fatalf("the demo has no decided case: %v", err)
	}
	c := decided[0]
	office := signIn(t, ts, "office", "en")
	resp, body := office.get(fmt.Sprintf("/cases/%d/archive.zip", c.ID))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("archive: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[strings.TrimPrefix(f.Name, c.Ref+"/")] = b
	}
	var man struct {
		Case           string        `json:"case"`
		ClosedOn       csreview.Date `json:"closed_on"`
		RetentionYears int           `json:"retention_years"`
		RetainUntil    csreview.Date `json:"retain_until"`
		Files          []struct {
			Path   string `json:"path"`
			SHA256 string `json:"sha256"`
		} `json:"files"`
	}
	if err := json.Unmarshal(parts["manifest.json"], &man); err != nil {
		t.Fatal(err)
	}
	if man.Case != c.Ref || man.RetentionYears != 30 || man.RetainUntil != csreview.DateOf(man.ClosedOn.Time().AddDate(30, 0, 0)) {
		t.Errorf("manifest: %+v", man)
	}
	listed := map[string]bool{}
	for _, f := range man.Files {
		listed[f.Path] = true
		sum := sha256.Sum256(parts[f.Path])
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: the manifest's SHA-256 does not match", f.Path)
		}
	}
	materials := 0
	for name := range parts {
		if name != "manifest.json" && !listed[name] {
			t.Errorf("%s is in the archive but not in its manifest", name)
		}
		if strings.HasPrefix(name, "materials/") {
			materials++
		}
	}
	for _, want := range []string{"case.json", "notices.json", "opinions.json", "evidence.json", "audit.json", "materials.json"} {
		if !listed[want] {
			t.Errorf("the archive lacks %s", want)
		}
	}
	if materials == 0 {
		t.Error("the archive holds no material")
	}
	// The audit trail holds the case's own records, the filing first.
	var trail []csreview.AuditRecord
	if err := json.Unmarshal(parts["audit.json"], &trail); err != nil || len(trail) == 0 {
		t.Fatalf("audit.json: %d records, %v", len(trail), err)
	}
	kinds := map[string]bool{}
	for _, rec := range trail {
		kinds[rec.Entity] = true
		if rec.Entity == "case" && rec.EntityID != c.ID {
			t.Errorf("another case's record in the trail: %+v", rec)
		}
	}
	if !kinds["case"] || !kinds["case_file"] {
		t.Errorf("the trail's kinds: %v, want the case's and its files'", kinds)
	}
	sum := sha256.Sum256(parts["manifest.json"])
	recs, _, err := store.FindAuditRecords(adminCtx(), csreview.AuditFilter{Entity: "case_archive", EntityID: c.ID})
	if err != nil || len(recs) != 1 || !strings.Contains(string(recs[0].After), hex.EncodeToString(sum[:])) {
		t.Errorf("the export's audit record: %v %v", recs, err)
	}
	open := fileDemoCase(t, store)
	if resp, _ := office.get(fmt.Sprintf("/cases/%d/archive.zip", open)); resp.StatusCode != http.StatusConflict {
		t.Errorf("an open case's archive: %d, want 409", resp.StatusCode)
	}
	if resp, _ := signIn(t, ts, "operator", "en").get(fmt.Sprintf("/cases/%d/archive.zip", c.ID)); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Errorf("the operator's export: %d, want 403 or 404", resp.StatusCode)
	}
}

// TestLabPicker: the office's lab picker offers the bodies that may
// assess the case, and lists each other one with why not, in the
// reader's language, instead of refusing them one by one.
func TestLabPicker(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	path := fmt.Sprintf("/cases/%d", id)
	office := signIn(t, ts, "office", "zh-CN")
	office.postMultipart(path+"/act", map[string][]string{"action": {"accept"}}, nil)
	choices, err := store.BodyChoices(csreview.NewContextWithUser(context.Background(), mustUser(t, store, "office")), id)
	if err != nil || len(choices) == 0 {
		t.Fatalf("body choices: %v %v", choices, err)
	}
	eligible, ineligible := 0, 0
	for _, c := range choices {
		if c.Eligible {
			eligible++
			if ineligible > 0 {
				t.Error("an eligible body listed after an ineligible one")
			}
		} else {
			ineligible++
			if len(c.Reasons) == 0 {
				t.Errorf("%s is ineligible without a reason", c.Body.NameZH)
			}
		}
	}
	if eligible == 0 || ineligible == 0 {
		t.Fatalf("the demo offers %d eligible and %d ineligible bodies; the test wants both", eligible, ineligible)
	}
	_, page := office.get(path)
	if !strings.Contains(page, "不符合条件的机构") || strings.Contains(page, "accreditation_lapsed") || strings.Contains(page, "scope: ") {
		t.Error("the picker does not list the ineligible bodies with reasons in Chinese")
	}
	if n := strings.Count(page, `disabled>`); n < ineligible {
		t.Errorf("%d disabled options, want %d", n, ineligible)
	}
	if _, err := store.BodyChoices(csreview.NewContextWithUser(context.Background(), mustUser(t, store, "operator")), id); csreview.ErrorCode(err) != csreview.EFORBIDDEN {
		t.Errorf("the operator's body choices: %v, want EFORBIDDEN", err)
	}
}

func mustUser(t *testing.T, store *sqlstore.Store, name string) *csreview.User {
	t.Helper()
	u, err := store.FindUserByUsername(adminCtx(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSweepPostRedirectGet: the sweep answers with a redirect, and its
// result is read back from the audit log: reloading the result shows it
// again and does not sweep again.
func TestSweepPostRedirectGet(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	office := signIn(t, ts, "office", "zh-CN")
	before, _, err := store.FindAuditRecords(adminCtx(), csreview.AuditFilter{Action: "sweep"})
	if err != nil {
		t.Fatal(err)
	}
	resp := office.post("/enforcement/sweep", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/enforcement?swept=1" {
		t.Fatalf("sweep: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for range 2 {
		if _, page := office.get("/enforcement?swept=1"); !strings.Contains(page, "排查完成") {
			t.Fatal("the result page does not show the sweep")
		}
	}
	recs, _, err := store.FindAuditRecords(adminCtx(), csreview.AuditFilter{Action: "sweep"})
	if err != nil || len(recs) != len(before)+1 {
		t.Errorf("sweeps recorded: %d after, %d before, want one more (reloads do not sweep) %v", len(recs), len(before), err)
	}
}

// TestCalendarFeed: a user makes a feed link on the account page, shown
// once; a calendar program reads it without signing in and gets the due
// dates of the open cases the user may see, with case numbers and dates
// only; a new link revokes the old, and revoking ends it.
func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	c, err := store.FindCaseByID(adminCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	office := signIn(t, ts, "office", "zh-CN")
	link := func() string {
		t.Helper()
		resp := office.postMultipart("/account/calendar", nil, nil)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := regexp.MustCompile(`/calendar/(csrcal_[A-Za-z0-9_-]+\.ics)`).FindStringSubmatch(string(b))
		if resp.StatusCode != http.StatusCreated || m == nil {
			t.Fatalf("feed link: %d", resp.StatusCode)
		}
		return "/calendar/" + m[1]
	}
	feed := link()
	anon := func(path string) (int, string) {
		resp, err := ts.Client().Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := anon(feed)
	if code != 200 || !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.Contains(body, "SUMMARY:"+c.Ref+" 审查时限到期") ||
		!strings.Contains(body, "DTSTART;VALUE=DATE:") {
		t.Fatalf("feed: %d\n%s", code, body)
	}
	if strings.Contains(body, c.Title) || strings.Contains(body, "申报书") || strings.Contains(body, "受理审查") {
		t.Error("the feed shows what a case holds")
	}
	if code, _ := anon("/calendar/csrcal_nope.ics"); code != http.StatusNotFound {
		t.Errorf("an unknown feed: %d, want 404", code)
	}
	again := link()
	if code, _ := anon(feed); code != http.StatusNotFound {
		t.Errorf("the replaced link: %d, want 404", code)
	}
	if resp := office.post("/account/calendar/delete", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if code, _ := anon(again); code != http.StatusNotFound {
		t.Errorf("the revoked link: %d, want 404", code)
	}
}

// TestUnmetSaysWhat: an action refused for what must be on record first
// names it in the reader's language, not by its code.
func TestUnmetSaysWhat(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	id := fileDemoCase(t, store)
	path := fmt.Sprintf("/cases/%d", id)
	office := signIn(t, ts, "office", "zh-CN")
	office.postMultipart(path+"/act", map[string][]string{"action": {"accept"}}, nil)
	resp := office.postMultipart(path+"/act", map[string][]string{"action": {"recommend"}, "position": {"pass"}, "consult": {"工业和信息化部"},
		"note": {"建议通过"}}, nil)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "办理事项：需先：") {
		t.Fatalf("recommend before the report: %d, and the page does not say what is needed", resp.StatusCode)
	}
	for _, raw := range []string{"action：", "需先：report", "需先：body"} {
		if strings.Contains(page, raw) {
			t.Errorf("the refusal shows the code %q", raw)
		}
	}
}

// TestDeleteAsksConfirmation: a delete form posted without its
// confirmation box ticked deletes nothing and says so; ticked, it
// deletes; a caller who may not delete hears so before any confirmation.
func TestDeleteAsksConfirmation(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	b := &csreview.Body{NameZH: "待删除测评机构", USCC: apiUSCC(), AccreditationNo: "ACC-DEL-1",
		Scope: []csreview.Category{csreview.CategorySoftware}, ValidFrom: "2024-01-01", ValidUntil: "2030-12-31"}
	if err := store.CreateBody(adminCtx(), b); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/bodies/%d", b.ID)
	if resp := signIn(t, ts, "operator", "zh-CN").post(path+"/delete", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the operator deleting a body: %d, want 403", resp.StatusCode)
	}
	office := signIn(t, ts, "office", "zh-CN")
	if _, page := office.get(path); !strings.Contains(page, `name="confirm" value="yes" required`) {
		t.Error("the delete form has no confirmation box")
	}
	if resp := office.post(path+"/delete", url.Values{}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("delete without confirmation: %d, want 400", resp.StatusCode)
	}
	if _, err := store.FindBodyByID(adminCtx(), b.ID); err != nil {
		t.Fatalf("the unconfirmed delete deleted: %v", err)
	}
	if resp := office.post(path+"/delete", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("confirmed delete: %d", resp.StatusCode)
	}
	if _, err := store.FindBodyByID(adminCtx(), b.ID); csreview.ErrorCode(err) != csreview.ENOTFOUND {
		t.Errorf("after the confirmed delete: %v", err)
	}
}

// TestAdminToDoHasNoEnforcement: enforcement decisions wait on the office
// and the regulators, not on the admin, whose to-do list leaves them out.
func TestAdminToDoHasNoEnforcement(t *testing.T) {
	t.Parallel()
	ts, _ := demoTLSServer(t)
	_, office := signIn(t, ts, "office", "zh-CN").get("/")
	_, admin := signIn(t, ts, "admin", "zh-CN").get("/")
	if !strings.Contains(office, `href="/enforcement/`) {
		t.Fatal("the office's to-do list shows no enforcement record: the demo has none waiting, and the test proves nothing")
	}
	if strings.Contains(admin, `href="/enforcement/`) {
		t.Error("the admin's to-do list shows enforcement decisions")
	}
}

// TestImportSaysHowMany: the inventory import's page says how many rows
// it imported.
func TestImportSaysHowMany(t *testing.T) {
	t.Parallel()
	ts, _ := demoTLSServer(t)
	op := signIn(t, ts, "operator", "zh-CN")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "inventory.csv")
	fw.Write([]byte("version_id,system,stage\n1,核心交换网,planned\n2,灾备中心,planned\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", ts.URL+"/inventory/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", ts.URL)
	resp := op.do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	if _, page := op.get(resp.Header.Get("Location")); !strings.Contains(page, "已导入 2 条清单记录") {
		t.Error("the page after the import does not say how many it imported")
	}
}
