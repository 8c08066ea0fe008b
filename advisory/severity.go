package advisory

import (
	"strings"

	"github.com/csreview/csreview"
	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"
)

// Severity levels, in increasing order of gravity after LevelUnrated.
const (
	LevelUnrated  = csreview.SeverityUnrated
	LevelNone     = csreview.SeverityNone
	LevelLow      = csreview.SeverityLow
	LevelMedium   = csreview.SeverityMedium
	LevelHigh     = csreview.SeverityHigh
	LevelCritical = csreview.SeverityCritical
)

// Severity rates the record: its own CVSS (CVSSRating), else the
// database's own word (DatabaseRating), else LevelUnrated. The level
// comes with the score behind it and the CVSS vector it came from (score
// 0 and no vector for a word).
func (r *Record) Severity() (level csreview.Severity, score float64, vector string) {
	if level, score, vector, ok := r.CVSSRating(); ok {
		return level, score, vector
	}
	level, _ = r.DatabaseRating()
	return level, 0, ""
}

// CVSSRating rates the record by its own CVSS vectors; ok is false when it
// has none that parses.
//
// CVSS v3.x and v4.0 vectors are scored (base score; CVSS v4's CVSS-B) and
// the highest score wins, as osv-scanner's max_severity does, with the
// qualitative scale both versions define (FIRST CVSS v3.1 §5, v4.0 §6):
// 0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical.
// Per-package severities count when the record has no top-level ones.
// Without a v3 or v4 vector, a CVSS v2 vector is scored on NVD's v2 scale
// (low < 4.0 ≤ medium < 7.0 ≤ high).
func (r *Record) CVSSRating() (level csreview.Severity, score float64, vector string, ok bool) {
	sevs := r.severities()
	best := -1.0
	for _, s := range sevs {
		sc, ok := cvssScore(s)
		if ok && sc > best {
			best, vector = sc, s.Score
		}
	}
	if best >= 0 {
		return cvssLevel(best), best, vector, true
	}
	for _, s := range sevs {
		if s.Type != "CVSS_V2" {
			continue
		}
		if v, err := gocvss20.ParseVector(s.Score); err == nil && v.BaseScore() > best {
			best, vector = v.BaseScore(), s.Score
		}
	}
	if best < 0 {
		return LevelUnrated, 0, "", false
	}
	switch {
	case best >= 7:
		level = LevelHigh
	case best >= 4:
		level = LevelMedium
	default:
		level = LevelLow
	}
	return level, best, vector, true
}

// DatabaseRating is the rating the database gives in its own words,
// without a score: an "Ubuntu" severity entry, else the record's
// database_specific.severity (GitHub's "MODERATE" is medium). It returns
// LevelUnrated and "" when there is none, or none this package knows.
func (r *Record) DatabaseRating() (level csreview.Severity, word string) {
	for _, s := range r.severities() {
		if s.Type == "Ubuntu" {
			if l := wordLevel(s.Score); l != LevelUnrated {
				return l, s.Score
			}
		}
	}
	if l := wordLevel(r.DatabaseSeverity); l != LevelUnrated {
		return l, r.DatabaseSeverity
	}
	return LevelUnrated, ""
}

// severities are the record's top-level severities, or its packages' when
// it has none.
func (r *Record) severities() []Severity {
	if len(r.Severities) > 0 {
		return r.Severities
	}
	var sevs []Severity
	for _, a := range r.Affected {
		sevs = append(sevs, a.Severities...)
	}
	return sevs
}

// Database names the database a record comes from by its ID's prefix
// (GHSA: the GitHub Advisory Database, GO: the Go vulnerability database,
// PYSEC: the PyPI advisory database, …), or the prefix itself.
func Database(id string) string {
	prefix, _, _ := strings.Cut(id, "-")
	if name, ok := databases[prefix]; ok {
		return name
	}
	return prefix
}

// databases are the OSV databases by ID prefix (osv-schema's prefix list).
var databases = map[string]string{
	"GHSA": "GitHub Advisory Database", "GO": "Go Vulnerability Database", "PYSEC": "PyPI Advisory Database",
	"RUSTSEC": "RustSec", "OSV": "OSS-Fuzz", "DSA": "Debian Security Advisories", "DLA": "Debian LTS Advisories",
	"DTSA": "Debian Testing Security Advisories", "USN": "Ubuntu Security Notices", "UBUNTU": "Ubuntu CVE Tracker",
	"ALSA": "AlmaLinux Security Advisories", "RLSA": "Rocky Linux Security Advisories", "RHSA": "Red Hat Security Advisories",
	"MAL": "OpenSSF Malicious Packages", "BIT": "Bitnami Vulnerability Database", "CURL": "curl CVEs",
	"PSF": "Python Software Foundation", "RSEC": "R Consortium", "GSD": "Global Security Database",
	"CGA": "Chainguard", "MGASA": "Mageia Security Advisories", "SUSE": "SUSE Security", "openSUSE": "openSUSE Security",
	"ALPINE": "Alpine SecDB", "HSEC": "Haskell Security", "LBSEC": "LoopBack", "CVE": "CVE",
}

// cvssScore scores a CVSS v3.0, v3.1 or v4.0 vector.
func cvssScore(s Severity) (float64, bool) {
	switch {
	case s.Type == "CVSS_V3" && strings.HasPrefix(s.Score, "CVSS:3.1/"):
		if v, err := gocvss31.ParseVector(s.Score); err == nil {
			return v.BaseScore(), true
		}
	case s.Type == "CVSS_V3" && strings.HasPrefix(s.Score, "CVSS:3.0/"):
		if v, err := gocvss30.ParseVector(s.Score); err == nil {
			return v.BaseScore(), true
		}
	case s.Type == "CVSS_V4":
		if v, err := gocvss40.ParseVector(s.Score); err == nil {
			return v.Score(), true
		}
	}
	return 0, false
}

func cvssLevel(score float64) csreview.Severity {
	switch {
	case score >= 9.0:
		return LevelCritical
	case score >= 7.0:
		return LevelHigh
	case score >= 4.0:
		return LevelMedium
	case score > 0:
		return LevelLow
	}
	return LevelNone
}

// wordLevel maps the ratings databases write (GitHub: LOW, MODERATE, HIGH,
// CRITICAL; Red Hat: important; Debian and Ubuntu: negligible, unimportant)
// to a level, LevelUnrated when unknown.
func wordLevel(s string) csreview.Severity {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return LevelCritical
	case "high", "important":
		return LevelHigh
	case "moderate", "medium":
		return LevelMedium
	case "low", "negligible", "unimportant":
		return LevelLow
	case "none":
		return LevelNone
	}
	return LevelUnrated
}
