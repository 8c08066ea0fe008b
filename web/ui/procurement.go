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

// procurementData is the procurement check form and the recent answers.
type procurementData struct {
	Req       csreview.ProcurementRequest
	Operators []site.Option
	Versions  []site.Option
	Forecasts []site.Option
	Regimes   []site.Option
	Problem   string
	Fields    map[string]string
	Checks    []*csreview.ProcurementAnswer
	Total     int
	site.Pager
	Names *answerNames
}

// answerNames renders the names of operators and product versions in a
// page, each looked up once per request.
type answerNames struct {
	s        *surface
	lb       *labeler
	operator field
}

func (s *surface) answerNames(r *http.Request) *answerNames {
	_, operatorRef, _ := s.refFields()
	operatorRef.Name = "operator_id"
	return &answerNames{s: s, lb: s.labeler(r), operator: operatorRef}
}

func (n *answerNames) Operator(id int64) string {
	return n.lb.label(n.operator, strconv.FormatInt(id, 10))
}

func (n *answerNames) Version(id int64) string {
	return n.lb.label(field{Name: "version_id", Options: n.s.versionOptions}, strconv.FormatInt(id, 10))
}

func (s *surface) procurementForm(r *http.Request, d *procurementData) error {
	_, operatorRef, _ := s.refFields()
	d.Operators = operatorRef.Options(r)
	d.Versions = s.versionOptions(r)
	d.Forecasts = s.localised(labelled(csreview.Forecasts, "forecast."))(r)
	tr := s.I18n.For(r)
	for _, p := range s.Rules.List {
		d.Regimes = append(d.Regimes, site.Option{Value: p.ID, Label: p.Title.In(tr.Lang)})
	}
	u := csreview.UserFromContext(r.Context())
	if d.Req.OperatorID == 0 && u.OperatorID > 0 {
		d.Req.OperatorID = u.OperatorID
	}
	q := site.NewQuery(r)
	f := csreview.ProcurementFilter{Verdict: q.OneOf("verdict", csreview.Verdicts), Page: q.Page()}
	var err error
	d.Checks, d.Total, err = s.Oversight.FindProcurementChecks(r.Context(), f)
	d.Pager = site.NewPager(r, "/procurement", f.Page, len(d.Checks), d.Total)
	d.Names = s.answerNames(r)
	return err
}

// procurement is the "may I buy this?" page.
func (s *surface) procurement(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	d := &procurementData{Req: csreview.ProcurementRequest{OperatorID: q.Int("operator_id"), VersionID: q.Int("version_id"),
		InventoryID: q.Int("inventory_id")}}
	if err := s.procurementForm(r, d); err != nil {
		return err
	}
	return s.Render(w, http.StatusOK, "procurement", s.NewPage(r, "procurement.title", d))
}

// checkProcurement answers the form and shows the recorded answer.
func (s *surface) checkProcurement(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	num := func(k string) int64 { n, _ := strconv.ParseInt(r.PostForm.Get(k), 10, 64); return n }
	req := csreview.ProcurementRequest{OperatorID: num("operator_id"), VersionID: num("version_id"), Amount: num("amount"),
		Date: csreview.Date(r.PostForm.Get("date")), System: r.PostForm.Get("system"), Forecast: r.PostForm.Get("forecast"),
		Commitments: r.PostForm.Get("commitments") != "", Agreement: r.PostForm.Get("agreement") != "",
		Regime: r.PostForm.Get("regime"), InventoryID: num("inventory_id")}
	a, err := s.Oversight.CheckProcurement(r.Context(), req)
	if err != nil {
		ae := csreview.AsError(err)
		if ae == nil || (ae.Code != csreview.EINVALID && ae.Code != csreview.ENOTFOUND && ae.Code != csreview.EFORBIDDEN) {
			return err
		}
		d := &procurementData{Req: req, Problem: s.ProblemOf(r, err).Detail, Fields: map[string]string{}}
		tr := s.I18n.For(r)
		for _, f := range ae.Fields {
			d.Fields[f.Field] = tr.FieldMessage(f)
		}
		if ferr := s.procurementForm(r, d); ferr != nil {
			return ferr
		}
		return s.Render(w, s.ProblemOf(r, err).Status, "procurement", s.NewPage(r, "procurement.title", d))
	}
	http.Redirect(w, r, fmt.Sprintf("/procurement/checks/%d", a.ID), http.StatusSeeOther)
	return nil
}

// answerData is one recorded answer as the page shows it.
type answerData struct {
	A     *csreview.ProcurementAnswer
	Pack  *regime.Pack
	Names *answerNames
	Text  func(t csreview.Text) string
	// Materials names the materials a filing offer lists, from the pack.
	Materials []string
}

func (s *surface) procurementAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Oversight.FindProcurementCheck(r.Context(), id)
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	d := answerData{A: a, Pack: s.Rules.Packs[a.Regime], Names: s.answerNames(r),
		Text: langText(lang)}
	if a.Filing != nil && d.Pack != nil {
		for _, id := range a.Filing.Materials {
			for _, m := range d.Pack.Materials {
				if m.ID == id {
					d.Materials = append(d.Materials, strings.TrimSuffix(m.Text.In(lang), "。"))
				}
			}
		}
	}
	return s.Render(w, http.StatusOK, "procurement_answer", s.NewPage(r, "procurement.answer", d))
}

// importForm and importInventory take an inventory CSV.
func (s *surface) importForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, http.StatusOK, "inventory_import", s.NewPage(r, "inventory.import", importData{Columns: csreview.InventoryCSVColumns}))
}

type importData struct {
	Columns  []string
	Problem  string
	Problems []string
}

func (s *surface) importInventory(w http.ResponseWriter, r *http.Request) error {
	f, _, err := r.FormFile("file")
	if err != nil {
		return site.BodyError("file", "required", "")
	}
	defer f.Close()
	list, err := s.ImportInventory(r.Context(), f)
	if err != nil {
		ae := csreview.AsError(err)
		if ae == nil || ae.Code != csreview.EINVALID {
			return err
		}
		tr := s.I18n.For(r)
		d := importData{Columns: csreview.InventoryCSVColumns, Problem: s.ProblemOf(r, err).Detail}
		for _, fe := range ae.Fields {
			row, col, _ := strings.Cut(fe.Field, ".")
			if col != "" {
				col = tr.T("f." + col)
			}
			d.Problems = append(d.Problems, tr.T("inventory.row_problem", "row", row, "col", col, "msg", tr.FieldMessage(fe)))
		}
		return s.Render(w, http.StatusBadRequest, "inventory_import", s.NewPage(r, "inventory.import", d))
	}
	return redirect(w, r, "/inventory?n="+strconv.Itoa(len(list)), "flash.imported")
}

// langText picks the text of a bilingual value for a page in lang, the
// Chinese when there is no English.
func langText(lang string) func(t csreview.Text) string {
	return func(t csreview.Text) string {
		if lang == "en" && t.EN != "" {
			return t.EN
		}
		return t.ZH
	}
}
