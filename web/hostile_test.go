package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/hostile"
	"github.com/csreview/csreview/internal/syncbuf"
	"github.com/csreview/csreview/sqlstore/sqltest"
	"github.com/csreview/csreview/web"
)

// hostileBounds are what any hostile input may cost the server: an
// answer within 2 s, and allocations far below what the input would
// cost a parser that believed it. Under the race detector, which slows
// everything many times (reading an 81 MiB upload to its limit takes
// 3–9 s on a busy 2-core machine), the bounds are ten and two times
// looser; the extended mode (test.sh) runs this test without it, at the
// bounds.
//
// A busy machine slows every request alike, so the time bound also scales
// with the machine as measured in the same run: it is at least 32 times
// what a plain handler takes to read the largest body the server accepts
// (4 files at csreview.MaxFileSize, and the form) over loopback. On an
// idle 2-core machine that reading takes about 60 ms and the slowest
// hostile request (a body declared as 2 GB, read to the limit and
// refused) about 12 times as long.
var (
	hostileTime  = 2 * time.Second
	hostileAlloc = uint64(256 << 20)
)

func init() {
	if raceBuild {
		hostileTime, hostileAlloc = 10*hostileTime, 2*hostileAlloc
	}
}

// readBaseline is the median time, over three tries, that a handler doing
// nothing but reading the body takes to receive the largest accepted
// upload over loopback.
func readBaseline(t *testing.T) time.Duration {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer hs.Close()
	body := bytes.Repeat([]byte{'x'}, 4*csreview.MaxFileSize+1<<20)
	var times []time.Duration
	for range 3 {
		start := time.Now()
		resp, err := http.Post(hs.URL, "application/octet-stream", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[1]
}

// TestHostileInput sends the hostile corpus to every entry point of the
// server: every API route that reads a JSON body (from the registry), the
// SBOM and VEX uploads of versions and cases (API and pages), the
// inventory import, the sign-in form and the request line. Each input
// must be refused with a 4xx within 2 s and bounded memory, and leave the
// store as it was; the log must keep one line per record however the
// input tries to forge lines.
func TestHostileInput(t *testing.T) {
	e := newAPIEnv(t, sqltest.SQLiteDSN(t))
	var logs syncbuf.Buffer
	srv, err := web.New(e.Store, e.DB, slog.New(slog.NewTextHandler(&logs, nil)), web.Config{Version: "test"})
	apiMust(t, err)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	caseID := fileDemoCase(t, e.Store)
	prod, err := e.Store.FindProductByID(adminCtx(), 1)
	apiMust(t, err)
	version := fmt.Sprintf("/products/%d/versions/%d", prod.ID, prod.Versions[0].ID)
	before := e.auditTotal(t)

	type request struct {
		name, method, path, as, contentType string
		body                                func() io.Reader
	}
	var reqs []request
	bytesBody := func(b []byte) func() io.Reader { return func() io.Reader { return bytes.NewReader(b) } }
	twoGB := func() io.Reader { return hostile.Endless(2 << 30) }

	// Every JSON body of the API, as the office (or the supplier, for its
	// own version): deep nesting, bad UTF-8, 2 GB.
	for _, rt := range srv.Routes() {
		if !rt.API() || rt.Request == nil {
			continue
		}
		path := strings.NewReplacer("{id}", "1", "{vid}", itoa(prod.Versions[0].ID), "{jid}", "1").Replace(rt.Pattern)
		if strings.HasPrefix(rt.Pattern, "/api/v1/cases/{id}") {
			path = strings.Replace(path, "/cases/1", "/cases/"+itoa(caseID), 1)
		}
		for _, in := range []struct {
			name string
			body func() io.Reader
		}{
			{"deep-100000.json", bytesBody(hostile.DeepJSON(100_000))},
			{"invalid-utf8.json", bytesBody(hostile.InvalidUTF8())},
			{"crlf.json", bytesBody([]byte(`{"name_zh":` + jsonString(hostile.CRLF) + `,"uscc":"\u0000"}`))},
			{"2GB", twoGB},
			{"2GB declared", twoGB},
		} {
			reqs = append(reqs, request{rt.Name + " " + in.name, rt.Method, path, "office", "application/json", in.body})
		}
	}
	// The documents, uploaded as a version's SBOM and as a case's, through
	// the API (base64 in JSON) and the pages (multipart).
	for _, d := range hostile.Documents() {
		for _, kind := range []string{"sbom", "vex"} {
			file := map[string]string{"kind": kind, "name": d.Name, "content_base64": base64.StdEncoding.EncodeToString(d.Data)}
			vb, _ := json.Marshal(file)
			cb, _ := json.Marshal(map[string]any{"files": []any{file}})
			mp, ct := multipartFile("file:"+kind, d.Name, d.Data)
			reqs = append(reqs,
				request{"version " + kind + " API " + d.Name, "POST", "/api/v1" + version + "/sbom", "supplier", "application/json", bytesBody(vb)},
				request{"case " + kind + " API " + d.Name, "POST", "/api/v1/cases/" + itoa(caseID) + "/sboms", "supplier", "application/json", bytesBody(cb)},
				request{"case " + kind + " page " + d.Name, "POST", "/cases/" + itoa(caseID) + "/sboms", "supplier", ct, bytesBody(mp)})
			if kind == "sbom" {
				reqs = append(reqs, request{"version page " + d.Name, "POST", version + "/sbom", "supplier", ct, bytesBody(mp)})
			}
		}
	}
	// A multipart form whose fields are not UTF-8, beside a good file.
	var bad bytes.Buffer
	mw := multipart.NewWriter(&bad)
	mw.WriteField("title", "\xb9\xa4\xbe\xdf")
	fw, _ := mw.CreateFormFile("file:sbom", "good.cdx.json")
	fw.Write([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"a","version":"1"}]}`))
	mw.Close()
	reqs = append(reqs, request{"case page multipart GBK field", "POST", "/cases/" + itoa(caseID) + "/sboms", "supplier",
		mw.FormDataContentType(), bytesBody(bad.Bytes())})
	mp, ct := multipartFile("file:sbom", "2GB.json", nil)
	reqs = append(reqs,
		request{"version page 2GB", "POST", version + "/sbom", "supplier", ct, func() io.Reader {
			return io.MultiReader(bytes.NewReader(mp[:bytes.LastIndex(mp, []byte("\r\n--"))]), hostile.Endless(2<<30))
		}},
		// The inventory import: a spreadsheet saved as GBK, one with a
		// forged log line in a cell, and 2 GB.
		request{"inventory GBK", "POST", "/api/v1/imports/inventory", "operator", "text/csv",
			bytesBody([]byte("version_id,system\n1,\xba\xcb\xd0\xc4\xcf\xb5\xcd\xb3\n"))},
		request{"inventory CRLF", "POST", "/api/v1/imports/inventory", "operator", "text/csv",
			bytesBody([]byte("version_id,system\nx,\"" + hostile.CRLF + "\"\n"))},
		request{"inventory 2GB", "POST", "/api/v1/imports/inventory", "operator", "text/csv", twoGB},
		// Signing in with a forged log line as the username, and a forged
		// line in the request path.
		request{"login CRLF", "POST", "/login", "", "application/x-www-form-urlencoded",
			bytesBody([]byte(url.Values{"username": {hostile.CRLF}, "password": {"x"}}.Encode()))},
		request{"path CRLF", "GET", "/cases/" + url.PathEscape(hostile.CRLF), "office", "", nil},
		request{"login 2GB", "POST", "/login", "", "application/x-www-form-urlencoded", twoGB},
	)

	var slowest time.Duration
	slowestName := ""
	base := readBaseline(t)
	bound := max(hostileTime, 32*base)
	for _, r := range reqs {
		var body io.Reader
		if r.body != nil {
			body = r.body()
		}
		req, err := http.NewRequest(r.method, hs.URL+r.path, body)
		apiMust(t, err)
		if r.contentType != "" {
			req.Header.Set("Content-Type", r.contentType)
		}
		if strings.HasSuffix(r.name, "declared") {
			req.ContentLength = 2 << 30 // else sent chunked, of unknown length
		}
		if r.as != "" {
			req.Header.Set("Authorization", "Bearer "+e.tokens[r.as])
		}
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := time.Now()
		status, answer := hostileDo(req)
		elapsed := time.Since(start)
		runtime.ReadMemStats(&m1)
		if elapsed > slowest {
			slowest, slowestName = elapsed, r.name
		}
		switch {
		case status < 400 || status >= 500:
			t.Errorf("%s: %d, want a 4xx: %s", r.name, status, csreview.Clip(answer, 300))
		case elapsed > bound:
			t.Errorf("%s: answered %d after %v, want within %v", r.name, status, elapsed, bound)
		case m1.TotalAlloc-m0.TotalAlloc > hostileAlloc:
			t.Errorf("%s: the server allocated %d MiB", r.name, (m1.TotalAlloc-m0.TotalAlloc)>>20)
		}
	}
	if after := e.auditTotal(t); after != before {
		t.Errorf("the hostile inputs left %d audit records: something was written", after-before)
	}
	if jobs, err := e.Store.FindAnalysisJobs(adminCtx(), caseID); err != nil || len(jobs) != 0 {
		t.Errorf("the hostile inputs queued %d analyses (%v)", len(jobs), err)
	}
	// One record per line: nothing the inputs carried starts a line.
	for i, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if !strings.HasPrefix(line, "time=") {
			t.Errorf("log line %d is not a record of the server's: %q", i+1, csreview.Clip(line, 200))
		}
	}
	t.Logf("%d hostile requests refused; the slowest, %s, in %v (bound %v: reading the largest upload takes %v here)",
		len(reqs), slowestName, slowest, bound, base)
}

// hostileDo sends req and returns the status and the start of the
// answer. The server may answer and close before a huge body is sent:
// that is the refusal, not a failure.
func hostileDo(req *http.Request) (int, string) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(b)
}

// multipartFile is a form with one file, and its content type.
func multipartFile(field, name string, data []byte) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile(field, name)
	w.Write(data)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
