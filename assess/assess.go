package assess

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/sbom"
)

// SchemaVersion names the version of the JSON report's schema
// (docs: assess/schema.md). It changes when a field changes meaning or
// goes away; new fields may appear within a version.
const SchemaVersion = "csreview.assess/v1"

// Severities are the levels of findings, most severe first
// (csreview.Severities); a vulnerability may also be unrated.
var Severities = csreview.Severities

// Rank orders severities: critical 5 … info 1; unrated and unknown 0.
func Rank(s csreview.Severity) int { return s.Rank() }

// Risk maps a finding's severity onto the risk levels of a case's
// evidence: info, a fact rather than a risk, is none; an unrated
// vulnerability stays unrated, for the assessor to rate.
func Risk(severity csreview.Severity) csreview.Severity {
	if severity == csreview.SeverityInfo || severity == "" {
		return csreview.SeverityNone
	}
	return severity
}

// Kinds of finding.
const (
	KindVulnerability = "vulnerability"
	KindNoVersion     = "no_version"
	KindNoSupplier    = "no_supplier"
	KindNoHash        = "no_hash"
	KindInvalidPURL   = "invalid_purl"
	KindProhibited    = "prohibited"
	KindConcentration = "concentration"
	KindDepth         = "dependency_depth"
	KindFanIn         = "fan_in"
)

// ComponentRef names a component in a finding.
type ComponentRef struct {
	SBOM      string `json:"sbom,omitempty"`
	Ref       string `json:"ref,omitempty"`
	Name      string `json:"name"`
	Version   string `json:"version,omitempty"`
	PURL      string `json:"purl,omitempty"`
	Ecosystem string `json:"ecosystem,omitempty"`
	Supplier  string `json:"supplier,omitempty"`
}

// AdvisoryRef is the vulnerability of a finding: the IDs of every record
// that describes it (one CVE reported by two databases counts once).
type AdvisoryRef struct {
	ID      string   `json:"id"`
	Aliases []string `json:"aliases"`
	// Records are the IDs of the advisory records that matched (one per
	// database that reports it); Aliases adds the IDs they cite.
	Records []string `json:"records"`
	Summary string   `json:"summary,omitempty"`
	Vector  string   `json:"cvss_vector,omitempty"`
	Score   float64  `json:"cvss_score,omitempty"`
	// Rating says where the finding's severity came from.
	Rating Rating `json:"rating"`
	// Fixed lists versions that fix it, where the records say.
	Fixed []string `json:"fixed,omitempty"`
}

// Rating says where a vulnerability's severity came from. The engine
// takes, in this order: the CVSS of the records that matched; the CVSS of
// an alias record in the advisory store (a GO- record aliasing a GHSA
// record that carries CVSS); the database's own word for it
// (database_specific.severity, or an Ubuntu priority), which is not a
// score; else none, and the vulnerability is unrated until the assessor
// rates it.
type Rating struct {
	Source string `json:"source"` // RatingCVSS, RatingAliasCVSS, RatingDatabase or RatingNone
	// Record is the ID of the record that gave the rating.
	Record string `json:"record,omitempty"`
	// Database names the database whose word it is (RatingDatabase), and
	// Word is that word as the record writes it ("MODERATE").
	Database string `json:"database,omitempty"`
	Word     string `json:"word,omitempty"`
}

// The sources of a rating, in the order the engine takes them.
const (
	RatingCVSS      = "cvss"
	RatingAliasCVSS = "alias_cvss"
	RatingDatabase  = "database"
	RatingNone      = "none"
)

// Describe says where the rating came from, in English and in Chinese:
// "CVSS 7.5 (GHSA-…)", "CVSS 8.1 of alias GHSA-…", "GitHub Advisory
// Database's own word: MODERATE", or "no rating in the records".
func (a *AdvisoryRef) Describe() (en, zh string) {
	switch a.Rating.Source {
	case RatingCVSS:
		cvss := fmt.Sprintf("CVSS %.1f (%s)", a.Score, a.Rating.Record)
		return cvss, cvss
	case RatingAliasCVSS:
		return fmt.Sprintf("CVSS %.1f of alias %s", a.Score, a.Rating.Record), fmt.Sprintf("取自别名记录 %s 的 CVSS %.1f", a.Rating.Record, a.Score)
	case RatingDatabase:
		return fmt.Sprintf("%s's own word: %s (%s)", a.Rating.Database, a.Rating.Word, a.Rating.Record),
			fmt.Sprintf("%s 自身的定级：%s（%s，非 CVSS 评分）", a.Rating.Database, a.Rating.Word, a.Rating.Record)
	}
	return "no rating in the records: the assessor rates it", "记录中无评级，须由评估人员评级"
}

