package sbom

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spdx/tools-golang/tagvalue"

	"github.com/csreview/csreview"
)

// tvCounts is what scanTagValue finds in a would-be tag-value document.
type tvCounts struct {
	version         bool // an "SPDXVersion:" line
	lines, packages int  // lines, and "PackageName:" lines
}

func scanTagValue(data []byte) tvCounts {
	var n tvCounts
	for rest := data; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		n.lines++
		line = bytes.TrimLeft(line, " \t")
		switch {
		case bytes.HasPrefix(line, []byte("SPDXVersion:")):
			n.version = true
		case bytes.HasPrefix(line, []byte("PackageName:")):
			n.packages++
		}
	}
	return n
}

// tvPair is one "Tag: value" of a tag-value document, a <text>…</text>
// value joined across its lines.
type tvPair struct {
	line       int
	tag, value string
}

// tvPairs splits a tag-value document into pairs, reporting lines that are
// not pairs to bad.
func tvPairs(data []byte, bad func(line int, what string)) []tvPair {
	var pairs []tvPair
	var text *tvPair // an open <text> value
	var sb strings.Builder
	lineNo := 0
	for rest := data; len(rest) > 0; {
		lineNo++
		raw := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			raw, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line := strings.TrimRight(string(raw), "\r")
		if text != nil {
			if before, _, ok := strings.Cut(line, "</text>"); ok {
				sb.WriteString(before)
				text.value = sb.String()
				pairs = append(pairs, *text)
				text = nil
			} else {
				sb.WriteString(line)
				sb.WriteByte('\n')
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		tag, value, ok := strings.Cut(trimmed, ":")
		if !ok || !looksLikeTag([]byte(trimmed)) {
			bad(lineNo, fmt.Sprintf("%q is not a \"Tag: value\" line; skipped", clip(trimmed)))
			continue
		}
		p := tvPair{line: lineNo, tag: tag, value: strings.TrimSpace(value)}
		if v, ok := strings.CutPrefix(p.value, "<text>"); ok {
			if inner, _, closed := strings.Cut(v, "</text>"); closed {
				p.value = inner
			} else {
				text = &p
				sb.Reset()
				sb.WriteString(v)
				sb.WriteByte('\n')
				continue
			}
		}
		pairs = append(pairs, p)
	}
	if text != nil {
		bad(text.line, fmt.Sprintf("<text> value of %s is not closed by </text>", text.tag))
		text.value = sb.String()
		pairs = append(pairs, *text)
	}
	return pairs
}

func parseTagValue(data []byte, n tvCounts, lim Limits) (*Document, error) {
	switch {
	case n.packages > lim.MaxComponents:
		return nil, tooManyComponents(lim, "")
	case n.lines > maxContainers(lim):
		return nil, tooManyContainers(lim, "lines")
	}
	b := newBuilder(FormatSPDX, EncodingTagValue, lim)
	doc, err := tagvalue.Read(bytes.NewReader(data))
	if err == nil {
		pairs := tvPairs(data, func(int, string) {})
		b.doc.SpecVersion = tvVersion(pairs)
		ix := indexTagValue(pairs)
		d := fromSPDXLibrary(doc,
			func(i int) string {
				if len(ix.packages) == len(doc.Packages) {
					return fmt.Sprintf("line %d", ix.packages[i])
				}
				return fmt.Sprintf("package %d", i+1)
			},
			func(i, j int) string {
				if len(ix.packages) == len(doc.Packages) {
					if l := ix.refs[refKey{i, j}]; l > 0 {
						return fmt.Sprintf("line %d", l)
					}
					return fmt.Sprintf("line %d", ix.packages[i])
				}
				return fmt.Sprintf("package %d", i+1)
			},
			func(i int) string {
				if i < len(ix.rels) {
					return fmt.Sprintf("line %d", ix.rels[i])
				}
				return fmt.Sprintf("relationship %d", i+1)
			})
		return mapSPDX(b, d)
	}
	b.warn("strict reader", "document", "tools-golang refused the document (%s); read tolerantly", clip(err.Error()))
	pairs := tvPairs(data, func(line int, what string) {
		b.warn("not a pair", fmt.Sprintf("line %d", line), "%s", what)
	})
	b.doc.SpecVersion = tvVersion(pairs)
	d, err := readTagValue(b, pairs)
	if err != nil {
		return nil, err
	}
	return mapSPDX(b, d)
}

func tvVersion(pairs []tvPair) string {
	for _, p := range pairs {
		if p.tag == "SPDXVersion" {
			return p.value
		}
	}
	return ""
}

type refKey struct{ pkg, ref int }

// tvIndex locates, by line, what tools-golang read without saying where:
// the packages (each starts at PackageName), their ExternalRefs, and the
// relationships.
type tvIndex struct {
	packages []int
	refs     map[refKey]int
	rels     []int
}

func indexTagValue(pairs []tvPair) tvIndex {
	ix := tvIndex{refs: map[refKey]int{}}
	ref := 0
	for _, p := range pairs {
		switch p.tag {
		case "PackageName":
			ix.packages = append(ix.packages, p.line)
			ref = 0
		case "ExternalRef":
			if len(ix.packages) > 0 {
				ix.refs[refKey{len(ix.packages) - 1, ref}] = p.line
				ref++
			}
		case "Relationship":
			ix.rels = append(ix.rels, p.line)
		}
	}
	return ix
}

// readTagValue is the tolerant reading of a tag-value document.
func readTagValue(b *builder, pairs []tvPair) (*spdxDoc, error) {
	d := &spdxDoc{other: map[string]bool{}}
	var pkg *spdxPackage
	var concluded, declared string
	inPackage := false
	flush := func() {
		if pkg != nil {
			pkg.licenses = spdxLicenses(concluded, declared)
			d.packages = append(d.packages, *pkg)
			pkg, concluded, declared = nil, "", ""
		}
	}
	for _, p := range pairs {
		where := fmt.Sprintf("line %d", p.line)
		switch p.tag {
		case "DocumentName":
			d.name = p.value
		case "PackageName":
			flush()
			if len(d.packages) >= b.lim.MaxComponents {
				return nil, tooManyComponents(b.lim, where)
			}
			pkg = &spdxPackage{where: where, name: p.value}
			inPackage = true
		case "FileName", "SnippetSPDXID", "LicenseID":
			flush()
			inPackage = false
			if p.tag == "SnippetSPDXID" {
				checkID(b, p.value, where)
				d.other[p.value] = true
			}
		case "SPDXID":
			checkID(b, p.value, where)
			if inPackage && pkg != nil {
				pkg.id = p.value
			} else {
				d.other[p.value] = true
			}
		case "PackageVersion":
			if inPackage && pkg != nil {
				pkg.version = p.value
			}
		case "PackageSupplier":
			if inPackage && pkg != nil {
				pkg.supplier = party(b, p.value, where)
			}
		case "PackageOriginator":
			if inPackage && pkg != nil {
				pkg.originator = party(b, p.value, where)
			}
		case "PackageChecksum":
			if inPackage && pkg != nil {
				alg, val, ok := strings.Cut(p.value, ":")
				if !ok {
					b.warn("bad checksum", where, "checksum %q is not \"ALGORITHM: value\"; skipped", clip(p.value))
					continue
				}
				pkg.hashes = append(pkg.hashes, csreview.Hash{Alg: strings.TrimSpace(alg), Value: strings.TrimSpace(val)})
			}
		case "PackageLicenseConcluded":
			concluded = p.value
		case "PackageLicenseDeclared":
			declared = p.value
		case "ExternalRef":
			if inPackage && pkg != nil {
				f := strings.Fields(p.value)
				if len(f) != 3 {
					b.warn("bad external ref", where, "external reference %q is not \"CATEGORY TYPE LOCATOR\"; skipped", clip(p.value))
					continue
				}
				if isPURLRef(f[0], f[1]) {
					pkg.purls = append(pkg.purls, located{f[2], where})
				}
			}
		case "Relationship":
			f := strings.Fields(p.value)
			if len(f) != 3 {
				b.warn("bad relationship", where, "relationship %q is not \"ID TYPE ID\"; skipped", clip(p.value))
				continue
			}
			d.rels = append(d.rels, spdxRel{a: f[0], typ: f[1], b: f[2], where: where})
		}
	}
	flush()
	return d, nil
}
