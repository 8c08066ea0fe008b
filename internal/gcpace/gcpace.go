// Package gcpace paces Go's garbage collector for a short-lived command:
// the heap may grow to a floor before the first collection, and beyond it
// collections come at Go's default pace.
//
// Go collects when the heap has grown by GOGC percent (100) over what was
// live after the last collection, but not before it reaches 4 MiB. A
// command whose live heap stays at a few MiB while it reads and discards
// tens (decoding an SBOM, then assessing it) collects many times for
// little: each collection also scans the program's globals and stacks.
// A memory limit alone would raise the floor but, once the live heap
// passed it, collect without pause; so after each collection the limit is
// set again to twice the live heap, or the floor if that is more, plus
// what the runtime holds besides the heap.
//
// The floor is a fast path, and stays only while it keeps its bounds,
// measured against Go's default pacing on the same work in the same run
// (bench_test.go; bench/fastpaths.sh takes the median of 5 runs): what
// 'csreview assess --format json' does with rancher's SPDX SBOM (939
// packages, 2.2 MB, 162 candidate advisories), under Floor(16 MiB) as
// the command sets it, takes at most 0.95× the time and at most 0.6× the
// collections. On a shared 2-core machine the medians were 0.72× the time
// and 0.22× the collections, 0.83× and 0.38× with one core kept busy by
// another process, and 0.84× and 0.36× with both. On one core
// (GOMAXPROCS=1) the collections still fall to 0.25× but the time only
// to 0.96×, which the time bound does not allow: it is a bound for two
// cores or more. When a bound fails, the floor goes, and assess keeps
// Go's pacing.
package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Floor lets the heap reach floor bytes before the collector runs, and
// then paces it as GOGC=100 does. restore puts back the collector's
// settings as they were. Calls may overlap (tests run commands side by
// side): the settings are those of the first, with the largest floor
// asked, until the last restores them.
func Floor(floor uint64) (restore func()) {
	mu.Lock()
	defer mu.Unlock()
	if active == nil {
		active = &pacer{percent: debug.SetGCPercent(-1), limit: debug.SetMemoryLimit(-1)}
		for i, name := range []string{"/gc/heap/live:bytes", "/memory/classes/total:bytes",
			"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes",
			"/memory/classes/heap/free:bytes", "/memory/classes/heap/released:bytes"} {
			active.samples[i].Name = name
		}
		active.arm()
	}
	active.users++
	active.floor = max(active.floor, floor)
	active.set()
	var once sync.Once
	return func() { once.Do(release) }
}

var (
	mu     sync.Mutex // guards active and what it holds
	active *pacer
)

type pacer struct {
	users   int
	floor   uint64
	percent int   // the GOGC before
	limit   int64 // the memory limit before
	samples [6]metrics.Sample
}

// set sets the memory limit from the heap live after the last collection.
// The limit counts all the runtime's memory but what it has given back to
// the system; the heap's share of it (objects, and the spans free or part
// used) is held to the target, the rest (stacks, metadata) is added.
func (p *pacer) set() {
	metrics.Read(p.samples[:])
	v := func(i int) uint64 { return p.samples[i].Value.Uint64() }
	live, total := v(0), v(1)
	heap := v(2) + v(3) + v(4) + v(5) // objects, unused, free, released
	debug.SetMemoryLimit(int64(max(p.floor, 2*live) + total - heap))
}

// sentinel is an object that a collection finds unreachable: its
// finalizer runs after each collection and arms the next one.
type sentinel struct{ _ [16]byte }

func (p *pacer) arm() {
	runtime.SetFinalizer(new(sentinel), func(*sentinel) {
		mu.Lock()
		defer mu.Unlock()
		if active != p {
			return // released
		}
		p.set()
		p.arm()
	})
}

func release() {
	mu.Lock()
	defer mu.Unlock()
	p := active
	if p.users--; p.users > 0 {
		return
	}
	active = nil
	debug.SetMemoryLimit(p.limit)
	debug.SetGCPercent(p.percent)
}
