package web_test

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/web"
)

// loadResult is one bounded load run.
type loadResult struct {
	rps      float64
	p50, p99 time.Duration
	n, errs  int
}

// load sends GET url from clients concurrent keep-alive clients until
// total requests are done or max has passed, whichever comes first.
func load(url string, clients, total int, max time.Duration) loadResult {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	next := make(chan struct{}, total)
	for range total {
		next <- struct{}{}
	}
	close(next)
	deadline := time.Now().Add(max)
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, total/clients+1)
			bad := 0
			for range next {
				if time.Now().After(deadline) {
					break
				}
				t0 := time.Now()
				resp, err := c.Get(url)
				if err != nil {
					bad++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					bad++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(all)
	r := loadResult{n: len(all), errs: errs, rps: float64(len(all)) / elapsed.Seconds()}
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)/2], all[min(len(all)-1, len(all)*99/100)]
	}
	return r
}

// median is the middle value of xs.
func median[T cmp.Ordered](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchEnv is a csreview server over the demo, its cases published.
func benchServer(b *testing.B, cacheFor time.Duration) (*httptest.Server, int64) {
	b.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	store := sqlstore.NewStore(db)
	today := csreview.DateOf(db.Now().In(time.FixedZone("CST", 8*3600)))
	if _, err := demo.LoadAll(csreview.NewContextWithUser(ctx, csreview.SystemUser("demo")), store, today); err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(store, db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{Version: "bench", PublicCacheFor: cacheFor})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	// The product with history: a pass revoked by a re-review, so its
	// answer carries two entries and three inclusion proofs.
	list, _, err := store.FindListEntries(ctx, csreview.ListFilter{})
	if err != nil {
		b.Fatal(err)
	}
	var pid int64
	for _, e := range list {
		if e.RevokedAt != "" {
			pid = e.ProductID
		}
	}
	return ts, pid
}

// BenchmarkPublicLookup compares GET /public/v1/products/{id}, with its
// inclusion proofs, against a bare net/http handler answering a constant:
// both on loopback in this run, alternating, in bounded rounds (count and
// time). It reports the median requests per second of each, their ratio
// (goal: at least 0.5) and the p99 latencies; with the public cache on (as
// served) and, for comparison, off (every request reads the database).
//
//	go test -run XXX -bench PublicLookup -benchtime 1x ./web
func BenchmarkPublicLookup(b *testing.B) {
	rounds, total, clients := envInt("BENCH_ROUNDS", 5), envInt("BENCH_REQUESTS", 20000), envInt("BENCH_CLIENTS", 8)
	maxDur := 5 * time.Second
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}))
	defer bare.Close()
	for _, mode := range []struct {
		name     string
		cacheFor time.Duration
	}{{"cached", 0}, {"uncached", -1}} {
		ts, pid := benchServer(b, mode.cacheFor)
		url := fmt.Sprintf("%s/public/v1/products/%d", ts.URL, pid)
		if r := load(url, 1, 10, time.Second); r.errs > 0 || r.n != 10 {
			b.Fatalf("%s: the lookup fails: %+v", url, r)
		}
		b.Run(mode.name, func(b *testing.B) {
			for range b.N {
				var bareRPS, csrRPS []float64
				var bareP99, csrP99 []time.Duration
				for range rounds {
					r := load(bare.URL, clients, total, maxDur)
					bareRPS, bareP99 = append(bareRPS, r.rps), append(bareP99, r.p99)
					r = load(url, clients, total, maxDur)
					if r.errs > 0 {
						b.Fatalf("%d failed lookups", r.errs)
					}
					csrRPS, csrP99 = append(csrRPS, r.rps), append(csrP99, r.p99)
				}
				ratio := median(csrRPS) / median(bareRPS)
				b.ReportMetric(median(csrRPS), "lookups/s")
				b.ReportMetric(median(bareRPS), "bare/s")
				b.ReportMetric(ratio, "ratio")
				b.ReportMetric(float64(median(csrP99).Microseconds()), "p99-µs")
				b.ReportMetric(float64(median(bareP99).Microseconds()), "bare-p99-µs")
				fmt.Fprintf(os.Stderr, "public lookup (%s): median %.0f req/s vs bare %.0f req/s = %.2f (goal ≥ 0.50); p99 %v vs %v; %d rounds × ≤%d requests, %d clients\n",
					mode.name, median(csrRPS), median(bareRPS), ratio, median(csrP99), median(bareP99), rounds, total, clients)
			}
		})
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
