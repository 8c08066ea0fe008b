package ui

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestICSFold: no folded line is longer than 75 octets, none splits a
// character, and unfolding gives the line back.
func TestICSFold(t *testing.T) {
	t.Parallel()
	in := "SUMMARY:" + strings.Repeat("网络安全审查时限到期", 8) + " CSR-2026-0006"
	out := icsFold(in)
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("folded line of %d octets, valid %v: %q", len(l), utf8.ValidString(l), l)
		}
	}
	if got := strings.ReplaceAll(out, "\r\n ", ""); got != in {
		t.Errorf("unfolded: %q, want %q", got, in)
	}
	if short := "DTSTART;VALUE=DATE:20261221"; icsFold(short) != short {
		t.Error("a short line was folded")
	}
}