// Resolver is a Source that also gives records by ID, so that a
// vulnerability can take its rating from an alias record that did not
// itself match (a GHSA record naming the module where the GO- record
// names the package, or a record of another ecosystem).
type Resolver interface {
	Records(ids []string) ([]*advisory.Record, error)
}

// Finding is one result, filed under a criterion of the regime.
type Finding struct {
	ID        string            `json:"id"` // stable across runs for the same fact
	Kind      string            `json:"kind"`
	Criterion string            `json:"criterion"`
	Severity  csreview.Severity `json:"severity"`
	// Message says what was found, in English; MessageZH in Chinese.
	Message   string        `json:"message"`
	MessageZH string        `json:"message_zh"`
	Component *ComponentRef `json:"component,omitempty"`
	// Components lists the components of an aggregate finding (all those
	// without a version, say).
	Components []ComponentRef `json:"components,omitempty"`
	Advisory   *AdvisoryRef   `json:"advisory,omitempty"`
	// VEX is the supplier's statement on this vulnerability, if any: a
	// not_affected or fixed finding stays in the report as the supplier's
	// commitment, but does not count towards --fail-on.
	VEX *VEXStatus `json:"vex,omitempty"`
}

// Counts reports whether the finding counts towards a failure threshold:
// the supplier has not stated it not affected or fixed.
func (f *Finding) Counts() bool {
	return f.VEX == nil || (f.VEX.Status != VEXNotAffected && f.VEX.Status != VEXFixed)
}

// Options tune an assessment.
type Options struct {
	Pack *regime.Pack
	// SBOMName labels the components of this SBOM in findings.
	SBOMName string
	VEX      []VEXStatement
	// Prohibited are components or suppliers on the prohibited list.
	Prohibited []Prohibition
	// ConcentrationShare: a finding when one supplier provides more than
	// this share of the components that name a supplier (default 0.5).
	ConcentrationShare float64
	// MaxDepth: a finding when the dependency graph is deeper (default 12).
	MaxDepth int
	// Progress, if set, is told how many components have been matched, every
	// few hundred and at the end.
	Progress func(done, total int)
}

// Prohibition is an entry of the prohibited list: a purl (with or without
// version) or a supplier name, and why.
type Prohibition struct {
	PURL     string `json:"purl,omitempty"`
	Supplier string `json:"supplier,omitempty"`
	Reason   string `json:"reason"`
}

// Result is what one SBOM's assessment found.
type Result struct {
	Findings []*Finding
	// Matched counts the (component, advisory record) pairs that matched,
	// before grouping aliases.
	Matched int
	// Errors are advisories that could not be evaluated for a component
	// (a version the ecosystem's ordering rejects…), kept for the report.
	Errors []string
}

