package site

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/verify"
)

// What the API and the pages both read: the service interfaces by area, a
// case as its caller may see it, a version's assessment, the list filters
// and the option lists, each computed in one place for both surfaces.

// CaseServices is what the case pages and API call beyond the registry.
type CaseServices interface {
	csreview.CaseService
	csreview.CaseFileService
	csreview.TriageService
	csreview.AnalysisService
	review.WorkService
}

// CaseView is a case with what its page shows: clocks on the day, the
// timeline, what the caller may do and who must act next.
type CaseView struct {
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
	// Subject names what is under review.
	Subject CaseSubject `json:"subject"`
	// Outstanding is what the case waits for from a party: the
	// supplementary material requested, while the case awaits it.
	Outstanding *Outstanding `json:"outstanding,omitempty"`
}

// Outstanding is a request a party has yet to answer: what was asked, on
// which day, by when (the office's date: the Measures set none), and
// whether that date has passed.
type Outstanding struct {
	Action      string        `json:"action"` // the request's action, e.g. request_material
	RequestedOn csreview.Date `json:"requested_on"`
	Due         csreview.Date `json:"due,omitempty"`
	Note        string        `json:"note,omitempty"`
	Overdue     bool          `json:"overdue"`
}

// CaseSubject names what a case reviews: the supplier, and each product
// version with its product and category. A listing names no version
// (2021 Measures Art. 7), so Versions may be empty.
type CaseSubject struct {
	SupplierID int64            `json:"supplier_id"`
	Supplier   string           `json:"supplier"`
	SupplierEN string           `json:"supplier_en,omitempty"`
	Versions   []SubjectVersion `json:"versions"`
}

// SubjectVersion is one product version under review.
type SubjectVersion struct {
	ID        int64             `json:"id"`
	ProductID int64             `json:"product_id"`
	Product   string            `json:"product"`
	ProductEN string            `json:"product_en,omitempty"`
	Version   string            `json:"version"`
	Category  csreview.Category `json:"category"`
}

// clockView is a clock on the day, with why its due date is provisional in
// the reader's language.
type clockView struct {
	review.ClockStatus
	ProvisionalNote string `json:"provisional_note,omitempty" doc:"Why the due date is provisional, in the language of the request (Accept-Language or the lang cookie)."`
}

