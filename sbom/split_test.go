package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/spdx"

	"github.com/csreview/csreview"
)

// splitAgrees checks that reading data element by element gives what the
// library's own reader gives: for SPDX 2.3 (readSPDX23Split) the same
// model as tools-golang's document reader, compared as the library writes
// it out; for CycloneDX (readCycloneDXSplit) the same BOM as cyclonedx-go
// decodes. It reports which split readings were taken.
func splitAgrees(t *testing.T, name string, data []byte) (spdxSplit, cdxSplit bool) {
	t.Helper()
	scan, err := scanJSON(data, Limits{MaxBytes: 1 << 30, MaxComponents: 1 << 20, MaxDepth: DefaultMaxDepth})
	if err != nil {
		return false, false
	}
	if split, ok := readSPDX23Split(data, &scan); ok {
		spdxSplit = true
		lib := new(spdx.Document)
		if err := json.Unmarshal(data, lib); err != nil {
			t.Fatalf("%s: read split, but tools-golang refuses it: %v", name, err)
		}
		a, errA := json.Marshal(split)
		b, errB := json.Marshal(lib)
		switch {
		case errA != nil || errB != nil:
			// The library cannot always write out what it read (a creator
			// without a type): then both must fail alike.
			if fmt.Sprint(errA) != fmt.Sprint(errB) {
				t.Fatalf("%s: writing the models out: split %v, library %v", name, errA, errB)
			}
		case !bytes.Equal(a, b):
			t.Fatalf("%s: the split reading differs from tools-golang's\nsplit:   %.600s\nlibrary: %.600s", name, a, b)
		}
	}
	if split, ok := readCycloneDXSplit(data, &scan); ok {
		cdxSplit = true
		lib := new(cdx.BOM)
		if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(lib); err != nil {
			t.Fatalf("%s: read split, but cyclonedx-go refuses it: %v", name, err)
		}
		if !reflect.DeepEqual(split, lib) {
			t.Fatalf("%s: the split reading differs from cyclonedx-go's\nsplit:   %+v\nlibrary: %+v", name, split, lib)
		}
	}
	return spdxSplit, cdxSplit
}

// TestSplitAgrees reads every SPDX 2.3 and CycloneDX JSON document of the
// shared test data both ways.
func TestSplitAgrees(t *testing.T) {
	for _, dir := range []string{"spdx-json", "cyclonedx-json"} {
		files, _ := filepath.Glob(filepath.Join(sbomDir, dir, "*.json"))
		if len(files) == 0 {
			t.Skipf("no shared test data at %s", filepath.Join(sbomDir, dir))
		}
		split := 0
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if dir == "spdx-json" && !bytes.Contains(data, []byte(`"SPDX-2.3"`)) {
				continue
			}
			if s, c := splitAgrees(t, filepath.Base(f), data); (dir == "spdx-json" && s) || (dir == "cyclonedx-json" && c) {
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
	if s, _ := splitAgrees(t, "good", good); !s {
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
	if _, c := splitAgrees(t, "good", good); !c {
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
			if split(splitAgrees(t, name, data)) {
				t.Fatalf("read split: %s", data)
			}
			_, err := parseBytes(data, Limits{MaxBytes: 1 << 20, MaxComponents: 100, MaxDepth: 50})
			if e := (*csreview.Error)(nil); err != nil && !errors.As(err, &e) {
				t.Fatalf("refused with %T %v, want a *csreview.Error", err, err)
			}
		})
	}
}

// TestClosingQuote holds closingQuote, which skips to a quote and counts
// the backslashes before it, to the byte-by-byte reading of a string, on
// every string of up to ten bytes of a, \ and ".
func TestClosingQuote(t *testing.T) {
	var walk func(data []byte)
	walk = func(data []byte) {
		want := -1
		for i := 0; i < len(data); i++ {
			if data[i] == '\\' {
				i++
				continue
			}
			if data[i] == '"' {
				want = i
				break
			}
		}
		if got := closingQuote(data, 0); got != want {
			t.Fatalf("closingQuote(%q) = %d, want %d", data, got, want)
		}
		if len(data) < 10 {
			for _, c := range []byte{'a', '\\', '"'} {
				walk(append(data, c))
			}
		}
	}
	walk(nil)
}

// TestSPDXNullPackage: a null package (which made tools-golang panic) is
// skipped with a warning, not read as an empty package.
func TestSPDXNullPackage(t *testing.T) {
	data := []byte(`{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d","packages":[null,` +
		`{"SPDXID":"SPDXRef-a","name":"lodash","versionInfo":"4.17.15","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/lodash@4.17.15"}]}]}`)
	doc, err := parseBytes(data, Limits{MaxBytes: 1 << 20, MaxComponents: 100, MaxDepth: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Components) != 1 || doc.Components[0].Name != "lodash" {
		t.Fatalf("components: %+v, want lodash alone", doc.Components)
	}
	found := false
	for _, w := range doc.Warnings {
		found = found || w.Where == "packages[0]" && strings.Contains(w.What, "null")
	}
	if !found {
		t.Fatalf("no warning at packages[0] about the null: %+v", doc.Warnings)
	}
}

// TestSPDXPartyEscapes: a supplier or originator with JSON escapes (syft
// writes < and > as \u003c and \u003e) reads as the text it stands for,
// however the document is read.
func TestSPDXPartyEscapes(t *testing.T) {
	pkg := `{"SPDXID":"SPDXRef-a","name":"a","versionInfo":"1","supplier":"Organization: SUSE LLC \u003chttps://www.suse.com/\u003e","originator":"Person: Zoë \"Z\" Ng"}`
	for name, data := range map[string]string{
		"split":    `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d","packages":[` + pkg + `]}`,
		"library":  `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d","packages":[` + pkg + `],"hasFiles":[]}`,
		"tolerant": `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d","creationInfo":7,"packages":[` + pkg + `]}`,
		"older":    `{"spdxVersion":"SPDX-2.2","SPDXID":"SPDXRef-DOCUMENT","name":"d","packages":[` + pkg + `]}`,
	} {
		doc, err := parseBytes([]byte(data), Limits{MaxBytes: 1 << 20, MaxComponents: 100, MaxDepth: 50})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := doc.Components[0].Supplier; got != "SUSE LLC <https://www.suse.com/>" {
			t.Errorf("%s: supplier %q", name, got)
		}
	}
	doc, _ := parseBytes([]byte(`{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d","packages":[{"SPDXID":"SPDXRef-a","name":"a","originator":"Person: Zoë \"Z\" Ng"}]}`),
		Limits{MaxBytes: 1 << 20, MaxComponents: 100, MaxDepth: 50})
	if got := doc.Components[0].Supplier; got != `Zoë "Z" Ng` {
		t.Errorf("originator: %q", got)
	}
}
