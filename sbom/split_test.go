package sbom

import (
	"strings"
	"testing"

	"github.com/csreview/csreview/sbom/internal/split/splittest"
)

// The reading element by element is tested in internal/split against the
// libraries' readers; the tests here hold what Parse makes of a document
// whichever way it is read.

// splitAgrees is splittest.Agrees, which FuzzParse checks on each input.
func splitAgrees(t *testing.T, name string, data []byte) (spdxSplit, cdxSplit bool) {
	t.Helper()
	return splittest.Agrees(t, name, data)
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
