// Package assess is the technical assessment engine (DESIGN §4): SBOM
// components, OSV advisories and the supplier's VEX statements in,
// findings per review criterion out. It is pure: the same engine serves
// a case in the server and 'csreview assess' offline.
package assess

import (
	"context"

	"github.com/csreview/csreview"

	"github.com/csreview/csreview/advisory"
)

// Source gives the advisories that name a package; the matcher then checks
// each version against them.
type Source interface {
	Candidates(ecosystem, name string) ([]*advisory.Record, error)
}

// Prefetcher is a Source that can load many packages' candidates at once,
// which a store-backed source does in a few queries instead of one per
// component.
type Prefetcher interface {
	Prefetch(packages [][2]string) error
}

type pkgKey struct{ eco, name string }

// MemorySource is an in-memory index of advisories by ecosystem (without
// any ":suffix") and normalised package name.
type MemorySource struct {
	idx   map[pkgKey][]*advisory.Record
	byID  map[string]*advisory.Record
	Count int // records indexed
}

// NewMemorySource returns an empty index.
func NewMemorySource() *MemorySource {
	return &MemorySource{idx: map[pkgKey][]*advisory.Record{}, byID: map[string]*advisory.Record{}}
}

// Add indexes a record under every package it names; withdrawn records are
// left out, since they never match.
func (m *MemorySource) Add(r *advisory.Record) {
	if r.IsWithdrawn() {
		return
	}
	m.Count++
	m.byID[r.ID] = r
	seen := map[pkgKey]bool{}
	for _, a := range r.Affected {
		if a.Package.Name == "" {
			continue
		}
		k := pkgKey{baseEco(a.Package.Ecosystem), advisory.NormalizeName(a.Package.Ecosystem, a.Package.Name)}
		if !seen[k] {
			seen[k] = true
			m.idx[k] = append(m.idx[k], r)
		}
	}
}

// Candidates returns the records naming the package.
func (m *MemorySource) Candidates(ecosystem, name string) ([]*advisory.Record, error) {
	return m.idx[pkgKey{baseEco(ecosystem), advisory.NormalizeName(ecosystem, name)}], nil
}

// Database describes the records indexed: how many of each ecosystem and
// the newest modified time.
func (m *MemorySource) Database() csreview.AdvisoryDB {
	db := csreview.AdvisoryDB{Records: m.Count, Ecosystems: map[string]int{}}
	for _, r := range m.byID {
		if r.Modified.After(db.NewestModified) {
			db.NewestModified = r.Modified
		}
		seen := map[string]bool{}
		for _, a := range r.Affected {
			if e := baseEco(a.Package.Ecosystem); e != "" && !seen[e] {
				seen[e] = true
				db.Ecosystems[e]++
			}
		}
	}
	return db
}

// Records returns the indexed records with these IDs (Resolver); IDs it
// does not hold are left out.
func (m *MemorySource) Records(ids []string) ([]*advisory.Record, error) {
	var out []*advisory.Record
	for _, id := range ids {
		if r, ok := m.byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// LoadSource reads OSV records from files, directories or all.zip archives
// into memory.
func LoadSource(paths []string, lim advisory.Limits) (*MemorySource, error) {
	m := NewMemorySource()
	for _, p := range paths {
		if err := advisory.Walk(p, lim, func(r *advisory.Record, _ string) error {
			m.Add(r)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// baseEco drops a ":suffix" ("Debian:11" → "Debian").
func baseEco(e string) string {
	for i := 0; i < len(e); i++ {
		if e[i] == ':' {
			return e[:i]
		}
	}
	return e
}

// VersionAssessor runs the engine on a product version's stored SBOM and
// VEX against the stored advisories. It is declared here rather than in
// the root package because Report is this package's, and this package
// imports the root.
type VersionAssessor interface {
	// AssessVersion assesses the version under the regime regimeID:
	// ENOTFOUND for a product or version the caller may not see or an
	// unknown regime, EFORBIDDEN unless the caller may read the version's
	// SBOM (the report names unfixed vulnerabilities; each run is
	// recorded), EINVALID when a stored document no longer parses.
	AssessVersion(ctx context.Context, productID, versionID int64, regimeID, version string) (*Report, error)
}
