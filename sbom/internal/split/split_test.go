package split_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sbom"
	"github.com/csreview/csreview/sbom/internal/split/splittest"
)

// TestSplitAgrees reads every SPDX 2.3 and CycloneDX JSON document of the
// shared test data both ways.
func TestSplitAgrees(t *testing.T) {
	for _, dir := range []string{"spdx-json", "cyclonedx-json"} {
		files, _ := filepath.Glob(filepath.Join(testenv.Shared(t, "sboms", dir), "*.json"))
		split := 0
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if dir == "spdx-json" && !bytes.Contains(data, []byte(`"SPDX-2.3"`)) {
				continue
			}
			if s, c := splittest.Agrees(t, filepath.Base(f), data); (dir == "spdx-json" && s) || (dir == "cyclonedx-json" && c) {
				split++
			}
		}
		// SPDX documents with hasFiles are read by the library's reader.
		if split < 2 {
			t.Fatalf("%s: only %d documents were read split", dir, split)
		}
	}
}

// TestSplitRefuses: documents that encoding/json would read otherwise
// than as the spans say are not split, and are then read as before.
func TestSplitRefuses(t *testing.T) {
	pkg := `{"SPDXID":"SPDXRef-a","name":"a","versionInfo":"1","externalRefs":[{"referenceCategory":"PACKAGE_MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/a@1"}]}`
	doc := func(body string) []byte {
		return []byte(`{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d",` + body + `}`)
	}
	good := doc(`"packages":[` + pkg + `],"relationships":[{"spdxElementId":"SPDXRef-DOCUMENT","relatedSpdxElement":"SPDXRef-a","relationshipType":"DESCRIBES"}],"documentDescribes":["SPDXRef-a"]`)
	if s, _ := splittest.Agrees(t, "good", good); !s {
		t.Fatal("a plain document was not read split")
	}
	notSplit(t, map[string][]byte{
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
	}, func(spdx, _ bool) bool { return spdx })
}

// TestCycloneDXSplitRefuses: the same for CycloneDX BOMs.
func TestCycloneDXSplitRefuses(t *testing.T) {
	comp := `{"type":"library","bom-ref":"a","name":"a","version":"1","purl":"pkg:npm/a@1"}`
	bom := func(body string) []byte {
		return []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,` + body + `}`)
	}
	good := bom(`"components":[` + comp + `,{"type":"library","bom-ref":"b","name":"b","components":[` + comp + `]}],"dependencies":[{"ref":"a","dependsOn":["b"]}]`)
	if _, c := splittest.Agrees(t, "good", good); !c {
		t.Fatal("a plain BOM was not read split")
	}
	notSplit(t, map[string][]byte{
		"two components keys": bom(`"components":[` + comp + `],"components":[]`),
		"key in another case": bom(`"Components":[` + comp + `]`),
		"null element":        bom(`"components":[null,` + comp + `]`),
		"missing comma":       bom(`"components":[` + comp + ` ` + comp + `]`),
		"wrong type":          bom(`"components":[{"type":"library","name":["a"]}]`),
	}, func(_, cdx bool) bool { return cdx })
}

// notSplit checks that none of the documents is read split (split says
// which reading counts), and that each is read or refused the other way as
// before (a null package made tools-golang panic).
func notSplit(t *testing.T, docs map[string][]byte, split func(spdx, cdx bool) bool) {
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			if split(splittest.Agrees(t, name, data)) {
				t.Fatalf("read split: %s", data)
			}
			_, err := sbom.Parse(bytes.NewReader(data), sbom.Limits{MaxBytes: 1 << 20, MaxComponents: 100, MaxDepth: 50})
			if e := (*csreview.Error)(nil); err != nil && !errors.As(err, &e) {
				t.Fatalf("refused with %T %v, want a *csreview.Error", err, err)
			}
		})
	}
}
