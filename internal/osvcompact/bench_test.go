package osvcompact

import (
	"testing"

	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/internal/testenv"
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
	testenv.Ratio(b, func() {
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
