package csreview

import (
	"context"
	"encoding/json"
	"time"
)

// AuditRecord records one change, or one read of confidential material: who
// did what to which object, when, and the object before and after. It is
// written in the same transaction as the change it records.
type AuditRecord struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	ActorID  int64           `json:"actor_id,omitempty"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"` // create, update, delete, login, read…
	Entity   string          `json:"entity"` // supplier, product…
	EntityID int64           `json:"entity_id,omitempty"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit records, newest first.
type AuditFilter struct {
	Entity   string
	EntityID int64
	ActorID  int64
	Action   string
	Page
}

// AuditService reads the audit log; only the office and admins may.
type AuditService interface {
	// FindAuditRecords lists one page of the audit records f selects,
	// newest first, and the total: EUNAUTHORIZED when anonymous,
	// EFORBIDDEN unless CanReadAudit.
	FindAuditRecords(ctx context.Context, f AuditFilter) ([]*AuditRecord, int, error)
}
