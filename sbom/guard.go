package sbom

import (
	"bytes"
	"strconv"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom/internal/split"
)

// maxContainers bounds the JSON objects and arrays, XML elements and
// tag-value lines an SBOM may hold (split.ContainersPerComponent says why).
func maxContainers(lim Limits) int {
	return split.MaxContainers(lim.MaxComponents)
}

func tooManyComponents(lim Limits, where string) error {
	if where != "" {
		where = " (at " + where + ")"
	}
	return csreview.Errorf(csreview.ETOOLARGE, "the SBOM has more than the limit of %d components%s", lim.MaxComponents, where)
}

// tooManyContainers is the JSON scanner's error, for XML elements and
// tag-value lines too.
func tooManyContainers(lim Limits, what string) error {
	return split.TooManyContainers(lim.MaxComponents, what)
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
