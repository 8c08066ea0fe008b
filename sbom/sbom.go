// Package sbom reads software bills of materials into csreview Components:
// CycloneDX JSON and XML (spec 1.1–1.7) and SPDX 2.x JSON and tag-value,
// whatever the file is called. Real SBOMs are often imperfect; when the
// format's own library rejects one, a tolerant reader takes what it can and
// reports each defect as a warning. Hostile input (too big, too deep, DTDs)
// is refused before any library sees it.
package sbom

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"unicode/utf8"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom/internal/split"
)

// Document is a parsed SBOM.
type Document struct {
	Format      string // "CycloneDX" or "SPDX"
	SpecVersion string // "1.4", "SPDX-2.3"…
	Encoding    string // "json", "xml", "tag-value"
	Name        string // the subject (metadata.component / document name)
	Components  []*csreview.Component
	Warnings    []csreview.SBOMWarning
}

// Formats and encodings a Document reports.
const (
	FormatCycloneDX = "CycloneDX"
	FormatSPDX      = "SPDX"

	EncodingJSON     = "json"
	EncodingXML      = "xml"
	EncodingTagValue = "tag-value"
)

// Default limits, used for any Limits field left at zero (or negative).
const (
	DefaultMaxBytes      = 256 << 20
	DefaultMaxComponents = 200000
	DefaultMaxDepth      = 200
)

// Limits bound what a parse may consume. Zero fields take the defaults.
type Limits struct {
	MaxBytes      int64 // size of the SBOM
	MaxComponents int   // components (CycloneDX, nested included) or SPDX packages
	MaxDepth      int   // nesting of JSON arrays/objects or XML elements
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxComponents <= 0 {
		l.MaxComponents = DefaultMaxComponents
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	return l
}

// Parse reads an SBOM of any supported format, detected from its content:
// CycloneDX JSON and XML (spec 1.1–1.7) and SPDX 2.x JSON and tag-value.
//
// Components are CycloneDX components (nested ones included; the subject,
// metadata.component, is Document.Name instead) or SPDX packages, in the
// order the SBOM lists them. A component whose purl maps to an OSV
// ecosystem is named as OSV names it (see Ecosystem); others keep the
// SBOM's name. DependsOn comes from CycloneDX dependencies or from SPDX
// DEPENDS_ON, *DEPENDENCY_OF, CONTAINS and CONTAINED_BY relationships
// between packages.
//
// Defects that leave the SBOM readable become Document.Warnings. Errors are
// *csreview.Error: ETOOLARGE when the SBOM is over lim.MaxBytes, has more
// than lim.MaxComponents components, or more than 32 JSON objects and
// arrays (XML elements, tag-value lines) per component allowed; EINVALID
// when it is not an SBOM, is nested deeper than lim.MaxDepth, declares an
// XML DTD, or is malformed beyond reading. The message says what and where.
func Parse(r io.Reader, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	data, err := readLimited(r, lim.MaxBytes, 0)
	if err != nil {
		return nil, err
	}
	return parseBytes(data, lim)
}

// ParseFile is Parse on the file at path; its errors name the file. A file
// that does not exist is ENOTFOUND.
func ParseFile(path string, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	doc, err := parseFile(path, lim)
	if err != nil {
		e := csreview.AsError(err)
		if e == nil {
			e = csreview.Errorf(csreview.EINVALID, "%v", err)
		}
		return nil, &csreview.Error{Code: e.Code, Key: e.Key, Message: path + ": " + e.Message, Fields: e.Fields}
	}
	return doc, nil
}

func parseFile(path string, lim Limits) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, csreview.Errorf(csreview.ENOTFOUND, "no such file")
		}
		return nil, csreview.Errorf(csreview.EINVALID, "cannot open the file: %v", unwrapPathError(err))
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
		if size > lim.MaxBytes {
			return nil, tooLarge(lim.MaxBytes)
		}
	}
	data, err := readLimited(f, lim.MaxBytes, size)
	if err != nil {
		return nil, err
	}
	return parseBytes(data, lim)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func tooLarge(max int64) error {
	return csreview.Errorf(csreview.ETOOLARGE, "the SBOM is larger than the limit of %s", byteSize(max))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// sniffSize is how much is read before deciding whether the input can be an
// SBOM at all, so that a stream of garbage is refused without reading it.
const sniffSize = 4096

// readLimited reads all of r, refusing more than max bytes. size, when
// known, sizes the buffer. It reads into chunks that grow geometrically and
// joins them once at the end, so that each byte is copied at most twice and
// an oversized stream costs no more than max bytes of memory.
func readLimited(r io.Reader, max, size int64) ([]byte, error) {
	lr := io.LimitReader(r, max+1)
	var chunks [][]byte
	var total int64
	next := int64(64 << 10)
	if size > 0 {
		next = size + 1 // +1 to see EOF without another chunk
	}
	sniffed := false
	for {
		n := min(next, max+1-total)
		if n <= 0 {
			return nil, tooLarge(max)
		}
		chunk := make([]byte, n)
		got, err := io.ReadFull(lr, chunk)
		chunk = chunk[:got]
		total += int64(got)
		if got > 0 {
			chunks = append(chunks, chunk)
		}
		if !sniffed && (total >= sniffSize || err != nil) {
			sniffed = true
			head := chunks
			if len(head) == 0 {
				head = [][]byte{nil}
			}
			if err := sniff(head[0][:min(len(head[0]), sniffSize)]); err != nil {
				return nil, err
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, csreview.Errorf(csreview.EINVALID, "cannot read the SBOM: %v", err)
		}
		next = min(next*2, 4<<20)
	}
	if total > max {
		return nil, tooLarge(max)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	data := make([]byte, 0, total)
	for _, c := range chunks {
		data = append(data, c...)
	}
	return data, nil
}

// sniff refuses a prefix that no supported format could start with.
func sniff(prefix []byte) error {
	p := trimLeft(prefix)
	if len(p) == 0 {
		if len(prefix) < sniffSize {
			return csreview.Errorf(csreview.EINVALID, "not an SBOM: the input is empty")
		}
		return nil // a long run of blanks: let the size limit decide
	}
	switch {
	case bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}), bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}):
		return csreview.Errorf(csreview.EINVALID, "not an SBOM: UTF-16 text is not supported; convert it to UTF-8")
	case p[0] == '{' || p[0] == '<' || p[0] == '#':
		return nil
	case isTagStart(p[0]):
		// Tag-value: the first line must look like "Tag: value".
		line := p
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		} else if len(p) == len(prefix) && len(prefix) >= sniffSize {
			return nil
		}
		if looksLikeTag(line) {
			return nil
		}
	}
	return csreview.Errorf(csreview.EINVALID, "not an SBOM: expected CycloneDX (JSON or XML) or SPDX (JSON or tag-value)")
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// trimLeft drops a UTF-8 byte order mark and leading white space.
func trimLeft(b []byte) []byte {
	b = bytes.TrimPrefix(b, utf8BOM)
	return bytes.TrimLeft(b, " \t\r\n")
}

