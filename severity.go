package csreview

// Severity is how grave an advisory, a finding, an evidence's risk or an
// alert is. One vocabulary serves them all, so that a level means the same
// thing on every page and in every format.
type Severity string

// Severities. SeverityUnrated is a vulnerability whose records give no
// usable rating: it is not known to be minor, and it is not medium either;
// it needs the assessor's rating. SeverityInfo marks facts for the assessor
// that are not risks by themselves; SeverityNone is a rating of no risk.
const (
	SeverityUnrated  Severity = "unrated"
	SeverityNone     Severity = "none"
	SeverityInfo     Severity = "info"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities are the rated levels of findings, most severe first.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

// Risks are the risk levels an assessor records on evidence, least first.
var Risks = []Severity{SeverityNone, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// Rank orders the rated levels: critical 5, high 4, medium 3, low 2,
// info 1; none, unrated and anything else 0. Unrated ranks with the
// unknown: it is not placed on the scale, and what to do with it is for
// the caller to say.
func (s Severity) Rank() int {
	for i, x := range Severities {
		if x == s {
			return len(Severities) - i
		}
	}
	return 0
}

// Valid reports whether s is one of the severities.
func (s Severity) Valid() bool {
	return s == SeverityUnrated || s == SeverityNone || oneOf(s, Severities)
}

// strs returns xs as strings.
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