// Assess runs the engine over one SBOM.
func Assess(doc *sbom.Document, src Source, opt Options) (*Result, error) {
	if opt.Pack == nil {
		return nil, csreview.Errorf(csreview.EINVALID, "no regime pack")
	}
	crit := criteriaFor(opt.Pack)
	res := &Result{}
	ref := func(c *csreview.Component) *ComponentRef {
		return &ComponentRef{SBOM: opt.SBOMName, Ref: c.Ref, Name: c.Name, Version: c.Version, PURL: c.PURL,
			Ecosystem: c.Ecosystem, Supplier: c.Supplier}
	}
	vex := newVEXIndex(opt.VEX)
	seenPair := map[string]bool{}
	// A component matched is one whose purl gave an ecosystem; the reader
	// then put the package's name as that ecosystem spells it in Name.
	matchable := func(c *csreview.Component) bool { return c.Ecosystem != "" && c.PURL != "" }
	if pf, ok := src.(Prefetcher); ok {
		var keys [][2]string
		for _, c := range doc.Components {
			if matchable(c) {
				keys = append(keys, [2]string{c.Ecosystem, c.Name})
			}
		}
		if err := pf.Prefetch(keys); err != nil {
			return nil, err
		}
	}
	// Large SBOMs list the same package at the same version many times
	// (one per binary or path that holds it): it is matched once.
	type matched struct {
		hits []*advisory.Record
		errs []string
	}
	memo := map[[3]string]*matched{}
	var matcher advisory.Matcher // each version parsed once
	for i, c := range doc.Components {
		if opt.Progress != nil && i%250 == 0 {
			opt.Progress(i, len(doc.Components))
		}
		if !matchable(c) {
			continue
		}
		name := c.Name
		key := [3]string{c.Ecosystem, name, c.Version}
		m := memo[key]
		if m == nil {
			recs, err := src.Candidates(c.Ecosystem, name)
			if err != nil {
				return nil, err
			}
			m = &matched{}
			for _, r := range recs {
				ok, err := matcher.Affects(r, c.Ecosystem, name, c.Version)
				if err != nil && !ok {
					m.errs = append(m.errs, fmt.Sprintf("%s %s@%s: %v", r.ID, name, c.Version, err))
					continue
				}
				if ok {
					m.hits = append(m.hits, r)
				}
			}
			memo[key] = m
		}
		res.Errors = append(res.Errors, m.errs...)
		hits := m.hits
		res.Matched += len(hits)
		for _, group := range advisory.Group(hits) {
			f := vulnFinding(c, name, group, crit)
			f.Component = ref(c)
			key := c.Ecosystem + "\x00" + name + "\x00" + c.Version + "\x00" + f.Advisory.ID
			if seenPair[key] {
				continue // the same package and version listed twice in the SBOM
			}
			seenPair[key] = true
			f.VEX = vex.lookup(f.Advisory, c)
			res.Findings = append(res.Findings, f)
		}
	}
	if opt.Progress != nil {
		opt.Progress(len(doc.Components), len(doc.Components))
	}
	if err := rateFromAliases(src, res.Findings); err != nil {
		return nil, err
	}
	res.Findings = append(res.Findings, hygiene(doc, opt, crit, ref)...)
	res.Findings = append(res.Findings, graph(doc, opt, crit, ref)...)
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if Rank(a.Severity) != Rank(b.Severity) {
			return Rank(a.Severity) > Rank(b.Severity)
		}
		return a.ID < b.ID
	})
	return res, nil
}

// criteria maps finding kinds to the pack's criteria by theme, in order
// of preference: the first theme the pack has wins.
type criteria map[string]string

func criteriaFor(p *regime.Pack) criteria {
	byTheme := map[string]string{}
	for _, c := range p.Criteria {
		if _, ok := byTheme[c.Theme]; !ok && !c.Supplier {
			byTheme[c.Theme] = c.ID
		}
	}
	pick := func(themes ...string) string {
		for _, t := range themes {
			if id, ok := byTheme[t]; ok {
				return id
			}
		}
		return p.Criteria[0].ID
	}
	return criteria{
		// A remotely exploitable weakness is a risk of illegal control,
		// interference or interruption (2021 Art. 10(1); 2017 Art. 4(1)).
		KindVulnerability: pick("control"),
		// Unknown provenance and prohibited parts are supply-chain risks
		// (2021 Art. 10(3); 2017 trial Art. 4(2)).
		KindNoVersion: pick("supply_chain"), KindNoSupplier: pick("supply_chain"), KindNoHash: pick("supply_chain"),
		KindInvalidPURL: pick("supply_chain"), KindProhibited: pick("supply_chain"), KindDepth: pick("supply_chain"),
		// Dependence on one supplier risks interruption of supply
		// (2021 Art. 10(2)); the 2017 packs file it as supply chain.
		KindConcentration: pick("continuity", "supply_chain"), KindFanIn: pick("continuity", "supply_chain"),
	}
}

