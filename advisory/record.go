// Package advisory reads OSV vulnerability records (https://ossf.github.io/osv-schema/)
// from a file, a directory or an OSV per-ecosystem all.zip, and decides which
// package versions they affect, with each ecosystem's own version ordering.
//
// Records are parsed with the OSV schema's own Go bindings
// (github.com/ossf/osv-schema/bindings/go/osvschema) and kept as a Record:
// what matching, severity and grouping need, plus the record's raw JSON.
// Versions are ordered by osv-scalibr's semantic package, the same code
// osv-scanner uses, so that csreview and osv-scanner agree on what "before
// the fix" means in every ecosystem.
package advisory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/csreview/csreview"
)

// DetailsExcerptBytes bounds Record.Details: the full text stays in Raw.
const DetailsExcerptBytes = 2048

// Record is one OSV record: what csreview needs to match it against
// components, rate it and group it with the same vulnerability from other
// databases, plus the record as it was read.
type Record struct {
	ID string
	// Modified is required, but may be the zero time: the Go vulnerability
	// database's repository copies say 0001-01-01T00:00:00Z.
	Modified  time.Time
	Published time.Time // zero when the record does not say
	// Withdrawn is when the record was withdrawn; zero when it stands. A
	// withdrawn record never affects anything.
	Withdrawn time.Time
	Aliases   []string
	Summary   string
	// Details is the start of the record's details (at most
	// DetailsExcerptBytes, cut at a character boundary, "…" appended when cut).
	Details string
	// Severities are the record's top-level severity entries.
	Severities []Severity
	// DatabaseSeverity is database_specific.severity as written ("HIGH",
	// "MODERATE"…), "" when absent. GitHub and others put their own rating
	// there.
	DatabaseSeverity string
	Affected         []Affected
	// Raw is the whole record as read.
	Raw json.RawMessage
}

// Severity is one entry of an OSV severity list.
type Severity struct {
	Type  string // "CVSS_V3", "CVSS_V4", "CVSS_V2", "Ubuntu"
	Score string // a CVSS vector, or a rating for "Ubuntu"
}

// Affected is one entry of a record's affected list: a package and the
// versions of it that are vulnerable.
type Affected struct {
	Package  Package // zero for entries that only name a Git repository
	Ranges   []Range
	Versions []string
	// Severities are per-package severity entries (schema 1.5+); a record
	// has them or top-level ones, not both.
	Severities []Severity
}

// Package names a package in an OSV ecosystem.
type Package struct {
	Ecosystem string // "Go", "PyPI", "Debian:11"…
	Name      string
	PURL      string
}

// Range types.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// Range is an affected range: a timeline of events in one ordering.
type Range struct {
	Type   string // RangeSemver, RangeEcosystem, RangeGit, or "" for a type this schema version does not know
	Repo   string // for GIT ranges
	Events []Event
}

// Event is one event of a range: exactly one field is set. Introduced "0"
// means before every version; a Limit containing "*" means no limit.
type Event struct {
	Introduced   string
	Fixed        string
	LastAffected string
	Limit        string
}

// IsWithdrawn reports whether the record has been withdrawn.
func (r *Record) IsWithdrawn() bool { return !r.Withdrawn.IsZero() }

var unmarshalOptions = protojson.UnmarshalOptions{
	// New schema versions add fields; a record must not be refused for them.
	DiscardUnknown: true,
}

// ParseRecord parses one OSV record (JSON). The record must have an id and a
// modified time, each affected package an ecosystem and a name, each range at
// least one event and each event exactly one of introduced, fixed,
// last_affected and limit. Errors are *csreview.Error with code EINVALID;
// Fields names the offending field (a JSON path such as
// "affected[0].ranges[1].events[0]") and the message says what is wrong.
func ParseRecord(b []byte) (*Record, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, invalid("record", "required", "the OSV record is empty")
	}
	var v osvpb.Vulnerability
	if err := unmarshalOptions.Unmarshal(b, &v); err != nil {
		return nil, protojsonError(b, err)
	}
	r := &Record{
		ID:      v.GetId(),
		Aliases: v.GetAliases(),
		Summary: v.GetSummary(),
		Details: excerpt(v.GetDetails(), DetailsExcerptBytes),
		Raw:     json.RawMessage(append([]byte(nil), b...)),
	}
	if r.ID == "" {
		return nil, invalid("id", "required", "the OSV record has no id")
	}
	if v.GetModified() == nil {
		return nil, invalid("modified", "required", "OSV record %s has no modified time", r.ID)
	}
	r.Modified = v.GetModified().AsTime()
	if v.GetPublished() != nil {
		r.Published = v.GetPublished().AsTime()
	}
	if v.GetWithdrawn() != nil {
		r.Withdrawn = v.GetWithdrawn().AsTime()
	}
	r.Severities = severities(v.GetSeverity())
	if ds := v.GetDatabaseSpecific().GetFields()["severity"]; ds != nil {
		r.DatabaseSeverity = ds.GetStringValue()
	}
	for i, a := range v.GetAffected() {
		field := fmt.Sprintf("affected[%d]", i)
		aff := Affected{
			Versions:   a.GetVersions(),
			Severities: severities(a.GetSeverity()),
		}
		if p := a.GetPackage(); p != nil {
			aff.Package = Package{Ecosystem: p.GetEcosystem(), Name: p.GetName(), PURL: p.GetPurl()}
			if aff.Package.Ecosystem == "" {
				return nil, invalid(field+".package.ecosystem", "required", "OSV record %s: %s.package has no ecosystem", r.ID, field)
			}
			if aff.Package.Name == "" {
				return nil, invalid(field+".package.name", "required", "OSV record %s: %s.package has no name", r.ID, field)
			}
		}
		for j, rg := range a.GetRanges() {
			field := fmt.Sprintf("%s.ranges[%d]", field, j)
			out := Range{Repo: rg.GetRepo()}
			switch rg.GetType() {
			case osvpb.Range_SEMVER:
				out.Type = RangeSemver
			case osvpb.Range_ECOSYSTEM:
				out.Type = RangeEcosystem
			case osvpb.Range_GIT:
				out.Type = RangeGit
			}
			if len(rg.GetEvents()) == 0 {
				return nil, invalid(field+".events", "required", "OSV record %s: %s has no events", r.ID, field)
			}
			for k, e := range rg.GetEvents() {
				ev := Event{
					Introduced:   e.GetIntroduced(),
					Fixed:        e.GetFixed(),
					LastAffected: e.GetLastAffected(),
					Limit:        e.GetLimit(),
				}
				if n := ev.count(); n != 1 {
					return nil, invalid(fmt.Sprintf("%s.events[%d]", field, k), "one_of",
						"OSV record %s: %s.events[%d] must have exactly one of introduced, fixed, last_affected, limit (has %d)", r.ID, field, k, n)
				}
				out.Events = append(out.Events, ev)
			}
			aff.Ranges = append(aff.Ranges, out)
		}
		r.Affected = append(r.Affected, aff)
	}
	return r, nil
}

