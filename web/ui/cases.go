package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/web/internal/site"
)

type casesData struct {
	Rows      []caseRow
	Total     int
	Query     string
	CanFile   bool
	AwaitOnly bool
}

// caseRow is a case in a list, with its most urgent running clock.
type caseRow struct {
	Case  *csreview.Case
	Clock *review.ClockStatus
	Next  []csreview.Role
	Mine  bool // the user's role must act next
	// Acts are the awaited actions the user may take.
	Acts   []string
	Regime *regime.Pack
}

// caseRows loads the cases the user sees with their clocks, the ones
// awaiting the user first, then by the nearest due date.
func (s *surface) caseRows(r *http.Request, f csreview.CaseFilter) ([]caseRow, int, error) {
	list, total, err := s.Cases.FindCases(r.Context(), f)
	if err != nil {
		return nil, 0, err
	}
	today := csreview.DateOf(s.Now().In(site.Shanghai))
	var rows []caseRow
	for _, c := range list {
		row := caseRow{Case: c, Regime: s.Rules.Packs[c.Regime]}
		if row.Regime != nil {
			work, err := s.Cases.FindCaseWork(r.Context(), c.ID)
			if err != nil {
				return nil, 0, err
			}
			row.Next = work.NextActors
			for _, o := range work.Offers {
				if o.Mine && o.Awaited {
					row.Mine = true
					row.Acts = append(row.Acts, o.ID)
				}
			}
		}
		clocks, err := s.Cases.FindCaseClocks(r.Context(), c.ID)
		if err != nil {
			return nil, 0, err
		}
		for _, clk := range clocks {
			st := review.Status(s.Rules.Cal, *clk, today)
			if clk.StoppedOn == "" && (row.Clock == nil || st.Due < row.Clock.Due) {
				row.Clock = &st
			}
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Mine != b.Mine {
			return a.Mine
		}
		switch {
		case a.Clock != nil && b.Clock != nil:
			return a.Clock.Due < b.Clock.Due
		case a.Clock != nil:
			return true
		}
		return false
	})
	return rows, total, nil
}

func (s *surface) cases(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := csreview.CaseFilter{Query: q.Str("q"), State: csreview.CaseState(q.Str("state")), Page: csreview.Page{Limit: 200}}
	rows, total, err := s.caseRows(r, f)
	if err != nil {
		return err
	}
	d := casesData{Rows: rows, Total: total, Query: f.Query, CanFile: s.canFile(csreview.UserFromContext(r.Context()))}
	return s.Render(w, http.StatusOK, "cases", s.NewPage(r, "case.list", d))
}

// canFile reports whether the user's role opens cases through some channel.
// canFile reports whether u opens cases today: through a channel of the
// pack in force, or as the office (csreview.CanFileCase).
func (s *surface) canFile(u *csreview.User) bool {
	return csreview.CanFileCase(u, s.Rules.InForceOn(csreview.DateOf(s.Now().In(site.Shanghai))))
}

type versionOption struct {
	ID         int64
	SupplierID int64
	Label      string
	Checked    bool
}

type fileData struct {
	// AlertID is the monitoring alert a re-review is opened from.
	AlertID int64
	// SelfReviewID is the self-review whose draft report goes with the
	// filing as its analysis report on national-security impact.
	SelfReviewID int64
	// Feedback is set when the pack takes user feedback as a channel
	// (2017 trial Measures Art. 8).
	Feedback  bool
	Packs     []*regime.Pack
	P         *regime.Pack
	Channels  []regime.Channel
	Channel   string
	Versions  []versionOption
	Operators []site.Option
	Case      csreview.Case
	Problem   string
	Errors    map[string]string
	// FilesLost names the files chosen on a refused form: a browser
	// never keeps them, so the page says to choose them again.
	FilesLost []string
}

