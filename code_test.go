package csreview_test

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
)

func TestValidUSCC(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code string
		want bool
	}{
		// A code often cited as an example, and one of the demo data.
		{"91350100M000100Y43", true},
		{"91350100M000100Y44", false},
		{"91110108MA01R7K3XR", true},
		{"9111010" + "8MA01R7K3X", false}, // 17 characters
		{"91110108MA01R7K3XRX", false},    // 19 characters
		{"91110108IA01R7K3XR", false},     // I is not in the character set
		{"", false},
	} {
		if got := csreview.ValidUSCC(tc.code); got != tc.want {
			t.Errorf("ValidUSCC(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
	if got := csreview.USCCCheck("91350100M000100Y4"); got != '3' {
		t.Errorf("USCCCheck = %q, want '3'", got)
	}
}

func TestValidCountry(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]bool{"CN": true, "US": true, "DE": true, "ZW": true, "XX": false,
		"D E": false, "cn": false, "N ": false, "CNN": false, "": false} {
		if got := csreview.ValidCountry(code); got != want {
			t.Errorf("ValidCountry(%q) = %v, want %v", code, got, want)
		}
	}
}

// TestArgon2Defaults holds the default parameters at or above OWASP's
// minimum for argon2id (19 MiB, 2 passes, 1 lane).
func TestArgon2Defaults(t *testing.T) {
	t.Parallel()
	p := csreview.DefaultArgon2
	if p.Memory < 19*1024 || p.Time < 2 || p.Threads < 1 {
		t.Fatalf("argon2id parameters %+v below the OWASP minimum m=19456 KiB, t=2, p=1", p)
	}
	h, err := csreview.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not record the parameters", h)
	}
	if !csreview.CheckPassword(h, "correct horse battery") {
		t.Error("the right password does not match")
	}
	if csreview.CheckPassword(h, "correct horse batterY") {
		t.Error("a wrong password matches")
	}
	if _, err := csreview.HashPassword("short"); csreview.ErrorCode(err) != csreview.EINVALID {
		t.Errorf("short password: got %v, want EINVALID", err)
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA"} {
		if csreview.CheckPassword(bad, "x") {
			t.Errorf("CheckPassword accepted hash %q", bad)
		}
	}
}
