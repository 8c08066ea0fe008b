package site

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
)

// FindingRow is one automated finding of a case's latest analysis, with
// the lab's state beside the supplier's VEX claim.
type FindingRow struct {
	*assess.Finding
	// State is the lab's (in_triage until someone sets it), Triage the
	// change that set it.
	State  csreview.TriageState `json:"state"`
	Triage *csreview.Triage     `json:"triage,omitempty"`
}

// FindingsFilter selects and orders the findings table.
type FindingsFilter struct {
	Severity  csreview.Severity
	Criterion string
	State     csreview.TriageState
	Ecosystem string
	Query     string
	Sort      string // severity (default), component, advisory, state
	Page      csreview.Page
}

// FindingsTable is a page of a case's findings and what the filters offer.
type FindingsTable struct {
	JobID int64        `json:"job_id"` // the analysis the findings come from; 0 when none is done
	Rows  []FindingRow `json:"items"`
	Total int          `json:"total"` // rows the filters select
	All   int          `json:"all"`   // findings of the analysis
	// States counts every finding by the lab's state; Ecosystems and
	// Criteria are the values the filters offer.
	States     map[csreview.TriageState]int `json:"states"`
	Ecosystems []string                     `json:"ecosystems"`
	Criteria   []assess.CriterionSummary    `json:"criteria"`
	Report     *assess.Report               `json:"-"`
	Triage     map[string]*csreview.Triage  `json:"-"`
}

// FindingsFilterOf reads the table's filters from the query.
func FindingsFilterOf(q *Query) FindingsFilter {
	return FindingsFilter{Severity: csreview.Severity(q.OneOf("severity", append(Strs(csreview.Risks), string(csreview.SeverityInfo), string(csreview.SeverityUnrated)))),
		Criterion: q.Str("criterion"), State: csreview.TriageState(q.OneOf("state", Strs(csreview.TriageStates))),
		Ecosystem: q.Str("ecosystem"), Query: q.Str("q"), Sort: q.OneOf("sort", []string{"severity", "component", "advisory", "state"}),
		Page: q.Page()}
}

// CaseFindings reads the case's latest finished analysis (an audited read)
// and the lab's triage, and returns the page of findings f selects.
func (s *Server) CaseFindings(r *http.Request, caseID int64, f FindingsFilter) (*FindingsTable, error) {
	ctx := r.Context()
	t := &FindingsTable{Rows: []FindingRow{}, States: map[csreview.TriageState]int{}, Ecosystems: []string{}}
	jobs, err := s.Cases.FindAnalysisJobs(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs { // newest first
		if j.State == csreview.JobDone {
			t.JobID = j.ID
			break
		}
	}
	triage, err := s.Cases.FindTriage(ctx, caseID)
	if err != nil {
		return nil, err
	}
	t.Triage = triage
	if t.JobID == 0 {
		return t, nil
	}
	raw, err := s.Cases.AnalysisReport(ctx, caseID, t.JobID)
	if err != nil {
		return nil, err
	}
	var rep assess.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, err
	}
	job := t.JobID
	t = FilterFindings(&rep, triage, f)
	t.JobID = job
	return t, nil
}