func (s *surface) fileForm(r *http.Request, c csreview.Case, err error) (*fileData, error) {
	ctx := r.Context()
	u := csreview.UserFromContext(ctx)
	d := &fileData{Packs: s.Rules.List, Case: c, Errors: map[string]string{}, Channel: c.Channel}
	if c.Regime == "" {
		if p := s.Rules.InForceOn(csreview.DateOf(s.Now().In(site.Shanghai))); p != nil {
			c.Regime = p.ID
			d.Case.Regime = p.ID
		}
	}
	d.P = s.Rules.Packs[c.Regime]
	if d.P == nil {
		return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_regime", "No such regime.")
	}
	_, d.Feedback = d.P.Channel("user_feedback")
	d.Feedback = d.Feedback && csreview.CanRecordFeedbackCase(u)
	for _, ch := range d.P.Channels {
		if csreview.CanOpenChannel(u, ch.Initiator) {
			d.Channels = append(d.Channels, ch)
		}
	}
	products, _, perr := s.Registry.FindProducts(ctx, csreview.ProductFilter{Page: csreview.Page{Limit: csreview.MaxLimit}})
	if perr != nil {
		return nil, perr
	}
	lang := s.I18n.For(r).Lang
	chosen := map[int64]bool{}
	for _, id := range c.VersionIDs {
		chosen[id] = true
	}
	for _, p := range products {
		full, ferr := s.Registry.FindProductByID(ctx, p.ID)
		if ferr != nil {
			return nil, ferr
		}
		sup := ""
		if x, serr := s.Registry.FindSupplierByID(ctx, p.SupplierID); serr == nil {
			sup = x.Name(lang)
		}
		for _, v := range full.Versions {
			d.Versions = append(d.Versions, versionOption{ID: v.ID, SupplierID: p.SupplierID,
				Label: sup + " · " + p.Name(lang) + " " + v.Version, Checked: chosen[v.ID]})
		}
	}
	if csreview.NamesOperator(u) {
		ops, _, oerr := s.Registry.FindOperators(ctx, csreview.OperatorFilter{Page: csreview.Page{Limit: csreview.MaxLimit}})
		if oerr == nil {
			for _, o := range ops {
				d.Operators = append(d.Operators, site.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name(lang), Selected: o.ID == c.OperatorID})
			}
		}
	}
	if err != nil {
		tr := s.I18n.For(r)
		d.Problem = s.ProblemOf(r, err).Detail
		if e := csreview.AsError(err); e != nil {
			for _, f := range e.Fields {
				msg := s.FieldMessage(tr, f)
				d.Errors[f.Field] = msg
				// A field the form shows no message beside (the regime, say:
				// one not in force) is said in the problem itself, not lost.
				if !fieldsShown[f.Field] {
					d.Problem += " " + tr.T("form.field_problem", "field", fieldLabel(tr, f.Field, "f."), "problem", msg)
				}
			}
		}
	}
	return d, nil
}

// fieldsShown are the fields the filing form shows an error beside.
var fieldsShown = map[string]bool{"channel": true, "feedback_ref": true, "materials": true, "operator_id": true,
	"parent_id": true, "title": true, "version_ids": true}

func (s *surface) newCasePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	c := csreview.Case{Regime: q.Get("regime"), Channel: q.Get("channel"), FeedbackRef: q.Get("feedback_ref"), Title: q.Get("title")}
	// A re-review proposed by a monitoring alert comes prefilled.
	for _, v := range q["version_id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.VersionIDs = append(c.VersionIDs, id)
		}
	}
	c.ParentID, _ = strconv.ParseInt(q.Get("parent_id"), 10, 64)
	// A "file first" procurement answer offers the filing with what the
	// check knew: the operator, the purchase and its amount.
	c.OperatorID, _ = strconv.ParseInt(q.Get("operator_id"), 10, 64)
	c.PurchaseAmount, _ = strconv.ParseInt(q.Get("purchase_amount"), 10, 64)
	c.Purchase = q.Get("purchase")
	d, err := s.fileForm(r, c, nil)
	if err != nil {
		return err
	}
	d.AlertID, _ = strconv.ParseInt(q.Get("alert_id"), 10, 64)
	d.SelfReviewID, _ = strconv.ParseInt(q.Get("self_review_id"), 10, 64)
	return s.Render(w, http.StatusOK, "case_new", s.NewPage(r, "case.new", d))
}

