// Package split reads a large JSON SBOM element by element, on every
// core, into the model of the format's library (SPDX23, CycloneDX), and
// holds the scanner that finds the elements: ScanJSON, which is also the
// guard against hostile JSON (too deep, too many objects and arrays) that
// every JSON SBOM passes, split or not.
//
// A JSON SBOM keeps its elements in a few long top-level arrays. The
// field's libraries decode the whole document on one core (tools-golang
// twice over, and each package twice more). Here each element is decoded
// on its own with the library's type for it, the elements shared among
// the cores, and the rest of the document (those arrays left empty) with
// the library's document type. ScanJSON has found where the arrays and
// their elements are, and whether the document can be read so at all;
// validGaps checks what lies between the elements; the decoders check
// the rest. Whatever fails, the caller reads the document with the
// library's own reader, which finds the same fault and says where.
//
// The decoding follows encoding/json's rules (the libraries' types are
// written for them) as the Go team's JSON v2 implements them
// (github.com/go-json-experiment/json/v1: what encoding/json becomes with
// GOEXPERIMENT=jsonv2), which reads a value in one pass where
// encoding/json first checks it whole and then decodes it: about a third
// less time reading keycloak's 903 components or rancher's 939 packages.
//
// The split reading is a fast path, and stays only while it keeps its
// bounds, measured against the plain path on the same document in the
// same run (bench_test.go; bench/fastpaths.sh takes the median of 5
// runs): scanning and reading rancher's SPDX 2.3 SBOM (939 packages, 2.2
// MB) split takes at most 0.4× the time of tools-golang's decode of it
// (json.Unmarshal into an spdx.Document), and keycloak's CycloneDX BOM
// (903 components, 2.2 MB) at most 0.75× the time of cyclonedx-go's
// decoder. On a shared 2-core machine the medians were 0.13× and 0.34×,
// 0.20× and 0.48× with one core kept busy by another process, 0.17× and
// 0.41× with both, and 0.19× and 0.52× on one core (GOMAXPROCS=1). When a
// bound fails, that reading goes: Parse decodes the format with its
// library, as it does every document ScanJSON will not let be split, and
// ScanJSON stays, for it is the guard.
package split

import (
	"sort"
	"strings"
	"sync/atomic"

	jsonv1 "github.com/go-json-experiment/json/v1"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"

	"github.com/csreview/csreview/internal/par"
)

