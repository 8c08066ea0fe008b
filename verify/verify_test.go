package verify

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzEntryLeaves feeds arbitrary lists.json entries to the leaf builders:
// they never panic, and the same entry always gives the same leaf, however
// its report is spaced or ordered.
func FuzzEntryLeaves(f *testing.F) {
	f.Add([]byte(`{"id":1,"list":"passed","versions":["1.0"],"published_at":"2026-01-02T03:04:05Z","revoked_at":"2026-02-02T00:00:00Z","report":{"b":1,"a":[true,null]}}`))
	f.Add([]byte(`{"report":"x"}`))
	f.Add([]byte(`{"published_at":"2026-01-02T03:04:05.999+08:00","report":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var e Entry
		if json.Unmarshal(b, &e) != nil {
			return
		}
		leaf, err := PublishLeaf(&e)
		RevokeLeaf(&e)
		if err != nil {
			return
		}
		// Re-encoding the report (other spacing, other key order) must
		// not change the leaf.
		var x any
		dec := json.NewDecoder(bytes.NewReader(e.Report))
		dec.UseNumber()
		if dec.Decode(&x) != nil {
			t.Fatalf("PublishLeaf accepted a report that is not JSON: %q", e.Report)
		}
		e.Report, _ = json.MarshalIndent(x, "", "   ")
		again, err := PublishLeaf(&e)
		if err != nil || string(again) != string(leaf) {
			t.Fatalf("leaf changed with the report's encoding:\n%s\n%s", leaf, again)
		}
	})
}
