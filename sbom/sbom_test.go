package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/testenv"
)

// sbomDir is the shared real-world test data (see its README).
var sbomDir = filepath.Join("..", "..", "shared", "testdata", "sboms")

func needSBOMs(tb testing.TB) {
	tb.Helper()
	testenv.Shared(tb, "sboms")
}

// wantComponents is the "components" column of shared/testdata/README.md:
// CycloneDX components, nested ones included and metadata.component not;
// SPDX packages.
var wantComponents = map[string]int{
	"cyclonedx-json/cern-lhc-vdm-editor.cdx.json":            43,
	"cyclonedx-json/laravel-7.12.0.cdx.json":                 62,
	"cyclonedx-json/dropwizard-1.3.15.cdx.json":              167,
	"cyclonedx-json/proton-bridge-1.8.0.cdx.json":            201,
	"cyclonedx-json/keycloak-10.0.2.cdx.json":                903,
	"cyclonedx-json/juice-shop-11.1.2.npm.cdx.json":          1115,
	"cyclonedx-json/harp-0.2.10-darwin-amd64.gomod.cdx.json": 705,
	"cyclonedx-json/docker-alpine.syft.cdx.json":             15,
	"cyclonedx-json/docker-python.syft.cdx.json":             431,
	"cyclonedx-json/docker-vault.syft.cdx.json":              384,

	"cyclonedx-xml/laravel-7.12.0.spec-1.1.cdx.xml": 62,
	"cyclonedx-xml/dropwizard-1.3.15.cdx.xml":       167,
	"cyclonedx-xml/proton-bridge-1.8.0.cdx.xml":     201,
	"cyclonedx-xml/elixir-image.syft.cdx.xml":       584,
	"cyclonedx-xml/mediawiki-image.syft.cdx.xml":    196,
	"cyclonedx-xml/traefik-image.syft.cdx.xml":      266,
	"cyclonedx-xml/postgres-stretch.syft.cdx.xml":   137,

	"spdx-json/acme-v2.3.spdx.json":                                        4,
	"spdx-json/example11-cargo.spdx.json":                                  4,
	"spdx-json/example9-appbomination-maven.spdx.json":                     7,
	"spdx-json/kernel-module-management-operator-1.1.2-25-amd64.spdx.json": 183,
	"spdx-json/microsoft-sbom-tool-nuget.spdx.json":                        123,
	"spdx-json/flux-0.26.3.syft.spdx.json":                                 244,
	"spdx-json/powershell-7.2.1-alpine.sbomtool.spdx.json":                 331,
	"spdx-json/grype-0.32.0.syft.spdx.json":                                1160,
	"spdx-json/rancher-hardened-kubernetes.syft.spdx.json":                 939,
	"spdx-json/openshift-pipelines-client-1.14.3.spdx.json":                2034,

	"spdx-tv/example1.spdx":               1,
	"spdx-tv/example6-lib.spdx":           5,
	"spdx-tv/usbutils.reuse.spdx":         0,
	"spdx-tv/k8s-release-1.25.4.bom.spdx": 130,
	"spdx-tv/flux-0.26.3.syft.spdx":       244,
	"spdx-tv/fatbom-0.0.2.spdx":           460,
	"spdx-tv/grype-0.32.0.syft.spdx":      1160,
	"spdx-tv/istio-1.13-release.spdx":     3461,
}

