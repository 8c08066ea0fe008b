package advisory

import (
	"fmt"
	"slices"
	"strings"

	"github.com/google/osv-scalibr/semantic"

	"github.com/csreview/csreview"
)

// Affects reports whether r affects version of package name in ecosystem,
// following the OSV schema's evaluation algorithm:
//
//   - a withdrawn record affects nothing;
//   - only affected entries of the same ecosystem count, compared as
//     osv-scanner does ("Debian:11" matches "Debian" but not "Debian:12"),
//     with names compared after NormalizeName;
//   - the version is affected when the entry's versions list holds it
//     (equal strings, or equal in the ecosystem's ordering: PyPI "1.0" is
//     "1.0.0"), or when a SEMVER or ECOSYSTEM range includes it: events
//     sorted by version (introduced "0" first), the version is affected
//     from an introduced event up to a fixed one (excluded) or a
//     last_affected one (included), and only below some limit event when the
//     range has any ("*" is no limit). SEMVER ranges order by SemVer 2.0,
//     ECOSYSTEM ranges by the ecosystem's own ordering (VersionsFor); GIT
//     ranges need the repository's history and are not used;
//   - an empty version is affected by every entry for the package that has
//     versions or ranges, as osv-scanner treats it: a component whose
//     version is unknown cannot be shown to be safe.
//
// The error is a *csreview.Error: EINVALID when the version is not one of the
// ecosystem's (a malformed PyPI or Debian version) or the record's range is
// malformed, EUNSUPPORTED when an ECOSYSTEM range is in an ecosystem whose
// ordering is not known. The error is returned only when no entry of the
// record matched.
func Affects(r *Record, ecosystem, name, version string) (bool, error) {
	return new(Matcher).Affects(r, ecosystem, name, version)
}

// A Matcher answers Affects for many versions against many records, as
// Affects does, parsing each version string once and sorting each range's
// events once: an SBOM of 2,000 components checked against the records
// naming them compares the same few hundred versions tens of thousands of
// times, and parsing them was most of the matching. The records must not
// change while the Matcher is used. A Matcher is not safe for concurrent
// use; its zero value is ready.
type Matcher struct {
	parsed map[versionKey]parsedVersion
	sorted map[*Event]sortedEvents // by a range's first event: the range
	known  map[string]bool         // ecosystems with a known ordering
}

type versionKey struct{ order, version string }

type parsedVersion struct {
	v   semantic.Version
	err error
}

type sortedEvents struct {
	events []Event
	err    error
}

// Affects is the package's Affects, with the Matcher's memory.
func (m *Matcher) Affects(r *Record, ecosystem, name, version string) (bool, error) {
	if r == nil || r.IsWithdrawn() {
		return false, nil
	}
	var firstErr error
	norm := NormalizeName(ecosystem, name)
	for i := range r.Affected {
		a := &r.Affected[i]
		if a.Package.Name == "" || !sameEcosystem(a.Package.Ecosystem, ecosystem) ||
			NormalizeName(a.Package.Ecosystem, a.Package.Name) != norm {
			continue
		}
		ok, err := m.affectsEntry(a, ecosystem, version)
		if ok {
			return true, nil
		}
		if err != nil && firstErr == nil {
			firstErr = annotate(err, fmt.Sprintf("OSV record %s, affected[%d]", r.ID, i))
		}
	}
	return false, firstErr
}

func (m *Matcher) affectsEntry(a *Affected, ecosystem, version string) (bool, error) {
	if len(a.Ranges) == 0 && len(a.Versions) == 0 {
		return false, nil
	}
	if version == "" {
		return true, nil
	}
	if slices.Contains(a.Versions, version) {
		return true, nil
	}
	order, hasOrder := m.ordering(ecosystem)
	if hasOrder {
		for _, v := range a.Versions {
			// A listed version the ordering cannot read is simply not this one.
			if c, err := order.Compare(version, v); err == nil && c == 0 {
				return true, nil
			}
		}
	}
	var firstErr error
	for j := range a.Ranges {
		rg := &a.Ranges[j]
		var o cachedOrder
		switch rg.Type {
		case RangeSemver:
			o = cachedOrder{m, semverOrder{}}
		case RangeEcosystem:
			if !hasOrder {
				if firstErr == nil {
					firstErr = csreview.Errorf(csreview.EUNSUPPORTED, "no version ordering is known for ecosystem %q", ecosystem)
				}
				continue
			}
			o = order.(cachedOrder)
		default:
			continue // GIT, or a type this schema version does not know
		}
		ok, err := m.inRange(o, rg.Events, version)
		if ok {
			return true, nil
		}
		if err != nil && firstErr == nil {
			firstErr = annotate(err, fmt.Sprintf("ranges[%d]", j))
		}
	}
	return false, firstErr
}

// ordering is VersionsFor(ecosystem), comparing through the Matcher's
// parsed versions.
func (m *Matcher) ordering(ecosystem string) (Versions, bool) {
	base := baseEcosystem(ecosystem)
	known, ok := m.known[base]
	if !ok {
		_, known = VersionsFor(base)
		if m.known == nil {
			m.known = map[string]bool{}
		}
		m.known[base] = known
	}
	if !known {
		return nil, false
	}
	return cachedOrder{m, semanticVersions{ecosystem: base}}, true
}

