package split_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/spdx"

	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sbom/internal/split"
)

// The bounds of the package doc (bench/fastpaths.sh checks them): the
// split reading's time over the library decode's, on the same document in
// the same run. The split side includes ScanJSON, which finds the
// elements; the library side does not, though Parse scans every JSON
// SBOM either way, so the ratio errs against the split reading.

// BenchmarkSPDX23 reads rancher's SPDX 2.3 SBOM (939 packages, 2,181
// files, 2,188 relationships, 2.2 MB) split, and with json.Unmarshal into
// tools-golang's document, what Parse does when it cannot split.
func BenchmarkSPDX23(b *testing.B) {
	data := sharedSBOM(b, "spdx-json", "rancher-hardened-kubernetes.syft.spdx.json")
	ratio(b, func() {
		scan, err := split.ScanJSON(data, 200, 200000)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := split.SPDX23(data, &scan); !ok {
			b.Fatal("not read split")
		}
	}, func() {
		if err := json.Unmarshal(data, new(spdx.Document)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCycloneDX reads keycloak's CycloneDX BOM (903 components, 2.2
// MB) split, and with cyclonedx-go's decoder, what Parse does when it
// cannot split.
func BenchmarkCycloneDX(b *testing.B) {
	data := sharedSBOM(b, "cyclonedx-json", "keycloak-10.0.2.cdx.json")
	ratio(b, func() {
		scan, err := split.ScanJSON(data, 200, 200000)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := split.CycloneDX(data, &scan); !ok {
			b.Fatal("not read split")
		}
	}, func() {
		if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(new(cdx.BOM)); err != nil {
			b.Fatal(err)
		}
	})
}

func sharedSBOM(b *testing.B, dir, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(testenv.Shared(b, "sboms", dir, name))
	if err != nil {
		b.Fatal(err)
	}
	return data
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
