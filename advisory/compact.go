package advisory

import (
	"encoding/binary"
	"time"
)

// The compact form of a record: the parsed Record in a binary layout of
// csreview's own, kept by the store beside the OSV JSON. An assessment
// against the store reads a hundred or more records per SBOM; reading
// them back from this form costs a few microseconds each, where parsing
// the OSV JSON through the schema's protobuf bindings costs tens, and
// reading the same fields back from JSON cost a dozen.
//
// Layout: the version (a uvarint), then the fields of Record in order,
// Raw left out. A string is its length (uvarint) and its bytes; a time is
// 0 for the zero time, or 1, the Unix seconds (varint) and the
// nanoseconds (uvarint), read back in UTC as ParseRecord gives them; a
// slice is 0 for nil, or its length plus one, and its elements.

// compactVersion numbers the layout Compact writes; ParseCompact refuses
// a form of another version. Bump it whenever Record or a type in it
// changes shape (TestCompactFields counts their fields), with a migration
// that drops the stored forms, as sqlstore's 0010 does: records without
// one are read from their OSV JSON until the next import writes them.
const compactVersion = 2

// Compact returns the record's compact form.
func (r *Record) Compact() []byte {
	w := &compactWriter{}
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
	writeList(w, r.Affected, func(a Affected) {
		w.string(a.Package.Ecosystem)
		w.string(a.Package.Name)
		w.string(a.Package.PURL)
		writeList(w, a.Ranges, func(rg Range) {
			w.string(rg.Type)
			w.string(rg.Repo)
			writeList(w, rg.Events, func(e Event) {
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

// IsCompact reports whether b starts as a compact form of the current
// layout does: its first byte is the layout's version (a uvarint below
// 128 is one byte).
func IsCompact(b []byte) bool { return len(b) > 0 && b[0] == compactVersion }

// ParseCompact reads what Compact wrote. It reports false when b is not a
// compact form of the current version (written by an older csreview,
// damaged, or empty): the caller then parses the OSV JSON. The record's
// Raw is nil.
func ParseCompact(b []byte) (*Record, bool) {
	rd := &compactReader{s: string(b)} // one copy; the record's strings share it
	if rd.uint() != compactVersion {
		return nil, false
	}
	r := &Record{}
	r.ID = rd.string()
	r.Modified = rd.time()
	r.Published = rd.time()
	r.Withdrawn = rd.time()
	r.Aliases = readList(rd, rd.string)
	r.Summary = rd.string()
	r.Details = rd.string()
	r.Severities = readList(rd, rd.severity)
	r.DatabaseSeverity = rd.string()
	r.Affected = readList(rd, func() Affected {
		return Affected{
			Package: Package{Ecosystem: rd.string(), Name: rd.string(), PURL: rd.string()},
			Ranges: readList(rd, func() Range {
				return Range{Type: rd.string(), Repo: rd.string(), Events: readList(rd, func() Event {
					return Event{Introduced: rd.string(), Fixed: rd.string(), LastAffected: rd.string(), Limit: rd.string()}
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

type compactWriter struct{ b []byte }

func (w *compactWriter) uint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }

func (w *compactWriter) string(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *compactWriter) severity(s Severity) {
	w.string(s.Type)
	w.string(s.Score)
}

// writeList writes a slice: 0 for nil, else its length plus one, then its
// elements.
func writeList[T any](w *compactWriter, list []T, write func(T)) {
	if list == nil {
		w.uint(0)
		return
	}
	w.uint(uint64(len(list)) + 1)
	for _, e := range list {
		write(e)
	}
}

func (w *compactWriter) time(t time.Time) {
	if t.IsZero() {
		w.uint(0)
		return
	}
	w.uint(1)
	w.b = binary.AppendVarint(w.b, t.Unix())
	w.uint(uint64(t.Nanosecond()))
}

// compactReader reads a compact form. A read past the end or a length
// that cannot fit sets bad and returns zero values, so that a damaged
// form is refused after the reading, never allocating more than its size.
type compactReader struct {
	s   string
	i   int
	bad bool
}

func (r *compactReader) uint() uint64 {
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

func (r *compactReader) string() string {
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
func (r *compactReader) len() (n int, ok bool) {
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

func (r *compactReader) severity() Severity {
	return Severity{Type: r.string(), Score: r.string()}
}

// readList reads a slice written by writeList.
func readList[T any](r *compactReader, read func() T) []T {
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

func (r *compactReader) time() time.Time {
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

func (r *compactReader) varint() int64 {
	u := r.uint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}
