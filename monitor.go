package csreview

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Prohibition is an entry of the prohibited list: a component (a purl, with
// or without version) or a supplier (by name) that no network product for
// CII may contain (supply-chain risk, 2021 Measures Art. 10(2)). Putting
// one on the list triggers monitoring at once.
type Prohibition struct {
	ID       int64     `json:"id"`
	PURL     string    `json:"purl,omitempty"`
	Supplier string    `json:"supplier,omitempty"`
	Reason   string    `json:"reason"`
	AddedBy  int64     `json:"added_by,omitempty"`
	Created  time.Time `json:"created_at"`
	// Lifted is when the office took the entry off the list ("" while in
	// force).
	Lifted string `json:"lifted_at,omitempty"`
}

// Validate checks the fields a user enters.
func (p *Prohibition) Validate() error {
	p.PURL, p.Supplier, p.Reason = strings.TrimSpace(p.PURL), strings.TrimSpace(p.Supplier), strings.TrimSpace(p.Reason)
	var v Invalid
	if (p.PURL == "") == (p.Supplier == "") {
		v.Add("purl", "purl_or_supplier")
	}
	if p.PURL != "" && !strings.HasPrefix(p.PURL, "pkg:") {
		v.Add("purl", "invalid_purl")
	}
	v.MaxLen("purl", p.PURL, 500)
	v.MaxLen("supplier", p.Supplier, 200)
	v.Required("reason", p.Reason)
	v.MaxLen("reason", p.Reason, 2000)
	return v.Err()
}

// Alert kinds: what triggered monitoring.
const (
	AlertAdvisory    = "advisory"
	AlertProhibition = "prohibition"
)

// Alert states. The office acknowledges an alert, opens a re-review from
// it, or closes it.
const (
	AlertOpen         = "open"
	AlertAcknowledged = "acknowledged"
	AlertCase         = "case"
	AlertClosed       = "closed"
)

// AlertStates lists the states.
var AlertStates = []string{AlertOpen, AlertAcknowledged, AlertCase, AlertClosed}

// Alert says that a new advisory or prohibition touches a product version:
// which components, whether the version had passed review, and which
// operators' inventories hold it (DESIGN §4, continuous monitoring). It
// goes to the office, the supplier and the operators concerned.
type Alert struct {
	ID   int64     `json:"id"`
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	// Trigger is the advisory ID, or "prohibition:<id>".
	Trigger    string   `json:"trigger"`
	Severity   Severity `json:"severity,omitempty"`
	ProductID  int64    `json:"product_id"`
	VersionID  int64    `json:"version_id"`
	SupplierID int64    `json:"supplier_id"`
	// Passed: the version had passed review; the alert proposes a
	// re-review of ParentCase.
	Passed       bool   `json:"passed"`
	ParentCase   string `json:"parent_case,omitempty"`
	ParentCaseID int64  `json:"parent_case_id,omitempty"`
	// Components are the affected components, "name@version (purl)".
	Components []string `json:"components"`
	Summary    string   `json:"summary"`
	State      string   `json:"state"`
	// CaseID is the re-review opened from the alert.
	CaseID int64 `json:"case_id,omitempty"`
	// OperatorIDs are the operators whose inventories hold the version;
	// each party sees only itself here.
	OperatorIDs []int64 `json:"operator_ids,omitempty"`
	// InventoryIDs are the entries concerned, likewise.
	InventoryIDs []int64 `json:"inventory_ids,omitempty"`
}

// AlertFilter selects alerts.
type AlertFilter struct {
	State     string
	Kind      string
	VersionID int64
	Page
}

// MonitorResult says what one trigger touched.
type MonitorResult struct {
	// Alerts are one per product version touched.
	Alerts    int `json:"alerts"`
	Passed    int `json:"passed"`
	Inventory int `json:"inventory"`
	Webhooks  int `json:"webhooks"`
}

// MonitorService keeps the prohibited list and the alerts.
type MonitorService interface {
	// AddProhibition lists a component or supplier and raises the alerts
	// for everything it touches, in one transaction: EUNAUTHORIZED when
	// anonymous, EFORBIDDEN unless CanManageMonitoring, EINVALID naming
	// each bad field (a purl that does not parse among them).
	AddProhibition(ctx context.Context, p *Prohibition) (*MonitorResult, error)
	// LiftProhibition takes an entry off the list, keeping its alerts:
	// EUNAUTHORIZED when anonymous, EFORBIDDEN unless CanManageMonitoring,
	// ENOTFOUND when it is unknown or lifted already.
	LiftProhibition(ctx context.Context, id int64) error
	// FindProhibitions lists one page of the list (current entries only,
	// or all) and the total, to any signed-in user: EUNAUTHORIZED when
	// anonymous.
	FindProhibitions(ctx context.Context, current bool, page Page) ([]*Prohibition, int, error)
	// FindAlerts lists one page of the alerts in AlertScope, newest first,
	// with only the operators the caller may know of. Only internal errors.
	FindAlerts(ctx context.Context, f AlertFilter) ([]*Alert, int, error)
	// FindAlert returns an alert: ENOTFOUND unless CanReadAlert.
	FindAlert(ctx context.Context, id int64) (*Alert, error)
	// SetAlertState moves an alert (office); caseID links the re-review.
	// ENOTFOUND unless CanReadAlert, EFORBIDDEN unless CanManageMonitoring,
	// EINVALID for an unknown state or case, or a missing case ID.
	SetAlertState(ctx context.Context, id int64, state string, caseID int64) (*Alert, error)
}

// Webhook is where a user's alerts are also sent: an HTTPS (or, for
// loopback, HTTP) URL, and the secret the deliveries are signed with
// (HMAC-SHA256). The secret is shown once, when the webhook is created.
type Webhook struct {
	ID      int64     `json:"id"`
	OwnerID int64     `json:"owner_id"`
	URL     string    `json:"url"`
	Secret  string    `json:"secret,omitempty"`
	Active  bool      `json:"active"`
	Created time.Time `json:"created_at"`
	// Delivered and Failing count its deliveries.
	Delivered int `json:"delivered"`
	Pending   int `json:"pending"`
	Dead      int `json:"dead"`
}

// ValidateURL checks a webhook URL: absolute, https, or http to a loopback
// host (for a receiver on the same machine).
func (w *Webhook) ValidateURL() error {
	var v Invalid
	u, err := url.Parse(strings.TrimSpace(w.URL))
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		v.Add("url", "invalid_url")
	case u.Scheme == "http" && u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1" && u.Hostname() != "::1":
		v.Add("url", "https_required")
	case u.User != nil:
		v.Add("url", "invalid_url")
	}
	v.MaxLen("url", w.URL, 2000)
	return v.Err()
}

