package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom/internal/split"
)

// cdxBOM is what csreview takes from a CycloneDX BOM, whichever reader
// produced it: cyclonedx-go, or the tolerant readers below when it refuses.
type cdxBOM struct {
	subject    *cdxComponent
	components []cdxComponent
	deps       []cdxDependency
}

type cdxComponent struct {
	ref, group, name, version, purl string
	supplier                        string
	hashes                          []csreview.Hash
	licenses                        []string
	components                      []cdxComponent
}

type cdxDependency struct {
	ref       string
	dependsOn []string
}

// cdxPaths spells locations in a BOM: JSON paths or XPath.
type cdxPaths struct {
	xml bool
}

func (p cdxPaths) component(parent string, i int) string {
	if p.xml {
		if parent == "" {
			parent = "/bom"
		}
		return fmt.Sprintf("%s/components/component[%d]", parent, i+1)
	}
	if parent == "" {
		return fmt.Sprintf("components[%d]", i)
	}
	return fmt.Sprintf("%s.components[%d]", parent, i)
}

func (p cdxPaths) purl(component string) string {
	if p.xml {
		return component + "/purl"
	}
	return component + ".purl"
}

func (p cdxPaths) dependency(i, j int) string {
	switch {
	case p.xml && j < 0:
		return fmt.Sprintf("/bom/dependencies/dependency[%d]/@ref", i+1)
	case p.xml:
		return fmt.Sprintf("/bom/dependencies/dependency[%d]/dependency[%d]/@ref", i+1, j+1)
	case j < 0:
		return fmt.Sprintf("dependencies[%d].ref", i)
	}
	return fmt.Sprintf("dependencies[%d].dependsOn[%d]", i, j)
}

// parseCycloneDXJSON reads a CycloneDX JSON BOM whose specVersion the probe
// found.
func parseCycloneDXJSON(data []byte, scan *split.Scan, specVersion string, lim Limits) (*Document, error) {
	b := newBuilder(FormatCycloneDX, EncodingJSON, lim)
	b.doc.SpecVersion = specVersion
	var bom cdx.BOM
	var model *cdxBOM
	if parsed, ok := split.CycloneDX(data, scan); ok {
		model = fromLibrary(parsed)
	} else if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err == nil {
		model = fromLibrary(&bom)
	} else {
		b.warn("strict reader", jsonErrorWhere(data, err), "cyclonedx-go refused the BOM (%s); read tolerantly", clip(err.Error()))
		var tb cdxJSONBOM
		if err := json.Unmarshal(data, &tb); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return nil, jsonError(data, err)
			}
			b.warn("wrong type", jsonErrorWhere(data, err), "%s; that value is skipped", jsonErrorText(err))
		}
		model = tb.model()
	}
	return mapCycloneDX(b, model, cdxPaths{})
}

// parseCycloneDXXML reads a CycloneDX XML BOM of the given spec version.
func parseCycloneDXXML(data []byte, specVersion string, lim Limits) (*Document, error) {
	b := newBuilder(FormatCycloneDX, EncodingXML, lim)
	b.doc.SpecVersion = specVersion
	var bom cdx.BOM
	var model *cdxBOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatXML).Decode(&bom); err == nil {
		model = fromLibrary(&bom)
	} else {
		b.warn("strict reader", xmlErrorWhere(err), "cyclonedx-go refused the BOM (%s); read tolerantly", clip(err.Error()))
		var tb cdxXMLBOM
		if err := xml.Unmarshal(data, &tb); err != nil {
			return nil, xmlError(err)
		}
		model = tb.model()
	}
	return mapCycloneDX(b, model, cdxPaths{xml: true})
}

func mapCycloneDX(b *builder, bom *cdxBOM, paths cdxPaths) (*Document, error) {
	if bom.subject != nil {
		b.doc.Name = joinGroup(bom.subject.group, bom.subject.name)
	}
	var walk func(cs []cdxComponent, parent string) error
	walk = func(cs []cdxComponent, parent string) error {
		for i := range cs {
			c := &cs[i]
			where := paths.component(parent, i)
			err := b.add(rawComponent{
				where:     where,
				ref:       c.ref,
				name:      joinGroup(c.group, c.name),
				version:   c.version,
				purl:      c.purl,
				purlWhere: paths.purl(where),
				supplier:  c.supplier,
				hashes:    c.hashes,
				licenses:  c.licenses,
			})
			if err != nil {
				return err
			}
			if err := walk(c.components, where); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(bom.components, ""); err != nil {
		return nil, err
	}
	isSubject := func(ref string) bool {
		return bom.subject != nil && ref != "" && ref == strings.TrimSpace(bom.subject.ref)
	}
	for i, d := range bom.deps {
		if _, ok := b.byRef[strings.TrimSpace(d.ref)]; !ok {
			if !isSubject(d.ref) {
				b.warn("dangling ref", paths.dependency(i, -1), "%q names no component", clip(d.ref))
			}
			continue
		}
		for j, to := range d.dependsOn {
			b.depend(d.ref, to, paths.dependency(i, j), isSubject)
		}
	}
	return b.finish(), nil
}

// joinGroup names a component by its CycloneDX group and name; a purl, when
// it has one, later gives the name OSV uses instead.
func joinGroup(group, name string) string {
	group, name = strings.TrimSpace(group), strings.TrimSpace(name)
	if group == "" || strings.HasPrefix(name, group+"/") {
		return name
	}
	return group + "/" + name
}

// fromLibrary takes from cyclonedx-go's BOM what csreview needs.
func fromLibrary(bom *cdx.BOM) *cdxBOM {
	m := &cdxBOM{}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		s := fromLibraryComponent(bom.Metadata.Component)
		s.components = nil // the subject's parts are not listed as components
		m.subject = &s
	}
	if bom.Components != nil {
		m.components = fromLibraryComponents(*bom.Components)
	}
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			dep := cdxDependency{ref: d.Ref}
			if d.Dependencies != nil {
				dep.dependsOn = *d.Dependencies
			}
			m.deps = append(m.deps, dep)
		}
	}
	return m
}

