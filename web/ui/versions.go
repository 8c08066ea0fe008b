package ui

import (
	"fmt"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/web/internal/site"
)

// versionAssessment shows the assessment as the engine's printable HTML
// report.
func (s *surface) versionAssessment(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.VersionAssessment(r)
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

// attachVersionSBOM takes the product page's upload form.
func (s *surface) attachVersionSBOM(w http.ResponseWriter, r *http.Request) error {
	pid, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	vid, err := site.PathID(r, "vid")
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
	if _, err := s.Versions.AttachVersionSBOM(r.Context(), pid, vid, f); err != nil {
		if len(files) != 1 && csreview.ErrorCode(err) == csreview.EINVALID {
			return redirect(w, r, fmt.Sprintf("/products/%d", pid), "flash.sbom_missing")
		}
		// A file that cannot be read is answered with what is wrong with
		// it, where (line and column), and the status that says so.
		return err
	}
	return redirect(w, r, fmt.Sprintf("/products/%d", pid), "flash.sbom_attached")
}

func (s *surface) versionRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.product.version.sbom", Method: "POST", Pattern: "/products/{id}/versions/{vid}/sbom", MaxBody: site.UploadLimit, Handle: s.attachVersionSBOM},
		{Name: "ui.product.version.assessment", Method: "GET", Pattern: "/products/{id}/versions/{vid}/assessment", Handle: s.versionAssessment},
	}
}
