package csreview

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// CaseState is where a review case stands in the flow of DESIGN §3.
type CaseState string

// The states of a case. Which of them a case passes through, and how, is
// the regime pack's (its actions): under the 2017 Measures the office has
// third-party bodies and the expert committee review and issues the result
// (trial Art. 5, 6, 8); under 2020 and 2021 the office forms a recommended
// conclusion, the member units and departments concerned reply and, on
// disagreement, the special review consults them again (2021 Art. 11–14).
const (
	StateScreening        CaseState = "screening"            // the office checks the filing
	StateApproval         CaseState = "approval"             // 2020/2021: a member-proposed review awaits the Central Commission's approval (2021 Art. 16)
	StateAwaitingMaterial CaseState = "awaiting_material"    // supplementary materials requested; clock paused
	StateNotRequired      CaseState = "not_required"         // closed: no review needed (2021 Art. 9)
	StateAssessment       CaseState = "assessment"           // third-party assessment and preliminary review
	StateExpertReview     CaseState = "expert_review"        // 2017: expert committee opinions (Art. 6)
	StateMemberReview     CaseState = "member_review"        // 2020/2021: member units and departments reply (2021 Art. 12)
	StateSpecialReview    CaseState = "special_review"       // 2020/2021: special review (2021 Art. 13–14)
	StateSpecialConsult   CaseState = "special_consultation" // special review: members and departments consulted again (2021 Art. 13)
	StateSpecialApproval  CaseState = "special_approval"     // awaiting the Central Commission's approval
	StateDecision         CaseState = "decision"             // conclusion reached; the office issues the decision
	StateDecided          CaseState = "decided"              // pass or fail notified
)

// CaseStates lists the states.
var CaseStates = []CaseState{StateScreening, StateApproval, StateAwaitingMaterial, StateNotRequired, StateAssessment,
	StateExpertReview, StateMemberReview, StateSpecialReview, StateSpecialConsult, StateSpecialApproval, StateDecision, StateDecided}

// Valid reports whether s is a state.
func (s CaseState) Valid() bool { return oneOf(s, CaseStates) }

// Closed reports whether a case in state s is over.
func (s CaseState) Closed() bool { return s == StateDecided || s == StateNotRequired }

// Outcome is a case's conclusion.
type Outcome string

// Outcomes of the regime packs.
const (
	OutcomePass        Outcome = "pass"
	OutcomeFail        Outcome = "fail"
	OutcomeNotRequired Outcome = "not_required"
	OutcomeRevoked     Outcome = "revoked"
)

// Case is one review: of one or more versions of a supplier's products, and
// where there is one, an operator's purchase or listing. It is judged under
// the regime pack in force when it was filed.
type Case struct {
	ID         int64     `json:"id"`
	Ref        string    `json:"ref"` // e.g. "CSR-2026-0007"
	Regime     string    `json:"regime"`
	Channel    string    `json:"channel"`
	State      CaseState `json:"state"`
	Title      string    `json:"title"`
	SupplierID int64     `json:"supplier_id"`
	OperatorID int64     `json:"operator_id,omitempty"`
	// VersionIDs are the product versions under review.
	VersionIDs []int64 `json:"version_ids"`
	// Purchase describes the procurement or listing the filing is about.
	Purchase string `json:"purchase,omitempty"`
	// PurchaseAmount is in yuan; penalties are multiples of it (CSL Art. 65).
	PurchaseAmount int64 `json:"purchase_amount,omitempty"`
	FiledOn        Date  `json:"filed_on"`
	FiledBy        int64 `json:"filed_by"`
	// BodyID is the accredited body assigned to assess.
	BodyID int64 `json:"body_id,omitempty"`
	// ReportSubmitted is set when the body has submitted its assessment
	// report.
	ReportSubmitted bool `json:"report_submitted"`
	// ReturnState is where a case awaiting supplementary materials returns.
	ReturnState CaseState `json:"return_state,omitempty"`
	Outcome     Outcome   `json:"outcome,omitempty"`
	// ParentID links a re-review to the case it reviews again.
	ParentID int64 `json:"parent_id,omitempty"`
	// FeedbackRef names the public feedback a case opened through the
	// user_feedback channel came from (2017 trial Measures Art. 8); it is
	// read when the case is filed.
	FeedbackRef string    `json:"feedback_ref,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks the fields of a new case; which versions it needs is the
// channel's (a listing names none: 2021 Measures Art. 7).
func (c *Case) Validate() error {
	c.Title = strings.TrimSpace(c.Title)
	var v Invalid
	v.Required("regime", c.Regime)
	v.Required("channel", c.Channel)
	v.Required("title", c.Title)
	v.MaxLen("title", c.Title, 200)
	if c.SupplierID <= 0 {
		v.Add("supplier_id", "required")
	}
	v.MaxLen("purchase", c.Purchase, 2000)
	if c.PurchaseAmount < 0 {
		v.Add("purchase_amount", "negative")
	}
	return v.Err()
}

// CaseEvent is one entry of a case's timeline: a transition, with who made
// it, when, and what came with it.
type CaseEvent struct {
	ID      int64           `json:"id"`
	CaseID  int64           `json:"case_id"`
	At      time.Time       `json:"at"`
	On      Date            `json:"on"` // the working date it counts from
	ActorID int64           `json:"actor_id,omitempty"`
	Actor   string          `json:"actor"`
	Action  string          `json:"action"`
	From    CaseState       `json:"from,omitempty"`
	To      CaseState       `json:"to"`
	Note    string          `json:"note,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// CaseClock is one statutory clock of a case, in working days.
type CaseClock struct {
	CaseID    int64  `json:"case_id"`
	Clock     string `json:"clock"` // the pack's clock ID
	StartedOn Date   `json:"started_on"`
	Workdays  int    `json:"workdays"`
	Extended  int    `json:"extended,omitempty"`
	// PausedDays counts the working days of closed pauses; PausedSince is
	// the start of the open one (2021 Art. 15).
	PausedDays  int  `json:"paused_days,omitempty"`
	PausedSince Date `json:"paused_since,omitempty"`
	StoppedOn   Date `json:"stopped_on,omitempty"`
}

// FileUpload is a file attached to a filing, to supplementary materials or
// to evidence. Kind is the material's ID in the regime pack ("impact_report")
// or "evidence".
type FileUpload struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Content   []byte `json:"-"`
}

