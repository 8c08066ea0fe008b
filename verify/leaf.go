// Package verify checks the publication log from the outside: that every
// entry on the public lists is in the signed tree exactly as listed, that
// every leaf of the tree is accounted for by the lists, and that the tree
// only ever grew since the last checkpoint the verifier saw (DESIGN §5).
//
// It also defines the leaves themselves, so that the server writes exactly
// what a verifier recomputes.
package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/csreview/csreview/tlog"
)

// Entry is a list entry as the public JSON carries it. The report is kept
// as raw JSON, so that a field added to it by tampering is hashed too.
type Entry struct {
	ID          int64           `json:"id"`
	ProductID   int64           `json:"product_id"`
	Product     string          `json:"product"`
	ProductEN   string          `json:"product_en,omitempty"`
	Category    string          `json:"category"`
	SupplierID  int64           `json:"supplier_id"`
	Supplier    string          `json:"supplier"`
	SupplierEN  string          `json:"supplier_en,omitempty"`
	List        string          `json:"list"`
	Versions    []string        `json:"versions"`
	Regime      string          `json:"regime"`
	CaseRef     string          `json:"case_ref"`
	DecidedOn   string          `json:"decided_on"`
	PublishedAt string          `json:"published_at"`
	RevokedAt   string          `json:"revoked_at,omitempty"`
	RevokedBy   string          `json:"revoked_by,omitempty"`
	LeafIndex   int64           `json:"leaf_index"`
	RevokeLeaf  int64           `json:"revoke_leaf,omitempty"`
	Report      json.RawMessage `json:"report"`
}

// String names the entry in messages.
func (e *Entry) String() string {
	return fmt.Sprintf("entry %d (%s %v, %s, %s list)", e.ID, e.Product, e.Versions, e.CaseRef, e.List)
}

// ReportHash is the SHA-256 of the report's canonical JSON.
func ReportHash(report []byte) (string, error) {
	if len(bytes.TrimSpace(report)) == 0 {
		return "", fmt.Errorf("no report")
	}
	var x any
	dec := json.NewDecoder(bytes.NewReader(report))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	b, err := tlog.Canonical(x)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// utc normalises a timestamp to RFC 3339 in UTC, whole seconds.
func utc(s string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", fmt.Errorf("bad time %q", s)
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339), nil
}

// PublishLeaf is the leaf appended when an entry is published: everything
// the list says of the product, and the hash of its public report.
func PublishLeaf(e *Entry) ([]byte, error) {
	sum, err := ReportHash(e.Report)
	if err != nil {
		return nil, err
	}
	at, err := utc(e.PublishedAt)
	if err != nil {
		return nil, err
	}
	versions := e.Versions
	if versions == nil {
		versions = []string{}
	}
	return tlog.Canonical(map[string]any{
		"v": 1, "type": "publish", "entry": e.ID, "list": e.List, "category": e.Category,
		"product_id": e.ProductID, "product": e.Product, "product_en": e.ProductEN,
		"supplier_id": e.SupplierID, "supplier": e.Supplier, "supplier_en": e.SupplierEN,
		"versions": versions, "regime": e.Regime, "case_ref": e.CaseRef, "decided_on": e.DecidedOn,
		"published_at": at, "report_sha256": sum,
	})
}

// RevokeLeaf is the leaf appended when a re-review closes an entry.
func RevokeLeaf(e *Entry) ([]byte, error) {
	at, err := utc(e.RevokedAt)
	if err != nil {
		return nil, err
	}
	return tlog.Canonical(map[string]any{"v": 1, "type": "revoke", "entry": e.ID, "revoked_at": at, "by_case_ref": e.RevokedBy})
}

// Leaf is what a verifier reads back from a leaf: its kind and entry.
type Leaf struct {
	Type  string `json:"type"`
	Entry int64  `json:"entry"`
}
