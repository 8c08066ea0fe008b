package site

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/review"
)

// CaseServices is what the case pages and API call beyond the registry.
type CaseServices interface {
	csreview.CaseService
	csreview.AnalysisService
	review.WorkService
}

// sbomBody attaches SBOMs and VEX documents (kind "sbom" or "vex").
type sbomBody struct {
	Files []fileBody `json:"files"`
}

func (s *Server) apiAttachSBOM(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	var b sbomBody
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	files, err := decodeFiles(b.Files)
	if err != nil {
		return err
	}
	job, err := s.cases.AttachAnalysisInputs(r.Context(), id, files)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/cases/%d/analysis", id))
	return WriteJSON(w, http.StatusAccepted, job)
}

func (s *Server) apiAnalysisJobs(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	jobs, err := s.cases.FindAnalysisJobs(r.Context(), id)
	if err != nil {
		return err
	}
	if jobs == nil {
		jobs = []*csreview.AnalysisJob{}
	}
	return WriteJSON(w, http.StatusOK, listBody[csreview.AnalysisJob]{Items: jobs, Total: len(jobs), Limit: len(jobs)})
}

func (s *Server) apiAnalysisReport(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	jid, err := PathID(r, "jid")
	if err != nil {
		return err
	}
	b, err := s.cases.AnalysisReport(r.Context(), id, jid)
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

func (s *Server) apiCreateEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	var b evidenceBody
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	files, err := decodeFiles(b.Attachments)
	if err != nil {
		return err
	}
	e := b.Evidence
	e.CaseID = id
	if err := s.cases.CreateEvidence(r.Context(), &e, files); err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, e)
}

func (s *Server) apiListEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.cases.FindEvidence(r.Context(), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.Evidence{}
	}
	return WriteJSON(w, http.StatusOK, listBody[csreview.Evidence]{Items: list, Total: len(list), Limit: len(list)})
}

func (s *Server) apiSupplierRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := s.cases.FindSupplierRecord(r.Context(), id)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, rec)
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
			return nil, bodyError(fmt.Sprintf("files[%d].content_base64", i), "not_base64", "")
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

// caseView is a case with what its page shows: clocks on the day, the
// timeline, what the caller may do and who must act next.
type caseView struct {
	Case       *csreview.Case        `json:"case"`
	Clocks     []clockView           `json:"clocks"`
	Events     []*csreview.CaseEvent `json:"events"`
	Actions    []string              `json:"actions"`
	NextActors []csreview.Role       `json:"next_actors"`
	// Offers are the actions open in the case's state, each with who may
	// take it, what it must carry and its article, from the regime pack.
	Offers []review.Offer       `json:"offers"`
	Roster []csreview.Consultee `json:"roster,omitempty"`
	// May is what the caller may do with the case beyond its actions.
	May   csreview.CaseAccess `json:"may"`
	Today csreview.Date       `json:"today"`
}

// clockView is a clock on the day, with why its due date is provisional in
// the reader's language.
type clockView struct {
	review.ClockStatus
	ProvisionalNote string `json:"provisional_note,omitempty" doc:"Why the due date is provisional, in the language of the request (Accept-Language or the lang cookie)."`
}

func (s *Server) caseView(r *http.Request, id int64) (*caseView, error) {
	ctx := r.Context()
	c, err := s.cases.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	clocks, err := s.cases.FindCaseClocks(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.cases.FindCaseEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &caseView{Case: c, Events: events, Today: csreview.DateOf(s.Now().In(Shanghai))}
	tr := s.I18n.For(r)
	for _, clk := range clocks {
		st := review.Status(s.rules.Cal, *clk, v.Today)
		v.Clocks = append(v.Clocks, clockView{ClockStatus: st, ProvisionalNote: tr.Provisional(st)})
	}
	work, err := s.cases.FindCaseWork(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Actions, v.NextActors, v.Offers, v.Roster, v.May = work.Actions, work.NextActors, work.Offers, work.Roster, work.May
	return v, nil
}

func (s *Server) apiListCases(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := csreview.CaseFilter{Query: q.Str("q"), State: csreview.CaseState(q.Str("state")), Regime: q.Str("regime"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.cases.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.Case{}
	}
	p := f.Page.Normalize()
	return WriteJSON(w, http.StatusOK, listBody[csreview.Case]{Items: list, Total: total, Limit: p.Limit, Offset: p.Offset})
}

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) error {
	var b newCaseBody
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	files, err := decodeFiles(b.Files)
	if err != nil {
		return err
	}
	c := b.Case
	if err := s.cases.CreateCase(r.Context(), &c, files); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/cases/%d", c.ID))
	return WriteJSON(w, http.StatusCreated, c)
}

func (s *Server) apiGetCase(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.caseView(r, id)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, v)
}

func (s *Server) apiAct(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	var b actionBody
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	in := b.CaseAction
	if in.Files, err = decodeFiles(b.Files); err != nil {
		return err
	}
	if _, err := s.cases.Act(r.Context(), id, in); err != nil {
		return err
	}
	v, err := s.caseView(r, id)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, v)
}

