package csreview

// Component is one entry of a software bill of materials, as csreview
// reads it from CycloneDX or SPDX: what it is, who supplied it, how to
// recognise it, and what it depends on.
type Component struct {
	// Ref identifies the component within its SBOM (a CycloneDX bom-ref or
	// an SPDX element ID).
	Ref     string `json:"ref"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// PURL is the package URL as written in the SBOM; Ecosystem is the OSV
	// ecosystem it maps to ("" when unknown). When Ecosystem is set, Name
	// is the package's name as OSV names it, read from the purl
	// (sbom.Ecosystem).
	PURL      string   `json:"purl,omitempty"`
	Ecosystem string   `json:"ecosystem,omitempty"`
	Supplier  string   `json:"supplier,omitempty"`
	Hashes    []Hash   `json:"hashes,omitempty"`
	Licenses  []string `json:"licenses,omitempty"`
	// DependsOn lists the Refs of the components this one depends on.
	DependsOn []string `json:"depends_on,omitempty"`
}

// Hash is a digest of a component's artefact.
type Hash struct {
	Alg   string `json:"alg"` // as the SBOM names it: SHA-256, SHA1…
	Value string `json:"value"`
}

// SBOMWarning is a defect of an SBOM that did not stop it being read:
// where it is (a JSON path, an XML element, a tag-value line) and what is
// wrong.
type SBOMWarning struct {
	Where string `json:"where"`
	What  string `json:"what"`
}
