package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom/internal/split"
)

// spdxDoc is what csreview takes from an SPDX 2.x document, whichever
// reader produced it: tools-golang, or the tolerant readers when it refuses.
type spdxDoc struct {
	name     string
	packages []spdxPackage
	rels     []spdxRel
	// other lists the element IDs that are not packages (the document,
	// files, snippets), which relationships may name.
	other map[string]bool
}

type spdxPackage struct {
	where      string
	id         string
	name       string
	version    string
	supplier   string // without "Person: " or "Organization: "
	originator string
	hashes     []csreview.Hash
	licenses   []string
	purls      []located
}

type located struct {
	value, where string
}

type spdxRel struct {
	a, typ, b, where string
}

const spdxRefPrefix = "SPDXRef-"

// dependencyEdge reads an SPDX relationship as a dependency, the way the
// SPDX readers of OSV tooling do: A DEPENDS_ON B and A CONTAINS B make A
// depend on B; B DEPENDENCY_OF A (and its BUILD_, DEV_… forms) and
// B CONTAINED_BY A too.
func dependencyEdge(r spdxRel) (from, to string, ok bool) {
	switch t := strings.ToUpper(strings.TrimSpace(r.typ)); {
	case t == "DEPENDS_ON" || t == "CONTAINS":
		return r.a, r.b, true
	case t == "CONTAINED_BY" || strings.HasSuffix(t, "DEPENDENCY_OF"):
		return r.b, r.a, true
	}
	return "", "", false
}

func mapSPDX(b *builder, d *spdxDoc) (*Document, error) {
	b.doc.Name = strings.TrimSpace(d.name)
	for i := range d.packages {
		p := &d.packages[i]
		rc := rawComponent{
			where:    p.where,
			ref:      p.id,
			name:     p.name,
			version:  p.version,
			supplier: firstOf(p.supplier, p.originator),
			hashes:   p.hashes,
			licenses: p.licenses,
		}
		if len(p.purls) > 0 {
			primary := p.purls[0]
			for _, u := range p.purls {
				if len(p.purls) > 1 && purlKey(u.value) == strings.TrimSpace(u.value) {
					primary = u // prefer a purl that needs no %40 repair
					break
				}
			}
			rc.purl, rc.purlWhere = primary.value, primary.where
			for _, u := range p.purls {
				switch {
				case u == primary:
				case purlKey(u.value) == purlKey(primary.value):
					b.warn("duplicate purl", u.where, "duplicate purl %s: the package already has %s", clip(u.value), clip(primary.value))
				default:
					b.warn("several purls", u.where, "package has more than one purl; %s is used, not %s", clip(primary.value), clip(u.value))
				}
			}
		}
		if err := b.add(rc); err != nil {
			return nil, err
		}
	}
	ignore := func(id string) bool {
		return d.other[id] || id == "NONE" || id == "NOASSERTION" || strings.HasPrefix(id, "DocumentRef-")
	}
	for _, r := range d.rels {
		if from, to, ok := dependencyEdge(r); ok {
			b.depend(from, to, r.where, ignore)
		}
	}
	return b.finish(), nil
}

// spdxLicenses keeps the concluded and declared licences that say
// something.
func spdxLicenses(ls ...string) []string {
	var out []string
	for _, l := range ls {
		switch l = strings.TrimSpace(l); l {
		case "", "NOASSERTION", "NONE":
		default:
			out = append(out, l)
		}
	}
	return out
}

// isPURLRef reports whether an external reference is a purl.
func isPURLRef(category, typ string) bool {
	return strings.EqualFold(strings.TrimSpace(typ), "purl") &&
		strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(category)), "-", "_") == "PACKAGE_MANAGER"
}

func parseSPDXJSON(data []byte, scan *split.Scan, version string, lim Limits) (*Document, error) {
	b := newBuilder(FormatSPDX, EncodingJSON, lim)
	b.doc.SpecVersion = version
	doc, err := readSPDXLibraryJSON(data, scan, version)
	if err == nil {
		d := fromSPDXLibrary(doc,
			func(i int) string { return fmt.Sprintf("packages[%d]", i) },
			func(i, j int) string { return fmt.Sprintf("packages[%d].externalRefs[%d]", i, j) },
			func(i int) string { return fmt.Sprintf("relationships[%d]", i) })
		// tools-golang takes a supplier or originator from between its
		// quotes as written, escapes and all ("SUSE LLC \u003chttps://…");
		// in JSON they are read as JSON strings are.
		for i := range d.packages {
			p := &d.packages[i]
			p.supplier, p.originator = unescapeJSON(p.supplier), unescapeJSON(p.originator)
		}
		return mapSPDX(b, d)
	}
	b.warn("strict reader", jsonErrorWhere(data, err), "tools-golang refused the document (%s); read tolerantly", clip(err.Error()))
	d, err := readSPDXJSON(b, data)
	if err != nil {
		return nil, err
	}
	return mapSPDX(b, d)
}