// formValues are the values of a posted form.
type formValues map[string][]string

// get returns a field's first value, trimmed.
func (f formValues) get(k string) string {
	if v := f[k]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// parseUpload reads a multipart (or plain) form, its values and the files
// in it: each file input is named "file:<material>".
func parseUpload(r *http.Request) ([]csreview.FileUpload, formValues, error) {
	files, err := readUpload(r)
	if err != nil {
		return nil, nil, err
	}
	if r.MultipartForm != nil {
		return files, formValues(r.MultipartForm.Value), nil
	}
	return files, formValues(r.PostForm), nil
}

func readUpload(r *http.Request) ([]csreview.FileUpload, error) {
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "multipart/form-data") {
		return nil, site.ParseForm(r)
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, csreview.KeyErrorf(csreview.ETOOLARGE, "err.too_large", "The request body is too large.")
		}
		return nil, csreview.KeyErrorf(csreview.EINVALID, "err.bad_form", "The form could not be read.")
	}
	if err := site.ValidUTF8(r.MultipartForm.Value); err != nil {
		return nil, err
	}
	var out []csreview.FileUpload
	for field, fhs := range r.MultipartForm.File {
		kind, ok := strings.CutPrefix(field, "file:")
		if !ok {
			continue
		}
		for _, fh := range fhs {
			if fh.Size > csreview.MaxFileSize {
				return nil, site.BodyError(field, "too_large", strconv.Itoa(csreview.MaxFileSize))
			}
			f, err := fh.Open()
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(io.LimitReader(f, csreview.MaxFileSize+1))
			f.Close()
			if err != nil {
				return nil, err
			}
			out = append(out, csreview.FileUpload{Kind: kind, Name: fh.Filename, MediaType: fh.Header.Get("Content-Type"), Content: b})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out, nil
}

func (s *surface) file(w http.ResponseWriter, r *http.Request) error {
	files, f, err := parseUpload(r)
	if err != nil {
		return err
	}
	get := f.get
	c := csreview.Case{Regime: get("regime"), Channel: get("channel"), Title: get("title"), Purchase: get("purchase"),
		FiledOn: csreview.Date(get("filed_on"))}
	c.OperatorID, _ = strconv.ParseInt(get("operator_id"), 10, 64)
	c.ParentID, _ = strconv.ParseInt(get("parent_id"), 10, 64)
	c.FeedbackRef = get("feedback_ref")
	c.PurchaseAmount, _ = strconv.ParseInt(get("purchase_amount"), 10, 64)
	for _, v := range f["version_ids"] {
		if id, perr := strconv.ParseInt(v, 10, 64); perr == nil {
			c.VersionIDs = append(c.VersionIDs, id)
		}
	}
	// The supplier is the one whose versions were chosen.
	if len(c.VersionIDs) > 0 {
		if d, derr := s.fileForm(r, c, nil); derr == nil {
			for _, v := range d.Versions {
				if v.ID == c.VersionIDs[0] {
					c.SupplierID = v.SupplierID
				}
			}
		}
	}
	alertID, _ := strconv.ParseInt(r.PostFormValue("alert_id"), 10, 64)
	srID, _ := strconv.ParseInt(r.PostFormValue("self_review_id"), 10, 64)
	if srID != 0 && !slices.ContainsFunc(files, func(f csreview.FileUpload) bool { return f.Kind == "impact_report" }) {
		// The self-review's draft stands for the impact report (2021
		// Measures Art. 8(2)); the caller must be able to read it.
		sr, err := s.SelfReviews.FindSelfReview(r.Context(), srID)
		if err != nil {
			return err
		}
		files = append(files, csreview.FileUpload{Kind: "impact_report", Name: fmt.Sprintf("impact-report-draft-%d.txt", sr.ID),
			Content: []byte(sr.Report)})
	}
	if err := s.Cases.CreateCase(r.Context(), &c, files); err != nil {
		code := csreview.ErrorCode(err)
		if code != csreview.EINVALID && code != csreview.EFORBIDDEN {
			return err
		}
		d, derr := s.fileForm(r, c, err)
		if derr != nil {
			return derr
		}
		d.AlertID, d.SelfReviewID = alertID, srID
		for _, f := range files {
			if f.Kind != "impact_report" || srID == 0 {
				d.FilesLost = append(d.FilesLost, f.Name)
			}
		}
		return s.Render(w, site.StatusOf[code], "case_new", s.NewPage(r, "case.new", d))
	}
	if alertID != 0 {
		if _, err := s.Monitoring.SetAlertState(r.Context(), alertID, csreview.AlertCase, c.ID); err != nil {
			s.Log.Warn("linking the re-review to its alert", "alert", alertID, "case", c.ID, "err", err)
		}
	}
	return redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), "flash.case_filed")
}

