package split

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
)

// TestClosingQuote holds closingQuote, which skips to a quote and counts
// the backslashes before it, to the byte-by-byte reading of a string, on
// every string of up to ten bytes of a, \ and ".
func TestClosingQuote(t *testing.T) {
	var walk func(data []byte)
	walk = func(data []byte) {
		want := -1
		for i := 0; i < len(data); i++ {
			if data[i] == '\\' {
				i++
				continue
			}
			if data[i] == '"' {
				want = i
				break
			}
		}
		if got := closingQuote(data, 0); got != want {
			t.Fatalf("closingQuote(%q) = %d, want %d", data, got, want)
		}
		if len(data) < 10 {
			for _, c := range []byte{'a', '\\', '"'} {
				walk(append(data, c))
			}
		}
	}
	walk(nil)
}

// TestScanJSONLimits: the scanner refuses JSON past either limit with the
// error package sbom has always given, wherever in the document.
func TestScanJSONLimits(t *testing.T) {
	for _, c := range []struct {
		name, data    string
		depth, comps  int
		code, message string
	}{
		{"depth", "{\"a\":\n  [[[1]]]}", 3, 100, csreview.EINVALID, "JSON nested deeper than the limit of 3 levels at line 2, column 5"},
		{"depth in a string is not depth", `{"a":"[[[[[[","b":[1]}`, 3, 100, "", ""},
		{"containers", `{"a":[` + strings.Repeat("{},", 64) + `{}]}`, 10, 2, csreview.ETOOLARGE, "the SBOM has more than 64 JSON objects and arrays, the limit for 2 components"},
		{"containers at the limit", `{"a":[` + strings.Repeat("{},", 61) + `{}]}`, 10, 2, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ScanJSON([]byte(c.data), c.depth, c.comps)
			if c.message == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := csreview.AsError(err)
			if e == nil || e.Code != c.code || e.Message != c.message {
				t.Fatalf("got %#v, want %s %q", err, c.code, c.message)
			}
		})
	}
}