// CaseView reads a case with its clocks on the day, its timeline and what
// the caller may do with it.
func (s *Server) CaseView(r *http.Request, id int64) (*CaseView, error) {
	ctx := r.Context()
	c, err := s.Cases.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	clocks, err := s.Cases.FindCaseClocks(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.Cases.FindCaseEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &CaseView{Case: c, Events: events, Today: csreview.DateOf(s.Now().In(Shanghai))}
	tr := s.I18n.For(r)
	for _, clk := range clocks {
		st := review.Status(s.Rules.Cal, *clk, v.Today)
		v.Clocks = append(v.Clocks, clockView{ClockStatus: st, ProvisionalNote: tr.Provisional(st)})
	}
	work, err := s.Cases.FindCaseWork(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Actions, v.NextActors, v.Offers, v.Roster, v.May = work.Actions, work.NextActors, work.Offers, work.Roster, work.May
	if v.Subject, err = s.CaseSubject(ctx, c); err != nil {
		return nil, err
	}
	if c.State == csreview.StateAwaitingMaterial {
		for i := len(events) - 1; i >= 0; i-- {
			if ev := events[i]; ev.Action == review.ActRequestMaterial {
				var data struct {
					Due csreview.Date `json:"due"`
				}
				json.Unmarshal(ev.Data, &data)
				v.Outstanding = &Outstanding{Action: ev.Action, RequestedOn: ev.On, Due: data.Due, Note: ev.Note,
					Overdue: data.Due != "" && data.Due < v.Today}
				break
			}
		}
	}
	return v, nil
}

// CaseSubject names the supplier and the product versions c reviews. A
// failed lookup is an error; a party the caller may not see (ENOTFOUND)
// is left unnamed, never shown blank as if it had no name.
func (s *Server) CaseSubject(ctx context.Context, c *csreview.Case) (CaseSubject, error) {
	sub := CaseSubject{SupplierID: c.SupplierID, Versions: []SubjectVersion{}}
	sup, err := s.Registry.FindSupplierByID(ctx, c.SupplierID)
	switch {
	case err == nil:
		sub.Supplier, sub.SupplierEN = sup.NameZH, sup.NameEN
	case csreview.ErrorCode(err) != csreview.ENOTFOUND:
		return sub, err
	}
	if len(c.VersionIDs) == 0 {
		return sub, nil
	}
	want := map[int64]bool{}
	for _, id := range c.VersionIDs {
		want[id] = true
	}
	products, _, err := s.Registry.FindProducts(ctx, csreview.ProductFilter{SupplierID: c.SupplierID, Page: csreview.Page{Limit: csreview.MaxLimit}})
	if err != nil {
		return sub, err
	}
	found := map[int64]SubjectVersion{}
	for _, p := range products {
		full, err := s.Registry.FindProductByID(ctx, p.ID)
		if err != nil {
			if csreview.ErrorCode(err) == csreview.ENOTFOUND {
				continue
			}
			return sub, err
		}
		for _, pv := range full.Versions {
			if want[pv.ID] {
				found[pv.ID] = SubjectVersion{ID: pv.ID, ProductID: full.ID, Product: full.NameZH, ProductEN: full.NameEN,
					Version: pv.Version, Category: full.Category}
			}
		}
	}
	for _, id := range c.VersionIDs {
		if v, ok := found[id]; ok {
			sub.Versions = append(sub.Versions, v)
		}
	}
	return sub, nil
}

// VersionServices attach SBOMs to product versions and assess them.
type VersionServices interface {
	csreview.VersionSBOMService
	assess.VersionAssessor
}

// VersionAssessment runs the engine on a version; ?regime= chooses the
// criteria (default: the regime in force today).
func (s *Server) VersionAssessment(r *http.Request) (*assess.Report, error) {
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
		if p := s.Rules.InForceOn(csreview.DateOf(s.Now().In(Shanghai))); p != nil {
			regimeID = p.ID
		}
	}
	return s.Versions.AssessVersion(r.Context(), pid, vid, regimeID, s.cfg.Version)
}

// FindPack returns the regime pack named by the path's {regime}.
func (s *Server) FindPack(r *http.Request) (*regime.Pack, error) {
	if p, ok := s.Rules.Packs[r.PathValue("regime")]; ok {
		return p, nil
	}
	return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_regime", "No such regime.")
}

// OversightStats reads a sector's figures for ?sector= and ?months=
// (default 12).
func (s *Server) OversightStats(r *http.Request) (*csreview.OversightStats, error) {
	q := NewQuery(r)
	sector := csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors)))
	months := int(q.Int("months"))
	if months == 0 {
		months = 12
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	return s.Enforcement.OversightStats(r.Context(), sector, months)
}

// EnforcementFilter reads the enforcement list filters from the query.
func EnforcementFilter(q *Query) csreview.EnforcementFilter {
	return csreview.EnforcementFilter{State: q.OneOf("state", csreview.EnforcementStates), OperatorID: q.Int("operator_id"), Page: q.Page()}
}

// AlertFilter reads the alert list filters from the query.
func AlertFilter(q *Query) csreview.AlertFilter {
	return csreview.AlertFilter{State: q.OneOf("state", csreview.AlertStates),
		Kind: q.OneOf("kind", []string{csreview.AlertAdvisory, csreview.AlertProhibition}), VersionID: q.Int("version_id"), Page: q.Page()}
}

// UploadLimit bounds a request that carries attachments.
const UploadLimit = 4*csreview.MaxFileSize + 1<<20

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// Pager is the "rows 21–40, previous, next" part of a paginated page: the
// links keep every other query parameter of the request.
type Pager struct {
	From, To   int
	Prev, Next string
}

// NewPager describes the page pg of a list of total rows, n of which are shown,
// with links to path.
func NewPager(r *http.Request, path string, pg csreview.Page, n, total int) Pager {
	pg = pg.Normalize()
	var p Pager
	if n > 0 {
		p.From, p.To = pg.Offset+1, pg.Offset+n
	}
	link := func(off int) string {
		v := r.URL.Query()
		v.Set("offset", strconv.Itoa(off))
		v.Del("flash")
		return path + "?" + v.Encode()
	}
	if pg.Offset > 0 {
		p.Prev = link(max(0, pg.Offset-pg.Limit))
	}
	if pg.Offset+n < total {
		p.Next = link(pg.Offset + pg.Limit)
	}
	return p
}

