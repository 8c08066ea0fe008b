package osvcompact

import (
	"encoding/hex"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/internal/testenv"
)

// records reads every record under dir.
func records(tb testing.TB, dir string) []*advisory.Record {
	tb.Helper()
	var out []*advisory.Record
	if err := advisory.Walk(dir, advisory.Limits{}, func(r *advisory.Record, _ string) error {
		out = append(out, r)
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	return out
}

// sharedRecords is every record of the shared OSV test data.
func sharedRecords(tb testing.TB) []*advisory.Record {
	tb.Helper()
	dir := testenv.Shared(tb, "advisories", "osv")
	var out []*advisory.Record
	for _, eco := range []string{"Go", "PyPI", "npm", "Maven"} {
		out = append(out, records(tb, filepath.Join(dir, eco))...)
	}
	return out
}

// roundTrip reads back each record from its compact form and finds it
// equal to the record parsed from the OSV JSON, Raw aside; every shorter
// prefix of every prefixEvery-th form is refused.
func roundTrip(t *testing.T, recs []*advisory.Record, prefixEvery int) {
	t.Helper()
	for n, r := range recs {
		b := Encode(r)
		got, ok := Decode(b)
		if !ok {
			t.Fatalf("%s: its compact form is not read back: %q", r.ID, b)
		}
		want := *r
		want.Raw = nil
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("%s: read back differs\n got %+v\nwant %+v", r.ID, *got, want)
		}
		if n%prefixEvery == 0 {
			for i := range b {
				if r, ok := Decode(b[:i]); ok {
					t.Fatalf("%s: the first %d of its %d bytes were read as %+v", want.ID, i, len(b), r)
				}
			}
		}
	}
}

// TestCompactRoundTrip: the project's own fixtures and every record of
// the shared test data read back from their compact forms unchanged.
func TestCompactRoundTrip(t *testing.T) {
	t.Run("own", func(t *testing.T) {
		recs := records(t, testenv.Own("osv"))
		if len(recs) == 0 {
			t.Fatal("no records in the project's own fixtures")
		}
		roundTrip(t, recs, 1)
	})
	t.Run("shared", func(t *testing.T) {
		recs := sharedRecords(t)
		if len(recs) < 6000 {
			t.Fatalf("only %d records checked", len(recs))
		}
		roundTrip(t, recs, 50)
	})
}

// goldenRecord sets every field of a record, times before and after 1970
// with nanoseconds, a nil and an empty slice, and text beyond ASCII.
var goldenRecord = &advisory.Record{
	ID:               "CSR-2024-0001",
	Modified:         time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
	Published:        time.Date(1969, 12, 31, 23, 59, 58, 5, time.UTC),
	Aliases:          []string{"CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"},
	Summary:          "Héllo summary",
	Severities:       []advisory.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
	DatabaseSeverity: "HIGH",
	Affected: []advisory.Affected{
		{
			Package: advisory.Package{Ecosystem: "Go", Name: "example.com/m", PURL: "pkg:golang/example.com/m"},
			Ranges: []advisory.Range{
				{Type: "SEMVER", Events: []advisory.Event{{Introduced: "0"}, {Fixed: "1.2.3"}}},
				{Type: "GIT", Repo: "https://example.com/m.git", Events: []advisory.Event{{Introduced: "abc"}, {LastAffected: "def"}, {Limit: "*"}}},
			},
			Versions: []string{},
		},
		{Package: advisory.Package{Ecosystem: "PyPI", Name: "p"}, Versions: []string{"1.0"}, Severities: []advisory.Severity{{Type: "Ubuntu", Score: "high"}}},
	},
	Raw: []byte(`{"id":"not written"}`),
}

// TestCompactGolden: Encode writes, byte for byte, the forms of layout 2
// that stores already hold (these are what advisory.Record.Compact wrote
// before the form moved to this package), and Decode reads them; a
// change here needs compactVersion bumped and a migration.
func TestCompactGolden(t *testing.T) {
	for _, c := range []struct {
		r    *advisory.Record
		want string
	}{
		{goldenRecord, "020d4353522d323032342d3030303101b287c4e30c959aef3a01030500030d4356452d323032342d3030303113474853412d616161612d626262622d636363630e48c3a96c6c6f2073756d6d617279000207435653535f56332c435653533a332e312f41563a4e2f41433a4c2f50523a4e2f55493a4e2f533a552f433a482f493a482f413a4804484947480302476f0d6578616d706c652e636f6d2f6d18706b673a676f6c616e672f6578616d706c652e636f6d2f6d030653454d564552000301300000000005312e322e330000034749541968747470733a2f2f6578616d706c652e636f6d2f6d2e676974040361626300000000000364656600000000012a01000450795049017000000203312e3002065562756e74750468696768"},
		{&advisory.Record{ID: "GO-1"}, "0204474f2d31000000000000000000"},
	} {
		if got := hex.EncodeToString(Encode(c.r)); got != c.want {
			t.Errorf("%s: Encode = %s\nwant %s", c.r.ID, got, c.want)
		}
		b, _ := hex.DecodeString(c.want)
		got, ok := Decode(b)
		want := *c.r
		want.Raw = nil
		if !ok || !reflect.DeepEqual(*got, want) {
			t.Errorf("%s: Decode of the stored form = %+v, %v; want %+v", c.r.ID, got, ok, want)
		}
	}
}

// TestCompactFields counts the fields the compact form writes: a field
// added to advisory.Record or a type in it must be added to Encode and
// Decode, and compactVersion bumped.
func TestCompactFields(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{
		{advisory.Record{}, 11}, {advisory.Severity{}, 2}, {advisory.Affected{}, 4}, {advisory.Package{}, 3}, {advisory.Range{}, 3}, {advisory.Event{}, 4},
	} {
		if got := reflect.TypeOf(c.v).NumField(); got != c.want {
			t.Errorf("%T has %d fields, the compact form knows %d: update Encode, Decode and compactVersion", c.v, got, c.want)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	minimal := Encode(&advisory.Record{ID: "GO-1"})
	for _, b := range []string{
		"", "\x01", "\x02", "\x01\x04GO-1\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", // older or no version
		string(minimal) + "\x00",                                                   // bytes left over
		"\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",                             // no ID
		"\x02\x04GO-1\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00",                     // a time flag that is neither 0 nor 1
		"\x02\x04GO-1\x01\x00\xff\xff\xff\xff\x0f\x00\x00\x00\x00\x00\x00\x00\x00", // 2^32 ns
		"\x02\x04GO-1\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",         // a length beyond the form
		"\x02\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",                         // a varint too long
		`{"v":1,"ID":"GO-1"}`,                                                      // the JSON form of version 1
	} {
		if r, ok := Decode([]byte(b)); ok {
			t.Errorf("Decode(%q) = %+v, true; want false", b, r)
		}
		if IsCurrent([]byte(b)) != (len(b) > 0 && b[0] == compactVersion) {
			t.Errorf("IsCurrent(%q) = %v", b, !IsCurrent([]byte(b)))
		}
	}
	if r, ok := Decode(minimal); !ok || r.ID != "GO-1" {
		t.Errorf("Decode of a minimal current form = %+v, %v", r, ok)
	}
	if !IsCurrent(minimal) {
		t.Error("IsCurrent of a current form is false")
	}
}
