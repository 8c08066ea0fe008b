package advisory

import (
	"reflect"
	"testing"
)

// TestCompactRoundTrip reads back every record of the shared test data
// from its compact form and finds it equal to the record parsed from the
// OSV JSON, Raw aside.
func TestCompactRoundTrip(t *testing.T) {
	c := loadCorpus(t)
	n := 0
	for _, r := range c.byID {
		b, err := r.Compact()
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		got, ok := ParseCompact(b)
		if !ok {
			t.Fatalf("%s: its compact form is not read back: %s", r.ID, b)
		}
		want := *r
		want.Raw = nil
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("%s: read back differs\n got %+v\nwant %+v", r.ID, *got, want)
		}
		n++
	}
	if n < 6000 {
		t.Fatalf("only %d records checked", n)
	}
}

func TestParseCompactRefuses(t *testing.T) {
	for _, b := range []string{"", "{", `{"v":0,"ID":"GO-1"}`, `{"v":2,"ID":"GO-1"}`, `{"v":1}`, `{"ID":"GO-1"}`, `[1]`} {
		if r, ok := ParseCompact([]byte(b)); ok {
			t.Errorf("ParseCompact(%q) = %+v, true; want false", b, r)
		}
	}
	if r, ok := ParseCompact([]byte(`{"v":1,"ID":"GO-1"}`)); !ok || r.ID != "GO-1" {
		t.Errorf("ParseCompact of a minimal current form = %+v, %v", r, ok)
	}
}