func fromLibraryComponents(cs []cdx.Component) []cdxComponent {
	out := make([]cdxComponent, len(cs))
	for i := range cs {
		out[i] = fromLibraryComponent(&cs[i])
	}
	return out
}

func fromLibraryComponent(c *cdx.Component) cdxComponent {
	m := cdxComponent{
		ref:     c.BOMRef,
		group:   c.Group,
		name:    c.Name,
		version: c.Version,
		purl:    c.PackageURL,
	}
	var authors []string
	if c.Authors != nil {
		for _, a := range *c.Authors {
			authors = append(authors, a.Name)
		}
	}
	m.supplier = firstOf(entityName(c.Supplier), c.Publisher, c.Author, entityName(c.Manufacturer), firstOf(authors...))
	if c.Hashes != nil {
		for _, h := range *c.Hashes {
			m.hashes = append(m.hashes, csreview.Hash{Alg: string(h.Algorithm), Value: h.Value})
		}
	}
	if c.Licenses != nil {
		for _, l := range *c.Licenses {
			switch {
			case l.Expression != "":
				m.licenses = append(m.licenses, l.Expression)
			case l.License != nil && l.License.ID != "":
				m.licenses = append(m.licenses, l.License.ID)
			case l.License != nil:
				m.licenses = append(m.licenses, l.License.Name)
			}
		}
	}
	if c.Components != nil {
		m.components = fromLibraryComponents(*c.Components)
	}
	return m
}