func (s *Server) apiCaseOpinions(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.cases.FindCaseOpinions(r.Context(), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*csreview.Opinion{}
	}
	return WriteJSON(w, http.StatusOK, listBody[csreview.Opinion]{Items: list, Total: len(list), Limit: len(list)})
}

// caseRoutes are the case API.
func (s *Server) caseRoutes() []Route {
	return []Route{
		{Name: "api.cases.list", Method: "GET", Pattern: "/api/v1/cases", Kind: KindAPI, Tag: "Cases",
			Summary: "List the cases the caller may see, most recently changed first",
			Params: withPage(qParam, Param{Name: "state", Type: "string", Description: "case state"},
				Param{Name: "regime", Type: "string", Description: "regime pack ID"}),
			Response: listBody[csreview.Case]{}, Handle: s.apiListCases},
		{Name: "api.cases.create", Method: "POST", Pattern: "/api/v1/cases", Kind: KindAPI, Tag: "Cases",
			Summary: "File a case through a channel of the regime pack, with the materials it requires (files in base64)",
			Request: newCaseBody{}, Response: csreview.Case{}, Status: 201, MaxBody: uploadLimit * 4 / 3, Handle: s.apiCreateCase},
		{Name: "api.cases.get", Method: "GET", Pattern: "/api/v1/cases/{id}", Kind: KindAPI, Tag: "Cases",
			Summary:  "A case with its clocks, timeline, the actions the caller may take and who acts next",
			Response: caseView{}, Handle: s.apiGetCase},
		{Name: "api.cases.act", Method: "POST", Pattern: "/api/v1/cases/{id}/actions", Kind: KindAPI, Tag: "Cases",
			Summary: "Take a transition; 409 (wrong state) or 403 (wrong role) list the allowed ones",
			Request: actionBody{}, Response: caseView{}, MaxBody: uploadLimit * 4 / 3, Handle: s.apiAct},
		{Name: "api.cases.opinions", Method: "GET", Pattern: "/api/v1/cases/{id}/opinions", Kind: KindAPI, Tag: "Cases",
			Summary:  "Expert opinions, member replies and conclusions (office, experts and member units; each read is audited)",
			Response: listBody[csreview.Opinion]{}, Handle: s.apiCaseOpinions},
		{Name: "api.cases.evidence.create", Method: "POST", Pattern: "/api/v1/cases/{id}/evidence", Kind: KindAPI, Tag: "Cases",
			Summary: "Record evidence by a review method, with findings per criterion (the assigned body's assessors)",
			Request: evidenceBody{}, Response: csreview.Evidence{}, Status: 201, MaxBody: uploadLimit * 4 / 3, Handle: s.apiCreateEvidence},
		{Name: "api.cases.evidence.list", Method: "GET", Pattern: "/api/v1/cases/{id}/evidence", Kind: KindAPI, Tag: "Cases",
			Summary:  "The evidence of a case (confidential: office, assigned body, experts, member units; each read is audited)",
			Response: listBody[csreview.Evidence]{}, Handle: s.apiListEvidence},
		{Name: "api.cases.sboms", Method: "POST", Pattern: "/api/v1/cases/{id}/sboms", Kind: KindAPI, Tag: "Cases",
			Summary: "Attach SBOMs and VEX documents (base64) and queue their automated analysis; 202 with the job",
			Request: sbomBody{}, Response: csreview.AnalysisJob{}, Status: 202, MaxBody: uploadLimit * 4 / 3, Handle: s.apiAttachSBOM},
		{Name: "api.cases.analysis", Method: "GET", Pattern: "/api/v1/cases/{id}/analysis", Kind: KindAPI, Tag: "Cases",
			Summary:  "The case's analysis jobs with their progress, newest first",
			Response: listBody[csreview.AnalysisJob]{}, Handle: s.apiAnalysisJobs},
		{Name: "api.cases.analysis.report", Method: "GET", Pattern: "/api/v1/cases/{id}/analysis/{jid}/report", Kind: KindAPI, Tag: "Cases",
			Summary: "A finished analysis's report in the csreview.assess/v1 schema (confidential; each read is audited)",
			Handle:  s.apiAnalysisReport},
		{Name: "api.cases.supplier_record", Method: "GET", Pattern: "/api/v1/cases/{id}/supplier-record", Kind: KindAPI, Tag: "Cases",
			Summary:  "The supplier's security and credibility record (2017 Measures Art. 6), for those who deliberate",
			Response: csreview.SupplierRecord{}, Handle: s.apiSupplierRecord},
	}
}
