package site

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/csreview/csreview"
)

// metrics counts requests per route, method and status, with a latency
// histogram per route, in the Prometheus text format (version 0.0.4).
type metrics struct {
	mu       sync.Mutex
	start    time.Time
	requests map[[3]string]uint64
	hist     map[string]*histogram
}

var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, cumulative at write time
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), requests: map[[3]string]uint64{}, hist: map[string]*histogram{}}
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[3]string{route, method, strconv.Itoa(status)}]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.hist[route] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
		}
	}
	h.sum += sec
	h.n++
}

// write renders the metrics, with the Go runtime's and the pool's figures.
func (m *metrics) write(w io.Writer, extra func(w io.Writer)) {
	m.mu.Lock()
	keys := make([][3]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j])
	})
	fmt.Fprintln(w, "# HELP csreview_http_requests_total HTTP requests by route, method and status.")
	fmt.Fprintln(w, "# TYPE csreview_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "csreview_http_requests_total{route=%q,method=%q,status=%q} %d\n", k[0], k[1], k[2], m.requests[k])
	}
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	fmt.Fprintln(w, "# HELP csreview_http_request_duration_seconds Time to answer, by route.")
	fmt.Fprintln(w, "# TYPE csreview_http_request_duration_seconds histogram")
	for _, r := range routes {
		h := m.hist[r]
		for i, b := range buckets {
			fmt.Fprintf(w, "csreview_http_request_duration_seconds_bucket{route=%q,le=%q} %d\n", r, strconv.FormatFloat(b, 'g', -1, 64), h.counts[i])
		}
		fmt.Fprintf(w, "csreview_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.n)
		fmt.Fprintf(w, "csreview_http_request_duration_seconds_sum{route=%q} %g\n", r, h.sum)
		fmt.Fprintf(w, "csreview_http_request_duration_seconds_count{route=%q} %d\n", r, h.n)
	}
	m.mu.Unlock()

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge(w, "csreview_uptime_seconds", "Seconds since the server started.", time.Since(m.start).Seconds())
	gauge(w, "go_goroutines", "Number of goroutines.", float64(runtime.NumGoroutine()))
	gauge(w, "go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects.", float64(ms.HeapAlloc))
	gauge(w, "go_memstats_sys_bytes", "Bytes obtained from the system.", float64(ms.Sys))
	fmt.Fprintln(w, "# HELP go_gc_cycles_total Completed GC cycles.")
	fmt.Fprintln(w, "# TYPE go_gc_cycles_total counter")
	fmt.Fprintf(w, "go_gc_cycles_total %d\n", ms.NumGC)
	if extra != nil {
		extra(w)
	}
}

func gauge(w io.Writer, name, help string, v float64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", name, help, name, name, v)
}

// calendarMetrics tell whether the working-day calendar lacks a holiday
// notice it should have today (regime.Calendar.MissingNotices): the time
// limits are counted in working days (2021 Measures Art. 9, 11, 12, 14),
// and a year without its notice counts only the statutory holidays of
// 《全国年节及纪念日放假办法》 Art. 2, so every due date in it is
// provisional. Next year's notice is watched from 1 November, the review
// office's practice.
func (s *Server) calendarMetrics(w io.Writer) {
	today := csreview.DateOf(s.Now().In(Shanghai))
	y := today.Time().Year()
	missing := s.Rules.Cal.MissingNotices(today)
	flag := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	gauge(w, "csreview_calendar_current_year_missing",
		"1 when the working-day calendar has no State Council holiday notice for the current year: its due dates are provisional (statutory holidays of the National Holidays Measures Art. 2 counted, make-up working days unknown).",
		flag(slices.Contains(missing, y)))
	gauge(w, "csreview_calendar_next_year_missing",
		"1 from 1 November when the working-day calendar has no State Council holiday notice for next year: due dates in it are provisional; add the notice with csreview serve --calendar.",
		flag(slices.Contains(missing, y+1)))
}

func (s *Server) extraMetrics(w io.Writer) {
	if s.cfg.DBStats == nil {
		return
	}
	st := s.cfg.DBStats()
	gauge(w, "csreview_db_open_connections", "Open connections of the writer pool.", float64(st.OpenConnections))
	gauge(w, "csreview_db_in_use_connections", "Connections in use.", float64(st.InUse))
	fmt.Fprintf(w, "# HELP csreview_db_wait_count_total Waits for a connection.\n# TYPE csreview_db_wait_count_total counter\ncsreview_db_wait_count_total %d\n", st.WaitCount)
}
