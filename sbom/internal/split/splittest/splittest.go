// Package splittest holds the check that split reading agrees with the
// libraries' readers, for the tests of package split and package sbom
// (whose FuzzParse makes it on every input it tries).
package splittest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/spdx"

	"github.com/csreview/csreview/sbom/internal/split"
)

// maxDepth is package sbom's default depth limit: documents deeper than
// that never reach a reader.
const maxDepth = 200

// Agrees checks that reading data element by element gives what the
// library's own reader gives: for SPDX 2.3 (split.SPDX23) the same model
// as tools-golang's document reader, compared as the library writes it
// out; for CycloneDX (split.CycloneDX) the same BOM as cyclonedx-go
// decodes. It reports which split readings were taken.
func Agrees(tb testing.TB, name string, data []byte) (spdxSplit, cdxSplit bool) {
	tb.Helper()
	scan, err := split.ScanJSON(data, maxDepth, 1<<20)
	if err != nil {
		return false, false
	}
	if got, ok := split.SPDX23(data, &scan); ok {
		spdxSplit = true
		lib := new(spdx.Document)
		if err := json.Unmarshal(data, lib); err != nil {
			tb.Fatalf("%s: read split, but tools-golang refuses it: %v", name, err)
		}
		a, errA := json.Marshal(got)
		b, errB := json.Marshal(lib)
		switch {
		case errA != nil || errB != nil:
			// The library cannot always write out what it read (a creator
			// without a type): then both must fail alike.
			if fmt.Sprint(errA) != fmt.Sprint(errB) {
				tb.Fatalf("%s: writing the models out: split %v, library %v", name, errA, errB)
			}
		case !bytes.Equal(a, b):
			tb.Fatalf("%s: the split reading differs from tools-golang's\nsplit:   %.600s\nlibrary: %.600s", name, a, b)
		}
	}
	if got, ok := split.CycloneDX(data, &scan); ok {
		cdxSplit = true
		lib := new(cdx.BOM)
		if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(lib); err != nil {
			tb.Fatalf("%s: read split, but cyclonedx-go refuses it: %v", name, err)
		}
		if !reflect.DeepEqual(got, lib) {
			tb.Fatalf("%s: the split reading differs from cyclonedx-go's\nsplit:   %+v\nlibrary: %+v", name, got, lib)
		}
	}
	return spdxSplit, cdxSplit
}
