package sbom

import (
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
)

// readSPDX23Split reads an SPDX 2.3 JSON document into tools-golang's
// model as tools-golang's own reader does, but element by element, on
// every core: the packages, files and relationships each with the
// library's type for it, and the rest of the document (the arrays left
// empty) with the library's document type, which turns documentDescribes
// into relationships. The library's document reader decodes the whole
// document twice and each package twice more, on one core; this reads
// each byte once or twice, and a large SBOM in a third of the time.
//
// It reports false when it cannot read the document so: scanJSON found it
// unsafe to split (see jsonScan.split), or anything fails to decode. The
// caller then reads the document with tools-golang's own reader, which
// finds the same faults and says where they are.
func readSPDX23Split(data []byte, scan *jsonScan) (*spdx.Document, bool) {
	if !scan.split || !validGaps(data, scan) {
		return nil, false
	}
	// The rest: the document with the arrays replaced by [].
	rest := make([]byte, 0, len(data)/8)
	last := 0
	for _, a := range orderedArrays(scan) {
		rest = append(append(rest, data[last:a.start]...), "[]"...)
		last = a.end
	}
	rest = append(rest, data[last:]...)

	pkgs := make([]*spdx.Package, len(scan.arrays[spdxPackages].elems))
	files := make([]*spdx.File, len(scan.arrays[spdxFiles].elems))
	rels := make([]*spdx.Relationship, len(scan.arrays[spdxRelationships].elems))
	decode := func(array, i int) error {
		e := scan.arrays[array].elems[i]
		b := data[e[0]:e[1]]
		switch array {
		case spdxPackages:
			var p splitPackage
			if err := json.Unmarshal(b, &p); err != nil {
				return err
			}
			pkgs[i] = p.model()
			return nil
		case spdxFiles:
			files[i] = new(spdx.File)
			return json.Unmarshal(b, files[i])
		default:
			rels[i] = new(spdx.Relationship)
			return json.Unmarshal(b, rels[i])
		}
	}
	// Work in chunks of about 32 KiB, taken in turn by the workers.
	type chunk struct{ array, from, to int }
	var chunks []chunk
	for a := range scan.arrays {
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
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	work := func() {
		defer wg.Done()
		for !failed.Load() {
			k := int(next.Add(1)) - 1
			if k >= len(chunks) {
				return
			}
			c := chunks[k]
			for i := c.from; i < c.to; i++ {
				if decode(c.array, i) != nil {
					failed.Store(true)
					return
				}
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 8, len(chunks))
	wg.Add(workers)
	for range workers {
		go work()
	}
	doc := new(spdx.Document)
	if err := json.Unmarshal(rest, doc); err != nil {
		failed.Store(true)
	}
	wg.Wait()
	if failed.Load() {
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

// splitPackage reads a package as tools-golang's Package.UnmarshalJSON
// does, in one pass where that takes two: the model's fields with the
// library's own types (its supplier, originator, identifier, checksum and
// external reference readers), and whether filesAnalyzed is there. (The
// other thing the library's second pass reads, hasFiles, keeps a document
// from being split.)
type splitPackage struct {
	modelPackage
	FilesAnalyzed *bool `json:"filesAnalyzed"`
}

// modelPackage is tools-golang's Package without its JSON methods.
type modelPackage spdx.Package

// model returns the package as tools-golang's reader would: filesAnalyzed
// true when absent, and marked present when there.
func (p *splitPackage) model() *spdx.Package {
	m := spdx.Package(p.modelPackage)
	m.FilesAnalyzed, m.IsFilesAnalyzedTagPresent = true, false
	if p.FilesAnalyzed != nil {
		m.FilesAnalyzed, m.IsFilesAnalyzedTagPresent = *p.FilesAnalyzed, true
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

// orderedArrays returns the arrays scanJSON found, in document order.
func orderedArrays(scan *jsonScan) []arraySpan {
	var out []arraySpan
	for _, a := range scan.arrays {
		if a.end <= a.start {
			continue
		}
		i := len(out)
		for i > 0 && out[i-1].start > a.start {
			i--
		}
		out = append(out[:i], append([]arraySpan{a}, out[i:]...)...)
	}
	return out
}

// validGaps reports whether each array is what scanJSON took it for: "["
// then its elements, each closed, with commas between and white space
// around, then "]". The elements themselves are checked by decoding them.
func validGaps(data []byte, scan *jsonScan) bool {
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
