package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom/internal/split"
)

func parseJSON(data []byte, lim Limits) (*Document, error) {
	scan, err := split.ScanJSON(data, lim.MaxDepth, lim.MaxComponents)
	if err != nil {
		return nil, err
	}
	field := func(f int) string { return strings.TrimSpace(scan.Top[f]) }
	bomFormat, spdxVersion := field(split.TopBOMFormat), field(split.TopSPDXVersion)
	switch {
	case strings.EqualFold(bomFormat, FormatCycloneDX),
		bomFormat == "" && spdxVersion == "" && strings.Contains(strings.ToLower(field(split.TopSchema)), "cyclonedx"):
		if scan.Components > lim.MaxComponents {
			return nil, tooManyComponents(lim, "")
		}
		return parseCycloneDXJSON(data, &scan, field(split.TopSpecVersion), lim)
	case strings.HasPrefix(spdxVersion, "SPDX-"):
		if scan.Packages > lim.MaxComponents {
			return nil, tooManyComponents(lim, "")
		}
		return parseSPDXJSON(data, &scan, spdxVersion, lim)
	case spdxVersion != "":
		return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: spdxVersion %q is not an SPDX version", clip(spdxVersion))
	case strings.Contains(strings.ToLower(field(split.TopContext)), "spdx"):
		return nil, csreview.Errorf(csreview.EINVALID, "SPDX 3 (JSON-LD) is not supported; export SPDX 2.3 or CycloneDX")
	case bomFormat != "":
		return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: bomFormat %q is not CycloneDX", clip(bomFormat))
	}
	// Neither: if the JSON is malformed, say that rather than "not an SBOM".
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return nil, jsonError(data, err)
	}
	return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: a JSON document with neither bomFormat \"CycloneDX\" nor spdxVersion")
}

const cdxNamespacePrefix = "http://cyclonedx.org/schema/bom/"

func parseXML(data []byte, lim Limits) (*Document, error) {
	if err := scanXML(data, lim); err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: the XML document has no root element")
		}
		if err != nil {
			return nil, xmlError(err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Local == "bom" && strings.HasPrefix(start.Name.Space, cdxNamespacePrefix):
			spec := strings.TrimPrefix(start.Name.Space, cdxNamespacePrefix)
			return parseCycloneDXXML(data, spec, lim)
		case start.Name.Local == "bom":
			return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: a <bom> element in namespace %q, not CycloneDX's", clip(start.Name.Space))
		case start.Name.Local == "RDF":
			return nil, csreview.Errorf(csreview.EINVALID, "SPDX RDF/XML is not supported; export SPDX JSON or tag-value, or CycloneDX")
		}
		return nil, csreview.Errorf(csreview.EINVALID, "not an SBOM: an XML document whose root is <%s>, not CycloneDX's <bom>", clip(start.Name.Local))
	}
}
