package osvcompact

import (
	"reflect"
	"testing"

	"github.com/csreview/csreview/internal/testenv"
)

// FuzzParseCompact: no bytes make Decode panic; what it accepts has an ID
// and reads back from its own compact form unchanged. The seeds are the
// forms of the golden record and of the project's own OSV fixtures.
func FuzzParseCompact(f *testing.F) {
	f.Add(Encode(goldenRecord))
	for _, r := range records(f, testenv.Own("osv")) {
		f.Add(Encode(r))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, ok := Decode(b)
		if !ok {
			return
		}
		if r.ID == "" {
			t.Fatalf("accepted a form without an ID: %+v", r)
		}
		again, ok := Decode(Encode(r))
		if !ok || !reflect.DeepEqual(again, r) {
			t.Fatalf("read back from its own form: %+v, %v; want %+v", again, ok, r)
		}
	})
}
