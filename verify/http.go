package verify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	sumtlog "golang.org/x/mod/sumdb/tlog"
)

// maxAnswer bounds one answer of the server: the lists of a large review
// regime run to megabytes, not gigabytes.
const maxAnswer = 256 << 20

// HTTPSource reads a csreview server's public API.
type HTTPSource struct {
	Base   string // e.g. https://csreview.example
	Client *http.Client
}

// NewHTTPSource reads the server at base.
func NewHTTPSource(base string) *HTTPSource {
	return &HTTPSource{Base: strings.TrimRight(base, "/"), Client: http.DefaultClient}
}

func (h *HTTPSource) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	u := h.Base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := h.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxAnswer {
		return nil, fmt.Errorf("GET %s: answer larger than %d bytes", path, maxAnswer)
	}
	if resp.StatusCode != http.StatusOK {
		var p struct {
			Detail string `json:"detail"`
		}
		json.Unmarshal(b, &p)
		return nil, fmt.Errorf("GET %s: %s %s", path, resp.Status, p.Detail)
	}
	return b, nil
}

func (h *HTTPSource) getJSON(ctx context.Context, path string, q url.Values, v any) error {
	b, err := h.get(ctx, path, q)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

func (h *HTTPSource) Key(ctx context.Context) (string, error) {
	var k struct {
		Origin string `json:"origin"`
		Key    string `json:"key"`
	}
	if err := h.getJSON(ctx, "/public/v1/log/key", nil, &k); err != nil {
		return "", err
	}
	if k.Origin != Origin {
		return "", fmt.Errorf("the server's log is %q, not %q", k.Origin, Origin)
	}
	return k.Key, nil
}

func (h *HTTPSource) Checkpoint(ctx context.Context) ([]byte, error) {
	return h.get(ctx, "/public/v1/log/checkpoint", nil)
}

func (h *HTTPSource) Entries(ctx context.Context) ([]*Entry, error) {
	var doc struct {
		SchemaVersion int      `json:"schema_version"`
		Entries       []*Entry `json:"entries"`
	}
	if err := h.getJSON(ctx, "/public/v1/lists.json", url.Values{"history": {"1"}}, &doc); err != nil {
		return nil, err
	}
	if doc.SchemaVersion != 1 {
		return nil, fmt.Errorf("lists.json has schema version %d; this verifier reads version 1", doc.SchemaVersion)
	}
	return doc.Entries, nil
}

func (h *HTTPSource) Leaves(ctx context.Context, start, end int64) ([][]byte, error) {
	var body struct {
		Start  int64    `json:"start"`
		Leaves []string `json:"leaves"`
	}
	q := url.Values{"start": {fmt.Sprint(start)}, "end": {fmt.Sprint(end)}}
	if err := h.getJSON(ctx, "/public/v1/log/leaves", q, &body); err != nil {
		return nil, err
	}
	out := make([][]byte, len(body.Leaves))
	for i, l := range body.Leaves {
		out[i] = []byte(l)
	}
	return out, nil
}

func (h *HTTPSource) proof(ctx context.Context, path string, q url.Values) ([]sumtlog.Hash, error) {
	var body struct {
		Proof []string `json:"proof"`
	}
	if err := h.getJSON(ctx, path, q, &body); err != nil {
		return nil, err
	}
	out := make([]sumtlog.Hash, len(body.Proof))
	for i, s := range body.Proof {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != len(out[i]) {
			return nil, fmt.Errorf("GET %s: bad hash %q", path, s)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

func (h *HTTPSource) InclusionProof(ctx context.Context, size, index int64) (sumtlog.RecordProof, error) {
	return h.proof(ctx, "/public/v1/log/proof/inclusion", url.Values{"size": {fmt.Sprint(size)}, "index": {fmt.Sprint(index)}})
}

func (h *HTTPSource) ConsistencyProof(ctx context.Context, size, old int64) (sumtlog.TreeProof, error) {
	return h.proof(ctx, "/public/v1/log/proof/consistency", url.Values{"size": {fmt.Sprint(size)}, "old": {fmt.Sprint(old)}})
}
