package csreview

import (
	"context"
	"time"
)

// Question is one question of the self-review questionnaire on the
// non-technical review factors (reliability of supply channels, data
// handling, legal compliance, foreign control: 2021 Measures Art. 10).
// ConcernIf is the answer that signals a risk.
type Question struct {
	ID string `json:"id"`
	// Theme is the criteria theme it bears on (regime.Themes): the answer
	// is filed under the pack's criterion of that theme, whose article it
	// cites.
	Theme     string `json:"theme"`
	ZH        string `json:"zh"`
	EN        string `json:"en"`
	ConcernIf string `json:"concern_if"` // "yes" or "no"
}

// SelfReviewQuestions are the questionnaire, grouped by theme.
var SelfReviewQuestions = []Question{
	{"supply_alternatives", "supply_chain", "关键部件和服务是否有可替代的供应渠道？",
		"Are there alternative sources for the key components and services?", "no"},
	{"supply_commitment", "continuity", "供应商是否书面承诺无正当理由不中断供应和必要的技术支持？",
		"Has the supplier committed in writing not to interrupt supply or necessary support without justified reason?", "no"},
	{"data_outbound", "data", "产品或服务是否会将用户数据、运行数据传输给供应商或传输出境？",
		"Does the product or service send user or operational data to the supplier or abroad?", "yes"},
	{"remote_access", "control", "是否存在供应商可使用的远程维护、升级或调试通道？",
		"Is there a remote maintenance, update or debugging channel the supplier can use?", "yes"},
	{"export_control", "supply_chain", "供应商是否受境外出口管制、制裁或类似法律约束，可能被要求停止供应？",
		"Is the supplier subject to foreign export controls, sanctions or similar laws that could make it stop supplying?", "yes"},
	{"legal_record", "compliance", "供应商近三年是否有违反网络安全、数据安全或个人信息保护法律的记录？",
		"Has the supplier breached cybersecurity, data security or personal information laws in the past three years?", "yes"},
	{"foreign_control", "credibility", "供应商是否受外国政府控制、影响，或实际控制人在境外？",
		"Is the supplier controlled or influenced by a foreign government, or is its actual controller abroad?", "yes"},
}

// SelfReview is a self-review of a product version by an operator or its
// supplier against the criteria of the regime in force: the assessment
// engine's findings per criterion with a questionnaire on the non-technical
// ones, and the draft of the analysis report on national-security impact a
// 2021 filing requires (Art. 8(2)).
type SelfReview struct {
	ID         int64             `json:"id"`
	ProductID  int64             `json:"product_id"`
	VersionID  int64             `json:"version_id"`
	SupplierID int64             `json:"supplier_id"`
	OperatorID int64             `json:"operator_id,omitempty"`
	Regime     string            `json:"regime"`
	Answers    map[string]string `json:"answers"` // question ID → yes, no, unknown
	Notes      map[string]string `json:"notes,omitempty"`
	// Summary is per criterion: the engine's findings and the concerns the
	// answers raise.
	Summary []SelfReviewItem `json:"summary"`
	// SBOM is false when the version had no SBOM to analyse: the findings
	// counts are then not zero but unknown.
	SBOM      bool      `json:"sbom"`
	Report    string    `json:"report"`
	Lang      string    `json:"lang,omitempty"`
	CreatedBy int64     `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// SelfReviewItem is one criterion of a self-review.
type SelfReviewItem struct {
	Criterion string   `json:"criterion"`
	Text      Text     `json:"text"`
	Article   string   `json:"article"`
	Findings  int      `json:"findings"`
	Highest   Severity `json:"highest,omitempty"`
	// Unrated counts the vulnerabilities no record rates: their risk is
	// not known, so they are not below Highest.
	Unrated  int      `json:"unrated,omitempty"`
	Concerns []string `json:"concerns,omitempty"` // question IDs
}

// SelfReviewService runs and keeps self-reviews. A supplier reviews its own
// products, an operator any product for itself; the office reads all.
type SelfReviewService interface {
	// CreateSelfReview runs and stores a self-review of r's version:
	// EUNAUTHORIZED when anonymous, EFORBIDDEN unless CanSelfReview and
	// CanSelfReviewProduct, ENOTFOUND for a product the caller may not see
	// (or an unknown version named alone), EINVALID naming each bad field.
	CreateSelfReview(ctx context.Context, r *SelfReview) error
	// FindSelfReview returns a self-review: ENOTFOUND unless
	// CanReadSelfReview.
	FindSelfReview(ctx context.Context, id int64) (*SelfReview, error)
	// FindSelfReviews lists, newest first, those of the latest 200
	// self-reviews (of versionID, or all for 0) that CanReadSelfReview
	// allows. Only internal errors.
	FindSelfReviews(ctx context.Context, versionID int64) ([]*SelfReview, error)
}
