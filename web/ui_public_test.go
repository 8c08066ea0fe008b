package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
)

// anonymous is a client that never signs in.
func anonymous(t *testing.T, base string, c *http.Client, lang string) *uiClient {
	jar, _ := cookiejar.New(nil)
	cc := *c
	cc.Jar = jar
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &uiClient{t: t, base: base, c: &cc, lang: lang}
}

func wantPage(t *testing.T, u *uiClient, path string, status int, contains ...string) string {
	t.Helper()
	resp, body := u.get(path)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d", path, resp.StatusCode, status)
	}
	if strings.Contains(body, "⟦") {
		i := strings.Index(body, "⟦")
		t.Errorf("GET %s: untranslated %q", path, body[i:min(len(body), i+60)])
	}
	for _, c := range contains {
		if !strings.Contains(body, c) {
			t.Errorf("GET %s: no %q", path, c)
		}
	}
	return body
}

// TestPublicSite walks the public site without signing in, in both
// languages: the lists, a product, a report, the log, and the feedback
// form that hands out a reference the office then finds in its queue.
func TestPublicSite(t *testing.T) {
	t.Parallel()
	ts, _ := demoTLSServer(t)
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			u := anonymous(t, ts.URL, ts.Client(), lang)
			if resp, _ := u.get("/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/public" {
				t.Errorf("/ for the public: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			body := wantPage(t, u, "/public", 200, "1–3", "/public/v1/lists.json", "/public/v1/feed.atom", "csreview-publications")
			wantPage(t, u, "/public?history=1", 200, "1–4")
			wantPage(t, u, "/public?list=passed", 200, "1–1")
			wantPage(t, u, "/public?since=not-a-date", 200, "1–3") // shown, not fatal
			product := regexp.MustCompile(`/public/products/(\d+)`).FindString(body)
			if product == "" {
				t.Fatal("no product link on the lists")
			}
			wantPage(t, u, product, 200, "/public/reports/")
			wantPage(t, u, "/public/reports/1", 200, "/regimes/cac-2021", "SHA-256")
			wantPage(t, u, "/public/reports/999", 404)
			wantPage(t, u, "/public/products/999", 404)
			wantPage(t, u, "/public/log", 200, "csreview verify --server", "csreview/publications\n5\n")
			wantPage(t, u, "/public/feedback", 200, `name="text"`)
			resp := u.post("/public/feedback", url.Values{"product": {"星河 XR-9000"}, "text": {"短"}})
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("short feedback: %d", resp.StatusCode)
			}
		})
	}
	u := anonymous(t, ts.URL, ts.Client(), "zh-CN")
	req, _ := http.NewRequest("POST", ts.URL+"/public/feedback", strings.NewReader(url.Values{"product": {"星河 XR-9000"},
		"text": {"设备出厂即开放了未在手册中说明的调试端口。"}, "contact": {"139-0000-0000"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	resp := u.do(req)
	var buf strings.Builder
	b := make([]byte, 1<<16)
	for {
		n, err := resp.Body.Read(b)
		buf.Write(b[:n])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	ref := regexp.MustCompile(`FB-\d{8}-[2-9A-Z]{6}`).FindString(buf.String())
	if resp.StatusCode != http.StatusCreated || ref == "" {
		t.Fatalf("feedback: %d, ref %q", resp.StatusCode, ref)
	}
	office := signIn(t, ts, "office", "zh-CN")
	wantPage(t, office, "/feedback", 200, ref, "139-0000-0000", "channel=user_feedback&amp;feedback_ref="+ref)
	wantPage(t, office, "/cases/new?regime=cac-2017-trial&channel=user_feedback&feedback_ref="+ref, 200, `value="`+ref+`"`)
	for _, role := range []string{"operator", "supplier", "assessor"} {
		if resp, _ := signIn(t, ts, role, "zh-CN").get("/feedback"); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
			t.Errorf("/feedback as %s: %d", role, resp.StatusCode)
		}
	}
}

// TestPublishFromCasePage decides the demo case still in assessment and
// publishes it from its page: preview, the confirmation the 2021 Measures
// call for, and the public page it lands on.
func TestPublishFromCasePage(t *testing.T) {
	t.Parallel()
	ts, store := demoTLSServer(t)
	ctx := context.Background()
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
	as := func(name string) context.Context {
		u, err := store.FindUserByUsername(sys, name)
		if err != nil {
			t.Fatal(err)
		}
		return csreview.NewContextWithUser(ctx, u)
	}
	cases, _, err := store.FindCases(sys, csreview.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var open *csreview.Case
	for _, c := range cases {
		if c.State == csreview.StateAssessment {
			open = c
		}
	}
	if open == nil {
		t.Fatal("the demo has no case in assessment")
	}
	for _, st := range []struct {
		as string
		in csreview.CaseAction
	}{
		{"assessor", csreview.CaseAction{Action: review.ActSubmitReport}},
		{"office", csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass"}},
		{"member", csreview.CaseAction{Action: review.ActMemberReply, Position: "agree"}},
		{"office", csreview.CaseAction{Action: review.ActCloseReplies}},
		{"office", csreview.CaseAction{Action: review.ActDecide, Position: "pass", Reasons: map[string]string{"cac2021.10.5": "数据出境风险可控"}}},
	} {
		if _, err := store.Act(as(st.as), open.ID, st.in); err != nil {
			t.Fatalf("%s: %v", st.in.Action, err)
		}
	}
	casePath := "/cases/" + itoa(open.ID)
	for _, lang := range []string{"en", "zh-CN"} {
		office := signIn(t, ts, "office", lang)
		wantPage(t, office, casePath, 200, casePath+"/publication")
		wantPage(t, office, casePath+"/publication", 200, `name="confirm_no_basis"`, "2021")
	}
	office := signIn(t, ts, "office", "en")
	if resp := office.post(casePath+"/publication", url.Values{}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publish without confirmation: %d", resp.StatusCode)
	}
	operator := signIn(t, ts, "operator", "en")
	if resp := operator.post(casePath+"/publication", url.Values{"confirm_no_basis": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("operator publishing: %d", resp.StatusCode)
	}
	resp := office.post(casePath+"/publication", url.Values{"confirm_no_basis": {"1"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/public/products/") {
		t.Fatalf("publish: %d %s", resp.StatusCode, loc)
	}
	wantPage(t, office, loc, 200, "Passed the cybersecurity review", "V6.1")
	wantPage(t, anonymous(t, ts.URL, ts.Client(), "en"), "/public", 200, "1–4")
	wantPage(t, office, casePath, 200, "/public/reports/")
	_ = sqlstore.LogOrigin
}