// readSPDXLibraryJSON reads an SPDX JSON document with tools-golang. For
// SPDX 2.3, the library's current model, it decodes straight into the
// model: the library's generic reader first decodes the whole document
// into maps to find its version, which costs more than the model itself
// on a large SBOM, and the version is already known here; element by
// element on every core when it can (split.SPDX23). Older versions go
// through the library's reader, which converts them.
func readSPDXLibraryJSON(data []byte, scan *split.Scan, version string) (doc *spdx.Document, err error) {
	// tools-golang's document readers dereference a null package
	// ("packages": [null]) and panic: that is a refusal like any other,
	// and the tolerant reader takes over.
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, errors.New("it stopped with an internal error")
		}
	}()
	if version == spdx.Version {
		if doc, ok := split.SPDX23(data, scan); ok {
			return doc, nil
		}
		doc := new(spdx.Document)
		if err := json.Unmarshal(data, doc); err != nil {
			return nil, err
		}
		return doc, nil
	}
	return spdxjson.Read(bytes.NewReader(data))
}

// fromSPDXLibrary takes from tools-golang's document what csreview needs;
// the functions spell the location of the i-th package, of its j-th
// external reference, and of the i-th relationship.
func fromSPDXLibrary(doc *spdx.Document, pkgWhere func(int) string, refWhere func(int, int) string, relWhere func(int) string) *spdxDoc {
	d := &spdxDoc{name: doc.DocumentName, other: map[string]bool{}}
	d.other[elementRef(doc.SPDXIdentifier)] = true
	for _, f := range doc.Files {
		if f != nil {
			d.other[elementRef(f.FileSPDXIdentifier)] = true
		}
	}
	for _, s := range doc.Snippets {
		d.other[elementRef(s.SnippetSPDXIdentifier)] = true
	}
	for i, p := range doc.Packages {
		if p == nil {
			continue
		}
		for _, f := range p.Files {
			if f != nil {
				d.other[elementRef(f.FileSPDXIdentifier)] = true
			}
		}
		sp := spdxPackage{
			where:    pkgWhere(i),
			id:       elementRef(p.PackageSPDXIdentifier),
			name:     p.PackageName,
			version:  p.PackageVersion,
			licenses: spdxLicenses(p.PackageLicenseConcluded, p.PackageLicenseDeclared),
		}
		if s := p.PackageSupplier; s != nil && s.Supplier != "NOASSERTION" {
			sp.supplier = s.Supplier
		}
		if o := p.PackageOriginator; o != nil && o.Originator != "NOASSERTION" {
			sp.originator = o.Originator
		}
		for _, c := range p.PackageChecksums {
			sp.hashes = append(sp.hashes, csreview.Hash{Alg: string(c.Algorithm), Value: c.Value})
		}
		for j, r := range p.PackageExternalReferences {
			if r != nil && isPURLRef(r.Category, r.RefType) {
				sp.purls = append(sp.purls, located{r.Locator, refWhere(i, j)})
			}
		}
		d.packages = append(d.packages, sp)
	}
	for i, r := range doc.Relationships {
		if r == nil {
			continue
		}
		d.rels = append(d.rels, spdxRel{a: docElementRef(r.RefA), typ: r.Relationship, b: docElementRef(r.RefB), where: relWhere(i)})
	}
	return d
}

func elementRef(id spdx.ElementID) string {
	return spdxRefPrefix + string(id)
}

func docElementRef(id spdx.DocElementID) string {
	switch {
	case id.SpecialID != "":
		return id.SpecialID
	case id.DocumentRefID != "":
		return "DocumentRef-" + string(id.DocumentRefID) + ":" + elementRef(id.ElementRefID)
	}
	return elementRef(id.ElementRefID)
}

// spdxJSON is the tolerant reading of an SPDX JSON document: each element
// is decoded on its own, so one bad element costs only itself.
type spdxJSON struct {
	SPDXID        json.RawMessage   `json:"SPDXID"`
	Name          json.RawMessage   `json:"name"`
	Packages      []json.RawMessage `json:"packages"`
	Files         []json.RawMessage `json:"files"`
	Snippets      []json.RawMessage `json:"snippets"`
	Relationships []json.RawMessage `json:"relationships"`
}

type spdxJSONPackage struct {
	SPDXID           string `json:"SPDXID"`
	Name             string `json:"name"`
	VersionInfo      string `json:"versionInfo"`
	Supplier         string `json:"supplier"`
	Originator       string `json:"originator"`
	LicenseConcluded string `json:"licenseConcluded"`
	LicenseDeclared  string `json:"licenseDeclared"`
	Checksums        []struct {
		Algorithm     string `json:"algorithm"`
		ChecksumValue string `json:"checksumValue"`
	} `json:"checksums"`
	ExternalRefs []struct {
		ReferenceCategory string `json:"referenceCategory"`
		ReferenceType     string `json:"referenceType"`
		ReferenceLocator  string `json:"referenceLocator"`
	} `json:"externalRefs"`
}

type spdxJSONElement struct {
	SPDXID string `json:"SPDXID"`
}

