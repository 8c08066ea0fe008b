package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/spdx/tools-golang/spdx"

	"github.com/csreview/csreview"
)

// splitAgrees checks that reading data element by element (readSPDX23Split)
// gives what tools-golang's own document reader gives: the same model,
// compared as the library writes it out. It reports whether the split
// reading was taken at all.
func splitAgrees(t *testing.T, name string, data []byte) bool {
	t.Helper()
	scan, err := scanJSON(data, Limits{MaxBytes: 1 << 30, MaxComponents: 1 << 20, MaxDepth: DefaultMaxDepth})
	if err != nil {
		return false
	}
	split, ok := readSPDX23Split(data, &scan)
	if !ok {
		return false
	}
	lib := new(spdx.Document)
	if err := json.Unmarshal(data, lib); err != nil {
		t.Fatalf("%s: read split, but tools-golang refuses it: %v", name, err)
	}
	a, errA := json.Marshal(split)
	b, errB := json.Marshal(lib)
	if errA != nil || errB != nil {
		// The library cannot always write out what it read (a creator
		// without a type): then both must fail alike.
		if fmt.Sprint(errA) != fmt.Sprint(errB) {
			t.Fatalf("%s: writing the models out: split %v, library %v", name, errA, errB)
		}
		return true
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("%s: the split reading differs from tools-golang's\nsplit:   %.600s\nlibrary: %.600s", name, a, b)
	}
	return true
}

// TestSPDXSplitAgrees reads every SPDX 2.3 JSON document of the shared
// test data both ways.
func TestSPDXSplitAgrees(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sbomDir, "spdx-json", "*.json"))
	if len(files) == 0 {
		t.Skipf("no shared SPDX JSON test data at %s", sbomDir)
	}
	split := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(`"SPDX-2.3"`)) {
			continue
		}
		if splitAgrees(t, filepath.Base(f), data) {
			split++
		}
	}
	// Those with hasFiles are read by the library's reader.
	if split < 2 {
		t.Fatalf("only %d documents were read split", split)
	}
}

// TestSPDXSplitRefuses: documents that encoding/json would read otherwise
// than as the spans say are not split, and are then read as before.
func TestSPDXSplitRefuses(t *testing.T) {
	pkg := `{"SPDXID":"SPDXRef-a","name":"a","versionInfo":"1","externalRefs":[{"referenceCategory":"PACKAGE_MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/a@1"}]}`
	doc := func(body string) []byte {
		return []byte(`{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d",` + body + `}`)
	}
	good := doc(`"packages":[` + pkg + `],"relationships":[{"spdxElementId":"SPDXRef-DOCUMENT","relatedSpdxElement":"SPDXRef-a","relationshipType":"DESCRIBES"}],"documentDescribes":["SPDXRef-a"]`)
	if !splitAgrees(t, "good", good) {
		t.Fatal("a plain document was not read split")
	}
	for name, data := range map[string][]byte{
		"two packages keys":      doc(`"packages":[` + pkg + `],"packages":[]`),
		"key in another case":    doc(`"Packages":[` + pkg + `]`),
		"escaped key":            doc(`"p\u0061ckages":[` + pkg + `]`),
		"hasFiles":               doc(`"packages":[{"SPDXID":"SPDXRef-a","name":"a","hasFiles":["SPDXRef-f"]}],"files":[{"SPDXID":"SPDXRef-f","fileName":"f"}]`),
		"null element":           doc(`"packages":[null,` + pkg + `]`),
		"string element":         doc(`"packages":["a"]`),
		"number element":         doc(`"packages":[1]`),
		"missing comma":          doc(`"packages":[` + pkg + ` ` + pkg + `]`),
		"two commas":             doc(`"packages":[` + pkg + `,,` + pkg + `]`),
		"trailing comma":         doc(`"packages":[` + pkg + `,]`),
		"unclosed array":         []byte(`{"spdxVersion":"SPDX-2.3","packages":[` + pkg),
		"wrong type in element":  doc(`"packages":[{"SPDXID":"SPDXRef-a","name":1}]`),
		"wrong type in the rest": doc(`"creationInfo":7,"packages":[` + pkg + `]`),
	} {
		t.Run(name, func(t *testing.T) {
			if splitAgrees(t, name, data) {
				t.Fatalf("read split: %s", data)
			}
			// Read the other way, it is read or refused as before (a null
			// package made tools-golang panic).
			_, err := parseBytes(data, Limits{MaxBytes: 1 << 20, MaxComponents: 100, MaxDepth: 50})
			if e := (*csreview.Error)(nil); err != nil && !errors.As(err, &e) {
				t.Fatalf("refused with %T %v, want a *csreview.Error", err, err)
			}
		})
	}
}
