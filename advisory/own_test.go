package advisory

import (
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/testenv"
)

// TestOwnFixtures walks the project's own OSV fixtures: every record reads,
// each rates as its file says, the withdrawn one affects nothing, and the
// ranges and the explicit version list match as written.
func TestOwnFixtures(t *testing.T) {
	t.Parallel()
	recs := map[string]*Record{}
	if err := Walk(testenv.Own("osv"), Limits{}, func(r *Record, _ string) error {
		recs[r.ID] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("records: %d, want 5", len(recs))
	}
	for id, want := range map[string]csreview.Severity{
		"CSR-TEST-2026-0001": LevelHigh, "CSR-TEST-2026-0002": LevelUnrated, "CSR-TEST-2026-0003": LevelCritical,
		"CSR-TEST-2026-0004": LevelMedium, "CSR-TEST-2026-0005": LevelCritical,
	} {
		if got, _, _ := recs[id].Severity(); got != want {
			t.Errorf("%s rates %q, want %q", id, got, want)
		}
	}
	for _, tc := range []struct {
		id, eco, name, version string
		want                   bool
	}{
		{"CSR-TEST-2026-0001", "npm", "fixture-http", "1.2.0", true},
		{"CSR-TEST-2026-0001", "npm", "fixture-http", "1.3.0", false},
		{"CSR-TEST-2026-0002", "npm", "fixture-json", "1.9.9", false},
		{"CSR-TEST-2026-0002", "npm", "fixture-json", "2.0.1", true},
		{"CSR-TEST-2026-0004", "Maven", "org.example.fixture:fixture-xml", "1.0.0", true},
		{"CSR-TEST-2026-0004", "Maven", "org.example.fixture:fixture-xml", "1.0.1", false},
		{"CSR-TEST-2026-0005", "npm", "fixture-util", "3.1.0", false}, // withdrawn
	} {
		got, err := Affects(recs[tc.id], tc.eco, tc.name, tc.version)
		if err != nil || got != tc.want {
			t.Errorf("%s affects %s %s: %v (%v), want %v", tc.id, tc.name, tc.version, got, err, tc.want)
		}
	}
}
