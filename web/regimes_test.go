package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/csreview/csreview/regime"
)

// TestRegimesPublic: the rules are public: the list, each pack and their
// pages answer without signing in, and every pack cites its articles.
func TestRegimesPublic(t *testing.T) {
	t.Parallel()
	ts, _ := demoServer(t)
	get := func(path, lang string) (int, string) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	status, body := get("/api/v1/regimes", "en")
	var list struct {
		Items []struct{ ID, Status string } `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || status != 200 {
		t.Fatalf("GET /api/v1/regimes: %d %s", status, body)
	}
	var ids []string
	for _, it := range list.Items {
		ids = append(ids, it.ID)
	}
	if got, want := strings.Join(ids, " "), "cac-2017-draft cac-2017-trial cac-2020 cac-2021"; got != want {
		t.Errorf("regimes: got %q, want %q", got, want)
	}
	status, body = get("/api/v1/regimes/cac-2017-trial", "en")
	var p regime.Pack
	if err := json.Unmarshal([]byte(body), &p); err != nil || status != 200 {
		t.Fatalf("GET trial: %d %s", status, body)
	}
	if ex, ok := p.Exclusion("enterprise_application"); !ok || !strings.HasPrefix(ex.Article, "Art. 8") {
		t.Errorf("trial pack does not exclude enterprise applications under Art. 8: %+v", ex)
	}
	if status, _ := get("/api/v1/regimes/cac-1999", "en"); status != 404 {
		t.Errorf("unknown regime: %d, want 404", status)
	}
	for _, tc := range []struct{ lang, want string }{
		{"zh-CN", "第九条"}, {"zh-CN", "工作日"}, {"en", "2021 Measures Art. 9"}, {"en", "Working days"},
	} {
		status, body := get("/regimes/cac-2021", tc.lang)
		if status != 200 || !strings.Contains(body, tc.want) {
			t.Errorf("/regimes/cac-2021 in %s: %d, lacks %q", tc.lang, status, tc.want)
		}
		if strings.Contains(body, "⟦") {
			t.Errorf("/regimes/cac-2021 in %s has an untranslated key", tc.lang)
		}
	}
}
