package assess

import (
	"bytes"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/openvex/go-vex/pkg/vex"

	"github.com/csreview/csreview"
)

// VEX statuses, as OpenVEX names them; CycloneDX analysis states map onto
// them.
const (
	VEXNotAffected        = "not_affected"
	VEXAffected           = "affected"
	VEXFixed              = "fixed"
	VEXUnderInvestigation = "under_investigation"
)

// VEXStatement is a supplier's statement about a vulnerability in some
// products, from OpenVEX or CycloneDX VEX.
type VEXStatement struct {
	Vulnerabilities []string // the ID and aliases
	Products        []string // purls (a purl without version covers all), or bom-refs
	Status          string
	Justification   string
	Impact          string // why it cannot be exploited, or what to do
	Source          string // the file it came from
}

// VEXStatus is the statement applied to a finding.
type VEXStatus struct {
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
	Impact        string `json:"impact,omitempty"`
	Source        string `json:"source"`
}

// maxVEXBytes bounds a VEX document.
const maxVEXBytes = 64 << 20

// LoadVEX reads a VEX document: OpenVEX JSON, or CycloneDX (JSON or XML)
// with vulnerabilities and their analysis.
func LoadVEX(path string) ([]VEXStatement, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, csreview.Errorf(csreview.EINVALID, "VEX %s: %v", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxVEXBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxVEXBytes {
		return nil, csreview.Errorf(csreview.EINVALID, "VEX %s: larger than %d MiB", path, maxVEXBytes>>20)
	}
	st, err := ParseVEX(b, path)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// ParseVEX reads VEX statements from a document's bytes; name labels them.
// A document that is not UTF-8, or that makes no statement, is refused: it
// could only be a mistake (or an attack) that would otherwise pass as
// "nothing to say".
func ParseVEX(b []byte, name string) ([]VEXStatement, error) {
	if !utf8.Valid(b) {
		return nil, csreview.Errorf(csreview.EINVALID, "VEX %s: not valid UTF-8", name)
	}
	st, err := parseVEX(b, name)
	if err == nil && len(st) == 0 {
		return nil, csreview.Errorf(csreview.EINVALID, "VEX %s: no statements (expected OpenVEX statements or CycloneDX vulnerabilities with an analysis)", name)
	}
	return st, err
}

func parseVEX(b []byte, name string) ([]VEXStatement, error) {
	trimmed := bytes.TrimSpace(b)
	switch {
	case bytes.HasPrefix(trimmed, []byte("<")):
		if bytes.Contains(trimmed, []byte("<!DOCTYPE")) || bytes.Contains(trimmed, []byte("<!ENTITY")) {
			return nil, csreview.Errorf(csreview.EINVALID, "VEX %s: DOCTYPE and ENTITY declarations are refused", name)
		}
		return cyclonedxVEX(trimmed, cdx.BOMFileFormatXML, name)
	case bytes.Contains(trimmed, []byte(`"bomFormat"`)):
		return cyclonedxVEX(trimmed, cdx.BOMFileFormatJSON, name)
	case bytes.Contains(trimmed, []byte("openvex")):
		doc, err := vex.Parse(trimmed)
		if err != nil {
			return nil, csreview.Errorf(csreview.EINVALID, "OpenVEX %s: %v", name, err)
		}
		var out []VEXStatement
		for i, s := range doc.Statements {
			st := VEXStatement{Status: string(s.Status), Justification: string(s.Justification), Source: name,
				Impact: firstNonEmpty(s.ImpactStatement, s.ActionStatement, s.StatusNotes)}
			if s.Vulnerability.Name != "" {
				st.Vulnerabilities = append(st.Vulnerabilities, string(s.Vulnerability.Name))
			}
			for _, a := range s.Vulnerability.Aliases {
				st.Vulnerabilities = append(st.Vulnerabilities, string(a))
			}
			for _, p := range s.Products {
				st.Products = append(st.Products, productIDs(p.Component)...)
				for _, sc := range p.Subcomponents {
					st.Products = append(st.Products, productIDs(sc.Component)...)
				}
			}
			if len(st.Vulnerabilities) == 0 {
				return nil, csreview.Errorf(csreview.EINVALID, "OpenVEX %s: statements[%d] names no vulnerability", name, i)
			}
			// A statement without a status the spec knows says nothing the
			// findings can carry.
			switch st.Status {
			case VEXNotAffected, VEXAffected, VEXFixed, VEXUnderInvestigation:
			default:
				return nil, csreview.Errorf(csreview.EINVALID, "OpenVEX %s: statements[%d].status %q is not one of not_affected, affected, fixed, under_investigation",
					name, i, st.Status)
			}
			out = append(out, st)
		}
		return out, nil
	}
	return nil, csreview.Errorf(csreview.EINVALID, "%s: neither OpenVEX nor CycloneDX VEX", name)
}

func productIDs(c vex.Component) []string {
	var ids []string
	if c.ID != "" {
		ids = append(ids, c.ID)
	}
	for _, id := range c.Identifiers {
		ids = append(ids, id)
	}
	return ids
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// cyclonedxState maps a CycloneDX analysis state onto an OpenVEX status.
var cyclonedxState = map[cdx.ImpactAnalysisState]string{
	cdx.IASNotAffected: VEXNotAffected, cdx.IASFalsePositive: VEXNotAffected,
	cdx.IASResolved: VEXFixed, cdx.IASResolvedWithPedigree: VEXFixed,
	cdx.IASExploitable: VEXAffected, cdx.IASInTriage: VEXUnderInvestigation,
}

func cyclonedxVEX(b []byte, format cdx.BOMFileFormat, name string) ([]VEXStatement, error) {
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(b), format).Decode(&bom); err != nil {
		return nil, csreview.Errorf(csreview.EINVALID, "CycloneDX VEX %s: %v", name, err)
	}
	if bom.Vulnerabilities == nil {
		return nil, nil
	}
	var out []VEXStatement
	for i, v := range *bom.Vulnerabilities {
		if v.Analysis == nil || v.Analysis.State == "" {
			continue
		}
		status, ok := cyclonedxState[v.Analysis.State]
		if !ok {
			return nil, csreview.Errorf(csreview.EINVALID, "CycloneDX VEX %s: vulnerabilities[%d].analysis.state %q is unknown", name, i, v.Analysis.State)
		}
		st := VEXStatement{Vulnerabilities: []string{v.ID}, Status: status, Justification: string(v.Analysis.Justification),
			Impact: v.Analysis.Detail, Source: name}
		if v.Affects != nil {
			for _, a := range *v.Affects {
				st.Products = append(st.Products, a.Ref)
			}
		}
		out = append(out, st)
	}
	return out, nil
}

type vexIndex struct{ byVuln map[string][]*VEXStatement }

func newVEXIndex(sts []VEXStatement) *vexIndex {
	x := &vexIndex{byVuln: map[string][]*VEXStatement{}}
	for i := range sts {
		for _, id := range sts[i].Vulnerabilities {
			x.byVuln[id] = append(x.byVuln[id], &sts[i])
		}
	}
	return x
}

// lookup finds the statement on a vulnerability (by any of its IDs) for a
// component (by purl, a version-less purl, or bom-ref); the last one given
// wins, as later documents supersede earlier ones.
func (x *vexIndex) lookup(a *AdvisoryRef, c *csreview.Component) *VEXStatus {
	var found *VEXStatement
	for _, id := range a.Aliases {
		for _, st := range x.byVuln[id] {
			if len(st.Products) == 0 || productMatches(st.Products, c) {
				found = st
			}
		}
	}
	if found == nil {
		return nil
	}
	return &VEXStatus{Status: found.Status, Justification: found.Justification, Impact: found.Impact, Source: found.Source}
}

func productMatches(products []string, c *csreview.Component) bool {
	for _, p := range products {
		switch {
		case p == c.Ref && p != "":
			return true
		case c.PURL != "" && strings.HasPrefix(p, "pkg:") && vex.PurlMatches(p, c.PURL):
			return true
		}
	}
	return false
}
