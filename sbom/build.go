package sbom

import (
	"fmt"
	"strings"

	"github.com/csreview/csreview"
)

// Warnings of one kind past maxWarningsPerKind are summed up in one more
// warning, and no document gets more than maxWarnings: a hostile SBOM must
// not turn into millions of them, and a person reads the first few anyway.
const (
	maxWarningsPerKind = 50
	maxWarnings        = 1000
)

// builder turns the components read from any format into csreview
// Components, checking what every format shares: purls, duplicates, the
// dependency graph, the component limit.
type builder struct {
	doc   *Document
	lim   Limits
	byRef map[string]*csreview.Component
	purls map[string]string // purl → where it was first seen
	deps  map[*csreview.Component]map[string]bool

	kinds   map[string]*warnKind
	order   []string
	dropped int
}

type warnKind struct {
	n     int
	first string
	what  string
}

func newBuilder(format, encoding string, lim Limits) *builder {
	return &builder{
		doc:   &Document{Format: format, Encoding: encoding},
		lim:   lim,
		byRef: map[string]*csreview.Component{},
		purls: map[string]string{},
		deps:  map[*csreview.Component]map[string]bool{},
		kinds: map[string]*warnKind{},
	}
}

// warn records a defect of kind at where.
func (b *builder) warn(kind, where, format string, args ...any) {
	k := b.kinds[kind]
	if k == nil {
		k = &warnKind{first: where}
		b.kinds[kind] = k
		b.order = append(b.order, kind)
	}
	k.n++
	if k.n > maxWarningsPerKind {
		k.what = kind
		return
	}
	if len(b.doc.Warnings) >= maxWarnings {
		b.dropped++
		return
	}
	b.doc.Warnings = append(b.doc.Warnings, csreview.SBOMWarning{Where: where, What: fmt.Sprintf(format, args...)})
}

// rawComponent is a component as a format reader found it.
type rawComponent struct {
	where     string // location of the component in the SBOM
	ref       string
	name      string
	version   string
	purl      string
	purlWhere string
	supplier  string
	hashes    []csreview.Hash
	licenses  []string
}

// add maps rc into a Component. It fails only when the component limit is
// passed.
func (b *builder) add(rc rawComponent) error {
	if len(b.doc.Components) >= b.lim.MaxComponents {
		return tooManyComponents(b.lim, rc.where)
	}
	c := &csreview.Component{
		Ref:      strings.TrimSpace(rc.ref),
		Name:     strings.TrimSpace(rc.name),
		Version:  strings.TrimSpace(rc.version),
		PURL:     strings.TrimSpace(rc.purl),
		Supplier: strings.TrimSpace(rc.supplier),
		Hashes:   rc.hashes,
		Licenses: dedupe(rc.licenses),
	}
	if c.PURL != "" {
		pw := rc.purlWhere
		if pw == "" {
			pw = rc.where
		}
		b.purl(c, pw)
	}
	if c.Name == "" {
		b.warn("no name", rc.where, "component has no name")
	}
	if c.Ref != "" {
		if _, dup := b.byRef[c.Ref]; dup {
			b.warn("duplicate ref", rc.where, "duplicate identifier %q: dependencies naming it go to the first", clip(c.Ref))
		} else {
			b.byRef[c.Ref] = c
		}
	}
	b.doc.Components = append(b.doc.Components, c)
	return nil
}

// purl fills c's ecosystem (and name and version where the SBOM lacks them)
// from its purl, warning about purls that do not parse, that encode '@' as
// %40, or that an earlier component already has.
func (b *builder) purl(c *csreview.Component, where string) {
	p, err := parsePURL(c.PURL)
	key := keyOf(c.PURL, p, err)
	if first, dup := b.purls[key]; dup {
		b.warn("duplicate purl", where, "duplicate purl %s (first at %s)", clip(c.PURL), first)
	} else {
		b.purls[key] = where
	}
	if err != nil {
		b.warn("bad purl", where, "%s; kept as written, with no ecosystem", csreview.ErrorMessage(err))
		return
	}
	if p.encodedAt {
		b.warn("purl %40", where, "purl %s encodes '@' as %%40; its version read as %q", clip(c.PURL), clip(p.version))
	}
	c.Ecosystem = p.eco
	if p.eco != "" && p.name != "" {
		c.Name = p.name
	} else if c.Name == "" {
		c.Name = p.name
	}
	if c.Version == "" {
		c.Version = p.version
	}
}

// purlKey is purl with a %40 that stands for '@' decoded, so that both
// spellings of one package are found to be the same.
func purlKey(purl string) string {
	p, err := parsePURL(purl)
	return keyOf(purl, p, err)
}

func keyOf(purl string, p purlInfo, err error) string {
	purl = strings.TrimSpace(purl)
	if i := strings.LastIndex(purl, "%40"); err == nil && p.encodedAt && i >= 0 {
		return purl[:i] + "@" + purl[i+3:]
	}
	return purl
}

// depend records that the component with ref from depends on the one with
// ref to. Refs naming no component are reported unless ignore says they
// name something known that is not a component (the SBOM's subject, an
// SPDX file).
func (b *builder) depend(from, to, where string, ignore func(string) bool) {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	src, dst := b.byRef[from], b.byRef[to]
	switch {
	case src == nil && (ignore == nil || !ignore(from)):
		b.warn("dangling ref", where, "%q names no component", clip(from))
		return
	case dst == nil && (ignore == nil || !ignore(to)):
		b.warn("dangling ref", where, "%q names no component", clip(to))
		return
	case src == nil || dst == nil || src == dst:
		return
	}
	seen := b.deps[src]
	if seen == nil {
		seen = map[string]bool{}
		b.deps[src] = seen
	}
	if !seen[to] {
		seen[to] = true
		src.DependsOn = append(src.DependsOn, to)
	}
}

// finish closes the warnings and returns the document.
func (b *builder) finish() *Document {
	for _, kind := range b.order {
		k := b.kinds[kind]
		if k.n > maxWarningsPerKind {
			b.doc.Warnings = append(b.doc.Warnings, csreview.SBOMWarning{
				Where: k.first,
				What:  fmt.Sprintf("%d more warnings of this kind (%s) not listed", k.n-maxWarningsPerKind, k.what),
			})
		}
	}
	if b.dropped > 0 {
		b.doc.Warnings = append(b.doc.Warnings, csreview.SBOMWarning{
			What: fmt.Sprintf("%d more warnings not listed", b.dropped),
		})
	}
	return b.doc
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if s == "" || contains(out, s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