func vulnFinding(c *csreview.Component, name string, group []*advisory.Record, crit criteria) *Finding {
	ids := advisory.GroupIDs(group)
	primary := group[0]
	a := &AdvisoryRef{ID: primary.ID, Aliases: ids, Summary: primary.Summary}
	for _, r := range group {
		a.Records = append(a.Records, r.ID)
	}
	for _, r := range group {
		for _, af := range r.Affected {
			for _, rg := range af.Ranges {
				for _, e := range rg.Events {
					if e.Fixed != "" && !contains(a.Fixed, e.Fixed) {
						a.Fixed = append(a.Fixed, e.Fixed)
					}
				}
			}
		}
	}
	level := rateFromRecords(a, group)
	what := a.Summary
	if what == "" {
		what = strings.Join(ids, ", ")
	}
	return &Finding{ID: findingID(KindVulnerability, c.Ecosystem, name, c.Version, a.ID), Kind: KindVulnerability,
		Criterion: crit[KindVulnerability], Severity: level, Advisory: a,
		Message: fmt.Sprintf("%s %s is affected by %s: %s", name, c.Version, a.ID, what),
		// The summary is the database's own text, in its own language.
		MessageZH: fmt.Sprintf("%s %s 受 %s 影响：%s", name, c.Version, a.ID, what)}
}

// rateFromRecords rates a vulnerability by the CVSS of the records that
// matched, the highest score winning; without one it takes the databases'
// own words, the gravest winning, and leaves it unrated without those.
// It sets a's score, vector and rating and returns the level.
func rateFromRecords(a *AdvisoryRef, group []*advisory.Record) csreview.Severity {
	best := -1.0
	level := csreview.SeverityUnrated
	for _, r := range group {
		if l, score, vector, ok := r.CVSSRating(); ok && score > best {
			best, level = score, l
			a.Score, a.Vector = score, vector
			a.Rating = Rating{Source: RatingCVSS, Record: r.ID}
		}
	}
	if best >= 0 {
		return atLeastLow(level)
	}
	a.Rating = Rating{Source: RatingNone}
	for _, r := range group {
		if l, word := r.DatabaseRating(); l != csreview.SeverityUnrated && Rank(l) > Rank(level) {
			level = l
			a.Rating = Rating{Source: RatingDatabase, Record: r.ID, Database: advisory.Database(r.ID), Word: word}
		}
	}
	return atLeastLow(level)
}

// atLeastLow: a vulnerability rated as no risk is still one, so at least
// low; unrated stays unrated.
func atLeastLow(l csreview.Severity) csreview.Severity {
	if l == csreview.SeverityNone {
		return csreview.SeverityLow
	}
	return l
}

// rateFromAliases gives the vulnerabilities that no matched record scores
// the CVSS of an alias record, when the source can look records up by ID:
// one lookup for the whole SBOM. An alias's CVSS outranks a database's
// word.
func rateFromAliases(src Source, findings []*Finding) error {
	rs, ok := src.(Resolver)
	if !ok {
		return nil
	}
	var want []string
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Advisory == nil || f.Advisory.Rating.Source == RatingCVSS {
			continue
		}
		for _, id := range f.Advisory.Aliases {
			if !seen[id] && !contains(f.Advisory.Records, id) {
				seen[id] = true
				want = append(want, id)
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	recs, err := rs.Records(want)
	if err != nil {
		return err
	}
	byID := map[string]*advisory.Record{}
	for _, r := range recs {
		if r != nil && !r.IsWithdrawn() {
			byID[r.ID] = r
		}
	}
	for _, f := range findings {
		a := f.Advisory
		if a == nil || a.Rating.Source == RatingCVSS {
			continue
		}
		best := -1.0
		for _, id := range a.Aliases {
			r := byID[id]
			if r == nil || contains(a.Records, id) {
				continue
			}
			if l, score, vector, ok := r.CVSSRating(); ok && score > best {
				best = score
				f.Severity = atLeastLow(l)
				a.Score, a.Vector = score, vector
				a.Rating = Rating{Source: RatingAliasCVSS, Record: r.ID}
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// findingID is a stable identifier of a fact, for suppressions and diffs.
func findingID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:8])
}