// ErrForbiddenPage refuses a page or form the caller may not use.
var ErrForbiddenPage = csreview.KeyErrorf(csreview.EFORBIDDEN, "err.forbidden", "You are not allowed to do this.")

// OversightServices are the operators' side of DESIGN §6: inventories,
// regulators' determinations and procurement checks.
type OversightServices interface {
	csreview.InventoryService
	csreview.DeterminationService
	csreview.ProcurementService
}

// OversightResources are the inventory and determination API resources,
// shared with their pages.
func (s *Server) OversightResources() (*Resource[csreview.InventoryEntry, csreview.InventoryFilter],
	*Resource[csreview.Determination, csreview.DeterminationFilter]) {
	inv := &Resource[csreview.InventoryEntry, csreview.InventoryFilter]{Name: "inventory", MayList: MayInventory, MayCreate: csreview.CanKeepInventory,
		Find: s.Oversight.FindInventoryEntry, List: s.Oversight.FindInventory, Create: s.Oversight.CreateInventoryEntry,
		Update: s.Oversight.UpdateInventoryEntry, Del: s.Oversight.DeleteInventoryEntry,
		ID: func(v *csreview.InventoryEntry) *int64 { return &v.ID },
		Filter: func(q *Query) csreview.InventoryFilter {
			return csreview.InventoryFilter{Query: q.Str("q"), OperatorID: q.Int("operator_id"), ProductID: q.Int("product_id"),
				VersionID: q.Int("version_id"), Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				Stage: q.OneOf("stage", csreview.InventoryStages), Page: q.Page()}
		}}
	det := &Resource[csreview.Determination, csreview.DeterminationFilter]{Name: "determinations", MayList: csreview.CanListDeterminations,
		Find: s.Oversight.FindDetermination, List: s.Oversight.FindDeterminations, Create: s.Oversight.CreateDetermination,
		Update: s.Oversight.UpdateDetermination, Del: s.Oversight.DeleteDetermination,
		ID: func(v *csreview.Determination) *int64 { return &v.ID },
		Filter: func(q *Query) csreview.DeterminationFilter {
			return csreview.DeterminationFilter{Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				OperatorID: q.Int("operator_id"), ProductID: q.Int("product_id"), Page: q.Page()}
		}}
	return inv, det
}

// oversightRoutes are the API and pages of inventories, determinations and
// procurement checks.
// InventoryLimit bounds an inventory CSV: MaxInventoryRows rows of about
// a kilobyte, with room to spare.
const InventoryLimit = 16 << 20