type casePageData struct {
	V        *site.CaseView
	P        *regime.Pack
	Supplier string
	Operator string
	Body     string
	Opinions []*csreview.Opinion
	Bodies   []site.Option
	// IneligibleBodies are the bodies the case may not go to, each
	// labelled with why.
	IneligibleBodies []site.Option
	Clocks           map[string]regime.Clock
	Materials        []regime.Item
	Notices          []*csreview.Notice
	Problem          string
	// Evidence grouped by criterion, for those who may read it.
	Evidence   []*csreview.Evidence
	ByCrit     []critFindings
	CanRecord  bool
	FindingRow []int
	Record     *csreview.SupplierRecord
	Jobs       []*csreview.AnalysisJob
	CanAttach  bool
	// Files are the case's materials the reader may read, with who gave
	// each and when; MaterialNames labels the pack's materials.
	Files         []*csreview.CaseMaterial
	MaterialNames map[string]string
	// Chart draws the findings by criterion and risk; Graphs the paths to
	// risky components of each SBOM of the latest analysis, with Paths
	// spelling them out.
	Chart  template.HTML
	Graphs []caseGraph
	// Publication: the case's public entries, and whether the office may
	// publish it now.
	Published  []*csreview.ListEntry
	CanPublish bool
	// Provisional says, once each, why due dates are provisional.
	Provisional []string
}

// critFindings are the findings on one criterion.
type critFindings struct {
	Criterion regime.Criterion
	Findings  []*csreview.Finding
	Worst     csreview.Severity
	// Counts are the findings per risk level, worst first.
	Counts []riskCount
}

type riskCount struct {
	Risk csreview.Severity
	N    int
}

// caseGraph is one SBOM's drawing of its paths to risk.
type caseGraph struct {
	G     assess.Graph
	SVG   template.HTML
	Paths []riskPath
}

func (s *surface) casePage(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderCase(w, r, id, "", http.StatusOK)
}

