package site

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// The compliance sweep and enforcement records (DESIGN §6).

func (s *Server) enforcementRoutes() []Route {
	return []Route{
		{Name: "api.enforcement.sweep", Method: "POST", Pattern: "/api/v1/sweeps", Kind: KindAPI, Tag: "Enforcement",
			Summary:  "Find operators using failed, revoked or unreviewed products where review was required, and prepare enforcement records (office; a regulator for its sector)",
			Response: csreview.SweepResult{}, Handle: s.apiSweep},
		{Name: "api.enforcement.list", May: mayOversight, Method: "GET", Pattern: "/api/v1/enforcement", Kind: KindAPI, Tag: "Enforcement",
			Summary: "Enforcement records, newest first", Params: withPage(EnumParam("state", "state", csreview.EnforcementStates),
				Param{Name: "operator_id", Type: "integer", Description: "operator"}),
			Response: listBody[csreview.Enforcement]{}, Handle: s.apiEnforcements},
		{Name: "api.enforcement.get", Method: "GET", Pattern: "/api/v1/enforcement/{id}", Kind: KindAPI, Tag: "Enforcement",
			Summary: "One enforcement record with its history", Response: csreview.Enforcement{}, Handle: getByID(s.enforcement.FindEnforcement)},
		{Name: "api.enforcement.move", Method: "POST", Pattern: "/api/v1/enforcement/{id}/move", Kind: KindAPI, Tag: "Enforcement",
			Summary: "Take a record a step on: the orders (CSL Art. 65/67), the notice of the intended penalty, the party heard, " +
				"the decision with a fine or the provision under which none was imposed (Administrative Penalty Law Art. 44-64), closed",
			Request: csreview.EnforcementStep{}, Response: csreview.Enforcement{}, Handle: s.apiMoveEnforcement},

		{Name: "ui.enforcement", May: mayOversight, Method: "GET", Pattern: "/enforcement", Handle: s.uiEnforcements},
		{Name: "ui.enforcement.sweep", Method: "POST", Pattern: "/enforcement/sweep", Handle: s.uiSweep},
		{Name: "ui.enforcement.one", Method: "GET", Pattern: "/enforcement/{id}", Handle: s.uiEnforcement},
		{Name: "ui.enforcement.move", Method: "POST", Pattern: "/enforcement/{id}", Handle: s.uiMoveEnforcement},
	}
}

func (s *Server) apiSweep(w http.ResponseWriter, r *http.Request) error {
	res, err := s.enforcement.Sweep(r.Context())
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, res)
}

func enforcementFilter(q *Query) csreview.EnforcementFilter {
	return csreview.EnforcementFilter{State: q.OneOf("state", csreview.EnforcementStates), OperatorID: q.Int("operator_id"), Page: q.Page()}
}

func (s *Server) apiEnforcements(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := enforcementFilter(q)
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.enforcement.FindEnforcements(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, f.Page)
}

func (s *Server) apiMoveEnforcement(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	var b csreview.EnforcementStep
	if err := DecodeJSON(r, &b); err != nil {
		return err
	}
	e, err := s.enforcement.StepEnforcement(r.Context(), id, b)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, e)
}

type enforcementsData struct {
	Rows     []*csreview.Enforcement
	Total    int
	F        csreview.EnforcementFilter
	States   []string
	CanSweep bool
	Swept    *csreview.SweepResult
	Names    *answerNames
	Pager
}

func (s *Server) enforcementsPage(w http.ResponseWriter, r *http.Request, swept *csreview.SweepResult) error {
	q := NewQuery(r)
	f := enforcementFilter(q)
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.enforcement.FindEnforcements(r.Context(), f)
	if err != nil {
		return err
	}
	u := csreview.UserFromContext(r.Context())
	d := enforcementsData{Rows: list, Total: total, F: f, States: csreview.EnforcementStates, Swept: swept,
		CanSweep: csreview.CanSweep(u),
		Names:    s.answerNames(r), Pager: NewPager(r, "/enforcement", f.Page, len(list), total)}
	return s.Render(w, http.StatusOK, "enforcements", s.NewPage(r, "enforcement.title", d))
}

