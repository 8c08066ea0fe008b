package csreview

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csreview/csreview/tlog"
	sumtlog "golang.org/x/mod/sumdb/tlog"
)

// The public lists (DESIGN §5): products that passed the review and
// products that failed it (the prohibited list), published by the office
// from decided cases (2017 trial Measures Art. 13: assessment reports
// published, with passed and failed products).
const (
	ListPassed = "passed"
	ListFailed = "failed"
)

// ListEntry is one product on a public list: the versions a decision
// covers, who supplies them, the outcome and under which rules.
type ListEntry struct {
	ID          int64         `json:"id"`
	ProductID   int64         `json:"product_id"`
	Product     string        `json:"product"`
	ProductEN   string        `json:"product_en,omitempty"`
	Category    Category      `json:"category"`
	SupplierID  int64         `json:"supplier_id"`
	Supplier    string        `json:"supplier"`
	SupplierEN  string        `json:"supplier_en,omitempty"`
	List        string        `json:"list"`
	Versions    []string      `json:"versions"`
	Regime      string        `json:"regime"`
	CaseRef     string        `json:"case_ref"`
	DecidedOn   Date          `json:"decided_on"`
	PublishedAt time.Time     `json:"published_at"`
	RevokedAt   string        `json:"revoked_at,omitempty"`
	RevokedBy   string        `json:"revoked_by,omitempty"` // the re-review's case reference
	LeafIndex   int64         `json:"leaf_index"`
	RevokeLeaf  int64         `json:"revoke_leaf,omitempty"`
	Report      *PublicReport `json:"report,omitempty"`
}

// PublicReport is what the public learns of a case: the decision and
// what was examined, with the confidential parts left out — supplier
// documents, details of unfixed vulnerabilities, expert and member
// opinions, raw lab data (confidentiality: 2017 trial Measures Art. 12,
// 2021 Measures Art. 17).
type PublicReport struct {
	CaseRef   string   `json:"case_ref"`
	Regime    string   `json:"regime"`
	RegimeZH  string   `json:"regime_title_zh"`
	RegimeEN  string   `json:"regime_title_en"`
	Supplier  string   `json:"supplier"`
	Product   string   `json:"product"`
	Versions  []string `json:"versions"`
	Outcome   Outcome  `json:"outcome"`
	DecidedOn Date     `json:"decided_on"`
	Body      string   `json:"assessment_body,omitempty"`
	// Methods are the review methods the evidence came from.
	Methods []string `json:"methods"`
	// Criteria says, per criterion of the regime, whether the decision found
	// a concern under it; never what it was.
	Criteria []PublicCriterion `json:"criteria"`
}

// PublicCriterion is one criterion in a public report.
type PublicCriterion struct {
	ID      string `json:"id"`
	TextZH  string `json:"text_zh"`
	TextEN  string `json:"text_en"`
	Article string `json:"article"`
	Concern bool   `json:"concern"`
}

// ListFilter selects list entries.
type ListFilter struct {
	List       string
	Query      string // product or supplier name
	SupplierID int64
	Category   Category
	Regime     string
	Since      Date // published on or after
	CaseRef    string
	ProductID  int64
	Current    bool // leave out revoked entries
	Page
}

// PublishOptions qualify a publication.
type PublishOptions struct {
	// ConfirmNoBasis is the office's confirmation that it publishes a
	// case under Measures that do not provide for publishing conclusions
	// (2020 Art. 11–12, 2021 Art. 12–13: the conclusion goes to the party
	// in writing), for example with the party's consent.
	ConfirmNoBasis bool `json:"confirm_no_basis,omitempty"`
}

// PublicationService publishes decided cases and serves the lists.
type PublicationService interface {
	// PreviewPublication drafts, without saving, the entries the case
	// would publish now: EUNAUTHORIZED when anonymous, EFORBIDDEN unless
	// CanPublish, ENOTFOUND for an unknown case, ECONFLICT unless it is
	// decided pass or fail.
	PreviewPublication(ctx context.Context, caseID int64) ([]*ListEntry, error)
	// PublishCase publishes the case's entries and logs each; errors
	// as PreviewPublication, plus ECONFLICT when published already and
	// EINVALID when the regime gives no basis and opt does not confirm it.
	PublishCase(ctx context.Context, caseID int64, opt PublishOptions) ([]*ListEntry, error)
	// FindListEntries lists one page of the public lists and the total, to
	// anyone. Only internal errors.
	FindListEntries(ctx context.Context, f ListFilter) ([]*ListEntry, int, error)
	// FindListEntry returns one published entry, revoked or not, to
	// anyone: ENOTFOUND when there is none.
	FindListEntry(ctx context.Context, id int64) (*ListEntry, error)
}