// cachedOrder compares versions parsed once by p and kept by the Matcher.
type cachedOrder struct {
	m *Matcher
	p parser
}

func (o cachedOrder) Compare(a, b string) (int, error) { return compareWith(o.p, o.version, a, b) }

func (o cachedOrder) version(s string) (semantic.Version, error) {
	k := versionKey{o.p.name(), s}
	pv, ok := o.m.parsed[k]
	if !ok {
		pv.v, pv.err = o.p.parse(s)
		if o.m.parsed == nil {
			o.m.parsed = map[versionKey]parsedVersion{}
		}
		o.m.parsed[k] = pv
	}
	return pv.v, pv.err
}

// inRange is the OSV schema's IncludedInRanges for one range.
func (m *Matcher) inRange(o cachedOrder, events []Event, v string) (bool, error) {
	// Check the version itself first, so that a malformed version is
	// reported as such rather than as a malformed event.
	if _, err := o.Compare(v, v); err != nil {
		return false, err
	}
	before, err := beforeLimits(o, events, v)
	if err != nil || !before {
		return false, err
	}
	sorted, err := m.sortEvents(o, events)
	if err != nil {
		return false, err
	}
	affected := false
	for _, e := range sorted {
		switch {
		case e.Introduced != "":
			if e.Introduced == "0" {
				affected = true
			} else if c, err := o.Compare(v, e.Introduced); err != nil {
				return false, err
			} else if c >= 0 {
				affected = true
			}
		case e.Fixed != "":
			if c, err := o.Compare(v, e.Fixed); err != nil {
				return false, err
			} else if c >= 0 {
				affected = false
			}
		case e.LastAffected != "":
			if c, err := o.Compare(v, e.LastAffected); err != nil {
				return false, err
			} else if c > 0 {
				affected = false
			}
		}
	}
	return affected, nil
}

// beforeLimits is the schema's BeforeLimits: with no limit events (or a "*"
// limit) every version is; otherwise v must be below one of them.
func beforeLimits(o Versions, events []Event, v string) (bool, error) {
	has := false
	for _, e := range events {
		if e.Limit == "" {
			continue
		}
		if strings.Contains(e.Limit, "*") {
			return true, nil
		}
		has = true
		c, err := o.Compare(v, e.Limit)
		if err != nil {
			return false, err
		}
		if c < 0 {
			return true, nil
		}
	}
	return !has, nil
}

// sortEvents orders the introduced, fixed and last_affected events by
// version: introduced "0" before everything, and at one version an
// introduced event before a fixed or last_affected one, so that an empty
// range [x, x) stays empty. Limit events are handled by beforeLimits.
// A range's events are sorted once per Matcher.
func (m *Matcher) sortEvents(o cachedOrder, events []Event) ([]Event, error) {
	if len(events) == 0 {
		return nil, nil
	}
	// A range is always read in one ordering: its type's, and for an
	// ECOSYSTEM range that of the record's ecosystem, which Affects
	// requires the component's to be.
	k := &events[0]
	se, ok := m.sorted[k]
	if !ok {
		se.events, se.err = sortEvents(o, events)
		if m.sorted == nil {
			m.sorted = map[*Event]sortedEvents{}
		}
		m.sorted[k] = se
	}
	return se.events, se.err
}

func sortEvents(o Versions, events []Event) ([]Event, error) {
	out := make([]Event, 0, len(events))
	for _, e := range events {
		if e.Limit == "" {
			out = append(out, e)
		}
	}
	var cmpErr error
	slices.SortStableFunc(out, func(a, b Event) int {
		az, bz := a.Introduced == "0", b.Introduced == "0"
		switch {
		case az && bz:
			return 0
		case az:
			return -1
		case bz:
			return 1
		}
		c, err := o.Compare(a.version(), b.version())
		if err != nil {
			if cmpErr == nil {
				cmpErr = err
			}
			return 0
		}
		if c != 0 {
			return c
		}
		ai, bi := a.Introduced != "", b.Introduced != ""
		switch {
		case ai && !bi:
			return -1
		case bi && !ai:
			return 1
		}
		return 0
	})
	if cmpErr != nil {
		e := annotate(cmpErr, "malformed range")
		e.Fields = []csreview.FieldError{{Field: "events", Rule: "invalid"}}
		return nil, e
	}
	return out, nil
}

// annotate returns err as a *csreview.Error whose message starts with
// where, keeping its code.
func annotate(err error, where string) *csreview.Error {
	e := csreview.AsError(err)
	if e == nil {
		return csreview.Errorf(csreview.EINTERNAL, "%s: %v", where, err)
	}
	return &csreview.Error{Code: e.Code, Key: e.Key, Message: where + ": " + e.Message, Fields: e.Fields, Allowed: e.Allowed}
}

func (e Event) version() string {
	switch {
	case e.Introduced != "":
		return e.Introduced
	case e.Fixed != "":
		return e.Fixed
	case e.LastAffected != "":
		return e.LastAffected
	}
	return e.Limit
}
