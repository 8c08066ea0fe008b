package advisory

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/csreview/csreview"
)

const fullRecord = `{
  "schema_version": "1.6.0",
  "id": "GHSA-test-0001",
  "modified": "2024-01-02T03:04:05Z",
  "published": "2023-12-31T00:00:00.5Z",
  "withdrawn": "2024-02-01T00:00:00Z",
  "aliases": ["CVE-2024-0001", "GO-2024-0001"],
  "related": ["CVE-2024-9999"],
  "summary": "Test record",
  "details": "Some details.",
  "severity": [
    {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
    {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}
  ],
  "affected": [
    {
      "package": {"ecosystem": "npm", "name": "left-pad", "purl": "pkg:npm/left-pad"},
      "ranges": [
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]},
        {"type": "GIT", "repo": "https://github.com/x/left-pad", "events": [{"introduced": "abc"}, {"limit": "def"}]},
        {"type": "ECOSYSTEM", "events": [{"introduced": "2.0.0"}, {"last_affected": "2.1.0"}]}
      ],
      "versions": ["1.0.0", "1.1.0"],
      "ecosystem_specific": {"affected_functions": ["pad"]}
    },
    {
      "ranges": [{"type": "GIT", "repo": "https://example.com/repo", "events": [{"introduced": "0"}]}]
    }
  ],
  "database_specific": {"severity": "CRITICAL", "cwe_ids": ["CWE-79"]},
  "a_field_from_a_future_schema": {"x": 1}
}`

