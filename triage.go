package csreview

import (
	"context"
	"strings"
	"time"
)

// TriageState is the lab's analysis of one automated finding, as
// Dependency-Track's audit workflow and CycloneDX VEX (analysis.state)
// name it.
type TriageState string

// The states of a finding's triage. A finding no one has looked at yet is
// in triage.
const (
	TriageInTriage      TriageState = "in_triage"
	TriageExploitable   TriageState = "exploitable"
	TriageNotAffected   TriageState = "not_affected"
	TriageFalsePositive TriageState = "false_positive"
	TriageResolved      TriageState = "resolved"
)

// TriageStates lists the states.
var TriageStates = []TriageState{TriageInTriage, TriageExploitable, TriageNotAffected, TriageFalsePositive, TriageResolved}

// TriageJustifications are why a finding does not affect the product, as
// CycloneDX VEX names them (analysis.justification); not_affected needs
// one.
var TriageJustifications = []string{"code_not_present", "code_not_reachable", "requires_configuration",
	"requires_dependency", "requires_environment", "protected_by_compiler", "protected_at_runtime",
	"protected_at_perimeter", "protected_by_mitigating_control"}

// Triage is one finding's state as the lab set it, with why and who: the
// newest of a finding's changes is its state, the earlier ones its history.
type Triage struct {
	CaseID        int64       `json:"case_id"`
	Key           string      `json:"key"` // the engine's stable finding ID: component and advisory
	State         TriageState `json:"state"`
	Justification string      `json:"justification,omitempty"`
	Comment       string      `json:"comment,omitempty"`
	ActorID       int64       `json:"actor_id,omitempty"`
	Actor         string      `json:"actor"`
	At            time.Time   `json:"at"`
}

// Validate checks a change: a known state, a justification (one of
// TriageJustifications) exactly when not affected, a comment when the lab
// calls it a false positive, and their lengths.
func (t *Triage) Validate() error {
	t.Comment = strings.TrimSpace(t.Comment)
	var v Invalid
	v.Required("key", t.Key)
	v.MaxLen("key", t.Key, 200)
	v.OneOf("state", string(t.State), strs(TriageStates))
	switch {
	case t.State == TriageNotAffected && t.Justification == "":
		v.Add("justification", "required")
	case t.State == TriageNotAffected:
		v.OneOf("justification", t.Justification, TriageJustifications)
	case t.Justification != "":
		v.Add("justification", "only_not_affected")
	}
	if t.State == TriageFalsePositive && t.Comment == "" {
		v.Add("comment", "required")
	}
	v.MaxLen("comment", t.Comment, 4000)
	return v.Err()
}

// TriageService keeps the lab's triage of a case's automated findings.
type TriageService interface {
	// FindTriage returns each triaged finding's current state, by key, and
	// records the read: ENOTFOUND unless CanReadCase, EFORBIDDEN unless
	// CanReadEvidence.
	FindTriage(ctx context.Context, caseID int64) (map[string]*Triage, error)
	// TriageHistory is a finding's changes, oldest first, the read
	// recorded, with the same errors as FindTriage.
	TriageHistory(ctx context.Context, caseID int64, key string) ([]*Triage, error)
	// SetTriage records a change of a finding's state: ENOTFOUND unless
	// CanReadCase, EFORBIDDEN unless CanTriage, ECONFLICT once the lab's
	// report is in or outside the assessment, EINVALID naming each bad
	// field (Triage.Validate).
	SetTriage(ctx context.Context, t *Triage) error
}
