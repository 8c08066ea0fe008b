package advisory

import (
	"github.com/csreview/csreview"
	"testing"
)

func TestSeverity(t *testing.T) {
	t.Parallel()
	const (
		v31Critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"                    // 9.8
		v31Medium   = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L"                    // 5.6
		v30High     = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"                    // 7.5
		v31None     = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"                    // 0.0
		v31Low      = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"                    // 1.8
		v4Critical  = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" // 9.3
		v2High      = "AV:N/AC:L/Au:N/C:P/I:P/A:P"                                      // 7.5
	)
	for _, tc := range []struct {
		name   string
		r      Record
		level  csreview.Severity
		score  float64
		vector string
	}{
		{"CVSS31", Record{Severities: []Severity{{"CVSS_V3", v31Critical}}}, LevelCritical, 9.8, v31Critical},
		{"CVSS31Medium", Record{Severities: []Severity{{"CVSS_V3", v31Medium}}}, LevelMedium, 5.6, v31Medium},
		{"CVSS30", Record{Severities: []Severity{{"CVSS_V3", v30High}}}, LevelHigh, 7.5, v30High},
		{"CVSS31Low", Record{Severities: []Severity{{"CVSS_V3", v31Low}}}, LevelLow, 1.8, v31Low},
		{"CVSS31None", Record{Severities: []Severity{{"CVSS_V3", v31None}}}, LevelNone, 0, v31None},
		{"CVSS4", Record{Severities: []Severity{{"CVSS_V4", v4Critical}}}, LevelCritical, 9.3, v4Critical},
		{"HighestWins", Record{Severities: []Severity{{"CVSS_V3", v31Medium}, {"CVSS_V4", v4Critical}}}, LevelCritical, 9.3, v4Critical},
		{"PerPackage", Record{Affected: []Affected{{Severities: []Severity{{"CVSS_V3", v31Medium}}}, {Severities: []Severity{{"CVSS_V3", v30High}}}}}, LevelHigh, 7.5, v30High},
		{"BadVectorSkipped", Record{Severities: []Severity{{"CVSS_V3", "CVSS:3.1/AV:X"}, {"CVSS_V3", v31Medium}}}, LevelMedium, 5.6, v31Medium},
		{"WrongTypeSkipped", Record{Severities: []Severity{{"CVSS_V4", v31Critical}}, DatabaseSeverity: "LOW"}, LevelLow, 0, ""},
		{"CVSS2", Record{Severities: []Severity{{"CVSS_V2", v2High}}}, LevelHigh, 7.5, v2High},
		{"CVSS3OverCVSS2", Record{Severities: []Severity{{"CVSS_V2", v2High}, {"CVSS_V3", v31Medium}}}, LevelMedium, 5.6, v31Medium},
		{"Ubuntu", Record{Severities: []Severity{{"Ubuntu", "high"}}}, LevelHigh, 0, ""},
		{"GitHubModerate", Record{DatabaseSeverity: "MODERATE"}, LevelMedium, 0, ""},
		{"GitHubCritical", Record{DatabaseSeverity: "CRITICAL"}, LevelCritical, 0, ""},
		{"LowerCase", Record{DatabaseSeverity: "moderate"}, LevelMedium, 0, ""},
		{"Unknown", Record{DatabaseSeverity: "spicy"}, LevelUnrated, 0, ""},
		{"Nothing", Record{}, LevelUnrated, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			level, score, vector := tc.r.Severity()
			if level != tc.level || score != tc.score || vector != tc.vector {
				t.Fatalf("got %q %v %q, want %q %v %q", level, score, vector, tc.level, tc.score, tc.vector)
			}
		})
	}
}

// TestSeverityTestdata: the scores of real records, as osv-scanner's
// max_severity gives them.
func TestSeverityTestdata(t *testing.T) {
	t.Parallel()
	c := loadCorpus(t)
	for _, tc := range []struct {
		id    string
		level csreview.Severity
		score float64
	}{
		{"GHSA-vh95-rmgr-6w4m", LevelMedium, 5.6},   // peer: max_severity 5.6
		{"GHSA-xvch-5gv4-984h", LevelCritical, 9.8}, // peer: max_severity 9.8
		{"GHSA-gwrp-pvrq-jmwv", LevelMedium, 4.8},
		{"GO-2025-4188", LevelUnrated, 0}, // the Go database rates nothing
	} {
		t.Run(tc.id, func(t *testing.T) {
			r := c.byID[tc.id]
			if r == nil {
				t.Fatalf("%s not in the test data", tc.id)
			}
			level, score, _ := r.Severity()
			if level != tc.level || score != tc.score {
				t.Fatalf("got %q %v, want %q %v", level, score, tc.level, tc.score)
			}
		})
	}
	// Every record rates to a known level or to unrated without panicking.
	levels := map[csreview.Severity]int{}
	for _, r := range c.byID {
		level, _, _ := r.Severity()
		levels[level]++
	}
	for l := range levels {
		switch l {
		case LevelUnrated, LevelNone, LevelLow, LevelMedium, LevelHigh, LevelCritical:
		default:
			t.Errorf("level %q", l)
		}
	}
	t.Logf("levels: %v", levels)
}

// TestRatingSources: CVSSRating reads only the record's vectors, and
// DatabaseRating only the database's words; a record with both has its
// CVSS level from Severity, a word-only record its word's level, and a
// record with neither is unrated by both.
func TestRatingSources(t *testing.T) {
	t.Parallel()
	both := &Record{ID: "GHSA-x", Severities: []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}},
		DatabaseSeverity: "CRITICAL"}
	if l, s, v, ok := both.CVSSRating(); !ok || l != LevelMedium || s != 5.3 || v == "" {
		t.Errorf("CVSSRating: %s %v %q %v", l, s, v, ok)
	}
	if l, w := both.DatabaseRating(); l != LevelCritical || w != "CRITICAL" {
		t.Errorf("DatabaseRating: %s %q", l, w)
	}
	if l, _, _ := both.Severity(); l != LevelMedium {
		t.Errorf("Severity of a record with both: %s, want its CVSS's medium", l)
	}
	word := &Record{ID: "UBUNTU-x", Affected: []Affected{{Severities: []Severity{{Type: "Ubuntu", Score: "medium"}}}}}
	if _, _, _, ok := word.CVSSRating(); ok {
		t.Error("an Ubuntu priority read as CVSS")
	}
	if l, w := word.DatabaseRating(); l != LevelMedium || w != "medium" {
		t.Errorf("Ubuntu priority: %s %q", l, w)
	}
	none := &Record{ID: "GO-x", DatabaseSeverity: "whatever"}
	if l, _, _, ok := none.CVSSRating(); ok || l != LevelUnrated {
		t.Errorf("CVSSRating of none: %s %v", l, ok)
	}
	if l, w := none.DatabaseRating(); l != LevelUnrated || w != "" {
		t.Errorf("DatabaseRating of an unknown word: %s %q", l, w)
	}
	for id, want := range map[string]string{"GHSA-1": "GitHub Advisory Database", "GO-2024-1": "Go Vulnerability Database",
		"PYSEC-1": "PyPI Advisory Database", "CSR-TEST-1": "CSR"} {
		if got := Database(id); got != want {
			t.Errorf("Database(%s) = %q, want %q", id, got, want)
		}
	}
}
