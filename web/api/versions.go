package api

import (
	"encoding/base64"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/web/internal/site"
)

// versionFileBody is an SBOM or VEX document in base64.
type versionFileBody struct {
	Kind    string `json:"kind"` // sbom or vex
	Name    string `json:"name"`
	Content string `json:"content_base64"`
}

func (s *surface) attachVersionSBOM(w http.ResponseWriter, r *http.Request) error {
	pid, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	vid, err := site.PathID(r, "vid")
	if err != nil {
		return err
	}
	var b versionFileBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	content, err := base64.StdEncoding.DecodeString(b.Content)
	if err != nil {
		return site.BodyError("content_base64", "not_base64", "")
	}
	x, err := s.Versions.AttachVersionSBOM(r.Context(), pid, vid, csreview.FileUpload{Kind: b.Kind, Name: b.Name, Content: content})
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusCreated, x)
}

func (s *surface) versionAssessment(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.VersionAssessment(r)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, rep)
}

func (s *surface) versionRoutes() []site.Route {
	return []site.Route{
		{Name: "api.products.versions.sbom", Method: "POST", Pattern: "/api/v1/products/{id}/versions/{vid}/sbom", Kind: site.KindAPI,
			Tag: "Registry", Summary: "Attach a version's SBOM (replacing the previous one and its component index) or a VEX document",
			Request: versionFileBody{}, Response: csreview.VersionSBOM{}, Status: 201, MaxBody: site.UploadLimit, Handle: s.attachVersionSBOM},
		{Name: "api.products.versions.assessment", Method: "GET", Pattern: "/api/v1/products/{id}/versions/{vid}/assessment", Kind: site.KindAPI,
			Tag: "Registry", Summary: "Assess a version's SBOM against the stored advisories (confidential; each run is audited)",
			Params:   []site.Param{{Name: "regime", Type: "string", Description: "regime pack; default the one in force"}},
			Response: assess.Report{}, Handle: s.versionAssessment},
	}
}
