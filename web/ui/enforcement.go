package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/web/internal/site"
)

// The compliance sweep and enforcement records (DESIGN §6).

func (s *surface) enforcementRoutes() []site.Route {
	return []site.Route{
		{Name: "ui.enforcement", May: site.MayOversight, Method: "GET", Pattern: "/enforcement", Handle: s.enforcements},
		{Name: "ui.enforcement.sweep", Method: "POST", Pattern: "/enforcement/sweep", Handle: s.sweep},
		{Name: "ui.enforcement.one", Method: "GET", Pattern: "/enforcement/{id}", Handle: s.enforcement},
		{Name: "ui.enforcement.move", Method: "POST", Pattern: "/enforcement/{id}", Handle: s.moveEnforcement},
	}
}

type enforcementsData struct {
	Rows     []*csreview.Enforcement
	Total    int
	F        csreview.EnforcementFilter
	States   []string
	CanSweep bool
	Swept    *csreview.SweepResult
	Names    *answerNames
	site.Pager
}

func (s *surface) enforcementsPage(w http.ResponseWriter, r *http.Request, swept *csreview.SweepResult) error {
	q := site.NewQuery(r)
	f := site.EnforcementFilter(q)
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Enforcement.FindEnforcements(r.Context(), f)
	if err != nil {
		return err
	}
	u := csreview.UserFromContext(r.Context())
	d := enforcementsData{Rows: list, Total: total, F: f, States: csreview.EnforcementStates, Swept: swept,
		CanSweep: csreview.CanSweep(u),
		Names:    s.answerNames(r), Pager: site.NewPager(r, "/enforcement", f.Page, len(list), total)}
	return s.Render(w, http.StatusOK, "enforcements", s.NewPage(r, "enforcement.title", d))
}

func (s *surface) enforcements(w http.ResponseWriter, r *http.Request) error {
	var last *csreview.SweepResult
	if r.URL.Query().Get("swept") != "" && csreview.CanSweep(csreview.UserFromContext(r.Context())) {
		var err error
		if last, err = s.Enforcement.LastSweep(r.Context()); err != nil {
			return err
		}
	}
	return s.enforcementsPage(w, r, last)
}

// sweep runs the sweep and answers with a redirect to the list, which
// shows the result read back from the audit log: a reload shows it again
// and does not sweep again.
func (s *surface) sweep(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Enforcement.Sweep(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/enforcement?swept=1", "")
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
	NoFine     []site.Option
	Problem    string
}

func (s *surface) enforcementPage(w http.ResponseWriter, r *http.Request, id int64, problem string, status int) error {
	e, err := s.Enforcement.FindEnforcement(r.Context(), id)
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	d := enforcementData{E: e, Pack: s.Rules.Packs[e.Regime], Names: s.answerNames(r), Problem: problem,
		Text: langText(lang)}
	if csreview.CanEnforce(csreview.UserFromContext(r.Context()), e.Sector) {
		d.Moves = csreview.EnforcementMoves(e.State)
	}
	on := e.Procedure.OrderedOn
	if on == "" {
		on = csreview.DateOf(s.Now().In(site.Shanghai))
	}
	d.Orders = e.Procedure.Orders
	if len(d.Orders) == 0 {
		d.Orders = regime.LawText("csl", "cii_review_penalty", on).Orders
	}
	d.OrdersCite = regime.LawCite("csl", "cii_review_penalty", on)
	for _, id := range csreview.NoFineProvisions {
		t := regime.LawText("apl", id, on)
		d.NoFine = append(d.NoFine, site.Option{Value: id, Label: regime.LawCite("apl", id, on).In(lang) + " " + t.Text.In(lang)})
	}
	p := s.NewPage(r, "", d)
	p.Title = s.I18n.For(r).T("enforcement.one", "ref", e.Ref)
	return s.Render(w, status, "enforcement", p)
}

func (s *surface) enforcement(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.enforcementPage(w, r, id, "", http.StatusOK)
}

func (s *surface) moveEnforcement(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
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
	if _, err := s.Enforcement.StepEnforcement(r.Context(), id, st); err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		// Name each field that is wrong, with what is wrong with it: the
		// page has one form for several steps.
		problem := s.ProblemOf(r, err).Detail
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
