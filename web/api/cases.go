package api

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

// sbomBody attaches SBOMs and VEX documents (kind "sbom" or "vex").
type sbomBody struct {
	Files []fileBody `json:"files"`
}

func (s *surface) attachSBOM(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var b sbomBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	files, err := decodeFiles(b.Files)
	if err != nil {
		return err
	}
	job, err := s.Cases.AttachAnalysisInputs(r.Context(), id, files)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/cases/%d/analysis", id))
	return site.WriteJSON(w, http.StatusAccepted, job)
}

func (s *surface) analysisJobs(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	jobs, err := s.Cases.FindAnalysisJobs(r.Context(), id)
	if err != nil {
		return err
	}
	if jobs == nil {
		jobs = []*csreview.AnalysisJob{}
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.AnalysisJob]{Items: jobs, Total: len(jobs), Limit: len(jobs)})
}

func (s *surface) analysisReport(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	jid, err := site.PathID(r, "jid")
	if err != nil {
		return err
	}
	b, err := s.Cases.AnalysisReport(r.Context(), id, jid)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}

// evidenceBody is evidence with its attachments in base64.
type evidenceBody struct {
	csreview.Evidence
	Attachments []fileBody `json:"attachments,omitempty"`
}

func (s *surface) createEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var b evidenceBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	files, err := decodeFiles(b.Attachments)
	if err != nil {
		return err
	}
	e := b.Evidence
	e.CaseID = id
	if err := s.Cases.CreateEvidence(r.Context(), &e, files); err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusCreated, e)
}

func (s *surface) listEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.Cases.FindEvidence(r.Context(), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.Evidence{}
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.Evidence]{Items: list, Total: len(list), Limit: len(list)})
}

func (s *surface) supplierRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := s.Cases.FindSupplierRecord(r.Context(), id)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, rec)
}

// fileBody is an attachment in a JSON request: its content in base64.
type fileBody struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	MediaType string `json:"media_type,omitempty"`
	Content   string `json:"content_base64"`
}

func decodeFiles(in []fileBody) ([]csreview.FileUpload, error) {
	var out []csreview.FileUpload
	for i, f := range in {
		b, err := base64.StdEncoding.DecodeString(f.Content)
		if err != nil {
			return nil, site.BodyError(fmt.Sprintf("files[%d].content_base64", i), "not_base64", "")
		}
		out = append(out, csreview.FileUpload{Kind: f.Kind, Name: f.Name, MediaType: f.MediaType, Content: b})
	}
	return out, nil
}

// newCaseBody is a filing.
type newCaseBody struct {
	csreview.Case
	Files []fileBody `json:"files,omitempty"`
}

// actionBody is a transition with its attachments.
type actionBody struct {
	csreview.CaseAction
	Files []fileBody `json:"files,omitempty"`
}

func (s *surface) listCases(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := csreview.CaseFilter{Query: q.Str("q"), State: csreview.CaseState(q.Str("state")), Regime: q.Str("regime"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Cases.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.Case{}
	}
	p := f.Page.Normalize()
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.Case]{Items: list, Total: total, Limit: p.Limit, Offset: p.Offset})
}

func (s *surface) createCase(w http.ResponseWriter, r *http.Request) error {
	var b newCaseBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	files, err := decodeFiles(b.Files)
	if err != nil {
		return err
	}
	c := b.Case
	if err := s.Cases.CreateCase(r.Context(), &c, files); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/cases/%d", c.ID))
	return site.WriteJSON(w, http.StatusCreated, c)
}

func (s *surface) getCase(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.CaseView(r, id)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, v)
}

func (s *surface) act(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var b actionBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	in := b.CaseAction
	if in.Files, err = decodeFiles(b.Files); err != nil {
		return err
	}
	if _, err := s.Cases.Act(r.Context(), id, in); err != nil {
		return err
	}
	v, err := s.CaseView(r, id)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, v)
}

func (s *surface) caseOpinions(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.Cases.FindCaseOpinions(r.Context(), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.Opinion{}
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.Opinion]{Items: list, Total: len(list), Limit: len(list)})
}

