package assess

import (
	"testing"

	"github.com/csreview/csreview"
)

// FuzzParseVEX: any input gives statements or a csreview error, never a
// panic, and every statement names a vulnerability and a known status.
func FuzzParseVEX(f *testing.F) {
	f.Add([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example/vex/1","author":"supplier",
		"timestamp":"2026-01-01T00:00:00Z","version":1,"statements":[{"vulnerability":{"name":"CVE-2022-23529"},
		"products":[{"@id":"pkg:npm/jsonwebtoken"}],"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]}`))
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[{"id":"CVE-2021-44228",
		"analysis":{"state":"not_affected","justification":"code_not_reachable"},"affects":[{"ref":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}]}`))
	f.Add([]byte(`<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"><vulnerabilities><vulnerability><id>CVE-1</id>` +
		`<analysis><state>fixed</state></analysis><affects><target><ref>pkg:npm/a@1</ref></target></affects></vulnerability></vulnerabilities></bom>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><bom/>`))
	f.Add([]byte(`{"statements":[{}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseVEX(b, "fuzz.vex")
		if err != nil {
			if csreview.AsError(err) == nil {
				t.Fatalf("not a csreview error: %v", err)
			}
			return
		}
		for _, s := range st {
			if len(s.Vulnerabilities) == 0 {
				t.Fatalf("statement without a vulnerability: %+v", s)
			}
			switch s.Status {
			case VEXNotAffected, VEXFixed, VEXAffected, VEXUnderInvestigation:
			default:
				t.Fatalf("statement with status %q", s.Status)
			}
		}
	})
}