// MaxFileSize bounds one attachment.
const MaxFileSize = 20 << 20

// CaseAction is a transition with what comes with it.
type CaseAction struct {
	Action string `json:"action"`
	// On is the working date the action counts from; today if empty.
	On   Date   `json:"on,omitempty"`
	Note string `json:"note,omitempty"`
	// BodyID for assign_body.
	BodyID int64 `json:"body_id,omitempty"`
	// Position: agree or disagree for a member reply; pass or fail for a
	// recommendation, a committee conclusion and a decision.
	Position string `json:"position,omitempty"`
	// Reasons per criterion ID, for conclusions and decisions.
	Reasons map[string]string `json:"reasons,omitempty"`
	// Clock and Days for extend.
	Clock string `json:"clock,omitempty"`
	Days  int    `json:"days,omitempty"`
	// Due is the date by which what the action asks is due (a request
	// for supplementary material).
	Due Date `json:"due,omitempty"`
	// Consult names the member units and departments a recommended
	// conclusion is sent to (2021 Measures Art. 11–13).
	Consult []string     `json:"consult,omitempty"`
	Files   []FileUpload `json:"files,omitempty"`
}

// Consultee is a unit a recommended conclusion was sent to in a round of
// consultation (round 1: the recommended conclusion, 2021 Measures
// Art. 11–12; round 2: the special review's, Art. 13): a member unit of
// the review mechanism or another department concerned, and its reply.
type Consultee struct {
	CaseID    int64         `json:"case_id"`
	Round     int           `json:"round"`
	Kind      ConsulteeKind `json:"kind"`
	Org       string        `json:"org"`
	AskedOn   Date          `json:"asked_on"`
	Position  string        `json:"position,omitempty"` // agree, disagree; "" until it replies
	RepliedOn Date          `json:"replied_on,omitempty"`
}

// ConsulteeKind is who is consulted on a recommended conclusion: a member
// unit of the review mechanism, or another department concerned (2021
// Measures Art. 11-12: the recommendation goes to both for their
// opinions, which they give in writing within 15 working days).
type ConsulteeKind string

// Consultee kinds.
const (
	ConsultMember     ConsulteeKind = "member"
	ConsultDepartment ConsulteeKind = "department"
)

// Recusal is an expert's or a member unit's staff member's stepping aside
// from a case, with the reason (the conflict rules that bar a body: the
// same group, consulting for a party, earlier advice on the product).
type Recusal struct {
	CaseID int64  `json:"case_id"`
	UserID int64  `json:"user_id"`
	Role   Role   `json:"role"`
	Org    string `json:"org,omitempty"`
	Reason string `json:"reason"`
	On     Date   `json:"on"`
}

