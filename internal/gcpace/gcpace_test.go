package gcpace

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

var sink [][]byte

// TestFloor: below the floor the collector does not run; once the live
// heap is past it, the limit follows twice the live heap, so the program
// is not collecting without pause; restore puts the settings back.
func TestFloor(t *testing.T) {
	const floor = 64 << 20
	debug.FreeOSMemory() // what an earlier test left is given back, not counted
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer debug.SetGCPercent(percent)
	restore := Floor(floor)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.NumGC
	for range 16 << 10 { // 16 MiB of garbage in 1 KiB pieces
		sink = append(sink[:0], make([]byte, 1<<10))
	}
	runtime.ReadMemStats(&ms)
	if ms.NumGC != before {
		t.Errorf("%d collections below the floor", ms.NumGC-before)
	}

	// Keep 3× the floor live: after a collection the limit leaves room for
	// as much again.
	sink = nil
	for range 3 * floor >> 20 {
		sink = append(sink, make([]byte, 1<<20))
	}
	runtime.GC()
	var got int64
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if got = debug.SetMemoryLimit(-1); got >= 2*3*floor {
			break
		}
	}
	if got < 2*3*floor {
		t.Errorf("memory limit %d MiB with %d MiB live; want at least twice", got>>20, 3*floor>>20)
	}
	sink = nil

	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC after restore = %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after restore = %d, want %d", got, limit)
	}
}

// TestFloorOverlapping: overlapping calls keep the settings of the first
// until the last restores them, whatever the order.
func TestFloorOverlapping(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer debug.SetGCPercent(percent)
	a := Floor(16 << 20)
	b := Floor(32 << 20)
	a()
	a() // a second call is nothing
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GOGC while b runs = %d, want -1 (off)", got)
	}
	b()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC after both = %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after both = %d, want %d", got, limit)
	}
}