func TestParseFile_RealWorld(t *testing.T) {
	t.Parallel()
	needSBOMs(t)
	files, err := filepath.Glob(filepath.Join(sbomDir, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(path, sbomDir+string(filepath.Separator)))
		seen[rel] = true
		t.Run(rel, func(t *testing.T) {
			doc, err := ParseFile(path, Limits{})
			if err != nil {
				t.Fatalf("ParseFile: %v", err)
			}
			want, ok := wantComponents[rel]
			if !ok {
				t.Logf("no expected count for %s (%d components read): add it to wantComponents", rel, len(doc.Components))
			} else if got := len(doc.Components); got != want {
				t.Errorf("got %d components, want %d", got, want)
			}
			kind := map[string][2]string{
				"cyclonedx-json": {FormatCycloneDX, EncodingJSON},
				"cyclonedx-xml":  {FormatCycloneDX, EncodingXML},
				"spdx-json":      {FormatSPDX, EncodingJSON},
				"spdx-tv":        {FormatSPDX, EncodingTagValue},
			}[filepath.Dir(rel)]
			if doc.Format != kind[0] || doc.Encoding != kind[1] {
				t.Errorf("got %s/%s, want %s/%s", doc.Format, doc.Encoding, kind[0], kind[1])
			}
			if doc.SpecVersion == "" {
				t.Error("no spec version")
			}
			refs := map[string]bool{}
			for _, c := range doc.Components {
				refs[c.Ref] = true
			}
			for _, c := range doc.Components {
				if c.Name == "" {
					t.Errorf("component %q has no name", c.Ref)
				}
				for _, d := range c.DependsOn {
					if !refs[d] {
						t.Errorf("%s depends on %q, which is no component", c.Ref, d)
					}
				}
			}
			for _, w := range doc.Warnings {
				if w.What == "" {
					t.Errorf("warning at %q says nothing", w.Where)
				}
			}
		})
	}
	for rel := range wantComponents {
		if !seen[rel] {
			t.Errorf("%s is listed in wantComponents but not in %s", rel, sbomDir)
		}
	}
}

