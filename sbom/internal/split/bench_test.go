package split_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

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
	testenv.Ratio(b, func() {
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
	testenv.Ratio(b, func() {
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
