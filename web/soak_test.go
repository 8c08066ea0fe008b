package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/testenv"
)

// soakDuration is how long the soak runs: CSREVIEW_SOAK (a Go duration)
// when set, 60 s in the extended mode, else 5 s.
func soakDuration(t *testing.T) time.Duration {
	if s := os.Getenv("CSREVIEW_SOAK"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("CSREVIEW_SOAK: %v", err)
		}
		return d
	}
	if os.Getenv("CSREVIEW_TEST_EXTENDED") != "" {
		return 60 * time.Second
	}
	return 5 * time.Second
}

// TestSoak drives the demo server on loopback with mixed traffic for a
// bounded time — the public site and its data (lists, feed, log, product
// and report pages, search), signed-in pages of the office, the bank and
// the supplier, API reads with tokens, and the bank's purchase checks,
// which write — from 24 clients at once. Every answer must be the
// expected one (no 5xx, no refusal), and the memory must stay flat: the
// live heap in the last quarter of the run within 25% (+8 MiB) of the
// first quarter's, and no goroutines left behind.
func TestSoak(t *testing.T) {
	if testing.Short() {
		testenv.Skip(t, "soak: not in -short")
	}
	ts, store := demoServer(t)
	ctx := adminCtx()
	entries, _, err := store.FindListEntries(ctx, csreview.ListFilter{Page: csreview.Page{Limit: 10}})
	apiMust(t, err)
	cases, _, err := store.FindCases(ctx, csreview.CaseFilter{Page: csreview.Page{Limit: 10}})
	apiMust(t, err)
	if len(entries) == 0 || len(cases) == 0 {
		t.Fatal("the demo has no published entries or no cases")
	}
	opUser, err := store.FindUserByUsername(ctx, "operator")
	apiMust(t, err)
	inv, _, err := store.FindInventory(csreview.NewContextWithUser(ctx, opUser), csreview.InventoryFilter{Page: csreview.Page{Limit: 1}})
	apiMust(t, err)
	tokens := map[string]string{}
	for _, who := range []string{"office", "operator", "supplier"} {
		u, err := store.FindUserByUsername(ctx, who)
		apiMust(t, err)
		_, tokens[who], err = store.CreateToken(ctx, u.ID, "soak", 0)
		apiMust(t, err)
	}
	sessions := map[string]*http.Client{}
	for _, who := range []string{"office", "operator", "supplier"} {
		sessions[who] = signIn(t, ts, who, "zh-CN").c
	}

	type call struct {
		class, method, path, as string // as: "" anonymous, "s:name" a session, "t:name" a token
		body                    string
	}
	e, c := entries[0], cases[0]
	mix := []call{
		{"public", "GET", "/public", "", ""},
		{"public", "GET", "/public?q=" + "数据库", "", ""},
		{"public", "GET", fmt.Sprintf("/public/products/%d", e.ProductID), "", ""},
		{"public", "GET", fmt.Sprintf("/public/reports/%d", e.ID), "", ""},
		{"public", "GET", "/public/v1/lists.json", "", ""},
		{"public", "GET", "/public/v1/lists.csv", "", ""},
		{"public", "GET", "/public/v1/feed.atom", "", ""},
		{"public", "GET", "/public/v1/log/checkpoint", "", ""},
		{"public", "GET", fmt.Sprintf("/public/v1/products/%d", e.ProductID), "", ""},
		{"public", "GET", "/regimes", "", ""},
		{"pages", "GET", "/", "s:office", ""},
		{"pages", "GET", "/cases", "s:office", ""},
		{"pages", "GET", fmt.Sprintf("/cases/%d", c.ID), "s:office", ""},
		{"pages", "GET", "/", "s:operator", ""},
		{"pages", "GET", "/inventory", "s:operator", ""},
		{"pages", "GET", "/alerts", "s:supplier", ""},
		{"api", "GET", "/api/v1/cases", "t:office", ""},
		{"api", "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), "t:office", ""},
		{"api", "GET", "/api/v1/suppliers?limit=20", "t:operator", ""},
		{"api", "GET", "/api/v1/alerts", "t:supplier", ""},
		{"write", "POST", "/api/v1/procurement/check", "t:operator", fmt.Sprintf(`{"inventory_id":%d}`, inv[0].ID)},
	}
	anon := ts.Client()
	send := func(k call) (int, error) {
		var body io.Reader
		if k.body != "" {
			body = strings.NewReader(k.body)
		}
		req, _ := http.NewRequest(k.method, ts.URL+k.path, body)
		cl := anon
		switch kind, who, _ := strings.Cut(k.as, ":"); kind {
		case "s":
			cl = sessions[who]
		case "t":
			req.Header.Set("Authorization", "Bearer "+tokens[who])
		}
		if k.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := cl.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}

	goroutines := runtime.NumGoroutine()
	d := soakDuration(t)
	deadline := time.Now().Add(d)
	var (
		mu        sync.Mutex
		latencies = map[string][]time.Duration{}
		errs      []string
		heap      []uint64
		n         atomic.Int64
	)
	var wg sync.WaitGroup
	for w := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := map[string][]time.Duration{}
			for i := w; time.Now().Before(deadline); i++ {
				k := mix[i%len(mix)]
				start := time.Now()
				status, err := send(k)
				el := time.Since(start)
				n.Add(1)
				if err != nil || status >= 400 {
					mu.Lock()
					errs = append(errs, fmt.Sprintf("%s %s as %q: %d %v", k.method, k.path, k.as, status, err))
					mu.Unlock()
				}
				mine[k.class] = append(mine[k.class], el)
			}
			mu.Lock()
			for c, l := range mine {
				latencies[c] = append(latencies[c], l...)
			}
			mu.Unlock()
		}()
	}
	// The live heap, sampled ten times over the run after a collection.
	for tick := time.NewTicker(d / 10); time.Now().Before(deadline); <-tick.C {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		heap = append(heap, m.HeapAlloc)
	}
	wg.Wait()

	if len(errs) > 0 {
		t.Errorf("%d of %d requests failed; first: %s", len(errs), n.Load(), errs[0])
	}
	q := max(len(heap)/4, 1)
	first, last := median(heap[:q]), median(heap[len(heap)-q:])
	if float64(last) > 1.25*float64(first)+8<<20 {
		t.Errorf("the live heap grew from %d MiB to %d MiB over the run", first>>20, last>>20)
	}
	ts.CloseClientConnections()
	for _, cl := range sessions {
		cl.CloseIdleConnections()
	}
	anon.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	if left := runtime.NumGoroutine() - goroutines; left > 5 {
		t.Errorf("%d goroutines more than before the soak", left)
	}
	var report bytes.Buffer
	fmt.Fprintf(&report, "soak %v, 24 clients: %d requests (%.0f/s), %d errors; live heap %d → %d MiB (medians of first and last quarter)",
		d, n.Load(), float64(n.Load())/d.Seconds(), len(errs), first>>20, last>>20)
	for _, c := range []string{"public", "pages", "api", "write"} {
		l := latencies[c]
		slices.Sort(l)
		if len(l) > 0 {
			fmt.Fprintf(&report, "; %s p50 %v p99 %v (%d)", c, l[len(l)/2].Round(time.Microsecond*100),
				l[len(l)*99/100].Round(time.Microsecond*100), len(l))
		}
	}
	t.Log(report.String())
}