// TestParseFile_Defects checks that the known defects of the test data are
// read past and reported where they are.
func TestParseFile_Defects(t *testing.T) {
	t.Parallel()
	needSBOMs(t)
	for _, tt := range []struct {
		file       string
		where      string // a warning at this location…
		what       string // …saying this
		wantStrict bool   // the strict library's refusal is reported
	}{
		{"spdx-json/flux-0.26.3.syft.spdx.json", "files[0].SPDXID", "lacks the SPDXRef- prefix", true},
		{"spdx-tv/flux-0.26.3.syft.spdx", "line 3054", "lacks the SPDXRef- prefix", true},
		{"spdx-json/grype-0.32.0.syft.spdx.json", "packages[1].originator", `lacks the "Person:" or "Organization:" prefix`, true},
		{"spdx-tv/grype-0.32.0.syft.spdx", "line 1451", `lacks the "Person:" or "Organization:" prefix`, true},
		{"spdx-tv/fatbom-0.0.2.spdx", "line 513", "encodes '@' as %40", false},
		{"spdx-tv/fatbom-0.0.2.spdx", "", "duplicate purl", false},
		{"cyclonedx-json/juice-shop-11.1.2.npm.cdx.json", "components[106].purl", "duplicate purl pkg:npm/debug@4.3.4", false},
		{"spdx-json/microsoft-sbom-tool-nuget.spdx.json", "packages[61].externalRefs[0]", "invalid purl", false},
	} {
		t.Run(tt.file+"/"+tt.what, func(t *testing.T) {
			doc, err := ParseFile(filepath.Join(sbomDir, tt.file), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !hasWarning(doc, tt.where, tt.what) {
				t.Errorf("no warning at %q saying %q; got %d warnings, first %v", tt.where, tt.what, len(doc.Warnings), firstWarnings(doc, 3))
			}
			if got := hasWarning(doc, "", "refused the"); got != tt.wantStrict {
				t.Errorf("strict refusal reported: got %v, want %v", got, tt.wantStrict)
			}
		})
	}
}

func hasWarning(doc *Document, where, what string) bool {
	for _, w := range doc.Warnings {
		if (where == "" || w.Where == where) && strings.Contains(w.What, what) {
			return true
		}
	}
	return false
}

func firstWarnings(doc *Document, n int) []csreview.SBOMWarning {
	return doc.Warnings[:min(n, len(doc.Warnings))]
}

func TestParseFile_Mapping(t *testing.T) {
	t.Parallel()
	needSBOMs(t)
	ecosystems := func(doc *Document) map[string]int {
		m := map[string]int{}
		for _, c := range doc.Components {
			m[c.Ecosystem]++
		}
		return m
	}
	find := func(t *testing.T, doc *Document, ref string) *csreview.Component {
		t.Helper()
		for _, c := range doc.Components {
			if c.Ref == ref {
				return c
			}
		}
		t.Fatalf("no component %q", ref)
		return nil
	}
	parse := func(t *testing.T, file string) *Document {
		t.Helper()
		doc, err := ParseFile(filepath.Join(sbomDir, file), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}

	t.Run("EcosystemCounts", func(t *testing.T) {
		for _, tt := range []struct {
			file string
			want map[string]int
		}{
			{"cyclonedx-json/juice-shop-11.1.2.npm.cdx.json", map[string]int{"npm": 1115}},
			{"cyclonedx-json/keycloak-10.0.2.cdx.json", map[string]int{"Maven": 903}},
			{"cyclonedx-json/docker-python.syft.cdx.json", map[string]int{"Debian": 426, "PyPI": 4, "": 1}},
			{"cyclonedx-json/docker-alpine.syft.cdx.json", map[string]int{"Alpine": 14, "": 1}},
			{"cyclonedx-xml/mediawiki-image.syft.cdx.xml", map[string]int{"Packagist": 98, "Alpine": 97, "": 1}},
			{"spdx-json/kernel-module-management-operator-1.1.2-25-amd64.spdx.json", map[string]int{"Red Hat": 180, "": 3}},
			{"spdx-json/grype-0.32.0.syft.spdx.json", map[string]int{"Go": 1152, "": 3, "Maven": 2, "PyPI": 1, "Alpine": 1, "RubyGems": 1}},
			{"spdx-tv/fatbom-0.0.2.spdx", map[string]int{"Go": 458, "": 2}},
		} {
			t.Run(tt.file, func(t *testing.T) {
				got := ecosystems(parse(t, tt.file))
				if len(got) != len(tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
				for eco, n := range tt.want {
					if got[eco] != n {
						t.Errorf("%q: got %d, want %d (all: %v)", eco, got[eco], n, got)
					}
				}
			})
		}
	})

	t.Run("CycloneDXComponent", func(t *testing.T) {
		doc := parse(t, "cyclonedx-json/keycloak-10.0.2.cdx.json")
		if got, want := doc.Name, "org.keycloak/keycloak-parent"; got != want {
			t.Errorf("Name: got %q, want %q", got, want)
		}
		c := find(t, doc, "pkg:maven/org.keycloak/keycloak-common@10.0.2?type=jar")
		if got, want := c.Name, "org.keycloak:keycloak-common"; got != want {
			t.Errorf("Name: got %q, want %q", got, want)
		}
		if got, want := c.Version, "10.0.2"; got != want {
			t.Errorf("Version: got %q, want %q", got, want)
		}
		if got, want := strings.Join(c.DependsOn, " "), "pkg:maven/com.sun.activation/jakarta.activation@1.2.1?type=jar"; got != want {
			t.Errorf("DependsOn: got %q, want %q", got, want)
		}
		if len(c.Hashes) == 0 || c.Hashes[0].Alg != "MD5" {
			t.Errorf("Hashes: got %v", c.Hashes)
		}
	})

	t.Run("XMLTwin", func(t *testing.T) {
		j := parse(t, "cyclonedx-json/dropwizard-1.3.15.cdx.json")
		x := parse(t, "cyclonedx-xml/dropwizard-1.3.15.cdx.xml")
		if len(j.Components) != len(x.Components) {
			t.Fatalf("got %d XML components, %d JSON", len(x.Components), len(j.Components))
		}
		for i := range j.Components {
			a, b := j.Components[i], x.Components[i]
			if a.Ref != b.Ref || a.Name != b.Name || a.Version != b.Version || a.Ecosystem != b.Ecosystem ||
				a.Supplier != b.Supplier || len(a.Hashes) != len(b.Hashes) ||
				strings.Join(a.DependsOn, ",") != strings.Join(b.DependsOn, ",") {
				t.Fatalf("component %d differs:\nJSON %+v\nXML  %+v", i, a, b)
			}
		}
	})

	t.Run("NestedGoModules", func(t *testing.T) {
		doc := parse(t, "cyclonedx-json/proton-bridge-1.8.0.cdx.json")
		c := find(t, doc, "pkg:golang/github.com/AndreasBriese/bbloom@v0.0.0-20190306092124-e2d15f34fcf9")
		if got, want := c.Name, "github.com/AndreasBriese/bbloom"; got != want {
			t.Errorf("Name keeps the module path's case: got %q, want %q", got, want)
		}
		if got, want := strings.Join(c.Licenses, " "), "CC0-1.0 MIT"; got != want {
			t.Errorf("Licenses: got %q, want %q", got, want)
		}
	})

	t.Run("Supplier", func(t *testing.T) {
		doc := parse(t, "cyclonedx-json/docker-python.syft.cdx.json")
		c := find(t, doc, "pkg:deb/debian/apt@2.2.4?arch=amd64&distro=debian-11&package-id=aa414cb26ab3bbca")
		if got, want := c.Supplier, "APT Development Team <deity@lists.debian.org>"; got != want {
			t.Errorf("publisher as supplier: got %q, want %q", got, want)
		}
		doc = parse(t, "spdx-json/grype-0.32.0.syft.spdx.json")
		c = find(t, doc, "SPDXRef-b053b251176b4750")
		if got, want := c.Supplier, "Georg Brandl <georg@python.org>"; got != want {
			t.Errorf("untyped originator as supplier: got %q, want %q", got, want)
		}
		if got, want := c.Name, "pygments"; got != want {
			t.Errorf("PyPI name: got %q, want %q", got, want)
		}
	})

	t.Run("SPDXContains", func(t *testing.T) {
		doc := parse(t, "spdx-tv/example6-lib.spdx")
		c := find(t, doc, "SPDXRef-Package-godist")
		if got, want := len(c.DependsOn), 4; got != want {
			t.Errorf("godist CONTAINS: got %d edges (%v), want %d", got, c.DependsOn, want)
		}
		doc = parse(t, "spdx-json/kernel-module-management-operator-1.1.2-25-amd64.spdx.json")
		edges := 0
		for _, c := range doc.Components {
			edges += len(c.DependsOn)
		}
		if got, want := edges, 180; got != want {
			t.Errorf("kernel-module-management CONTAINS edges: got %d, want %d", got, want)
		}
	})

	t.Run("PercentEncodedAt", func(t *testing.T) {
		doc := parse(t, "spdx-tv/fatbom-0.0.2.spdx")
		var c *csreview.Component
		for _, x := range doc.Components {
			if x.PURL == "pkg:golang/github.com/pmezard/go-difflib%40v1.0.0" {
				c = x
			}
		}
		if c == nil {
			t.Fatal("purl not kept as written")
		}
		if c.Ecosystem != "Go" || c.Name != "github.com/pmezard/go-difflib" || c.Version != "v1.0.0" {
			t.Errorf("got %s %s %s", c.Ecosystem, c.Name, c.Version)
		}
	})

	t.Run("NoPackages", func(t *testing.T) {
		doc := parse(t, "spdx-tv/usbutils.reuse.spdx")
		if len(doc.Components) != 0 || doc.Name != "usbutils" || doc.SpecVersion != "SPDX-2.1" {
			t.Errorf("got %d components, name %q, version %q", len(doc.Components), doc.Name, doc.SpecVersion)
		}
	})
}

// TestParse_Formats covers what the real-world files do not.
func TestParse_Formats(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in    string
		format, enc string
		spec        string
		components  int
		warning     string
	}{
		{"CycloneDX17JSON", `{"bomFormat":"CycloneDX","specVersion":"1.7","components":[{"type":"library","name":"a","purl":"pkg:npm/a@1"}]}`,
			FormatCycloneDX, EncodingJSON, "1.7", 1, ""},
		{"CycloneDX17XML", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.7"><components><component type="library"><name>a</name><components><component type="library"><name>b</name></component></components></component></components></bom>`,
			FormatCycloneDX, EncodingXML, "1.7", 2, ""},
		{"CycloneDXUnknownSpec", `{"bomFormat":"CycloneDX","specVersion":"1.9","components":[{"type":"library","name":"a"}]}`,
			FormatCycloneDX, EncodingJSON, "1.9", 1, "refused"},
		{"CycloneDXLicenseWithoutID", `{"bomFormat":"CycloneDX","specVersion":"1.4","components":[{"type":"library","name":"a","licenses":[{"license":{"url":"http://x"}}]}]}`,
			FormatCycloneDX, EncodingJSON, "1.4", 1, ""},
		{"CycloneDXWrongType", `{"bomFormat":"CycloneDX","specVersion":"1.4","components":[{"type":"library","name":"a","version":3},{"name":"b"}]}`,
			FormatCycloneDX, EncodingJSON, "1.4", 2, "a JSON number where string was expected"},
		{"UTF8BOM", "\xEF\xBB\xBF" + `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}`,
			FormatCycloneDX, EncodingJSON, "1.5", 0, ""},
		{"SPDXJSONBadPackage", `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d","packages":[{"SPDXID":"SPDXRef-a","name":"a"},7,{"SPDXID":"SPDXRef-b","name":"b","versionInfo":1}]}`,
			FormatSPDX, EncodingJSON, "SPDX-2.3", 2, "packages[1]"},
		{"SPDXTagValueUnclosedText", "SPDXVersion: SPDX-2.2\nDocumentName: d\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\nSPDXID: SPDXRef-a\nPackageComment: <text>never closed\n",
			FormatSPDX, EncodingTagValue, "SPDX-2.2", 1, "not closed"},
		{"SPDXTagValueComment", "# made by hand\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nDocumentName: d\nSPDXID: SPDXRef-DOCUMENT\n",
			FormatSPDX, EncodingTagValue, "SPDX-2.3", 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse(strings.NewReader(tt.in), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != tt.format || doc.Encoding != tt.enc || doc.SpecVersion != tt.spec {
				t.Errorf("got %s %s %s, want %s %s %s", doc.Format, doc.Encoding, doc.SpecVersion, tt.format, tt.enc, tt.spec)
			}
			if got := len(doc.Components); got != tt.components {
				t.Errorf("got %d components, want %d", got, tt.components)
			}
			if tt.warning != "" && !hasWarning(doc, "", tt.warning) && !hasWarningAt(doc, tt.warning) {
				t.Errorf("no warning mentioning %q in %v", tt.warning, doc.Warnings)
			}
			if tt.warning == "" && len(doc.Warnings) > 0 {
				t.Errorf("unexpected warnings %v", doc.Warnings)
			}
		})
	}
}

func hasWarningAt(doc *Document, where string) bool {
	for _, w := range doc.Warnings {
		if strings.Contains(w.Where, where) {
			return true
		}
	}
	return false
}

func TestParse_Errors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in string
		lim      Limits
		code     string
		message  string
	}{
		{"Empty", "", Limits{}, csreview.EINVALID, "empty"},
		{"Blank", " \n\t", Limits{}, csreview.EINVALID, "empty"},
		{"Binary", "\x00\x01\x02garbage", Limits{}, csreview.EINVALID, "not an SBOM"},
		{"PlainText", "hello world\nthis is not an SBOM\n", Limits{}, csreview.EINVALID, "not an SBOM"},
		{"TagsWithoutVersion", "DocumentName: x\nPackageName: y\n", Limits{}, csreview.EINVALID, "not an SBOM"},
		{"JSONArray", `[1,2,3]`, Limits{}, csreview.EINVALID, "not an SBOM"},
		{"JSONObject", `{"name":"x"}`, Limits{}, csreview.EINVALID, "neither bomFormat"},
		{"OtherBOMFormat", `{"bomFormat":"Other"}`, Limits{}, csreview.EINVALID, `bomFormat "Other"`},
		{"SPDX3", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}`, Limits{}, csreview.EINVALID, "SPDX 3"},
		{"TruncatedJSON", "{\"bomFormat\":\"CycloneDX\",\n\"specVersion\":\"1.4\",\n\"components\":[{\"name\":", Limits{}, csreview.EINVALID, "line 3"},
		{"BadJSONSyntax", "{\"bomFormat\":\"CycloneDX\",\n \"specVersion\": 1.4.4}", Limits{}, csreview.EINVALID, "line 2"},
		{"XMLNotCycloneDX", `<html><body/></html>`, Limits{}, csreview.EINVALID, "<html>"},
		{"SPDXRDF", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>`, Limits{}, csreview.EINVALID, "RDF"},
		{"BrokenXML", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<components>\n<component></components></bom>", Limits{}, csreview.EINVALID, "line 3"},
		{"UTF16", "\xFF\xFE{\x00}\x00", Limits{}, csreview.EINVALID, "UTF-16"},
		{"TooManyComponents", `{"bomFormat":"CycloneDX","specVersion":"1.4","components":[{"name":"a"},{"name":"b","components":[{"name":"c"}]}]}`,
			Limits{MaxComponents: 2}, csreview.ETOOLARGE, "limit of 2 components"},
		{"TooManyPackages", "SPDXVersion: SPDX-2.3\nDocumentName: d\nSPDXID: SPDXRef-DOCUMENT\nPackageName: a\nSPDXID: SPDXRef-a\nPackageName: b\nSPDXID: SPDXRef-b\n",
			Limits{MaxComponents: 1}, csreview.ETOOLARGE, "limit of 1 components"},
		{"TooManyXMLComponents", `<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components>` + strings.Repeat(`<component type="library"><name>x</name></component>`, 3) + `</components></bom>`,
			Limits{MaxComponents: 2}, csreview.ETOOLARGE, "limit of 2 components (at line 1)"},
		{"TooManyXMLElements", `<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>x</name>` + strings.Repeat(`<hash/>`, 200) + `</component></components></bom>`,
			Limits{MaxComponents: 2}, csreview.ETOOLARGE, "64 XML elements"},
		{"TooManySPDXJSONPackages", `{"spdxVersion":"SPDX-2.3","packages":[{"name":"a"},{"name":"b"},{"name":"c"}]}`,
			Limits{MaxComponents: 2}, csreview.ETOOLARGE, "limit of 2 components"},
		{"TooManyTagValueLines", "SPDXVersion: SPDX-2.3\n" + strings.Repeat("FileComment: x\n", 200),
			Limits{MaxComponents: 2}, csreview.ETOOLARGE, "64 lines"},
		{"TooBig", `{"bomFormat":"CycloneDX","specVersion":"1.4"}`, Limits{MaxBytes: 10}, csreview.ETOOLARGE, "limit of 10 bytes"},
		{"TooDeep", `{"bomFormat":"CycloneDX","components":[[[[1]]]]}`, Limits{MaxDepth: 4}, csreview.EINVALID, "deeper than the limit of 4"},
		{"DeepInStringIsFine", `{"bomFormat":"CycloneDX","specVersion":"1.4","x":"[[[[[[[[\"[[["}`, Limits{MaxDepth: 2}, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in), tt.lim)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			assertError(t, err, tt.code, tt.message)
		})
	}
}