func (s *Server) uiEnforcements(w http.ResponseWriter, r *http.Request) error {
	return s.enforcementsPage(w, r, nil)
}

func (s *Server) uiSweep(w http.ResponseWriter, r *http.Request) error {
	res, err := s.enforcement.Sweep(r.Context())
	if err != nil {
		return err
	}
	return s.enforcementsPage(w, r, res)
}

type enforcementData struct {
	E     *csreview.Enforcement
	Pack  *regime.Pack
	Moves []string
	Names *answerNames
	Text  func(t csreview.Text) string
	// Orders are the orders recorded, or, before the order, those of the
	// penalty provision in force today.
	Orders     []string
	OrdersCite csreview.Text
	NoFine     []Option
	Problem    string
}

func (s *Server) enforcementPage(w http.ResponseWriter, r *http.Request, id int64, problem string, status int) error {
	e, err := s.enforcement.FindEnforcement(r.Context(), id)
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	d := enforcementData{E: e, Pack: s.PackByID[e.Regime], Names: s.answerNames(r), Problem: problem,
		Text: langText(lang)}
	if csreview.CanEnforce(csreview.UserFromContext(r.Context()), e.Sector) {
		d.Moves = csreview.EnforcementMoves(e.State)
	}
	on := e.Procedure.OrderedOn
	if on == "" {
		on = csreview.DateOf(s.Now().In(Shanghai))
	}
	d.Orders = e.Procedure.Orders
	if len(d.Orders) == 0 {
		d.Orders = regime.LawText("csl", "cii_review_penalty", on).Orders
	}
	d.OrdersCite = regime.LawCite("csl", "cii_review_penalty", on)
	for _, id := range csreview.NoFineProvisions {
		t := regime.LawText("apl", id, on)
		d.NoFine = append(d.NoFine, Option{Value: id, Label: regime.LawCite("apl", id, on).In(lang) + " " + t.Text.In(lang)})
	}
	p := s.NewPage(r, "", d)
	p.Title = s.I18n.For(r).T("enforcement.one", "ref", e.Ref)
	return s.Render(w, status, "enforcement", p)
}

func (s *Server) uiEnforcement(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	return s.enforcementPage(w, r, id, "", http.StatusOK)
}

func (s *Server) uiMoveEnforcement(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	amount := func(k string) int64 {
		n, _ := strconv.ParseInt(strings.ReplaceAll(f.Get(k), ",", ""), 10, 64)
		return n
	}
	st := csreview.EnforcementStep{To: f.Get("to"), Note: f.Get("note"), RectifyBy: csreview.Date(f.Get("rectify_by")),
		Fine: amount("fine"), PersonFine: amount("person_fine"), Statement: f.Get("statement"), Waived: f.Get("waived") == "1",
		HearingRequested: f.Get("hearing_requested") == "1", HearingHeld: f.Get("hearing_held") == "1", NoFine: f.Get("no_fine")}
	if _, err := s.enforcement.StepEnforcement(r.Context(), id, st); err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		// Name each field that is wrong, with what is wrong with it: the
		// page has one form for several steps.
		problem := s.problemOf(r, err).Detail
		if e := csreview.AsError(err); e != nil {
			tr := s.I18n.For(r)
			for _, f := range e.Fields {
				label := f.Field
				if k, ok := enforcementFieldLabels[f.Field]; ok {
					label = tr.T(k)
				}
				problem += " " + label + " — " + s.FieldMessage(tr, f)
			}
		}
		return s.enforcementPage(w, r, id, problem, http.StatusBadRequest)
	}
	return redirect(w, r, fmt.Sprintf("/enforcement/%d", id), "flash.saved")
}

// enforcementFieldLabels are the form's labels of the fields a step checks.
var enforcementFieldLabels = map[string]string{
	"to": "enforcement.next", "rectify_by": "enforcement.rectify_by", "fine": "enforcement.fine_field",
	"person_fine": "enforcement.person_field", "statement": "enforcement.statement", "no_fine": "enforcement.no_fine_field",
	"hearing_held": "enforcement.hearing_held", "hearing_requested": "enforcement.hearing_requested", "note": "enforcement.note",
	"on": "enforcement.hearing",
}