// splitDecode decodes each element of the given top-level arrays with
// decode(array, i, bytes), in parallel, and the rest of the document with
// rest. It reports false when the document cannot be read so.
func splitDecode(data []byte, scan *Scan, arrays []int, decode func(array, i int, elem []byte) error, rest func([]byte) error) bool {
	if !scan.split || !validGaps(data, scan) {
		return false
	}
	// The rest: the document with the arrays replaced by [].
	var spans []arraySpan
	for _, a := range arrays {
		if sp := scan.arrays[a]; sp.end > sp.start {
			spans = append(spans, sp)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	others := make([]byte, 0, len(data)/8)
	last := 0
	for _, sp := range spans {
		others = append(append(others, data[last:sp.start]...), "[]"...)
		last = sp.end
	}
	others = append(others, data[last:]...)

	// Work in chunks of about 32 KiB, taken in turn by the workers.
	type chunk struct{ array, from, to int }
	var chunks []chunk
	for _, a := range arrays {
		elems := scan.arrays[a].elems
		for from := 0; from < len(elems); {
			to, size := from, 0
			for to < len(elems) && size < 32<<10 {
				size += elems[to][1] - elems[to][0]
				to++
			}
			chunks = append(chunks, chunk{a, from, to})
			from = to
		}
	}
	var failed atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		par.Each(len(chunks), func(k int) {
			c := chunks[k]
			for i := c.from; i < c.to && !failed.Load(); i++ {
				e := scan.arrays[c.array].elems[i]
				if decode(c.array, i, data[e[0]:e[1]]) != nil {
					failed.Store(true)
				}
			}
		})
	}()
	if err := rest(others); err != nil {
		failed.Store(true)
	}
	<-done
	return !failed.Load()
}

// SPDX23 reads an SPDX 2.3 JSON document into tools-golang's model as
// the library's own reader does (json.Unmarshal into an spdx.Document),
// element by element (splitDecode). scan is what ScanJSON found in data.
// It reports false when it cannot; the caller then uses the library's
// reader. (Neither reader reads a document with hasFiles alike, so
// ScanJSON does not let such a document be split.)
func SPDX23(data []byte, scan *Scan) (*spdx.Document, bool) {
	pkgs := make([]*spdx.Package, len(scan.arrays[arrPackages].elems))
	files := make([]*spdx.File, len(scan.arrays[arrFiles].elems))
	rels := make([]*spdx.Relationship, len(scan.arrays[arrRelationships].elems))
	doc := new(spdx.Document)
	ok := splitDecode(data, scan, []int{arrPackages, arrFiles, arrRelationships}, func(array, i int, b []byte) error {
		switch array {
		case arrPackages:
			var p splitPackage
			if err := jsonv1.Unmarshal(b, &p); err != nil {
				return err
			}
			pkgs[i] = p.model()
			return nil
		case arrFiles:
			files[i] = new(spdx.File)
			return jsonv1.Unmarshal(b, files[i])
		default:
			rels[i] = new(spdx.Relationship)
			return jsonv1.Unmarshal(b, rels[i])
		}
	}, func(rest []byte) error { return jsonv1.Unmarshal(rest, doc) })
	if !ok {
		return nil, false
	}
	// What tools-golang's document reader does with the relationships:
	// drop nulls (there are none: every element is an object), then add
	// those documentDescribes implies (now in doc.Relationships) unless
	// the document states them already.
	described := doc.Relationships
	doc.Packages, doc.Files, doc.Relationships = pkgs, files, rels
	exists := make(map[string]bool, len(rels))
	for _, r := range rels {
		exists[relationshipKey(r)] = true
	}
	for _, r := range described {
		if k := relationshipKey(r); !exists[k] {
			doc.Relationships = append(doc.Relationships, r)
			exists[k] = true
		}
	}
	return doc, true
}

// CycloneDX reads a CycloneDX JSON BOM into cyclonedx-go's model as the
// library's decoder does (json.Unmarshal into a BOM), element by element
// (splitDecode). scan is what ScanJSON found in data. It reports false
// when it cannot; the caller then uses the library's decoder.
func CycloneDX(data []byte, scan *Scan) (*cdx.BOM, bool) {
	comps := make([]cdx.Component, len(scan.arrays[arrComponents].elems))
	deps := make([]cdx.Dependency, len(scan.arrays[arrDependencies].elems))
	bom := new(cdx.BOM)
	ok := splitDecode(data, scan, []int{arrComponents, arrDependencies}, func(array, i int, b []byte) error {
		if array == arrComponents {
			return jsonv1.Unmarshal(b, &comps[i])
		}
		return jsonv1.Unmarshal(b, &deps[i])
	}, func(rest []byte) error { return jsonv1.Unmarshal(rest, bom) })
	if !ok {
		return nil, false
	}
	// The rest had [] where the arrays were: the library's model has them
	// where the document does.
	if bom.Components != nil {
		bom.Components = &comps
	}
	if bom.Dependencies != nil {
		bom.Dependencies = &deps
	}
	return bom, true
}

// splitPackage reads a package as tools-golang's Package.UnmarshalJSON
// does, in one pass where that takes two, and its external references
// without a pass each: the model's fields with the library's own types
// (its supplier, originator, identifier and checksum readers), whether
// filesAnalyzed is there, and the external references as the library's
// reader of them leaves them. (The other thing the library's second pass
// reads, hasFiles, keeps a document from being split.)
type splitPackage struct {
	modelPackage
	FilesAnalyzed *bool               `json:"filesAnalyzed"`
	ExternalRefs  []*modelExternalRef `json:"externalRefs"`
}

// modelPackage and modelExternalRef are tools-golang's Package and
// PackageExternalReference without their JSON methods.
type (
	modelPackage     spdx.Package
	modelExternalRef spdx.PackageExternalReference
)

// model returns the package as tools-golang's reader would: filesAnalyzed
// true when absent, and marked present when there; each reference's
// category with "_" written "-".
func (p *splitPackage) model() *spdx.Package {
	m := spdx.Package(p.modelPackage)
	m.FilesAnalyzed, m.IsFilesAnalyzedTagPresent = true, false
	if p.FilesAnalyzed != nil {
		m.FilesAnalyzed, m.IsFilesAnalyzedTagPresent = *p.FilesAnalyzed, true
	}
	m.PackageExternalReferences = nil
	if p.ExternalRefs != nil {
		m.PackageExternalReferences = make([]*spdx.PackageExternalReference, len(p.ExternalRefs))
		for i, r := range p.ExternalRefs {
			if r != nil {
				ref := spdx.PackageExternalReference(*r)
				ref.Category = strings.ReplaceAll(ref.Category, "_", "-")
				m.PackageExternalReferences[i] = &ref
			}
		}
	}
	return &m
}

// relationshipKey is how tools-golang's document reader tells two
// relationships apart, with CONTAINED_BY and DESCRIBED_BY turned round.
func relationshipKey(r *spdx.Relationship) string {
	a, b, typ := r.RefA, r.RefB, r.Relationship
	switch typ {
	case common.TypeRelationshipContainedBy:
		a, b, typ = b, a, common.TypeRelationshipContains
	case common.TypeRelationshipDescribeBy:
		a, b, typ = b, a, common.TypeRelationshipDescribe
	}
	return common.RenderDocElementID(a) + "-" + typ + "->" + common.RenderDocElementID(b)
}

// validGaps reports whether each array is what ScanJSON took it for: "["
// then its elements, each closed, with commas between and white space
// around, then "]". The elements themselves are checked by decoding them.
func validGaps(data []byte, scan *Scan) bool {
	for _, a := range scan.arrays {
		if a.end <= a.start {
			if len(a.elems) > 0 {
				return false // elements of an array never closed
			}
			continue
		}
		at := a.start + 1 // after "["
		for i, e := range a.elems {
			if e[1] < 0 {
				return false
			}
			at = skipSpace(data, at)
			if i > 0 {
				if at >= len(data) || data[at] != ',' {
					return false
				}
				at = skipSpace(data, at+1)
			}
			if at != e[0] {
				return false
			}
			at = e[1]
		}
		if skipSpace(data, at) != a.end-1 {
			return false
		}
	}
	return true
}