func TestParseFile_Errors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	_, err := ParseFile(missing, Limits{})
	assertError(t, err, csreview.ENOTFOUND, missing)

	bad := filepath.Join(dir, "bad.cdx.json")
	if err := os.WriteFile(bad, []byte(`{"bomFormat":"CycloneDX",`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = ParseFile(bad, Limits{})
	assertError(t, err, csreview.EINVALID, bad+": malformed JSON")

	_, err = ParseFile(bad, Limits{MaxBytes: 5})
	assertError(t, err, csreview.ETOOLARGE, bad+": the SBOM is larger than the limit of 5 bytes")
}

func assertError(t *testing.T, err error, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var e *csreview.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want a *csreview.Error", err, err)
	}
	if e.Code != code {
		t.Errorf("code: got %q, want %q (%v)", e.Code, code, err)
	}
	if !strings.Contains(e.Message, message) {
		t.Errorf("message: got %q, want it to mention %q", e.Message, message)
	}
}

// TestParse_Hostile feeds input built to exhaust a parser; each must be
// refused at once.
func TestParse_Hostile(t *testing.T) {
	const deep = 100000
	// The bound is measured in this run, so that a busy machine slows it
	// as much as the parser: a plain scan (json.Valid) of the densest
	// input below. Guarded, the parser refuses each in about 1-2 times
	// that; unguarded, these take minutes or gigabytes.
	dense := append([]byte(`{"spdxVersion":"SPDX-2.3","relationships":[`), bytes.Repeat([]byte(`{},`), 7e6)...)
	start := time.Now()
	json.Valid(dense)
	bound := max(raceSlowdown*2*time.Second, 8*time.Since(start))
	dense = nil
	billionLaughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&lol9;</name></component></components></bom>`
	xxe := `<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&xxe;</name></component></components></bom>`
	for _, tt := range []struct {
		name    string
		in      func() io.Reader
		code    string
		message string
	}{
		{"DeepJSON", func() io.Reader {
			return strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.4","components":` + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "}")
		}, csreview.EINVALID, "nested deeper than the limit of 200"},
		{"DeepJSONUnclosed", func() io.Reader {
			return strings.NewReader(`{"spdxVersion":"SPDX-2.3","packages":` + strings.Repeat(`{"a":`, deep))
		}, csreview.EINVALID, "nested deeper"},
		{"DeepXML", func() io.Reader {
			return strings.NewReader(`<bom xmlns="http://cyclonedx.org/schema/bom/1.4">` + strings.Repeat("<a>", deep) + strings.Repeat("</a>", deep) + "</bom>")
		}, csreview.EINVALID, "nested deeper than the limit of 200"},
		{"BillionLaughs", func() io.Reader { return strings.NewReader(billionLaughs) }, csreview.EINVALID, "<!DOCTYPE"},
		{"XXE", func() io.Reader { return strings.NewReader(xxe) }, csreview.EINVALID, "<!DOCTYPE"},
		{"EntityWithoutDoctype", func() io.Reader {
			return strings.NewReader(`<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><!ENTITY x "y"></bom>`)
		}, csreview.EINVALID, "<!ENTITY"},
		{"HugeSBOMStream", func() io.Reader {
			return &endless{prefix: []byte(`{"bomFormat":"CycloneDX","specVersion":"1.4","components":[`), unit: []byte(`{"type":"library","name":"x"},`), size: 300 << 20}
		}, csreview.ETOOLARGE, "limit of 256 MiB"},
		{"DenseJSON", func() io.Reader {
			// 7M empty objects: 21 MB that a decoder into any would turn
			// into gigabytes.
			return &endless{prefix: []byte(`{"spdxVersion":"SPDX-2.3","relationships":[`), unit: []byte(`{},`), size: 7e6 * 3}
		}, csreview.ETOOLARGE, "JSON objects and arrays"},
		{"HugeGarbageStream", func() io.Reader {
			return &endless{unit: []byte{0, 1, 2, 3}, size: 300 << 20}
		}, csreview.EINVALID, "not an SBOM"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in()
			start := time.Now()
			_, err := Parse(in, Limits{})
			elapsed := time.Since(start)
			assertError(t, err, tt.code, tt.message)
			if elapsed > bound {
				t.Errorf("took %v, past the bound of %v measured in this run", elapsed, bound)
			}
			t.Logf("refused in %v", elapsed)
			if e, ok := in.(*endless); ok && e.read > DefaultMaxBytes+sniffSize+bytes.MinRead {
				t.Errorf("read %d bytes, past the limit", e.read)
			}
		})
	}
}

