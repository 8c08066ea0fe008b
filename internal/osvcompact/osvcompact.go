// Package osvcompact is the compact form of an advisory.Record: the
// parsed record in a binary layout of csreview's own, which the store
// keeps beside the OSV JSON. An assessment against the store reads a
// hundred or more records per SBOM; reading them back from this form
// costs about a microsecond each, where parsing the OSV JSON through the
// schema's protobuf bindings (advisory.ParseRecord) costs tens, and
// reading the same fields back from JSON cost a dozen.
//
// The compact form is a fast path, and stays only while it keeps its
// bound, measured against the plain path on the same records in the same
// run (bench_test.go; bench/fastpaths.sh takes the median of 5 runs):
// reading the 6,976 records of the shared OSV test data back from their
// compact forms takes at most 0.15× the time of parsing them from their
// OSV JSON with advisory.ParseRecord. On a shared 2-core machine the
// median was 0.034× (1.1 µs a record against 34 µs), 0.033× with one core
// kept busy by another process, 0.038× with both, and 0.05× on one core
// (GOMAXPROCS=1). When the bound fails, the form goes: the store reads
// each record from its OSV JSON, as it already does one stored without a
// current form, and a migration drops the stored forms.
//
// Layout: the version (a uvarint), then the fields of advisory.Record in
// order, Raw left out. A string is its length (uvarint) and its bytes; a
// time is 0 for the zero time, or 1, the Unix seconds (varint) and the
// nanoseconds (uvarint), read back in UTC as advisory.ParseRecord gives
// them; a slice is 0 for nil, or its length plus one, and its elements.
package osvcompact

import (
	"encoding/binary"
	"time"

	"github.com/csreview/csreview/advisory"
)

// compactVersion numbers the layout Encode writes; Decode refuses a form
// of another version. Bump it whenever advisory.Record or a type in it
// changes shape (TestCompactFields counts their fields), with a migration
// that drops the stored forms, as sqlstore's 0010 does: records without
// one are read from their OSV JSON until the next import writes them.
const compactVersion = 2

// Encode returns the record's compact form.
func Encode(r *advisory.Record) []byte {
	w := &writer{}
	w.uint(compactVersion)
	w.string(r.ID)
	w.time(r.Modified)
	w.time(r.Published)
	w.time(r.Withdrawn)
	writeList(w, r.Aliases, w.string)
	w.string(r.Summary)
	w.string(r.Details)
	writeList(w, r.Severities, w.severity)
	w.string(r.DatabaseSeverity)
	writeList(w, r.Affected, func(a advisory.Affected) {
		w.string(a.Package.Ecosystem)
		w.string(a.Package.Name)
		w.string(a.Package.PURL)
		writeList(w, a.Ranges, func(rg advisory.Range) {
			w.string(rg.Type)
			w.string(rg.Repo)
			writeList(w, rg.Events, func(e advisory.Event) {
				w.string(e.Introduced)
				w.string(e.Fixed)
				w.string(e.LastAffected)
				w.string(e.Limit)
			})
		})
		writeList(w, a.Versions, w.string)
		writeList(w, a.Severities, w.severity)
	})
	return w.b
}

// IsCurrent reports whether b starts as a compact form of the current
// layout does: its first byte is the layout's version (a uvarint below
// 128 is one byte). The store reads only that byte to tell a form it must
// rewrite.
func IsCurrent(b []byte) bool { return len(b) > 0 && b[0] == compactVersion }

// Decode reads what Encode wrote. It reports false when b is not a
// compact form of the current version (written by an older csreview,
// damaged, or empty): the caller then parses the OSV JSON. The record's
// Raw is nil.
func Decode(b []byte) (*advisory.Record, bool) {
	rd := &reader{s: string(b)} // one copy; the record's strings share it
	if rd.uint() != compactVersion {
		return nil, false
	}
	r := &advisory.Record{}
	r.ID = rd.string()
	r.Modified = rd.time()
	r.Published = rd.time()
	r.Withdrawn = rd.time()
	r.Aliases = readList(rd, rd.string)
	r.Summary = rd.string()
	r.Details = rd.string()
	r.Severities = readList(rd, rd.severity)
	r.DatabaseSeverity = rd.string()
	r.Affected = readList(rd, func() advisory.Affected {
		return advisory.Affected{
			Package: advisory.Package{Ecosystem: rd.string(), Name: rd.string(), PURL: rd.string()},
			Ranges: readList(rd, func() advisory.Range {
				return advisory.Range{Type: rd.string(), Repo: rd.string(), Events: readList(rd, func() advisory.Event {
					return advisory.Event{Introduced: rd.string(), Fixed: rd.string(), LastAffected: rd.string(), Limit: rd.string()}
				})}
			}),
			Versions:   readList(rd, rd.string),
			Severities: readList(rd, rd.severity),
		}
	})
	if rd.bad || rd.i != len(rd.s) || r.ID == "" {
		return nil, false
	}
	return r, true
}

type writer struct{ b []byte }

func (w *writer) uint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }

func (w *writer) string(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *writer) severity(s advisory.Severity) {
	w.string(s.Type)
	w.string(s.Score)
}

// writeList writes a slice: 0 for nil, else its length plus one, then its
// elements.
func writeList[T any](w *writer, list []T, write func(T)) {
	if list == nil {
		w.uint(0)
		return
	}
	w.uint(uint64(len(list)) + 1)
	for _, e := range list {
		write(e)
	}
}

func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.uint(0)
		return
	}
	w.uint(1)
	w.b = binary.AppendVarint(w.b, t.Unix())
	w.uint(uint64(t.Nanosecond()))
}

// reader reads a compact form. A read past the end or a length
// that cannot fit sets bad and returns zero values, so that a damaged
// form is refused after the reading, never allocating more than its size.
type reader struct {
	s   string
	i   int
	bad bool
}

func (r *reader) uint() uint64 {
	if r.bad {
		return 0
	}
	var n uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.i >= len(r.s) {
			break
		}
		c := r.s[r.i]
		r.i++
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	r.bad = true
	return 0
}

func (r *reader) string() string {
	n := r.uint()
	if r.bad || n > uint64(len(r.s)-r.i) {
		r.bad = true
		return ""
	}
	s := r.s[r.i : r.i+int(n)]
	r.i += int(n)
	return s
}

// len reads a slice's length: ok is false for a nil slice. Each element
// takes at least one byte, so a length beyond what is left is damage.
func (r *reader) len() (n int, ok bool) {
	v := r.uint()
	if r.bad || v == 0 {
		return 0, false
	}
	if v-1 > uint64(len(r.s)-r.i) {
		r.bad = true
		return 0, false
	}
	return int(v - 1), true
}

func (r *reader) severity() advisory.Severity {
	return advisory.Severity{Type: r.string(), Score: r.string()}
}

// readList reads a slice written by writeList.
func readList[T any](r *reader, read func() T) []T {
	n, ok := r.len()
	if !ok {
		return nil
	}
	list := make([]T, n)
	for i := range list {
		list[i] = read()
	}
	return list
}

func (r *reader) time() time.Time {
	switch r.uint() {
	case 0:
		return time.Time{}
	case 1:
	default:
		r.bad = true
		return time.Time{}
	}
	sec := r.varint()
	nsec := r.uint()
	if r.bad || nsec >= 1e9 {
		r.bad = true
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *reader) varint() int64 {
	u := r.uint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}