// PublicLog is the tamper-evident log of publications (DESIGN §5): every
// publication and revocation is a leaf, and anyone may check the lists
// against the signed tree. Everything here is public.
type PublicLog interface {
	// Checkpoint is the latest signed checkpoint: ENOTFOUND when nothing
	// has been published.
	Checkpoint(ctx context.Context) (*tlog.Checkpoint, error)
	// LogLeaves are the leaves [start, end) that exist: fewer, or none, past
	// the tree's end (the API checks the range the caller asks for). Only
	// internal errors.
	LogLeaves(ctx context.Context, start, end int64) ([][]byte, error)
	// InclusionProof proves leaf n is in the tree of size t: EINVALID
	// unless n < t and t is at most the tree's size.
	InclusionProof(ctx context.Context, t, n int64) (sumtlog.RecordProof, error)
	// ConsistencyProof proves the tree of size n is a prefix of the tree
	// of size t: EINVALID unless 0 < n <= t and t is at most the tree's
	// size.
	ConsistencyProof(ctx context.Context, t, n int64) (sumtlog.TreeProof, error)
	// LogPublicKey is the log's note verifier key, created on first use.
	// Only internal errors.
	LogPublicKey(ctx context.Context) (string, error)
	// ReportJSON is the exact public report an entry's leaf hashes:
	// ENOTFOUND for an entry not published.
	ReportJSON(ctx context.Context, id int64) ([]byte, error)
}

// Feedback states, as the office works through its queue.
const (
	FeedbackNew       = "new"       // not yet looked at
	FeedbackNoted     = "noted"     // read; kept for supervision and selection
	FeedbackDismissed = "dismissed" // no substance
	FeedbackCase      = "case"      // a review case was opened from it
)

// FeedbackStates lists the states in queue order.
var FeedbackStates = []string{FeedbackNew, FeedbackNoted, FeedbackDismissed, FeedbackCase}

// Feedback is a report from the public about a network product or
// service. Under the 2017 trial Measures (Art. 8) the office takes user
// feedback into account when selecting what to review; under the 2020 and
// 2021 Measures it informs supervision instead.
type Feedback struct {
	ID       int64  `json:"id"`
	Ref      string `json:"ref"` // what the submitter quotes, e.g. "FB-20261121-7KQ2MX"
	Product  string `json:"product"`
	Supplier string `json:"supplier,omitempty"`
	Text     string `json:"text"`
	// Contact is how the office may reach the submitter; only the office
	// sees it.
	Contact   string    `json:"contact,omitempty"`
	State     string    `json:"state"`
	Note      string    `json:"note,omitempty"`
	CaseID    int64     `json:"case_id,omitempty"`
	CaseRef   string    `json:"case_ref,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks a submission.
func (f *Feedback) Validate() error {
	f.Product = strings.TrimSpace(f.Product)
	f.Supplier = strings.TrimSpace(f.Supplier)
	f.Text = strings.TrimSpace(f.Text)
	f.Contact = strings.TrimSpace(f.Contact)
	var v Invalid
	v.Required("product", f.Product)
	v.MaxLen("product", f.Product, 200)
	v.MaxLen("supplier", f.Supplier, 200)
	v.Required("text", f.Text)
	v.MaxLen("text", f.Text, 5000)
	if f.Text != "" && utf8.RuneCountInString(f.Text) < 10 {
		v.Add("text", "too_short", "10")
	}
	v.MaxLen("contact", f.Contact, 200)
	return v.Err()
}

// FeedbackFilter selects feedback in the office's queue.
type FeedbackFilter struct {
	State string
	Query string
	Page
}

// FeedbackService takes feedback from anyone and gives it to the office.
type FeedbackService interface {
	// SubmitFeedback records feedback from anyone, signed in or not,
	// keeping ip only as a keyed hash: EINVALID naming each bad field.
	SubmitFeedback(ctx context.Context, f *Feedback, ip string) error
	// FindFeedback lists one page of the office's queue and the total:
	// EUNAUTHORIZED when anonymous, EFORBIDDEN unless CanReadFeedback; the
	// read is audited.
	FindFeedback(ctx context.Context, f FeedbackFilter) ([]*Feedback, int, error)
	// SetFeedbackState moves feedback through the queue: EUNAUTHORIZED or
	// EFORBIDDEN as FindFeedback, ENOTFOUND for unknown feedback, EINVALID
	// for a bad state or note, ECONFLICT once a case was opened from it.
	SetFeedbackState(ctx context.Context, id int64, state, note string) (*Feedback, error)
}