// endless generates size bytes, prefix then unit repeated, without ever
// holding them.
type endless struct {
	prefix, unit []byte
	size, read   int64
	block        []byte // unit repeated, to copy from in large pieces
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.size {
		return 0, io.EOF
	}
	if e.block == nil {
		e.block = bytes.Repeat(e.unit, 64<<10/len(e.unit)+1)
	}
	n := 0
	for n < len(p) && e.read < e.size {
		var src []byte
		if e.read < int64(len(e.prefix)) {
			src = e.prefix[e.read:]
		} else {
			src = e.block[(e.read-int64(len(e.prefix)))%int64(len(e.unit)):]
		}
		src = src[:min(int64(len(src)), e.size-e.read)]
		c := copy(p[n:], src)
		n += c
		e.read += int64(c)
	}
	return n, nil
}

// benchFiles are the largest SBOMs of each kind.
var benchFiles = []string{
	"cyclonedx-json/juice-shop-11.1.2.npm.cdx.json",
	"cyclonedx-json/keycloak-10.0.2.cdx.json",
	"cyclonedx-xml/elixir-image.syft.cdx.xml",
	"spdx-json/openshift-pipelines-client-1.14.3.spdx.json",
	"spdx-json/rancher-hardened-kubernetes.syft.spdx.json",
	"spdx-tv/istio-1.13-release.spdx",
}