func TestParseRecord(t *testing.T) {
	t.Parallel()
	r, err := ParseRecord([]byte(fullRecord))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"ID", r.ID, "GHSA-test-0001"},
		{"Modified", r.Modified, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"Published", r.Published, time.Date(2023, 12, 31, 0, 0, 0, 5e8, time.UTC)},
		{"Withdrawn", r.Withdrawn, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)},
		{"IsWithdrawn", r.IsWithdrawn(), true},
		{"Aliases", strings.Join(r.Aliases, ","), "CVE-2024-0001,GO-2024-0001"},
		{"Summary", r.Summary, "Test record"},
		{"Details", r.Details, "Some details."},
		{"Severities", len(r.Severities), 2},
		{"Severity type", r.Severities[1].Type, "CVSS_V4"},
		{"DatabaseSeverity", r.DatabaseSeverity, "CRITICAL"},
		{"Affected", len(r.Affected), 2},
		{"Package", r.Affected[0].Package, Package{Ecosystem: "npm", Name: "left-pad", PURL: "pkg:npm/left-pad"}},
		{"Versions", strings.Join(r.Affected[0].Versions, ","), "1.0.0,1.1.0"},
		{"Range types", r.Affected[0].Ranges[0].Type + r.Affected[0].Ranges[1].Type + r.Affected[0].Ranges[2].Type, "SEMVERGITECOSYSTEM"},
		{"Repo", r.Affected[0].Ranges[1].Repo, "https://github.com/x/left-pad"},
		{"Fixed", r.Affected[0].Ranges[0].Events[1], Event{Fixed: "1.2.0"}},
		{"Limit", r.Affected[0].Ranges[1].Events[1], Event{Limit: "def"}},
		{"LastAffected", r.Affected[0].Ranges[2].Events[1], Event{LastAffected: "2.1.0"}},
		{"Git-only entry", r.Affected[1].Package, Package{}},
		{"Raw", string(r.Raw), fullRecord},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParseRecordMinimal(t *testing.T) {
	t.Parallel()
	r, err := ParseRecord([]byte(`{"id":"X-1","modified":"2024-01-01T00:00:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Published.IsZero() || r.IsWithdrawn() || len(r.Affected) != 0 {
		t.Fatalf("got %+v, want no published, not withdrawn, nothing affected", r)
	}
}

// TestParseRecordRawIsACopy: the record must not alias the caller's buffer,
// which a reader reuses.
func TestParseRecordRawIsACopy(t *testing.T) {
	t.Parallel()
	b := []byte(`{"id":"X-1","modified":"2024-01-01T00:00:00Z"}`)
	r, err := ParseRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	b[7] = 'Y'
	if got, want := string(r.Raw), `{"id":"X-1","modified":"2024-01-01T00:00:00Z"}`; got != want {
		t.Fatalf("Raw = %s, want %s", got, want)
	}
}

func TestParseRecordErrors(t *testing.T) {
	t.Parallel()
	const mod = `"modified":"2024-01-01T00:00:00Z"`
	for _, c := range []struct {
		name, json, field string
	}{
		{"ErrEmpty", ``, "record"},
		{"ErrBlank", " \n ", "record"},
		{"ErrNotJSON", `not json`, "record"},
		{"ErrArray", `[]`, "record"},
		{"ErrTruncated", `{"id":"X-1",` + mod, "record"},
		{"ErrIDRequired", `{` + mod + `}`, "id"},
		{"ErrIDNotString", `{"id":5,` + mod + `}`, "id"},
		{"ErrModifiedRequired", `{"id":"X-1"}`, "modified"},
		{"ErrModifiedBad", `{"id":"X-1","modified":"yesterday"}`, "modified"},
		{"ErrPublishedBad", `{"id":"X-1",` + mod + `,"published":"2024-13-01T00:00:00Z"}`, "published"},
		{"ErrWithdrawnBad", `{"id":"X-1",` + mod + `,"withdrawn":"soon"}`, "withdrawn"},
		{"ErrAliasesNotList", `{"id":"X-1",` + mod + `,"aliases":"CVE-1"}`, "aliases"},
		{"ErrAffectedNotList", `{"id":"X-1",` + mod + `,"affected":{}}`, "affected"},
		{"ErrPackageNameRequired", `{"id":"X-1",` + mod + `,"affected":[{"package":{"ecosystem":"npm"}}]}`, "affected[0].package.name"},
		{"ErrPackageEcosystemRequired", `{"id":"X-1",` + mod + `,"affected":[{"package":{"name":"x"}}]}`, "affected[0].package.ecosystem"},
		{"ErrEventsRequired", `{"id":"X-1",` + mod + `,"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[]}]}]}`, "affected[0].ranges[0].events"},
		{"ErrEventTwoFields", `{"id":"X-1",` + mod + `,"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}`, "affected[0].ranges[0].events[0]"},
		{"ErrEventEmpty", `{"id":"X-1",` + mod + `,"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{}]}]}]}`, "affected[0].ranges[0].events[1]"},
		{"ErrLastAffectedNotString", `{"id":"X-1",` + mod + `,"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"last_affected":1}]}]}]}`, "last_affected"},
		{"ErrDuplicateField", `{"id":"X-1","id":"X-2",` + mod + `}`, "record"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := ParseRecord([]byte(c.json))
			if err == nil {
				t.Fatalf("got %+v, want an error", r)
			}
			e := csreview.AsError(err)
			if e == nil {
				t.Fatalf("got %T %v, want a *csreview.Error", err, err)
			}
			if got, want := e.Code, csreview.EINVALID; got != want {
				t.Fatalf("code: got %v, want %v", got, want)
			}
			if len(e.Fields) != 1 || e.Fields[0].Field != c.field {
				t.Fatalf("fields: got %v, want %s (%v)", e.Fields, c.field, err)
			}
			if strings.Contains(e.Message, "proto:") {
				t.Errorf("message leaks the protobuf prefix: %q", e.Message)
			}
		})
	}
}

// TestParseRecordForwardCompatible: fields and enum values of newer schema
// versions must not make a record unreadable.
func TestParseRecordForwardCompatible(t *testing.T) {
	t.Parallel()
	r, err := ParseRecord([]byte(`{"id":"X-1","modified":"2024-01-01T00:00:00Z","new_field":[1,2],
		"severity":[{"type":"CVSS_V9","score":"x"}],
		"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"QUANTUM","events":[{"introduced":"0"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Affected[0].Ranges[0].Type; got != "" {
		t.Errorf("unknown range type: got %q, want \"\"", got)
	}
	if got, err := Affects(r, "npm", "x", "1.0.0"); got || err != nil {
		t.Errorf("a range of unknown type: Affects = %v, %v; want false, nil", got, err)
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", DetailsExcerptBytes) // 2 bytes each
	got := excerpt(long, DetailsExcerptBytes)
	if len(got) > DetailsExcerptBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Fatalf("excerpt: %d bytes, valid %v, ends %q", len(got), utf8.ValidString(got), got[len(got)-3:])
	}
	if got := excerpt("short", DetailsExcerptBytes); got != "short" {
		t.Fatalf("got %q, want short", got)
	}
	r, err := ParseRecord([]byte(`{"id":"X-1","modified":"2024-01-01T00:00:00Z","details":"` + strings.Repeat("a", 3*DetailsExcerptBytes) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Details) > DetailsExcerptBytes || len(r.Raw) < 3*DetailsExcerptBytes {
		t.Fatalf("Details %d bytes, Raw %d bytes", len(r.Details), len(r.Raw))
	}
}
