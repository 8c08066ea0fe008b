package split

import (
	"bytes"
	"encoding/json"

	"github.com/csreview/csreview"
)

// ContainersPerComponent bounds the JSON objects and arrays (XML elements,
// tag-value lines) an SBOM may hold: that many per component the limits
// allow. Real SBOMs hold 5–30 per component, about one per 100 bytes;
// input made of "{}" holds one per 2 bytes, and tools-golang's first pass
// (into map[string]any) would turn 40 MB of it into over a gigabyte.
const ContainersPerComponent = 32

// MaxContainers is the most objects and arrays (XML elements, tag-value
// lines) an SBOM of at most maxComponents components may hold.
func MaxContainers(maxComponents int) int {
	return maxComponents * ContainersPerComponent
}

// TooManyContainers is the ETOOLARGE error for an SBOM with more than
// MaxContainers(maxComponents) of what (JSON objects and arrays, XML
// elements, lines).
func TooManyContainers(maxComponents int, what string) error {
	return csreview.Errorf(csreview.ETOOLARGE, "the SBOM has more than %d %s, the limit for %d components", MaxContainers(maxComponents), what, maxComponents)
}

// Scan is what ScanJSON finds: the objects in arrays under a "components"
// key (CycloneDX) or a "packages" key (SPDX), and the string values of the
// top-level fields that tell the JSON formats apart (Top, indexed by
// TopBOMFormat…).
type Scan struct {
	Components, Packages int
	Top                  [TopFields]string
	// arrays are the spans of the top-level arrays an SBOM's elements are
	// in (SPDX packages, files and relationships, CycloneDX components and
	// dependencies), and of each element (objects only), for reading them
	// in parallel (SPDX23, CycloneDX); split is false when the document is
	// one that cannot be read so (see ScanJSON).
	arrays [splitArrays]arraySpan
	split  bool
}

// arraySpan is where a top-level array and each of its elements are:
// data[start:end] is the array, data[e[0]:e[1]] an element.
type arraySpan struct {
	start, end int
	elems      [][2]int
}

// The top-level arrays whose elements are read one by one.
const (
	arrPackages = iota
	arrFiles
	arrRelationships
	arrComponents
	arrDependencies
	splitArrays
)

var splitArrayNames = [splitArrays]string{"packages", "files", "relationships", "components", "dependencies"}

const (
	keyOther byte = iota
	keyComponents
	keyPackages
)

// Top-level fields ScanJSON reads, the indexes of Scan.Top.
const (
	TopBOMFormat = iota
	TopSpecVersion
	TopSchema
	TopSPDXVersion
	TopContext
	TopFields
	topNone = -1
)

var topNames = [TopFields]string{"bomFormat", "specVersion", "$schema", "spdxVersion", "@context"}