// BenchmarkParse reports components/s, and x-decode: the time of a parse
// over that of merely decoding the same bytes with the standard library
// (JSON into any, XML tokens, tag-value lines), measured in the same run.
func BenchmarkParse(b *testing.B) {
	needSBOMs(b)
	for _, file := range benchFiles {
		data, err := os.ReadFile(filepath.Join(sbomDir, file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(file), func(b *testing.B) {
			doc, err := Parse(bytes.NewReader(data), Limits{})
			if err != nil {
				b.Fatal(err)
			}
			base := baseline(b, data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Parse(bytes.NewReader(data), Limits{}); err != nil {
					b.Fatal(err)
				}
			}
			perOp := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(len(doc.Components))/perOp, "components/s")
			b.ReportMetric(perOp/base.Seconds(), "x-decode")
		})
	}
}

// baseline times a plain standard-library decode of data.
func baseline(b *testing.B, data []byte) time.Duration {
	b.Helper()
	decode := func() {
		switch p := trimLeft(data); p[0] {
		case '{':
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		case '<':
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := d.Token(); err != nil {
					break
				}
			}
		default:
			s := bufio.NewScanner(bytes.NewReader(data))
			for s.Scan() {
				_, _, _ = strings.Cut(s.Text(), ":")
			}
		}
	}
	decode()
	const n = 5
	start := time.Now()
	for range n {
		decode()
	}
	return time.Since(start) / n
}