// caseRoutes are the case API.
func (s *surface) caseRoutes() []site.Route {
	return []site.Route{
		{Name: "api.cases.list", Method: "GET", Pattern: "/api/v1/cases", Kind: site.KindAPI, Tag: "Cases",
			Summary: "List the cases the caller may see, most recently changed first",
			Params: withPage(qParam, site.Param{Name: "state", Type: "string", Description: "case state"},
				site.Param{Name: "regime", Type: "string", Description: "regime pack ID"}),
			Response: site.ListBody[csreview.Case]{}, Handle: s.listCases},
		{Name: "api.cases.create", Method: "POST", Pattern: "/api/v1/cases", Kind: site.KindAPI, Tag: "Cases",
			Summary: "File a case through a channel of the regime pack, with the materials it requires (files in base64)",
			Request: newCaseBody{}, Response: csreview.Case{}, Status: 201, MaxBody: site.UploadLimit * 4 / 3, Handle: s.createCase},
		{Name: "api.cases.get", Method: "GET", Pattern: "/api/v1/cases/{id}", Kind: site.KindAPI, Tag: "Cases",
			Summary:  "A case with its clocks, timeline, the actions the caller may take and who acts next",
			Response: site.CaseView{}, Handle: s.getCase},
		{Name: "api.cases.act", Method: "POST", Pattern: "/api/v1/cases/{id}/actions", Kind: site.KindAPI, Tag: "Cases",
			Summary: "Take a transition; 409 (wrong state) or 403 (wrong role) list the allowed ones",
			Request: actionBody{}, Response: site.CaseView{}, MaxBody: site.UploadLimit * 4 / 3, Handle: s.act},
		{Name: "api.cases.opinions", Method: "GET", Pattern: "/api/v1/cases/{id}/opinions", Kind: site.KindAPI, Tag: "Cases",
			Summary:  "Expert opinions, member replies and conclusions (office, experts and member units; each read is audited)",
			Response: site.ListBody[csreview.Opinion]{}, Handle: s.caseOpinions},
		{Name: "api.cases.evidence.create", Method: "POST", Pattern: "/api/v1/cases/{id}/evidence", Kind: site.KindAPI, Tag: "Cases",
			Summary: "Record evidence by a review method, with findings per criterion (the assigned body's assessors)",
			Request: evidenceBody{}, Response: csreview.Evidence{}, Status: 201, MaxBody: site.UploadLimit * 4 / 3, Handle: s.createEvidence},
		{Name: "api.cases.evidence.list", Method: "GET", Pattern: "/api/v1/cases/{id}/evidence", Kind: site.KindAPI, Tag: "Cases",
			Summary:  "The evidence of a case (confidential: office, assigned body, experts, member units; each read is audited)",
			Response: site.ListBody[csreview.Evidence]{}, Handle: s.listEvidence},
		{Name: "api.cases.sboms", Method: "POST", Pattern: "/api/v1/cases/{id}/sboms", Kind: site.KindAPI, Tag: "Cases",
			Summary: "Attach SBOMs and VEX documents (base64) and queue their automated analysis; 202 with the job",
			Request: sbomBody{}, Response: csreview.AnalysisJob{}, Status: 202, MaxBody: site.UploadLimit * 4 / 3, Handle: s.attachSBOM},
		{Name: "api.cases.analysis", Method: "GET", Pattern: "/api/v1/cases/{id}/analysis", Kind: site.KindAPI, Tag: "Cases",
			Summary:  "The case's analysis jobs with their progress, newest first",
			Response: site.ListBody[csreview.AnalysisJob]{}, Handle: s.analysisJobs},
		{Name: "api.cases.analysis.report", Method: "GET", Pattern: "/api/v1/cases/{id}/analysis/{jid}/report", Kind: site.KindAPI, Tag: "Cases",
			Summary: "A finished analysis's report in the csreview.assess/v1 schema (confidential; each read is audited)",
			Handle:  s.analysisReport},
		{Name: "api.cases.files", Method: "GET", Pattern: "/api/v1/cases/{id}/files", Kind: site.KindAPI, Tag: "Cases",
			Summary:  "The case's materials the caller may read: filed, supplied later, analysis inputs and evidence attachments, with who gave each and when",
			Response: site.ListBody[csreview.CaseMaterial]{}, Handle: s.caseFiles},
		{Name: "api.cases.files.get", Method: "GET", Pattern: "/api/v1/cases/{id}/files/{fid}", Kind: site.KindAPI, Tag: "Cases",
			Summary: "One material's content, as an attachment (confidential, 2021 Measures Art. 17; each read is audited)",
			Handle:  s.ServeCaseFile},
		{Name: "api.cases.findings", Method: "GET", Pattern: "/api/v1/cases/{id}/findings", Kind: site.KindAPI, Tag: "Cases",
			Summary: "The latest analysis's findings with the lab's triage state beside the supplier's VEX, filtered, sorted and paged (confidential; the report read is audited)",
			Params: withPage(site.EnumParam("severity", "severity", append(site.Strs(csreview.Risks), "info", "unrated")),
				site.Param{Name: "criterion", Type: "string", Description: "review criterion ID"},
				site.EnumParam("state", "the lab's triage state", site.Strs(csreview.TriageStates)),
				site.Param{Name: "ecosystem", Type: "string", Description: "component ecosystem (npm, Go, Maven…)"}, qParam,
				site.EnumParam("sort", "order: severity (default), component, advisory or state", []string{"severity", "component", "advisory", "state"})),
			Response: site.FindingsTable{}, Handle: s.findings},
		{Name: "api.cases.findings.vex", Method: "GET", Pattern: "/api/v1/cases/{id}/findings/vex", Kind: site.KindAPI, Tag: "Cases",
			Summary: "The lab's triage of the latest analysis as a CycloneDX 1.6 VEX document, for Dependency-Track and other tools (confidential; audited)",
			Handle:  s.ServeTriageVEX},
		{Name: "api.cases.findings.triage", Method: "GET", Pattern: "/api/v1/cases/{id}/findings/{key}/triage", Kind: site.KindAPI, Tag: "Cases",
			Summary: "A finding's triage history, oldest first", Response: site.ListBody[csreview.Triage]{}, Handle: s.triageHistory},
		{Name: "api.cases.findings.triage.set", Method: "PUT", Pattern: "/api/v1/cases/{id}/findings/{key}/triage", Kind: site.KindAPI, Tag: "Cases",
			Summary: "Set a finding's analysis state (the assigned body, during the assessment): in_triage, exploitable, not_affected with a justification, false_positive with a comment, resolved",
			Request: triageBody{}, Response: csreview.Triage{}, Handle: s.setTriage},
		{Name: "api.cases.archive", Method: "GET", Pattern: "/api/v1/cases/{id}/archive", Kind: site.KindAPI, Tag: "Cases",
			Summary: "A closed case as one zip: every material, notice, opinion, finding and analysis report, the audit trail, and a manifest of SHA-256 hashes with the retention date (office; the export is audited)",
			Handle:  s.ServeCaseArchive},
		{Name: "api.cases.supplier_record", Method: "GET", Pattern: "/api/v1/cases/{id}/supplier-record", Kind: site.KindAPI, Tag: "Cases",
			Summary:  "The supplier's security and credibility record (2017 Measures Art. 6), for those who deliberate",
			Response: csreview.SupplierRecord{}, Handle: s.supplierRecord},
	}
}

func (s *surface) caseFiles(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.Cases.FindCaseMaterials(r.Context(), id)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.CaseMaterial]{Items: list, Total: len(list), Limit: len(list)})
}

func (s *surface) findings(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	q := site.NewQuery(r)
	f := site.FindingsFilterOf(q)
	if err := q.Err(); err != nil {
		return err
	}
	t, err := s.CaseFindings(r, id, f)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, t)
}

func (s *surface) triageHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.Cases.TriageHistory(r.Context(), id, r.PathValue("key"))
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, site.ListBody[csreview.Triage]{Items: list, Total: len(list), Limit: len(list)})
}

// triageBody sets a finding's state.
type triageBody struct {
	State         csreview.TriageState `json:"state"`
	Justification string               `json:"justification,omitempty"`
	Comment       string               `json:"comment,omitempty"`
}

func (s *surface) setTriage(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	var b triageBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	t := &csreview.Triage{CaseID: id, Key: r.PathValue("key"), State: b.State, Justification: b.Justification, Comment: b.Comment}
	if err := s.Cases.SetTriage(r.Context(), t); err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusOK, t)
}