// Opinion is an expert's opinion, a member unit's reply, a committee
// conclusion or a recommended conclusion.
type Opinion struct {
	ID        int64       `json:"id"`
	CaseID    int64       `json:"case_id"`
	Kind      OpinionKind `json:"kind"`
	AuthorID  int64       `json:"author_id,omitempty"`
	Author    string      `json:"author"`
	Org       string      `json:"org,omitempty"`
	Position  string      `json:"position"`
	Text      string      `json:"text"`
	CreatedAt time.Time   `json:"created_at"`
}

// OpinionKind is who an opinion comes from.
type OpinionKind string

// Opinion kinds.
const (
	OpinionExpert         OpinionKind = "expert"         // an expert's opinion
	OpinionMember         OpinionKind = "member"         // a member unit's reply to a recommendation
	OpinionCommittee      OpinionKind = "committee"      // the committee's conclusion (2017 Measures)
	OpinionRecommendation OpinionKind = "recommendation" // the office's recommended conclusion
)

// Notice is a written notice to the party: acceptance, a request for
// supplementary materials, no review needed, or the decision.
type Notice struct {
	ID       int64           `json:"id"`
	CaseID   int64           `json:"case_id"`
	Kind     string          `json:"kind"`
	IssuedOn Date            `json:"issued_on"`
	Data     json.RawMessage `json:"data"`
}

// Evidence is what an assessor established by one review method (2017
// Measures Art. 3: lab test, on-site inspection, online monitoring,
// background investigation, enterprise commitment…), with findings per
// criterion of the case's pack and attachments.
type Evidence struct {
	ID      int64  `json:"id"`
	CaseID  int64  `json:"case_id"`
	Method  string `json:"method"`
	Summary string `json:"summary"`
	// SummaryEN is the English of the automated analysis's summary
	// (Summary is then its Chinese).
	SummaryEN string      `json:"summary_en,omitempty"`
	BodyID    int64       `json:"body_id,omitempty"`
	AuthorID  int64       `json:"author_id,omitempty"`
	Findings  []*Finding  `json:"findings"`
	Files     []*CaseFile `json:"files,omitempty"`
	CreatedAt time.Time   `json:"created_at"`
}

// Finding is a finding on one criterion.
type Finding struct {
	ID         int64    `json:"id"`
	EvidenceID int64    `json:"evidence_id"`
	Criterion  string   `json:"criterion"`
	Risk       Severity `json:"risk"`
	Text       string   `json:"text"`
	// TextEN is the English of an automated finding (Text is then its
	// Chinese); empty for an assessor's own, written in one language.
	TextEN string `json:"text_en,omitempty"`
}

// CaseFile is an attachment, stored by the SHA-256 of its content.
type CaseFile struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	MediaType  string `json:"media_type"`
	SHA256     string `json:"sha256"`
	Size       int64  `json:"size"`
	EvidenceID int64  `json:"evidence_id,omitempty"`
}

// Validate checks an evidence record's own fields; the pack's methods and
// criteria are checked by the service.
func (e *Evidence) Validate() error {
	e.Summary = strings.TrimSpace(e.Summary)
	var v Invalid
	v.Required("method", e.Method)
	v.Required("summary", e.Summary)
	v.MaxLen("summary", e.Summary, 8000)
	for _, f := range e.Findings {
		f.Text = strings.TrimSpace(f.Text)
		v.Required("findings.criterion", f.Criterion)
		// An assessor rates what they record: unrated is the engine's
		// word for a vulnerability no record rates, written with the
		// automated analysis's evidence only, never by hand.
		v.OneOf("findings.risk", string(f.Risk), strs(Risks))
		v.Required("findings.text", f.Text)
		v.MaxLen("findings.text", f.Text, 4000)
	}
	return v.Err()
}

// SupplierRecord is what the experts weigh beside the product findings:
// the supplier's security and credibility (2017 Measures Art. 6) — its
// ownership and control, its earlier review outcomes, and what background
// investigations and checks of its commitments found.
type SupplierRecord struct {
	Supplier *Supplier `json:"supplier"`
	// Earlier are the supplier's other cases, newest first.
	Earlier []*Case `json:"earlier"`
	// Findings are findings from background investigations and checks of
	// enterprise commitments on any of the supplier's cases.
	Findings []*RecordFinding `json:"findings"`
}