// FuzzParse runs Parse on the seeds in testdata/fuzz/FuzzParse (small
// SBOMs of each format, with their known defects) and their mutations: it
// must never panic, must fail only with a *csreview.Error, and must keep to
// its limits; and an SPDX 2.3 JSON document read element by element must
// read as tools-golang's own reader reads it.
func FuzzParse(f *testing.F) {
	lim := Limits{MaxBytes: 1 << 20, MaxComponents: 1000, MaxDepth: 50}
	f.Fuzz(func(t *testing.T, data []byte) {
		splitAgrees(t, "input", data)
		start := time.Now()
		doc, err := Parse(bytes.NewReader(data), lim)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %v on %d bytes", d, len(data))
		}
		if err != nil {
			if e, ok := err.(*csreview.Error); !ok || e.Code == "" || e.Message == "" {
				t.Fatalf("got %T %v, want a *csreview.Error with a code and a message", err, err)
			}
			return
		}
		if doc.Format != FormatCycloneDX && doc.Format != FormatSPDX {
			t.Fatalf("format %q", doc.Format)
		}
		if len(doc.Components) > lim.MaxComponents {
			t.Fatalf("%d components, over the limit", len(doc.Components))
		}
		if len(doc.Warnings) > maxWarnings+100 {
			t.Fatalf("%d warnings", len(doc.Warnings))
		}
		refs := map[string]bool{}
		for _, c := range doc.Components {
			if c == nil {
				t.Fatal("nil component")
			}
			refs[c.Ref] = true
		}
		for _, c := range doc.Components {
			for _, d := range c.DependsOn {
				if !refs[d] {
					t.Fatalf("%q depends on %q, no component", c.Ref, d)
				}
			}
		}
	})
}