// FilterFindings is the page of rep's findings that f selects, with the
// lab's states from triage: the table's work once the report is read.
func FilterFindings(rep *assess.Report, triage map[string]*csreview.Triage, f FindingsFilter) *FindingsTable {
	t := &FindingsTable{Rows: []FindingRow{}, States: map[csreview.TriageState]int{}, Ecosystems: []string{}, Triage: triage}
	t.Report, t.Criteria, t.All = rep, rep.Criteria, len(rep.Findings)
	ecos := map[string]bool{}
	q := strings.ToLower(f.Query)
	var rows []FindingRow
	for _, fd := range rep.Findings {
		row := FindingRow{Finding: fd, State: csreview.TriageInTriage, Triage: triage[fd.ID]}
		if row.Triage != nil {
			row.State = row.Triage.State
		}
		t.States[row.State]++
		eco := ""
		if fd.Component != nil {
			eco = fd.Component.Ecosystem
		}
		if eco != "" {
			ecos[eco] = true
		}
		switch {
		case f.Severity != "" && fd.Severity != f.Severity,
			f.Criterion != "" && fd.Criterion != f.Criterion,
			f.State != "" && row.State != f.State,
			f.Ecosystem != "" && eco != f.Ecosystem,
			q != "" && !strings.Contains(strings.ToLower(findingText(fd)), q):
			continue
		}
		rows = append(rows, row)
	}
	for e := range ecos {
		t.Ecosystems = append(t.Ecosystems, e)
	}
	sort.Strings(t.Ecosystems)
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch f.Sort {
		case "component":
			if ca, cb := componentOf(a.Finding), componentOf(b.Finding); ca != cb {
				return ca < cb
			}
		case "advisory":
			if aa, ab := advisoryOf(a.Finding), advisoryOf(b.Finding); aa != ab {
				return aa < ab
			}
		case "state":
			if a.State != b.State {
				return stateRank(a.State) < stateRank(b.State)
			}
		}
		if ra, rb := assess.Rank(a.Severity), assess.Rank(b.Severity); ra != rb {
			return ra > rb
		}
		return a.ID < b.ID
	})
	t.Total = len(rows)
	pg := f.Page.Normalize()
	lo := min(pg.Offset, len(rows))
	hi := min(lo+pg.Limit, len(rows))
	t.Rows = append(t.Rows, rows[lo:hi]...)
	return t
}

func findingText(f *assess.Finding) string {
	parts := []string{f.Message, f.MessageZH, f.Kind, f.Criterion}
	if f.Component != nil {
		parts = append(parts, f.Component.Name, f.Component.Version, f.Component.PURL)
	}
	if f.Advisory != nil {
		parts = append(parts, f.Advisory.ID, f.Advisory.Summary)
		parts = append(parts, f.Advisory.Aliases...)
	}
	return strings.Join(parts, " ")
}

func componentOf(f *assess.Finding) string {
	if f.Component == nil {
		return "\uffff" // aggregate findings last
	}
	return f.Component.Name + "@" + f.Component.Version
}

func advisoryOf(f *assess.Finding) string {
	if f.Advisory == nil {
		return "\uffff"
	}
	return f.Advisory.ID
}

// stateRank orders the states for the assessor: what needs work first.
func stateRank(s csreview.TriageState) int {
	for i, x := range []csreview.TriageState{csreview.TriageInTriage, csreview.TriageExploitable, csreview.TriageNotAffected,
		csreview.TriageFalsePositive, csreview.TriageResolved} {
		if x == s {
			return i
		}
	}
	return 99
}

// ServeTriageVEX answers with the lab's triage of the case's latest
// analysis as CycloneDX VEX (assess.WriteTriageVEX).
func (s *Server) ServeTriageVEX(w http.ResponseWriter, r *http.Request) error {
	id, err := PathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.CaseFindings(r, id, FindingsFilter{})
	if err != nil {
		return err
	}
	if t.Report == nil {
		return csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_analysis", "The case has no finished analysis.")
	}
	c, err := s.Cases.FindCaseByID(r.Context(), id)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("csreview triage %d %d", id, t.JobID)))
	u := sum[:16]
	u[6], u[8] = u[6]&0x0f|0x50, u[8]&0x3f|0x80 // a name-based UUID (RFC 9562 v5 layout) for the case's analysis
	meta := assess.VEXMeta{SerialNumber: fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]),
		Author: c.Ref, Tool: assess.Tool{Name: "csreview", Version: s.cfg.Version}, Timestamp: s.Now()}
	w.Header().Set("Content-Type", "application/vnd.cyclonedx+json; version=1.6")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-triage.cdx.json"`, c.Ref))
	w.Header().Set("Cache-Control", "no-store")
	return assess.WriteTriageVEX(w, t.Report, t.Triage, meta)
}
