package site

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
)

// VersionServices attach SBOMs to product versions and assess them.
type VersionServices interface {
	csreview.VersionSBOMService
	assess.VersionAssessor
}

// versionFileBody is an SBOM or VEX document in base64.
type versionFileBody struct {
	Kind    string `json:"kind"` // sbom or vex
	Name    string `json:"name"`
	Content string `json:"content_base64"`
}

func (s *Server) apiAttachVersionSBOM(w http.ResponseWriter, r *http.Request) error {
	pid, err := PathID(r, "id")
	if err != nil {
		return err
	}
	vid, err := PathID(r, "vid")
	if err != nil {
		return err
	}
	var b versionFileBody
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	content, err := base64.StdEncoding.DecodeString(b.Content)
	if err != nil {
		return bodyError("content_base64", "not_base64", "")
	}
	x, err := s.versions.AttachVersionSBOM(r.Context(), pid, vid, csreview.FileUpload{Kind: b.Kind, Name: b.Name, Content: content})
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, x)
}

// versionAssessment runs the engine on a version; ?regime= chooses the
// criteria (default: the regime in force today).
func (s *Server) versionAssessment(r *http.Request) (*assess.Report, error) {
	pid, err := PathID(r, "id")
	if err != nil {
		return nil, err
	}
	vid, err := PathID(r, "vid")
	if err != nil {
		return nil, err
	}
	regimeID := r.URL.Query().Get("regime")
	if regimeID == "" {
		if p := s.rules.InForceOn(csreview.DateOf(s.Now().In(Shanghai))); p != nil {
			regimeID = p.ID
		}
	}
	return s.versions.AssessVersion(r.Context(), pid, vid, regimeID, s.cfg.Version)
}

func (s *Server) apiVersionAssessment(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.versionAssessment(r)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, rep)
}

// uiVersionAssessment shows the assessment as the engine's printable HTML
// report.
func (s *Server) uiVersionAssessment(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.versionAssessment(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The report is one self-contained page with its own stylesheet: it may
	// style itself, and load nothing.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	return assess.WriteHTML(w, rep)
}

// uiAttachVersionSBOM takes the product page's upload form.
func (s *Server) uiAttachVersionSBOM(w http.ResponseWriter, r *http.Request) error {
	pid, err := PathID(r, "id")
	if err != nil {
		return err
	}
	vid, err := PathID(r, "vid")
	if err != nil {
		return err
	}
	files, _, err := parseUpload(r)
	if err != nil {
		return err
	}
	// The service decides who may before it looks at the file, so that a
	// caller who may not attach is refused rather than told of a mistake.
	var f csreview.FileUpload
	if len(files) == 1 {
		f = files[0]
	}
	if _, err := s.versions.AttachVersionSBOM(r.Context(), pid, vid, f); err != nil {
		if len(files) != 1 && csreview.ErrorCode(err) == csreview.EINVALID {
			return redirect(w, r, fmt.Sprintf("/products/%d", pid), "flash.sbom_missing")
		}
		// A file that cannot be read is answered with what is wrong with
		// it, where (line and column), and the status that says so.
		return err
	}
	return redirect(w, r, fmt.Sprintf("/products/%d", pid), "flash.sbom_attached")
}

func (s *Server) versionRoutes() []Route {
	return []Route{
		{Name: "api.products.versions.sbom", Method: "POST", Pattern: "/api/v1/products/{id}/versions/{vid}/sbom", Kind: KindAPI,
			Tag: "Registry", Summary: "Attach a version's SBOM (replacing the previous one and its component index) or a VEX document",
			Request: versionFileBody{}, Response: csreview.VersionSBOM{}, Status: 201, MaxBody: uploadLimit, Handle: s.apiAttachVersionSBOM},
		{Name: "api.products.versions.assessment", Method: "GET", Pattern: "/api/v1/products/{id}/versions/{vid}/assessment", Kind: KindAPI,
			Tag: "Registry", Summary: "Assess a version's SBOM against the stored advisories (confidential; each run is audited)",
			Params:   []Param{{Name: "regime", Type: "string", Description: "regime pack; default the one in force"}},
			Response: assess.Report{}, Handle: s.apiVersionAssessment},
		{Name: "ui.product.version.sbom", Method: "POST", Pattern: "/products/{id}/versions/{vid}/sbom", MaxBody: uploadLimit, Handle: s.uiAttachVersionSBOM},
		{Name: "ui.product.version.assessment", Method: "GET", Pattern: "/products/{id}/versions/{vid}/assessment", Handle: s.uiVersionAssessment},
	}
}
