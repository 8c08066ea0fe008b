package advisory

import (
	"reflect"
	"testing"
)

// TestCompactRoundTrip reads back every record of the shared test data
// from its compact form and finds it equal to the record parsed from the
// OSV JSON, Raw aside; every shorter prefix of a form is refused.
func TestCompactRoundTrip(t *testing.T) {
	c := loadCorpus(t)
	n := 0
	for _, r := range c.byID {
		b := r.Compact()
		got, ok := ParseCompact(b)
		if !ok {
			t.Fatalf("%s: its compact form is not read back: %q", r.ID, b)
		}
		want := *r
		want.Raw = nil
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("%s: read back differs\n got %+v\nwant %+v", r.ID, *got, want)
		}
		if n%50 == 0 {
			for i := range b {
				if r, ok := ParseCompact(b[:i]); ok {
					t.Fatalf("%s: the first %d of its %d bytes were read as %+v", want.ID, i, len(b), r)
				}
			}
		}
		n++
	}
	if n < 6000 {
		t.Fatalf("only %d records checked", n)
	}
}

// TestCompactFields counts the fields the compact form writes: a field
// added to Record or a type in it must be added to Compact and
// ParseCompact, and compactVersion bumped.
func TestCompactFields(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{
		{Record{}, 11}, {Severity{}, 2}, {Affected{}, 4}, {Package{}, 3}, {Range{}, 3}, {Event{}, 4},
	} {
		if got := reflect.TypeOf(c.v).NumField(); got != c.want {
			t.Errorf("%T has %d fields, the compact form knows %d: update Compact, ParseCompact and compactVersion", c.v, got, c.want)
		}
	}
}

func TestParseCompactRefuses(t *testing.T) {
	minimal := (&Record{ID: "GO-1"}).Compact()
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
		if r, ok := ParseCompact([]byte(b)); ok {
			t.Errorf("ParseCompact(%q) = %+v, true; want false", b, r)
		}
	}
	if r, ok := ParseCompact(minimal); !ok || r.ID != "GO-1" {
		t.Errorf("ParseCompact of a minimal current form = %+v, %v", r, ok)
	}
}