func (e Event) count() int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}

func severities(in []*osvpb.Severity) []Severity {
	var out []Severity
	for _, s := range in {
		t := s.GetType().String()
		if s.GetType() == osvpb.Severity_UNSPECIFIED {
			t = ""
		}
		out = append(out, Severity{Type: t, Score: s.GetScore()})
	}
	return out
}

// excerpt cuts s to at most max bytes at a character boundary.
func excerpt(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "…"
	cut := max - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + ellipsis
}

func invalid(field, rule, format string, args ...any) *csreview.Error {
	return &csreview.Error{
		Code:    csreview.EINVALID,
		Message: fmt.Sprintf(format, args...),
		Fields:  []csreview.FieldError{{Field: field, Rule: rule}},
	}
}

var (
	// protojson's messages: "proto: (line 3:9): invalid value for string
	// field id: 5", "proto: syntax error (line 1:2): unexpected token".
	// protobuf randomises the space after "proto:" so nobody matches on
	// it; only the text after the prefix is used here.
	protoFieldRE     = regexp.MustCompile(`field ([A-Za-z_][A-Za-z0-9_]*)`)
	protoTimestampRE = regexp.MustCompile(`invalid google\.protobuf\.Timestamp value (".*")`)
	protoPosRE       = regexp.MustCompile(`\(line (\d+):(\d+)\)`)
	keyBeforeRE      = regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*$`)
)

// offsetOf turns protojson's 1-based line and column (in characters) into
// a byte offset of b.
func offsetOf(b []byte, line, col int) int {
	off := 0
	for l := 1; l < line && off < len(b); off++ {
		if b[off] == '\n' {
			l++
		}
	}
	for c := 1; c < col && off < len(b); c++ {
		_, n := utf8.DecodeRune(b[off:])
		off += n
	}
	return off
}

// keyBefore returns the object key just before offset, if any.
func keyBefore(b []byte, offset int) string {
	start := max(0, offset-256)
	if m := keyBeforeRE.FindSubmatch(b[start:offset]); m != nil {
		return string(m[1])
	}
	return ""
}

// protojsonError turns a protojson error into an EINVALID *csreview.Error
// naming the field when protojson's message allows.
func protojsonError(b []byte, err error) *csreview.Error {
	msg := err.Error()
	if i := strings.Index(msg, "proto:"); i >= 0 {
		msg = strings.TrimSpace(strings.TrimLeftFunc(msg[i+len("proto:"):], func(r rune) bool { return r == ' ' || r == '\u00a0' }))
	}
	field := "record"
	switch {
	case protoTimestampRE.MatchString(msg):
		field = timestampField(b, protoTimestampRE.FindStringSubmatch(msg)[1])
	case protoFieldRE.MatchString(msg):
		field = snakeCase(protoFieldRE.FindStringSubmatch(msg)[1])
	case strings.HasPrefix(msg, "syntax error"):
		// A value of the wrong kind ("aliases": "CVE-1") is a syntax error
		// to protojson; the key just before it names the field.
		if m := protoPosRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			col, _ := strconv.Atoi(m[2])
			if k := keyBefore(b, offsetOf(b, line, col)); k != "" {
				field = k
			}
		}
	}
	return invalid(field, "invalid", "the OSV record is not valid: %s", msg)
}

// timestampField says which of the record's timestamps holds raw (a JSON
// string as protojson quotes it).
func timestampField(b []byte, raw string) string {
	var ts struct {
		Modified, Published, Withdrawn json.RawMessage
	}
	if json.Unmarshal(b, &ts) == nil {
		for _, f := range []struct {
			name string
			v    json.RawMessage
		}{{"modified", ts.Modified}, {"published", ts.Published}, {"withdrawn", ts.Withdrawn}} {
			if string(f.v) == raw {
				return f.name
			}
		}
	}
	return "timestamp"
}

// snakeCase maps protojson's JSON names (lastAffected) back to the OSV
// field names (last_affected).
func snakeCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