// RecordFinding is a finding with the case and method it came from.
type RecordFinding struct {
	Finding
	CaseID  int64  `json:"case_id"`
	CaseRef string `json:"case_ref"`
	Method  string `json:"method"`
}

// AnalysisJob is the automated analysis of a case's SBOMs: queued when an
// SBOM or VEX is attached or advisories change, run in the background by
// one server, its findings recorded as evidence of the case.
type AnalysisJob struct {
	ID         int64      `json:"id"`
	CaseID     int64      `json:"case_id"`
	State      JobState   `json:"state"`
	Reason     string     `json:"reason"`
	Progress   int        `json:"progress"`
	Total      int        `json:"total"`
	Error      string     `json:"error,omitempty"`
	Findings   int        `json:"findings"`
	Highest    Severity   `json:"highest,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// JobState is where an analysis job is.
type JobState string

// Job states.
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// CaseFilter selects cases.
type CaseFilter struct {
	Query  string
	State  CaseState
	Regime string
	// Unpublished keeps the cases decided with a pass or a fail whose
	// decision is not yet on the public lists.
	Unpublished bool
	// Open keeps the cases not yet closed (decided or not required).
	Open bool
	Page
}

// CaseService runs cases. Each method decides authorization for the user in
// ctx: a case the user may not see is ENOTFOUND (never EFORBIDDEN, which
// would confirm that it exists), for anonymous callers too, who may see
// none; the writes that create (CreateCase, CreateEvidence) refuse them
// with EUNAUTHORIZED.
type CaseService interface {
	// FindCaseByID returns a case the caller may see (CanReadCase), or
	// ENOTFOUND, for anonymous callers too.
	FindCaseByID(ctx context.Context, id int64) (*Case, error)
	// FindCases lists the cases in the caller's CaseScope and the total
	// (none for anonymous callers). Only internal errors.
	FindCases(ctx context.Context, f CaseFilter) ([]*Case, int, error)
	// CreateCase files c through its channel with the channel's materials:
	// EUNAUTHORIZED when anonymous; EFORBIDDEN unless CanFileCase and
	// CanOpenChannel; EINVALID naming each bad field (a missing material, a
	// regime not in force, an unknown party, an excluded channel citing why).
	CreateCase(ctx context.Context, c *Case, files []FileUpload) error
	// Act takes an action on a case the caller may see (else ENOTFOUND):
	// ECONFLICT when the state or the record does not allow it, EFORBIDDEN
	// when the caller may not take it (both listing the actions allowed),
	// EINVALID when what it must carry is missing or wrong.
	Act(ctx context.Context, id int64, in CaseAction) (*Case, error)
	// FindCaseEvents is the case's history, oldest first: ENOTFOUND unless
	// CanReadCase.
	FindCaseEvents(ctx context.Context, id int64) ([]*CaseEvent, error)
	// FindCaseClocks are the case's working-day clocks: ENOTFOUND unless
	// CanReadCase.
	FindCaseClocks(ctx context.Context, id int64) ([]*CaseClock, error)
	// FindCaseOpinions are the opinions, replies and conclusions:
	// EFORBIDDEN unless CanReadOpinions; the read is audited.
	FindCaseOpinions(ctx context.Context, id int64) ([]*Opinion, error)
	// FindCaseNotices are the notices sent to the parties: ENOTFOUND
	// unless CanReadCase.
	FindCaseNotices(ctx context.Context, id int64) ([]*Notice, error)
	// CreateEvidence records the assigned body's evidence: EUNAUTHORIZED
	// when anonymous, EFORBIDDEN unless CanRecordEvidence, ECONFLICT outside
	// the assessment or after the report, EINVALID naming each bad field.
	CreateEvidence(ctx context.Context, e *Evidence, files []FileUpload) error
	// FindEvidence is the case's evidence and findings: EFORBIDDEN unless
	// CanReadEvidence; the read is audited.
	FindEvidence(ctx context.Context, caseID int64) ([]*Evidence, error)
	// FindSupplierRecord is the supplier's earlier reviews: EFORBIDDEN
	// unless CanSeeSupplierRecord; the read is audited.
	FindSupplierRecord(ctx context.Context, caseID int64) (*SupplierRecord, error)
	// CreateBodyRelation records a relation between a body and a supplier
	// that bars it from assessing the supplier's products: EUNAUTHORIZED
	// when anonymous, EFORBIDDEN unless CanWriteBody, ENOTFOUND for an
	// unknown body, EINVALID naming each bad field.
	CreateBodyRelation(ctx context.Context, r *BodyRelation) error
}