// Delivery is one webhook call waiting in the outbox.
type Delivery struct {
	ID       int64
	URL      string
	Secret   string
	Event    string
	Payload  []byte
	Attempts int // before this one
}

// Outbox is the webhook sender's side of the deliveries queued with each
// alert; it acts as the system.
type Outbox interface {
	// ClaimDeliveries leases up to n due deliveries to worker; several
	// servers claim at once without sharing one, and a lease that runs out
	// makes the delivery due again. Only internal errors.
	ClaimDeliveries(ctx context.Context, worker string, n int) ([]*Delivery, error)
	// FinishDelivery records an attempt: delivered on a 2xx status, else
	// retried later or, after the last attempt, dead. An attempt whose
	// lease ran out, so that another worker holds it, is not recorded (and
	// is no error). ENOTFOUND for an unknown delivery.
	FinishDelivery(ctx context.Context, worker string, id int64, status int, errText string) error
}

// WebhookService manages a user's webhooks.
type WebhookService interface {
	// CreateWebhook registers w for the caller with a new secret, returned
	// this once: EUNAUTHORIZED when anonymous, EFORBIDDEN unless
	// CanOwnWebhook (and for system users), EINVALID for a bad URL.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// FindWebhooks lists the caller's webhooks with their delivery counts,
	// without secrets: EUNAUTHORIZED when anonymous.
	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	// DeleteWebhook removes one of the caller's webhooks and its queue:
	// EUNAUTHORIZED when anonymous, ENOTFOUND when it is unknown or
	// another user's (an admin's included).
	DeleteWebhook(ctx context.Context, id int64) error
}
