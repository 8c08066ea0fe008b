package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore/sqltest"
	"github.com/csreview/csreview/verify"
	"github.com/csreview/csreview/web"
)

// marker seeds confidential parts of a case; no public answer may carry it.
func marker(where string) string { return "SEALED-" + where + "-内部" }

// decideViaAPI files a 2021 case as the demo operator and takes it to a
// decision through the API, as each role; every confidential input carries
// a marker. It returns the case ID and the product ID.
func decideViaAPI(t *testing.T, e *apiEnv, product, outcome string) (int64, int64) {
	t.Helper()
	pid := apiID(t, e.products, product)
	var prod csreview.Product
	json.Unmarshal(e.get(t, "office", fmt.Sprintf("/api/v1/products/%d", pid)).Body, &prod)
	files := []map[string]any{
		{"kind": "application_form", "name": marker("filename") + ".pdf", "content_base64": b64(marker("form"))},
		{"kind": "impact_report", "name": "分析报告.pdf", "content_base64": b64(marker("impact"))},
		{"kind": "procurement_documents", "name": "合同.pdf", "content_base64": b64(marker("contract"))}}
	r := e.post(t, "operator", "/api/v1/cases", map[string]any{"regime": "cac-2021", "channel": "operator_filing",
		"title": "采购 " + marker("title"), "purchase": marker("purchase"), "supplier_id": prod.SupplierID,
		"version_ids": []int64{prod.Versions[0].ID}, "files": files})
	c := apiOK[csreview.Case](t, r, http.StatusCreated)
	path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
	act := func(as string, body map[string]any) {
		t.Helper()
		if r := e.post(t, as, path+"/actions", body); r.Status != http.StatusOK {
			t.Fatalf("%v as %s: %s", body["action"], as, r)
		}
	}
	act("office", map[string]any{"action": "accept", "note": marker("accept")})
	act("office", map[string]any{"action": "assign_body", "body_id": apiID(t, e.bodies, apiBodyHengxin)})
	r = e.post(t, "assessor", path+"/evidence", map[string]any{"method": "lab_test", "summary": marker("summary"),
		"findings":    []map[string]any{{"criterion": "cac2021.10.1", "risk": "high", "text": "未修复漏洞 " + marker("vuln")}},
		"attachments": []map[string]any{{"name": "raw.csv", "content_base64": b64(marker("raw"))}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("evidence: %s", r)
	}
	act("assessor", map[string]any{"action": "submit_report"})
	act("office", map[string]any{"action": "recommend", "position": outcome, "note": marker("recommend"), "consult": []string{"工业和信息化部"}})
	act("member", map[string]any{"action": "member_reply", "position": "agree", "note": marker("member")})
	act("office", map[string]any{"action": "close_replies"})
	act("office", map[string]any{"action": "decide", "position": outcome, "reasons": map[string]string{"cac2021.10.1": marker("reason")}})
	return c.ID, pid
}

// TestPublication publishes a case through the API and reads everything
// the public can read: nothing confidential, lists with a versioned
// schema, CSV, Atom, ETags, and a log that verifies over HTTP.
func TestPublication(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		id, pid := decideViaAPI(t, e, apiProdHengDB, "fail")
		pubPath := fmt.Sprintf("/api/v1/cases/%d/publication", id)
		for as, want := range map[string]int{"operator": 403, "supplier": 403, "member": 403, "": 401} {
			if r := e.get(t, as, pubPath); r.Status != want {
				t.Errorf("preview as %q: %d, want %d", as, r.Status, want)
			}
		}
		preview := apiOK[struct{ Items []csreview.ListEntry }](t, e.get(t, "office", pubPath), 200)
		if len(preview.Items) != 1 || preview.Items[0].List != csreview.ListFailed {
			t.Fatalf("preview: %+v", preview)
		}
		// The 2021 Measures send the conclusion to the party only.
		apiWantProblem(t, e.post(t, "office", pubPath, nil), 400, csreview.EINVALID, "confirm_no_basis")

		lists := e.get(t, "", "/public/v1/lists.json")
		etag := lists.Header.Get("ETag")
		if lists.Status != 200 || etag == "" || !strings.Contains(lists.Header.Get("Cache-Control"), "public") {
			t.Fatalf("lists.json before: %s %v", lists, lists.Header)
		}
		published := apiOK[struct{ Items []csreview.ListEntry }](t, e.post(t, "office", pubPath, map[string]bool{"confirm_no_basis": true}), 201)
		entry := published.Items[0]
		if r := e.post(t, "office", pubPath, map[string]bool{"confirm_no_basis": true}); r.Status != http.StatusConflict {
			t.Errorf("publishing twice: %s", r)
		}

		// A mirror polls: a new publication changes the ETag at once;
		// an unchanged list answers 304.
		lists = e.get(t, "", "/public/v1/lists.json")
		if lists.Header.Get("ETag") == etag {
			t.Error("the ETag did not change with a publication")
		}
		etag = lists.Header.Get("ETag")
		r := e.do(t, apiReq{method: "GET", path: "/public/v1/lists.json", header: map[string]string{"If-None-Match": etag}})
		if r.Status != http.StatusNotModified || len(r.Body) != 0 {
			t.Errorf("If-None-Match: %d", r.Status)
		}
		var doc struct {
			SchemaVersion int              `json:"schema_version"`
			Log           map[string]any   `json:"log"`
			Total         int              `json:"total"`
			Entries       []map[string]any `json:"entries"`
		}
		if err := json.Unmarshal(lists.Body, &doc); err != nil || doc.SchemaVersion != 1 || doc.Total != 1 || doc.Log["size"] != 1.0 {
			t.Fatalf("lists.json: %v %s", err, lists.Body)
		}
		// Every field the schema requires is there.
		var schema struct {
			Required []string `json:"required"`
			Defs     map[string]struct {
				Required []string `json:"required"`
			} `json:"$defs"`
		}
		sr := e.get(t, "", "/public/v1/schema/lists-v1.json")
		if err := json.Unmarshal(sr.Body, &schema); err != nil {
			t.Fatal(err)
		}
		for _, k := range schema.Defs["entry"].Required {
			if _, ok := doc.Entries[0][k]; !ok {
				t.Errorf("lists.json entry lacks required %q", k)
			}
		}
		for _, k := range schema.Defs["report"].Required {
			if _, ok := doc.Entries[0]["report"].(map[string]any)[k]; !ok {
				t.Errorf("lists.json report lacks required %q", k)
			}
		}
		for _, c := range csreview.Categories {
			if !strings.Contains(string(sr.Body), `"`+string(c)+`"`) {
				t.Errorf("schema lacks category %s", c)
			}
		}

		// Filters narrow the machine-readable lists as they do the page.
		for q, want := range map[string]int{"list=failed": 1, "list=passed": 0, "regime=cac-2021": 1, "q=恒数": 1, "q=nothing": 0} {
			var d struct{ Total int }
			json.Unmarshal(e.get(t, "", "/public/v1/lists.json?"+q).Body, &d)
			if d.Total != want {
				t.Errorf("lists.json?%s: %d, want %d", q, d.Total, want)
			}
		}
		apiWantProblem(t, e.get(t, "", "/public/v1/lists.json?list=maybe"), 400, csreview.EINVALID, "list")

		rows, err := csv.NewReader(strings.NewReader(string(e.get(t, "", "/public/v1/lists.csv").Body))).ReadAll()
		if err != nil || len(rows) != 2 || rows[0][0] != "id" || rows[1][1] != "failed" || rows[1][3] != apiProdHengDB {
			t.Errorf("CSV: %v %v", err, rows)
		}
		if b := e.get(t, "", "/public/v1/lists.csv?excel=1").Body; !strings.HasPrefix(string(b), "\ufeffid,") {
			t.Error("CSV for Excel has no byte-order mark")
		}
		var feed struct {
			Entries []struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		fr := e.get(t, "", "/public/v1/feed.atom")
		if err := xml.Unmarshal(fr.Body, &feed); err != nil || len(feed.Entries) != 1 || !strings.Contains(feed.Entries[0].Title, "未通过") {
			t.Errorf("feed: %v %s", err, fr.Body)
		}

		var st struct {
			Status   string            `json:"status"`
			Versions map[string]string `json:"versions"`
			Proofs   []struct {
				Proof []string `json:"proof"`
			} `json:"proofs"`
			Checkpoint string `json:"checkpoint"`
		}
		json.Unmarshal(e.get(t, "", fmt.Sprintf("/public/v1/products/%d", pid)).Body, &st)
		if st.Status != "failed" || len(st.Proofs) != 1 || !strings.HasPrefix(st.Checkpoint, verify.Origin+"\n1\n") {
			t.Errorf("product status: %+v", st)
		}
		if r := e.get(t, "", "/public/v1/products/999999"); r.Status != 200 || !strings.Contains(string(r.Body), `"none"`) {
			t.Errorf("unreviewed product: %s", r)
		}

		res, _, err := verify.Run(context.Background(), verify.NewHTTPSource(e.URL), nil, verify.Options{})
		if err != nil || !res.OK() || res.Entries != 1 {
			t.Fatalf("verify over HTTP: %v %+v", err, res)
		}

		// Nothing public carries a confidential marker.
		for _, p := range []string{"/public", "/public?history=1", fmt.Sprintf("/public/products/%d", pid),
			fmt.Sprintf("/public/reports/%d", entry.ID), "/public/log", "/public/v1/lists.json", "/public/v1/lists.csv",
			"/public/v1/feed.atom", fmt.Sprintf("/public/v1/products/%d", pid), fmt.Sprintf("/public/v1/reports/%d", entry.ID),
			"/public/v1/log/leaves?start=0&end=1", "/public/v1/log/checkpoint"} {
			r := e.get(t, "", p)
			if r.Status != 200 {
				t.Errorf("GET %s: %d", p, r.Status)
			}
			for _, bad := range []string{"SEALED-", "内部", "⟦"} {
				if strings.Contains(string(r.Body), bad) {
					t.Errorf("GET %s carries %q", p, bad)
				}
			}
		}
		if dir := os.Getenv("CSREVIEW_ARTIFACTS"); dir != "" {
			os.WriteFile(dir+"/lists.json", lists.Body, 0o644)
		}
	})
}

// TestFeedbackAPI: anyone sends feedback and gets a reference; a flood
// from one address is refused; only the office reads the queue.
func TestFeedbackAPI(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		body := map[string]string{"product": apiProdXR9000, "text": "设备在未配置的情况下向境外地址发起连接。", "contact": "a@b.example"}
		var refs []string
		for i := range 5 {
			r := e.post(t, "", "/public/v1/feedback", body)
			if r.Status != http.StatusCreated {
				t.Fatalf("feedback %d: %s", i, r)
			}
			var rec struct{ Ref, Message string }
			json.Unmarshal(r.Body, &rec)
			if !strings.HasPrefix(rec.Ref, "FB-") || !strings.Contains(rec.Message, rec.Ref) {
				t.Fatalf("receipt: %s", r.Body)
			}
			refs = append(refs, rec.Ref)
		}
		apiWantProblem(t, e.post(t, "", "/public/v1/feedback", body), http.StatusTooManyRequests, csreview.ETOOMANYREQUEST)
		apiWantProblem(t, e.post(t, "", "/public/v1/feedback", map[string]string{"product": "x"}), 400, csreview.EINVALID)
		for _, as := range []string{"operator", "supplier", "assessor"} {
			if r := e.get(t, as, "/api/v1/feedback"); r.Status != http.StatusForbidden {
				t.Errorf("queue as %s: %d", as, r.Status)
			}
		}
		q := apiOK[struct {
			Items []csreview.Feedback
			Total int
		}](t, e.get(t, "office", "/api/v1/feedback?state=new"), 200)
		if q.Total != 5 || q.Items[0].Contact != "a@b.example" {
			t.Fatalf("queue: %+v", q)
		}
		f := apiOK[csreview.Feedback](t, e.patch(t, "office", fmt.Sprintf("/api/v1/feedback/%d", q.Items[0].ID),
			map[string]string{"state": "noted", "note": "转监督"}), 200)
		if f.State != "noted" {
			t.Errorf("noted: %+v", f)
		}
		_ = refs
		_ = url.Values{}
	})
}

// TestFeedIgnoresHost: the feed's links and IDs come from the configured
// public URL, never from the request's Host header: a request for
// evil.example cannot poison the cached feed everyone else reads.
func TestFeedIgnoresHost(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, sqltest.SQLiteDSN(t), func(c *web.Config) { c.PublicURL = "https://csreview.example.gov.cn/" })
	get := func(host string) string {
		req, _ := http.NewRequest("GET", e.URL+"/public/v1/feed.atom", nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	poisoned := get("evil.example")
	clean := get("")
	for _, body := range []string{poisoned, clean} {
		if strings.Contains(body, "evil.example") || !strings.Contains(body, `href="https://csreview.example.gov.cn/public/v1/feed.atom"`) {
			t.Errorf("feed links:\n%.600s", body)
		}
	}
}
