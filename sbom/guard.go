package sbom

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/csreview/csreview"
)

// containersPerComponent bounds the JSON objects and arrays (XML elements,
// tag-value lines) an SBOM may hold: that many per component the limits
// allow. Real SBOMs hold 5–30 per component, about one per 100 bytes;
// input made of "{}" holds one per 2 bytes, and tools-golang's first pass
// (into map[string]any) would turn 40 MB of it into over a gigabyte.
const containersPerComponent = 32

func maxContainers(lim Limits) int {
	return lim.MaxComponents * containersPerComponent
}

func tooManyComponents(lim Limits, where string) error {
	if where != "" {
		where = " (at " + where + ")"
	}
	return csreview.Errorf(csreview.ETOOLARGE, "the SBOM has more than the limit of %d components%s", lim.MaxComponents, where)
}

func tooManyContainers(lim Limits, what string) error {
	return csreview.Errorf(csreview.ETOOLARGE, "the SBOM has more than %d %s, the limit for %d components", maxContainers(lim), what, lim.MaxComponents)
}

// jsonScan is what scanJSON finds: the objects in arrays under a
// "components" key (CycloneDX) or a "packages" key (SPDX), and the string
// values of the top-level fields that tell the JSON formats apart.
type jsonScan struct {
	components, packages int
	top                  [topFields]string
	// arrays are the spans of the top-level arrays an SBOM's elements are
	// in (SPDX packages, files and relationships, CycloneDX components and
	// dependencies), and of each element (objects only), for reading them
	// in parallel (split.go); split is false when the document is one that
	// cannot be read so (see scanJSON).
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

// Top-level fields scanJSON reads.
const (
	topBOMFormat = iota
	topSpecVersion
	topSchema
	topSPDXVersion
	topContext
	topFields
	topNone = -1
)

var topNames = [topFields]string{"bomFormat", "specVersion", "$schema", "spdxVersion", "@context"}

// scanJSON refuses JSON nested deeper than lim.MaxDepth or holding more
// objects and arrays than maxContainers, scanning bytes (and skipping
// strings) so that no decoder recurses that deep or allocates that much.
// It leaves syntax errors to the decoders.
//
// On the way it finds the spans of the top-level arrays SBOM elements are
// in, and of their elements. A document is not split (split false) when encoding/json
// could read it otherwise than as the spans say: a key with an escape (it
// is matched unescaped), a second key that names one of the arrays, or
// one spelled in another case (keys match case-insensitively), an array
// element that is not an object, or a hasFiles key (tools-golang keeps a
// package's hasFiles where only its document reader can turn them into
// relationships).
func scanJSON(data []byte, lim Limits) (jsonScan, error) {
	n := jsonScan{split: true}
	containers, most := 0, maxContainers(lim)
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
					n.top[top] = unquote(data[start-1 : i+1])
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
			if len(open) >= lim.MaxDepth {
				line, col := lineCol(data, int64(i))
				return n, csreview.Errorf(csreview.EINVALID, "JSON nested deeper than the limit of %d levels at line %d, column %d", lim.MaxDepth, line, col)
			}
			if containers++; containers > most {
				return n, tooManyContainers(lim, "JSON objects and arrays")
			}
			if c == '{' && len(open) > 0 {
				switch open[len(open)-1] {
				case keyComponents:
					n.components++
				case keyPackages:
					n.packages++
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
			if top == topSpecVersion { // a number, say 1.4
				end := i
				for end < len(data) && (data[end] >= '0' && data[end] <= '9' || data[end] == '.') {
					end++
				}
				n.top[top] = string(data[i:end])
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

// scanXML refuses XML that declares a DTD — a DOCTYPE, ENTITY or other
// <!…> declaration, the carrier of entity expansion ("billion laughs") and
// external entities (XXE) — XML nested deeper than lim.MaxDepth elements,
// and XML with more elements than maxContainers or more <component>s than
// lim.MaxComponents. It scans bytes, skipping comments, CDATA, processing
// instructions and quoted attribute values; what it cannot make sense of it
// leaves to the decoder.
func scanXML(data []byte, lim Limits) error {
	depth, elements, components, most := 0, 0, 0, maxContainers(lim)
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			return nil
		}
		i += j
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest[4:], []byte("-->"))
			if k < 0 {
				return nil
			}
			i += 4 + k + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			k := bytes.Index(rest[9:], []byte("]]>"))
			if k < 0 {
				return nil
			}
			i += 9 + k + 3
		case bytes.HasPrefix(rest, []byte("<!")):
			line, _ := lineCol(data, int64(i))
			return csreview.Errorf(csreview.EINVALID, "XML with a document type declaration (%s) at line %d is refused: SBOMs need none, and entities can expand without bound or read local files", clip(declName(rest)), line)
		case bytes.HasPrefix(rest, []byte("<?")):
			k := bytes.Index(rest[2:], []byte("?>"))
			if k < 0 {
				return nil
			}
			i += 2 + k + 2
		case bytes.HasPrefix(rest, []byte("</")):
			depth--
			k := bytes.IndexByte(rest, '>')
			if k < 0 {
				return nil
			}
			i += k + 1
		default:
			k, ok := tagEnd(rest)
			if !ok {
				return nil
			}
			if elements++; elements > most {
				return tooManyContainers(lim, "XML elements")
			}
			if isComponent(rest[1:k]) {
				if components++; components > lim.MaxComponents {
					line, _ := lineCol(data, int64(i))
					return tooManyComponents(lim, "line "+strconv.Itoa(line))
				}
			}
			if rest[k-1] != '/' {
				depth++
				if depth > lim.MaxDepth {
					line, _ := lineCol(data, int64(i))
					return csreview.Errorf(csreview.EINVALID, "XML nested deeper than the limit of %d elements at line %d", lim.MaxDepth, line)
				}
			}
			i += k + 1
		}
	}
	return nil
}

// isComponent reports whether a start tag's contents name a <component>,
// whatever its namespace prefix.
func isComponent(tag []byte) bool {
	end := 0
	for end < len(tag) && tag[end] != ' ' && tag[end] != '\t' && tag[end] != '\r' && tag[end] != '\n' && tag[end] != '/' {
		end++
	}
	name := tag[:end]
	if k := bytes.IndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return string(name) == "component"
}

// tagEnd returns the index of the '>' closing the start tag at the head of
// b, skipping quoted attribute values.
func tagEnd(b []byte) (int, bool) {
	var quote byte
	for k := 1; k < len(b); k++ {
		c := b[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k, true
		}
	}
	return 0, false
}

// declName returns the keyword of the declaration at the head of b: "<!DOCTYPE".
func declName(b []byte) string {
	k := 2
	for k < len(b) && k < 40 && (b[k] >= 'A' && b[k] <= 'Z' || b[k] >= 'a' && b[k] <= 'z') {
		k++
	}
	return string(b[:k])
}
