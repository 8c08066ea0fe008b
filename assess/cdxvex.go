package assess

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/csreview/csreview"
)

// VEXMeta names a CycloneDX VEX document: its serial number (a
// urn:uuid:…), who it is by and when.
type VEXMeta struct {
	SerialNumber string
	Author       string
	Tool         Tool
	Timestamp    time.Time
}

// WriteTriageVEX writes the lab's triage of a report's vulnerabilities as
// a CycloneDX 1.6 VEX document, which Dependency-Track and other tools
// import: one vulnerability per advisory and component, with its rating
// and the lab's analysis (state, justification, detail). A vulnerability
// no one has triaged is in_triage. states maps the engine's finding IDs
// (Finding.ID) to the lab's states.
func WriteTriageVEX(w io.Writer, rep *Report, states map[string]*csreview.Triage, meta VEXMeta) error {
	bom := cdx.NewBOM()
	bom.SpecVersion = cdx.SpecVersion1_6
	bom.SerialNumber = meta.SerialNumber
	bom.Version = 1
	bom.Metadata = &cdx.Metadata{Timestamp: meta.Timestamp.UTC().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{Type: cdx.ComponentTypeApplication, Name: meta.Tool.Name, Version: meta.Tool.Version}}}}
	if meta.Author != "" {
		bom.Metadata.Authors = &[]cdx.OrganizationalContact{{Name: meta.Author}}
	}
	comps := map[string]cdx.Component{}
	var vulns []cdx.Vulnerability
	for _, f := range rep.Findings {
		if f.Kind != KindVulnerability || f.Advisory == nil || f.Component == nil {
			continue
		}
		ref := f.Component.PURL
		if ref == "" {
			ref = f.Component.Name + "@" + f.Component.Version
		}
		if _, ok := comps[ref]; !ok {
			comps[ref] = cdx.Component{BOMRef: ref, Type: cdx.ComponentTypeLibrary, Name: f.Component.Name,
				Version: f.Component.Version, PackageURL: f.Component.PURL}
		}
		v := cdx.Vulnerability{BOMRef: f.ID, ID: f.Advisory.ID, Description: f.Advisory.Summary,
			Affects: &[]cdx.Affects{{Ref: ref}}}
		if src := advisorySource(f.Advisory.ID); src != "" {
			v.Source = &cdx.Source{Name: src}
		}
		var refs []cdx.VulnerabilityReference
		for _, id := range f.Advisory.Aliases {
			if id != f.Advisory.ID {
				refs = append(refs, cdx.VulnerabilityReference{ID: id, Source: &cdx.Source{Name: advisorySource(id)}})
			}
		}
		if len(refs) > 0 {
			v.References = &refs
		}
		if r := rating(f); r != nil {
			v.Ratings = &[]cdx.VulnerabilityRating{*r}
		}
		a := &cdx.VulnerabilityAnalysis{State: cdx.IASInTriage}
		if t := states[f.ID]; t != nil {
			a.State = cdx.ImpactAnalysisState(t.State)
			a.Justification = cdx.ImpactAnalysisJustification(t.Justification)
			a.Detail = t.Comment
			a.LastUpdated = t.At.UTC().Format(time.RFC3339)
		}
		v.Analysis = a
		vulns = append(vulns, v)
	}
	refs := make([]string, 0, len(comps))
	for r := range comps {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	list := make([]cdx.Component, len(refs))
	for i, r := range refs {
		list[i] = comps[r]
	}
	bom.Components = &list
	bom.Vulnerabilities = &vulns
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true)
	return enc.Encode(bom)
}

// rating is a finding's rating in CycloneDX terms: its CVSS score, vector
// and method where it has one; the database's word as severity with
// method other; none when unrated (CycloneDX's "unknown" would read as a
// rating).
func rating(f *Finding) *cdx.VulnerabilityRating {
	a := f.Advisory
	switch a.Rating.Source {
	case RatingCVSS, RatingAliasCVSS:
		score := a.Score
		r := &cdx.VulnerabilityRating{Score: &score, Severity: cdx.Severity(f.Severity), Vector: a.Vector,
			Source: &cdx.Source{Name: advisorySource(a.Rating.Record)}}
		switch {
		case strings.HasPrefix(a.Vector, "CVSS:4.0/"):
			r.Method = cdx.ScoringMethodCVSSv4
		case strings.HasPrefix(a.Vector, "CVSS:3.1/"):
			r.Method = cdx.ScoringMethodCVSSv31
		case strings.HasPrefix(a.Vector, "CVSS:3.0/"):
			r.Method = cdx.ScoringMethodCVSSv3
		default:
			r.Method = cdx.ScoringMethodCVSSv2
		}
		return r
	case RatingDatabase:
		return &cdx.VulnerabilityRating{Severity: cdx.Severity(f.Severity), Method: cdx.ScoringMethodOther,
			Source: &cdx.Source{Name: a.Rating.Database}, Justification: fmt.Sprintf("the database's own word: %s", a.Rating.Word)}
	}
	return nil
}

// advisorySource names the database an advisory ID comes from.
func advisorySource(id string) string {
	if id == "" {
		return ""
	}
	prefix, _, _ := strings.Cut(id, "-")
	switch prefix {
	case "CVE":
		return "NVD"
	case "GHSA":
		return "GitHub"
	}
	return prefix
}