// ScanJSON refuses JSON nested deeper than maxDepth or holding more
// objects and arrays than MaxContainers(maxComponents), scanning bytes
// (and skipping strings) so that no decoder recurses that deep or
// allocates that much. It leaves syntax errors to the decoders. It is the
// guard every JSON SBOM passes before any decoder sees it, whether or not
// it is then read split.
//
// On the way it finds the spans of the top-level arrays SBOM elements are
// in, and of their elements. A document is not split (split false) when encoding/json
// could read it otherwise than as the spans say: a key with an escape (it
// is matched unescaped), a second key that names one of the arrays, or
// one spelled in another case (keys match case-insensitively), an array
// element that is not an object, or a hasFiles key (tools-golang keeps a
// package's hasFiles where only its document reader can turn them into
// relationships).
func ScanJSON(data []byte, maxDepth, maxComponents int) (Scan, error) {
	n := Scan{split: true}
	containers, most := 0, MaxContainers(maxComponents)
	var open []byte // the key kind of each open container
	pending, top := keyOther, topNone
	pendingArr, arr := -1, -1 // the array a key names, the one open
	seenArr := [splitArrays]bool{}
	inArr := func() bool { return arr >= 0 && len(open) == 2 }
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			start := i + 1
			if i = closingQuote(data, start); i < 0 {
				return n, nil // unterminated: the decoder will say where
			}
			if k := skipSpace(data, i+1); k >= len(data) || data[k] != ':' {
				if top != topNone {
					n.Top[top] = unquote(data[start-1 : i+1])
				}
				if inArr() {
					n.split = false // a string element
				}
				pending, top, pendingArr = keyOther, topNone, -1
				break
			}
			key := data[start:i]
			pending, top, pendingArr = keyOther, topNone, -1
			if bytes.IndexByte(key, '\\') >= 0 || bytes.EqualFold(key, []byte("hasFiles")) {
				n.split = false
			}
			if len(open) == 1 {
				for a, name := range splitArrayNames {
					if bytes.EqualFold(key, []byte(name)) {
						if seenArr[a] || string(key) != name {
							n.split = false
						}
						seenArr[a], pendingArr = true, a
					}
				}
			}
			switch {
			case bytes.EqualFold(key, []byte("components")):
				pending = keyComponents
			case bytes.EqualFold(key, []byte("packages")):
				pending = keyPackages
			case len(open) == 1:
				for f, name := range topNames {
					if string(key) == name {
						top = f
					}
				}
			}
		case '[', '{':
			if len(open) >= maxDepth {
				line, col := LineCol(data, int64(i))
				return n, csreview.Errorf(csreview.EINVALID, "JSON nested deeper than the limit of %d levels at line %d, column %d", maxDepth, line, col)
			}
			if containers++; containers > most {
				return n, TooManyContainers(maxComponents, "JSON objects and arrays")
			}
			if c == '{' && len(open) > 0 {
				switch open[len(open)-1] {
				case keyComponents:
					n.Components++
				case keyPackages:
					n.Packages++
				}
			}
			switch {
			case inArr() && c == '{':
				n.arrays[arr].elems = append(n.arrays[arr].elems, [2]int{i, -1})
			case inArr():
				n.split = false // an array element
			case c == '[' && pendingArr >= 0 && len(open) == 1:
				arr = pendingArr
				n.arrays[arr].start = i
			}
			kind := keyOther
			if c == '[' {
				kind = pending
			}
			open = append(open, kind)
			pending, top, pendingArr = keyOther, topNone, -1
		case ']', '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			switch {
			case inArr() && c == '}':
				if e := n.arrays[arr].elems; len(e) > 0 {
					e[len(e)-1][1] = i + 1
				}
			case arr >= 0 && len(open) == 1 && c == ']':
				n.arrays[arr].end = i + 1
				arr = -1
			}
			pending, top, pendingArr = keyOther, topNone, -1
		case ':', ' ', '\t', '\r', '\n':
		default:
			if inArr() && c != ',' {
				n.split = false // a number or literal element
			}
			if top == TopSpecVersion { // a number, say 1.4
				end := i
				for end < len(data) && (data[end] >= '0' && data[end] <= '9' || data[end] == '.') {
					end++
				}
				n.Top[top] = string(data[i:end])
			}
			pending, top, pendingArr = keyOther, topNone, -1
		}
	}
	return n, nil
}

// closingQuote returns the index of the quote that closes the JSON string
// whose contents start at data[from], or -1. A quote is escaped when an odd
// number of backslashes comes before it; most strings have none, and
// IndexByte finds a quote many bytes at a time.
func closingQuote(data []byte, from int) int {
	for i := from; i < len(data); {
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return -1
		}
		q := i + j
		k := q
		for k > from && data[k-1] == '\\' {
			k--
		}
		if (q-k)%2 == 0 {
			return q
		}
		i = q + 1
	}
	return -1
}

// unquote returns the JSON string literal q, or "" if it is not one.
func unquote(q []byte) string {
	if bytes.IndexByte(q, '\\') < 0 {
		return string(q[1 : len(q)-1])
	}
	var s string
	if json.Unmarshal(q, &s) != nil {
		return ""
	}
	return s
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// LineCol returns the 1-based line and column of byte offset off in data.
func LineCol(data []byte, off int64) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
