package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
)

// The demo's automated analysis: an SBOM of the FS-S9000 storage's
// management plane (the vendor's own Go modules and common open-source
// ones) and five advisories on the vendor's modules, one of each severity
// and one that no record rates. The vendor modules
// and their advisories are fictional, under the example domain, and say so:
// no real package is marked vulnerable.
//
//go:embed analysis
var analysisFS embed.FS

// AnalysisCase is the title of the demo case the SBOM is attached to, the
// one left in assessment.
const AnalysisCase = "海川银行分布式存储扩容采购"

// AnalysisInputs returns the demo SBOM and the advisories that concern it.
func AnalysisInputs() (sbom csreview.FileUpload, advisories []*advisory.Record, err error) {
	entries, err := fs.ReadDir(analysisFS, "analysis")
	if err != nil {
		return sbom, nil, err
	}
	for _, e := range entries {
		b, err := analysisFS.ReadFile("analysis/" + e.Name())
		if err != nil {
			return sbom, nil, err
		}
		if strings.HasSuffix(e.Name(), ".cdx.json") {
			sbom = csreview.FileUpload{Kind: "sbom", Name: e.Name(), MediaType: "application/vnd.cyclonedx+json", Content: b}
			continue
		}
		r, err := advisory.ParseRecord(b)
		if err != nil {
			return sbom, nil, fmt.Errorf("demo advisory %s: %w", e.Name(), err)
		}
		advisories = append(advisories, r)
	}
	return sbom, advisories, nil
}