// ImportInventory parses a CSV and imports it, naming rows in errors as a
// spreadsheet numbers them.
func (s *Server) ImportInventory(ctx context.Context, body io.Reader) ([]*csreview.InventoryEntry, error) {
	rows, err := csreview.ParseInventoryCSV(body)
	if err != nil {
		return nil, err
	}
	list := make([]*csreview.InventoryEntry, len(rows))
	products := map[int64]*csreview.Product{}
	var v csreview.Invalid
	for i, row := range rows {
		list[i] = row.Entry
		if row.Entry.VersionID != 0 || row.Version == "" {
			continue
		}
		p, ok := products[row.Entry.ProductID]
		if !ok {
			p, _ = s.Registry.FindProductByID(ctx, row.Entry.ProductID)
			products[row.Entry.ProductID] = p
		}
		if p == nil {
			v.Add(fmt.Sprintf("%d.product_id", row.Line), "unknown")
			continue
		}
		for _, ver := range p.Versions {
			if ver.Version == row.Version {
				row.Entry.VersionID = ver.ID
			}
		}
		if row.Entry.VersionID == 0 {
			v.Add(fmt.Sprintf("%d.version", row.Line), "unknown")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.Oversight.ImportInventory(ctx, list); err != nil {
		// The store counts entries; the user counts rows.
		if ae := csreview.AsError(err); ae != nil && len(list) > 1 {
			for i, f := range ae.Fields {
				if n, rest, ok := strings.Cut(f.Field, "."); ok {
					if k, err := strconv.Atoi(n); err == nil && k >= 1 && k <= len(rows) {
						ae.Fields[i].Field = strconv.Itoa(rows[k-1].Line) + "." + rest
					}
				}
			}
		}
		return nil, err
	}
	return list, nil
}

// PublicServices publish decided cases and serve the public lists, the
// feedback queue and the publication log (DESIGN §5).
type PublicServices interface {
	csreview.PublicationService
	csreview.FeedbackService
	csreview.PublicLog
	// PublicEntries are the entries f selects as the public JSON carries
	// them, each report exactly as its leaf hashed it; every entry when
	// all. It stays here because its type is the verifier's leaf format.
	PublicEntries(ctx context.Context, f csreview.ListFilter, all bool) ([]*verify.Entry, int, error)
}

// feedbackPerHour is how many feedback submissions one address may make
// in an hour; feedbackAllFactor×that is the ceiling for everyone together.
const (
	feedbackPerHour   = 5
	FeedbackAllFactor = 60
)

// Pick returns the English name when the reader reads English and there is
// one.
func Pick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

// ReportView is a public report as the report partial shows it.
type ReportView struct {
	E      *csreview.ListEntry
	R      *csreview.PublicReport
	P      *regime.Pack
	Cite   func(article string) string
	Digest string
}

// ReportView is the public report of e as the report partial shows it;
// raw is the report as its leaf hashes it.
func (s *Server) ReportView(r *http.Request, e *csreview.ListEntry, raw []byte) ReportView {
	lang := s.I18n.For(r).Lang
	v := ReportView{E: e, R: e.Report, P: s.Rules.Packs[e.Regime]}
	v.Cite = func(a string) string {
		if v.P == nil {
			return a
		}
		return v.P.Cite(a, lang)
	}
	if raw != nil {
		v.Digest, _ = verify.ReportHash(raw)
	}
	return v
}

// FindVersion returns a version of a product the caller may see.
func (s *Server) FindVersion(r *http.Request) (*csreview.ProductVersion, error) {
	pid, err := PathID(r, "id")
	if err != nil {
		return nil, err
	}
	vid, err := PathID(r, "vid")
	if err != nil {
		return nil, err
	}
	p, err := s.Registry.FindProductByID(r.Context(), pid)
	if err != nil {
		return nil, err
	}
	for _, v := range p.Versions {
		if v.ID == vid {
			return v, nil
		}
	}
	return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_found", "product_version %d not found.", vid)
}

// ServeCaseFile answers GET …/cases/{id}/files/{fid} with the file's
// content, as an attachment that no browser renders in the page: the
// service checks who may read it and records the read.
func (s *Server) ServeCaseFile(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := PathID(r, "fid")
	if err != nil {
		return err
	}
	m, content, err := s.Cases.ReadCaseFile(r.Context(), id, fid)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	if mt, _, err := mime.ParseMediaType(m.MediaType); err == nil && mt != "text/html" && !strings.Contains(mt, "xml") && !strings.Contains(mt, "script") {
		h.Set("Content-Type", m.MediaType)
	}
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": m.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(content)))
	_, err = w.Write(content)
	return err
}

// OpenCases are every case the caller may see that is not closed, read a
// page at a time: the deadlines of all of them, not of the most recent.
func (s *Server) OpenCases(ctx context.Context) ([]*csreview.Case, error) {
	var out []*csreview.Case
	for off := 0; ; off += csreview.MaxLimit {
		list, total, err := s.Cases.FindCases(ctx, csreview.CaseFilter{Open: true, Page: csreview.Page{Limit: csreview.MaxLimit, Offset: off}})
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
		if len(list) == 0 || off+len(list) >= total {
			return out, nil
		}
	}
}

// RunningClock is a running clock of an open case, as it stands on a day.
type RunningClock struct {
	Case   *csreview.Case
	Status review.ClockStatus
}

// RunningClocks are the running (not stopped) clocks of every open case
// the caller may see, as they stand on today: what the deadline cockpit
// and the calendar feeds show.
func (s *Server) RunningClocks(ctx context.Context, today csreview.Date) ([]RunningClock, error) {
	cases, err := s.OpenCases(ctx)
	if err != nil {
		return nil, err
	}
	var out []RunningClock
	for _, c := range cases {
		clocks, err := s.Cases.FindCaseClocks(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, clk := range clocks {
			if clk.StoppedOn == "" {
				out = append(out, RunningClock{Case: c, Status: review.Status(s.Rules.Cal, *clk, today)})
			}
		}
	}
	return out, nil
}
