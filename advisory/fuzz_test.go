package advisory

import (
	"testing"

	"github.com/csreview/csreview"
)

// FuzzParseRecord: no input makes ParseRecord, or the use of what it
// returns, panic; every refusal is an EINVALID *csreview.Error. Seeds are in
// testdata/fuzz/FuzzParseRecord.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(fullRecord))
	f.Add([]byte(okRecord))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRecord(b)
		if err != nil {
			if e := csreview.AsError(err); e == nil || e.Code != csreview.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("error %T %v, want an EINVALID *csreview.Error naming a field", err, err)
			}
			return
		}
		if r.ID == "" {
			t.Fatalf("accepted a record without id: %+v", r)
		}
		r.Severity()
		Group([]*Record{r, r})
		for _, a := range r.Affected {
			for _, v := range append([]string{"", "0", "1.0.0", "v1.2.3-pre+build", "1:2.3-4"}, a.Versions...) {
				Affects(r, a.Package.Ecosystem, a.Package.Name, v)
			}
		}
	})
}

// FuzzCompare: no ecosystem and versions make a comparison panic, and a
// comparison without error is -1, 0 or +1, and 0 comparing a version with
// itself. Seeds are in testdata/fuzz/FuzzCompare.
func FuzzCompare(f *testing.F) {
	for eco, lists := range ascending {
		for _, l := range lists {
			f.Add(eco, l[0], l[len(l)-1])
		}
	}
	f.Fuzz(func(t *testing.T, eco, a, b string) {
		for _, o := range []Versions{semverVersions, orderFor(eco)} {
			if o == nil {
				continue
			}
			c, err := o.Compare(a, b)
			if err != nil {
				if csreview.ErrorCode(err) != csreview.EINVALID {
					t.Fatalf("error %v, want EINVALID", err)
				}
				continue
			}
			if c < -1 || c > 1 {
				t.Fatalf("Compare(%q, %q) = %d", a, b, c)
			}
			if c, err := o.Compare(a, a); err == nil && c != 0 {
				t.Fatalf("Compare(%q, %q) = %d, want 0", a, a, c)
			}
		}
	})
}

func orderFor(eco string) Versions {
	o, ok := VersionsFor(eco)
	if !ok {
		return nil
	}
	return o
}