func isTagStart(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// looksLikeTag reports whether line starts with "Tag:".
func looksLikeTag(line []byte) bool {
	i := 0
	for i < len(line) && (isTagStart(line[i]) || line[i] >= '0' && line[i] <= '9' || line[i] == '_' || line[i] == '-') {
		i++
	}
	return i > 0 && i < len(line) && line[i] == ':'
}

func parseBytes(data []byte, lim Limits) (*Document, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	p := trimLeft(data)
	if len(p) == 0 {
		return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: the input is empty")
	}
	// SBOMs are UTF-8 (CycloneDX and SPDX both say so); a JSON decoder
	// would quietly turn bad bytes into U+FFFD, so they are refused here,
	// where the first one can be named.
	if bad := invalidUTF8At(data); bad >= 0 {
		line, col := lineCol(data, int64(bad))
		return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: invalid UTF-8 at line %d, column %d (byte %d)", line, col, bad)
	}
	switch p[0] {
	case '{':
		return parseJSON(data, lim)
	case '<':
		return parseXML(data, lim)
	}
	if n := scanTagValue(data); n.version {
		return parseTagValue(data, n, lim)
	}
	return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: expected CycloneDX (JSON or XML) or SPDX (JSON or tag-value)")
}

// invalidUTF8At returns the offset of the first byte that is not valid
// UTF-8, or -1.
func invalidUTF8At(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// lineCol returns the 1-based line and column of byte offset off in data,
// counted as the JSON scanner counts them in its errors.
func lineCol(data []byte, off int64) (line, col int) {
	return split.LineCol(data, off)
}

// clip shortens s for an error message or a warning.
func clip(s string) string {
	const max = 120
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
