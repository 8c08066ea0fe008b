package gcpace

import (
	"io"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/sbom"
)

// assessFloor is the floor 'csreview assess' sets (cmd/csreview/assess.go).
const assessFloor = 16 << 20

// BenchmarkAssess runs what 'csreview assess --format json' does on
// rancher's SPDX SBOM (939 packages, 2.2 MB) — read and parse it, match
// it against the shared OSV advisories, build the report and write it —
// with Floor(16 MiB) set around the run and with Go's default pacing, in
// turn. Each run starts from a heap just collected, as a new process's
// is, and the garbage it leaves is collected after it, untimed, as a
// process that exits leaves its garbage uncollected. The advisories are
// those the store would give the run (the 162 records naming the SBOM's
// packages, without their JSON), held in memory so that the store's own
// work is not timed. It reports the time with the floor over the time
// without (x-plain) and the collections during a run with the floor over
// those without (gc-x-plain, from runtime/metrics): the bounds of the
// package doc, which bench/fastpaths.sh checks.
func BenchmarkAssess(b *testing.B) {
	path := testenv.Shared(b, "sboms", "spdx-json", "rancher-hardened-kubernetes.syft.spdx.json")
	pack, ok, err := regime.PackByID("cac-2021")
	if err != nil || !ok {
		b.Fatalf("regime pack cac-2021: %v %v", ok, err)
	}
	src, records := candidates(b, path)
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	b.Logf("%d candidate records, live heap %d KiB", records, sample[1].Value.Uint64()>>10)
	run := func() {
		doc, err := sbom.ParseFile(path, sbom.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := assess.Assess(doc, src, assess.Options{Pack: pack, SBOMName: filepath.Base(path)})
		if err != nil {
			b.Fatal(err)
		}
		r := assess.Build(pack, assess.Tool{Name: "csreview", Version: "bench"}, assess.AdvisoryInfo{Source: "memory", Records: records},
			[]*sbom.Document{doc}, []string{filepath.Base(path)}, []*assess.Result{res}, time.Now())
		if err := indent.Encode(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	paced := func() {
		defer Floor(assessFloor)()
		run()
	}
	var t [2]time.Duration
	var gcs [2]uint64
	i := 0
	for b.Loop() {
		for k := range 2 {
			which := (i + k) % 2 // 0 paced, 1 plain
			f := paced
			if which == 1 {
				f = run
			}
			runtime.GC()
			metrics.Read(sample)
			before := sample[0].Value.Uint64()
			start := time.Now()
			f()
			t[which] += time.Since(start)
			metrics.Read(sample)
			gcs[which] += sample[0].Value.Uint64() - before
		}
		i++
	}
	b.ReportMetric(float64(t[0])/float64(t[1]), "x-plain")
	b.ReportMetric(float64(gcs[0])/float64(max(gcs[1], 1)), "gc-x-plain")
	b.ReportMetric(float64(gcs[0])/float64(i), "gc-paced")
	b.ReportMetric(float64(gcs[1])/float64(i), "gc-plain")
	b.ReportMetric(t[0].Seconds()*1e3/float64(i), "paced-ms")
	b.ReportMetric(t[1].Seconds()*1e3/float64(i), "plain-ms")
}

// candidates is an in-memory source of the shared advisories that name a
// package of the SBOM at path, as the store's source would fetch them
// (from their compact forms, without their JSON), and how many there are.
// The rest of the advisories are garbage by the time it returns.
func candidates(b *testing.B, path string) (*assess.MemorySource, int) {
	b.Helper()
	all := assess.NewMemorySource()
	dir := testenv.Shared(b, "advisories", "osv")
	if err := advisory.Walk(dir, advisory.Limits{}, func(r *advisory.Record, _ string) error {
		all.Add(r)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	doc, err := sbom.ParseFile(path, sbom.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	src, seen := assess.NewMemorySource(), map[string]bool{}
	for _, c := range doc.Components {
		list, _ := all.Candidates(c.Ecosystem, c.Name)
		for _, r := range list {
			if !seen[r.ID] {
				seen[r.ID] = true
				kept := *r
				kept.Raw = nil
				src.Add(&kept)
			}
		}
	}
	return src, len(seen)
}