func entityName(e *cdx.OrganizationalEntity) string {
	if e == nil {
		return ""
	}
	return e.Name
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// cdxJSONBOM is the tolerant reading of a CycloneDX JSON BOM: only what
// csreview uses, with no checks beyond JSON's own.
type cdxJSONBOM struct {
	Metadata *struct {
		Component *cdxJSONComponent `json:"component"`
	} `json:"metadata"`
	Components   []cdxJSONComponent `json:"components"`
	Dependencies []struct {
		Ref       string   `json:"ref"`
		DependsOn []string `json:"dependsOn"`
	} `json:"dependencies"`
}

type cdxJSONComponent struct {
	BOMRef       string          `json:"bom-ref"`
	Group        string          `json:"group"`
	Name         string          `json:"name"`
	Version      string          `json:"version"`
	PURL         string          `json:"purl"`
	Supplier     *cdxJSONEntity  `json:"supplier"`
	Publisher    string          `json:"publisher"`
	Author       string          `json:"author"`
	Authors      []cdxJSONEntity `json:"authors"`
	Manufacturer *cdxJSONEntity  `json:"manufacturer"`
	Hashes       []struct {
		Alg     string `json:"alg"`
		Content string `json:"content"`
	} `json:"hashes"`
	Licenses []struct {
		License *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"license"`
		Expression string `json:"expression"`
	} `json:"licenses"`
	Components []cdxJSONComponent `json:"components"`
}

type cdxJSONEntity struct {
	Name string `json:"name"`
}

func (e *cdxJSONEntity) name() string {
	if e == nil {
		return ""
	}
	return e.Name
}

func (t *cdxJSONBOM) model() *cdxBOM {
	m := &cdxBOM{}
	if t.Metadata != nil && t.Metadata.Component != nil {
		s := t.Metadata.Component.model()
		s.components = nil
		m.subject = &s
	}
	for i := range t.Components {
		m.components = append(m.components, t.Components[i].model())
	}
	for _, d := range t.Dependencies {
		m.deps = append(m.deps, cdxDependency{ref: d.Ref, dependsOn: d.DependsOn})
	}
	return m
}

func (c *cdxJSONComponent) model() cdxComponent {
	m := cdxComponent{ref: c.BOMRef, group: c.Group, name: c.Name, version: c.Version, purl: c.PURL}
	var authors []string
	for _, a := range c.Authors {
		authors = append(authors, a.Name)
	}
	m.supplier = firstOf(c.Supplier.name(), c.Publisher, c.Author, c.Manufacturer.name(), firstOf(authors...))
	for _, h := range c.Hashes {
		m.hashes = append(m.hashes, csreview.Hash{Alg: h.Alg, Value: h.Content})
	}
	for _, l := range c.Licenses {
		switch {
		case l.Expression != "":
			m.licenses = append(m.licenses, l.Expression)
		case l.License != nil:
			m.licenses = append(m.licenses, firstOf(l.License.ID, l.License.Name))
		}
	}
	for i := range c.Components {
		m.components = append(m.components, c.Components[i].model())
	}
	return m
}

// cdxXMLBOM is the tolerant reading of a CycloneDX XML BOM.
type cdxXMLBOM struct {
	Metadata struct {
		Component *cdxXMLComponent `xml:"component"`
	} `xml:"metadata"`
	Components   []cdxXMLComponent  `xml:"components>component"`
	Dependencies []cdxXMLDependency `xml:"dependencies>dependency"`
}

type cdxXMLComponent struct {
	BOMRef       string   `xml:"bom-ref,attr"`
	Group        string   `xml:"group"`
	Name         string   `xml:"name"`
	Version      string   `xml:"version"`
	PURL         string   `xml:"purl"`
	Supplier     string   `xml:"supplier>name"`
	Publisher    string   `xml:"publisher"`
	Author       string   `xml:"author"`
	Authors      []string `xml:"authors>author>name"`
	Manufacturer string   `xml:"manufacturer>name"`
	Hashes       []struct {
		Alg   string `xml:"alg,attr"`
		Value string `xml:",chardata"`
	} `xml:"hashes>hash"`
	Licenses struct {
		Licenses []struct {
			ID   string `xml:"id"`
			Name string `xml:"name"`
		} `xml:"license"`
		Expressions []string `xml:"expression"`
	} `xml:"licenses"`
	Components []cdxXMLComponent `xml:"components>component"`
}

type cdxXMLDependency struct {
	Ref          string             `xml:"ref,attr"`
	Dependencies []cdxXMLDependency `xml:"dependency"`
}

func (t *cdxXMLBOM) model() *cdxBOM {
	m := &cdxBOM{}
	if t.Metadata.Component != nil {
		s := t.Metadata.Component.model()
		s.components = nil
		m.subject = &s
	}
	for i := range t.Components {
		m.components = append(m.components, t.Components[i].model())
	}
	for _, d := range t.Dependencies {
		dep := cdxDependency{ref: d.Ref}
		for _, to := range d.Dependencies {
			dep.dependsOn = append(dep.dependsOn, to.Ref)
		}
		m.deps = append(m.deps, dep)
	}
	return m
}

func (c *cdxXMLComponent) model() cdxComponent {
	m := cdxComponent{
		ref: c.BOMRef, group: c.Group, name: strings.TrimSpace(c.Name),
		version: strings.TrimSpace(c.Version), purl: strings.TrimSpace(c.PURL),
		supplier: firstOf(c.Supplier, c.Publisher, c.Author, c.Manufacturer, firstOf(c.Authors...)),
	}
	for _, h := range c.Hashes {
		m.hashes = append(m.hashes, csreview.Hash{Alg: h.Alg, Value: strings.TrimSpace(h.Value)})
	}
	for _, l := range c.Licenses.Licenses {
		m.licenses = append(m.licenses, firstOf(l.ID, l.Name))
	}
	m.licenses = append(m.licenses, c.Licenses.Expressions...)
	for i := range c.Components {
		m.components = append(m.components, c.Components[i].model())
	}
	return m
}

// jsonError turns a JSON decoding error into an EINVALID error saying where.
func jsonError(data []byte, err error) error {
	return csreview.Errorf(csreview.EINVALID, "malformed JSON at %s: %s", jsonErrorWhere(data, err), clip(jsonErrorText(err)))
}

// jsonErrorWhere locates a JSON decoding error: its field path when it has
// one, else its line and column.
func jsonErrorWhere(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return te.Field
	case errors.As(err, &te):
		line, col := lineCol(data, te.Offset)
		return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset)
		return "line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
	}
	return "document"
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("a JSON %s where %s was expected", te.Value, te.Type)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// xmlError turns an XML decoding error into an EINVALID error saying where.
func xmlError(err error) error {
	return csreview.Errorf(csreview.EINVALID, "malformed XML at %s: %s", xmlErrorWhere(err), clip(xmlErrorText(err)))
}

func xmlErrorWhere(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "line " + strconv.Itoa(se.Line)
	}
	return "document"
}

func xmlErrorText(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}