func (s *surface) renderCase(w http.ResponseWriter, r *http.Request, id int64, problem string, status int) error {
	v, err := s.CaseView(r, id)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := s.I18n.For(r).Lang
	d := casePageData{V: v, P: s.Rules.Packs[v.Case.Regime], Clocks: map[string]regime.Clock{}, Problem: problem}
	if d.P != nil {
		for _, c := range d.P.Clocks {
			d.Clocks[c.ID] = c
		}
		d.Materials = d.P.Materials
	}
	for _, c := range v.Clocks {
		if c.ProvisionalNote != "" && !slices.Contains(d.Provisional, c.ProvisionalNote) {
			d.Provisional = append(d.Provisional, c.ProvisionalNote)
		}
	}
	// A failed lookup is an error, not a blank name on the page; a party
	// the reader may not see (ENOTFOUND) is simply not named.
	if sup, err := s.Registry.FindSupplierByID(ctx, v.Case.SupplierID); err == nil {
		d.Supplier = sup.Name(lang)
	} else if csreview.ErrorCode(err) != csreview.ENOTFOUND {
		return err
	}
	if v.Case.OperatorID != 0 {
		if op, err := s.Registry.FindOperatorByID(ctx, v.Case.OperatorID); err == nil {
			d.Operator = op.Name(lang)
		} else if csreview.ErrorCode(err) != csreview.ENOTFOUND {
			return err
		}
	}
	if v.Case.BodyID != 0 {
		if b, err := s.Registry.FindBodyByID(ctx, v.Case.BodyID); err == nil {
			d.Body = b.Name(lang)
		} else if csreview.ErrorCode(err) != csreview.ENOTFOUND {
			return err
		}
	}
	if d.Notices, err = s.Cases.FindCaseNotices(ctx, id); err != nil {
		return err
	}
	if d.Files, err = s.Cases.FindCaseMaterials(ctx, id); err != nil {
		return err
	}
	d.MaterialNames = map[string]string{}
	if d.P != nil {
		for _, m := range d.P.Materials {
			d.MaterialNames[m.ID] = m.Text.In(lang)
		}
	}
	if v.May.Opinions {
		if d.Opinions, err = s.Cases.FindCaseOpinions(ctx, id); err != nil {
			return err
		}
	}
	if v.May.Evidence {
		if d.Evidence, err = s.Cases.FindEvidence(ctx, id); err != nil {
			return err
		}
		d.ByCrit = groupFindings(d.P, d.Evidence)
		d.Chart = findingsChart(s.I18n.For(r), lang, d.ByCrit)
	}
	if d.Jobs, err = s.Cases.FindAnalysisJobs(ctx, id); err != nil {
		return err
	}
	if d.Graphs, err = s.caseGraphs(r, v, d.Jobs); err != nil {
		return err
	}
	d.CanAttach, d.CanRecord = v.May.AttachInputs, v.May.RecordEvidence
	d.FindingRow = []int{1, 2, 3}
	if v.May.SupplierRecord {
		if d.Record, err = s.Cases.FindSupplierRecord(ctx, id); err != nil {
			return err
		}
	}
	if v.Case.State == csreview.StateDecided && (v.Case.Outcome == csreview.OutcomePass || v.Case.Outcome == csreview.OutcomeFail ||
		v.Case.Outcome == csreview.OutcomeRevoked) {
		if d.Published, _, err = s.Pub.FindListEntries(ctx, csreview.ListFilter{CaseRef: v.Case.Ref}); err != nil {
			return err
		}
		d.CanPublish = len(d.Published) == 0 && v.May.Publish
	}
	for _, a := range v.Actions {
		if a == review.ActAssignBody {
			// The eligible bodies to choose from; each other one with why
			// not (2017 Measures Art. 7 and 12: accredited, objective, fair).
			choices, err := s.Cases.BodyChoices(ctx, id)
			if err != nil {
				return err
			}
			tr := s.I18n.For(r)
			for _, ch := range choices {
				opt := site.Option{Value: strconv.FormatInt(ch.Body.ID, 10), Label: ch.Body.Name(lang)}
				if ch.Eligible {
					d.Bodies = append(d.Bodies, opt)
					continue
				}
				var why []string
				for _, c := range ch.Reasons {
					arg := c.Arg
					if c.Code == review.ConflictScope {
						arg = tr.T("cat." + c.Arg)
					}
					why = append(why, tr.T("conflict."+c.Code, "arg", arg))
				}
				opt.Label += tr.T("list.dash") + strings.Join(why, tr.T("list.sep"))
				d.IneligibleBodies = append(d.IneligibleBodies, opt)
			}
		}
	}
	pg := s.NewPage(r, "", d)
	pg.Title = v.Case.Ref + " " + v.Case.Title
	if len(d.Jobs) > 0 && (d.Jobs[0].State == csreview.JobQueued || d.Jobs[0].State == csreview.JobRunning) {
		pg.Refresh = 3 // follow the analysis without script
	}
	return s.Render(w, status, "case", pg)
}

// risksWorstFirst are the evidence's risk levels (csreview.Risks), worst
// first, and then the unrated, which are not on the scale.
var risksWorstFirst = func() []csreview.Severity {
	r := slices.Clone(csreview.Risks)
	slices.Reverse(r)
	return append(r, csreview.SeverityUnrated)
}()