type spdxJSONRelationship struct {
	SPDXElementID      string `json:"spdxElementId"`
	RelatedSPDXElement string `json:"relatedSpdxElement"`
	RelationshipType   string `json:"relationshipType"`
}

// decodeElement decodes one element, warning when it is not what it should
// be; it reports whether anything was read.
func decodeElement(b *builder, raw json.RawMessage, v any, where string) bool {
	if string(raw) == "null" {
		b.warn("null element", where, "null where an element belongs; skipped")
		return false
	}
	err := json.Unmarshal(raw, v)
	if err == nil {
		return true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			b.warn("wrong type", where, "%s; skipped", jsonErrorText(err))
			return false
		}
		b.warn("wrong type", where+"."+te.Field, "%s; that value is skipped", jsonErrorText(err))
		return true
	}
	b.warn("wrong type", where, "%s; skipped", clip(jsonErrorText(err)))
	return false
}

func readSPDXJSON(b *builder, data []byte) (*spdxDoc, error) {
	var top spdxJSON
	if err := json.Unmarshal(data, &top); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, jsonError(data, err)
		}
		b.warn("wrong type", jsonErrorWhere(data, err), "%s; that value is skipped", jsonErrorText(err))
	}
	d := &spdxDoc{name: rawString(top.Name), other: map[string]bool{}}
	docID := rawString(top.SPDXID)
	checkID(b, docID, "SPDXID")
	d.other[docID] = true
	for i, raw := range top.Packages {
		where := fmt.Sprintf("packages[%d]", i)
		if len(d.packages) >= b.lim.MaxComponents {
			return nil, tooManyComponents(b.lim, where)
		}
		var p spdxJSONPackage
		if !decodeElement(b, raw, &p, where) {
			continue
		}
		checkID(b, p.SPDXID, where+".SPDXID")
		sp := spdxPackage{
			where:      where,
			id:         p.SPDXID,
			name:       p.Name,
			version:    p.VersionInfo,
			supplier:   party(b, p.Supplier, where+".supplier"),
			originator: party(b, p.Originator, where+".originator"),
			licenses:   spdxLicenses(p.LicenseConcluded, p.LicenseDeclared),
		}
		for _, c := range p.Checksums {
			sp.hashes = append(sp.hashes, csreview.Hash{Alg: c.Algorithm, Value: c.ChecksumValue})
		}
		for j, r := range p.ExternalRefs {
			if isPURLRef(r.ReferenceCategory, r.ReferenceType) {
				sp.purls = append(sp.purls, located{r.ReferenceLocator, fmt.Sprintf("%s.externalRefs[%d]", where, j)})
			}
		}
		d.packages = append(d.packages, sp)
	}
	for _, list := range []struct {
		name  string
		items []json.RawMessage
	}{{"files", top.Files}, {"snippets", top.Snippets}} {
		for i, raw := range list.items {
			where := fmt.Sprintf("%s[%d]", list.name, i)
			var e spdxJSONElement
			if decodeElement(b, raw, &e, where) {
				checkID(b, e.SPDXID, where+".SPDXID")
				d.other[e.SPDXID] = true
			}
		}
	}
	for i, raw := range top.Relationships {
		where := fmt.Sprintf("relationships[%d]", i)
		var r spdxJSONRelationship
		if decodeElement(b, raw, &r, where) {
			d.rels = append(d.rels, spdxRel{a: r.SPDXElementID, typ: r.RelationshipType, b: r.RelatedSPDXElement, where: where})
		}
	}
	return d, nil
}

// checkID warns about an SPDX element ID that is missing or lacks the
// SPDXRef- prefix; such IDs are kept as written.
func checkID(b *builder, id, where string) {
	switch id = strings.TrimSpace(id); {
	case id == "":
		b.warn("no SPDXID", where, "element has no SPDXID")
	case !strings.HasPrefix(id, spdxRefPrefix):
		b.warn("SPDXRef- prefix", where, "SPDXID %q lacks the SPDXRef- prefix; kept as written", clip(id))
	}
}

// party reads an SPDX supplier or originator ("Organization: X",
// "Person: Y", NOASSERTION) into its name, warning when the type is
// missing.
func party(b *builder, v, where string) string {
	v = strings.TrimSpace(v)
	if v == "" || v == "NOASSERTION" {
		return ""
	}
	for _, prefix := range []string{"Organization:", "Person:"} {
		if len(v) >= len(prefix) && strings.EqualFold(v[:len(prefix)], prefix) {
			return strings.TrimSpace(v[len(prefix):])
		}
	}
	b.warn("party type", where, "%q lacks the \"Person:\" or \"Organization:\" prefix; taken as written", clip(v))
	return v
}

// unescapeJSON reads s, the contents of a JSON string as written, as the
// JSON string it is; s unchanged if it has no escape or is not valid.
func unescapeJSON(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var out string
	if json.Unmarshal([]byte(`"`+s+`"`), &out) != nil {
		return s
	}
	return out
}

// rawString returns the JSON string in m, or "" if m is not one.
func rawString(m json.RawMessage) string {
	var s string
	if json.Unmarshal(m, &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}
