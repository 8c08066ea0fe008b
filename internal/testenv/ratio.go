package testenv

import (
	"testing"
	"time"
)

// Ratio times a fast path against its plain path in the same run: each
// iteration runs both once, in turn first, so that neither always inherits
// the other's garbage or a cold cache. It reports the time of fast over
// that of plain as x-plain, and each one's milliseconds per run.
func Ratio(b *testing.B, fast, plain func()) {
	b.Helper()
	fast()
	plain()
	var tf, tp time.Duration
	i := 0
	for b.Loop() {
		for k := range 2 {
			f, d := fast, &tf
			if (i+k)%2 == 1 {
				f, d = plain, &tp
			}
			start := time.Now()
			f()
			*d += time.Since(start)
		}
		i++
	}
	b.ReportMetric(float64(tf)/float64(tp), "x-plain")
	b.ReportMetric(tf.Seconds()*1e3/float64(i), "fast-ms")
	b.ReportMetric(tp.Seconds()*1e3/float64(i), "plain-ms")
}