// findingsChart draws the findings per criterion, stacked by risk level.
func findingsChart(tr *site.Translator, lang string, groups []critFindings) template.HTML {
	if len(groups) == 0 {
		return ""
	}
	labels := make([]string, len(groups))
	var ss []series
	for _, risk := range risksWorstFirst {
		ss = append(ss, series{Label: tr.T("risk." + string(risk)), Class: "f-" + string(risk), Values: make([]int, len(groups))})
	}
	total := 0
	for i, g := range groups {
		labels[i] = g.Criterion.Text.In(lang)
		for _, c := range g.Counts {
			ss[slices.Index(risksWorstFirst, c.Risk)].Values[i] = c.N
			total += c.N
		}
	}
	return hstacked(tr.T("chart.findings"), tr.T("chart.findings.desc", "n", total, "criteria", len(groups)), labels, ss)
}

// caseGraphs draws the paths to risk of the latest finished analysis, for
// those who may read its report. The report holds unfixed vulnerabilities:
// reading it is audited.
func (s *surface) caseGraphs(r *http.Request, v *site.CaseView, jobs []*csreview.AnalysisJob) ([]caseGraph, error) {
	c := v.Case
	if !v.May.Analysis {
		return nil, nil
	}
	var done *csreview.AnalysisJob
	for _, j := range jobs {
		if j.State == csreview.JobDone {
			done = j
			break
		}
	}
	if done == nil || done.Findings == 0 {
		return nil, nil
	}
	b, err := s.Cases.AnalysisReport(r.Context(), c.ID, done.ID)
	if err != nil {
		return nil, err
	}
	var rep struct {
		Graphs []assess.Graph `json:"graphs"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, err
	}
	tr := s.I18n.For(r)
	sev := func(x csreview.Severity) string { return tr.T("risk." + string(assess.Risk(x))) }
	var out []caseGraph
	for _, g := range rep.Graphs {
		tx := graphText{Title: tr.T("graph.title", "sbom", g.SBOM),
			Desc:    tr.T("graph.desc", "shown", g.Shown, "risky", g.Risky, "components", g.Components),
			Subject: tr.T("graph.subject"), Severity: sev}
		out = append(out, caseGraph{G: g, SVG: depGraph(g, tx), Paths: riskPaths(g)})
	}
	return out, nil
}

// groupFindings files findings under the pack's criteria, in pack order.
func groupFindings(p *regime.Pack, evidence []*csreview.Evidence) []critFindings {
	if p == nil {
		return nil
	}
	var out []critFindings
	for _, c := range p.Criteria {
		g := critFindings{Criterion: c}
		for _, e := range evidence {
			for _, f := range e.Findings {
				if f.Criterion == c.ID {
					g.Findings = append(g.Findings, f)
					// The worst rated risk; unrated only when nothing is rated.
					if g.Worst == "" || g.Worst == csreview.SeverityUnrated ||
						slices.Index(csreview.Risks, f.Risk) > slices.Index(csreview.Risks, g.Worst) {
						g.Worst = f.Risk
					}
				}
			}
		}
		if len(g.Findings) > 0 {
			n := map[csreview.Severity]int{}
			for _, f := range g.Findings {
				n[f.Risk]++
			}
			for _, risk := range risksWorstFirst {
				if n[risk] > 0 {
					g.Counts = append(g.Counts, riskCount{risk, n[risk]})
				}
			}
			out = append(out, g)
		}
	}
	return out
}

// evidence records evidence from the assessor's form: up to three
// findings, each a criterion, a risk level and a text.
func (s *surface) evidence(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	files, f, err := parseUpload(r)
	if err != nil {
		return err
	}
	get := f.get
	e := &csreview.Evidence{CaseID: id, Method: get("method"), Summary: get("summary")}
	for i := 1; i <= 3; i++ {
		crit, text := get(fmt.Sprintf("criterion%d", i)), get(fmt.Sprintf("text%d", i))
		if crit == "" && text == "" {
			continue
		}
		e.Findings = append(e.Findings, &csreview.Finding{Criterion: crit, Risk: csreview.Severity(get(fmt.Sprintf("risk%d", i))), Text: text})
	}
	if err := s.Cases.CreateEvidence(r.Context(), e, files); err != nil {
		return s.caseFormError(w, r, id, err)
	}
	return redirect(w, r, fmt.Sprintf("/cases/%d", id), "flash.evidence_recorded")
}

// attachSBOM attaches an SBOM and, optionally, a VEX document from the
// case page's form, and queues the analysis.
func (s *surface) attachSBOM(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	files, _, err := parseUpload(r)
	if err != nil {
		return err
	}
	if _, err := s.Cases.AttachAnalysisInputs(r.Context(), id, files); err != nil {
		return s.caseFormError(w, r, id, err)
	}
	return redirect(w, r, fmt.Sprintf("/cases/%d", id), "flash.analysis_queued")
}

// caseFormError shows a refused form post on the case page, with the
// reason and each field's message in the user's language.
func (s *surface) caseFormError(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	switch csreview.ErrorCode(err) {
	case csreview.EINVALID, csreview.ECONFLICT, csreview.EFORBIDDEN:
		tr := s.I18n.For(r)
		msg, status := s.problemText(r, err, "f.", "case.")
		// A browser never keeps the files chosen on a refused form.
		var lost []string
		if r.MultipartForm != nil {
			for _, fhs := range r.MultipartForm.File {
				for _, fh := range fhs {
					lost = append(lost, fh.Filename)
				}
			}
		}
		if len(lost) > 0 {
			slices.Sort(lost)
			msg += " " + tr.T("form.files_lost", "files", strings.Join(lost, tr.T("list.sep")))
		}
		return s.renderCase(w, r, id, msg, status)
	}
	return err
}

// problemText is a refused form's problem as one paragraph in the
// reader's language: the detail, then each field as the form labels it
// (its message key under the first of prefixes that has one), never its
// JSON name; and the status to answer with.
func (s *surface) problemText(r *http.Request, err error, prefixes ...string) (string, int) {
	pr := s.ProblemOf(r, err)
	tr := s.I18n.For(r)
	msg := pr.Detail
	for _, fe := range pr.Errors {
		msg += " " + tr.T("form.field_problem", "field", fieldLabel(tr, fe.Field, prefixes...), "problem", fe.Message)
	}
	return msg, pr.Status
}

// fieldLabel is a field as its form labels it: its message key under the
// first of prefixes that has one (an index, files[0], dropped), else its
// name.
func fieldLabel(tr *site.Translator, field string, prefixes ...string) string {
	for _, p := range prefixes {
		if key := p + strings.SplitN(field, "[", 2)[0]; tr.Has(key) {
			return tr.T(key)
		}
	}
	return field
}

func (s *surface) act(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	files, f, err := parseUpload(r)
	if err != nil {
		return err
	}
	get := f.get
	in := csreview.CaseAction{Action: get("action"), Note: get("note"), Position: get("position"),
		On: csreview.Date(get("on")), Clock: get("clock"), Due: csreview.Date(get("due")), Files: files}
	in.BodyID, _ = strconv.ParseInt(get("body_id"), 10, 64)
	in.Days, _ = strconv.Atoi(get("days"))
	// The units consulted: the member units ticked, and the departments
	// concerned written one per line (2021 Measures Art. 11).
	in.Consult = append(in.Consult, f["consult"]...)
	for _, line := range strings.Split(get("consult_other"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Consult = append(in.Consult, line)
		}
	}
	for k, vs := range f {
		if crit, ok := strings.CutPrefix(k, "reason:"); ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			if in.Reasons == nil {
				in.Reasons = map[string]string{}
			}
			in.Reasons[crit] = strings.TrimSpace(vs[0])
		}
	}
	if _, err := s.Cases.Act(r.Context(), id, in); err != nil {
		return s.caseFormError(w, r, id, err)
	}
	return redirect(w, r, fmt.Sprintf("/cases/%d", id), "flash.case_"+in.Action)
}
