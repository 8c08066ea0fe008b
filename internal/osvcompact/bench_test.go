package osvcompact

import (
	"testing"
	"time"

	"github.com/csreview/csreview/advisory"
)

// BenchmarkDecode reads every record of the shared OSV test data (6,976
// records of Go, PyPI, npm and Maven) back from its compact form, and
// parses each from its OSV JSON with advisory.ParseRecord, what the store
// does for a record without a current form; x-plain is the time of the
// first over that of the second (the bound of the package doc, which
// bench/fastpaths.sh checks).
func BenchmarkDecode(b *testing.B) {
	recs := sharedRecords(b)
	forms := make([][]byte, len(recs))
	for i, r := range recs {
		forms[i] = Encode(r)
	}
	ratio(b, func() {
		for _, f := range forms {
			if _, ok := Decode(f); !ok {
				b.Fatal("a form is not read back")
			}
		}
	}, func() {
		for _, r := range recs {
			if _, err := advisory.ParseRecord(r.Raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(len(recs)), "records")
}

// ratio runs fast and plain once each per iteration, in turn first, so
// that neither always inherits the other's garbage or a cold cache, and
// reports the time of fast over that of plain as x-plain, and each one's
// milliseconds per run.
func ratio(b *testing.B, fast, plain func()) {
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
