package assess

import (
	"fmt"
	"sort"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom"
)

// hygiene finds what makes a component's provenance unknowable: no
// version, no supplier, no hash, a purl that does not parse; and parts or
// suppliers on the prohibited list.
func hygiene(doc *sbom.Document, opt Options, crit criteria, ref func(*csreview.Component) *ComponentRef) []*Finding {
	var noVersion, noSupplier, noHash, badPURL []ComponentRef
	var out []*Finding
	for _, c := range doc.Components {
		r := *ref(c)
		if strings.TrimSpace(c.Version) == "" {
			noVersion = append(noVersion, r)
		}
		if strings.TrimSpace(c.Supplier) == "" {
			noSupplier = append(noSupplier, r)
		}
		if len(c.Hashes) == 0 {
			noHash = append(noHash, r)
		}
		if c.PURL != "" && c.Ecosystem == "" { // with an ecosystem, it parsed
			if _, _, _, err := sbom.Ecosystem(c.PURL); err != nil {
				badPURL = append(badPURL, r)
			}
		}
		for _, p := range opt.Prohibited {
			if prohibited(p, c) {
				what, whatZH := c.Name, c.Name
				if p.Supplier != "" {
					what, whatZH = "supplier "+p.Supplier, "供应商 "+p.Supplier
				}
				out = append(out, &Finding{ID: findingID(KindProhibited, opt.SBOMName, c.Ref, c.PURL, p.PURL, p.Supplier),
					Kind: KindProhibited, Criterion: crit[KindProhibited], Severity: csreview.SeverityCritical, Component: ref(c),
					Message:   fmt.Sprintf("%s %s is on the prohibited list (%s): %s", c.Name, c.Version, what, p.Reason),
					MessageZH: fmt.Sprintf("%s %s 在禁用清单上（%s）：%s", c.Name, c.Version, whatZH, p.Reason)})
			}
		}
	}
	n := len(doc.Components)
	add := func(kind string, severity csreview.Severity, what, whatOne, whatZH string, list []ComponentRef) {
		if len(list) == 0 {
			return
		}
		en := fmt.Sprintf("%d of %d components %s", len(list), n, what)
		if len(list) == 1 {
			en = fmt.Sprintf("1 of %d components %s", n, whatOne)
		}
		out = append(out, &Finding{ID: findingID(kind, opt.SBOMName), Kind: kind, Criterion: crit[kind], Severity: severity,
			Components: list, Message: en, MessageZH: fmt.Sprintf("%d 个组件中有 %d 个%s", n, len(list), whatZH)})
	}
	add(KindNoVersion, csreview.SeverityMedium, "have no version: they cannot be matched against advisories",
		"has no version: it cannot be matched against advisories", "未标明版本，无法与漏洞库比对", noVersion)
	add(KindNoSupplier, csreview.SeverityLow, "name no supplier: their origin is unknown",
		"names no supplier: its origin is unknown", "未标明供应商，来源不明", noSupplier)
	add(KindNoHash, csreview.SeverityInfo, "carry no hash: the artefact delivered cannot be checked against the SBOM",
		"carries no hash: the artefact delivered cannot be checked against the SBOM", "未附哈希值，无法核对交付的制品与 SBOM 是否一致", noHash)
	add(KindInvalidPURL, csreview.SeverityLow, "have a package URL that does not parse", "has a package URL that does not parse",
		"的软件包 URL（purl）无法解析", badPURL)
	return out
}

func prohibited(p Prohibition, c *csreview.Component) bool {
	if p.Supplier != "" && strings.EqualFold(strings.TrimSpace(p.Supplier), strings.TrimSpace(c.Supplier)) {
		return true
	}
	if p.PURL == "" || c.PURL == "" {
		return false
	}
	if p.PURL == c.PURL {
		return true
	}
	// A purl without version prohibits every version.
	if !strings.Contains(p.PURL, "@") {
		base, _, _ := strings.Cut(c.PURL, "@")
		return base == p.PURL
	}
	return false
}

// graph looks at the supply structure: concentration on one supplier, the
// depth of the dependency graph, and the most depended-on components.
func graph(doc *sbom.Document, opt Options, crit criteria, ref func(*csreview.Component) *ComponentRef) []*Finding {
	var out []*Finding
	share := opt.ConcentrationShare
	if share <= 0 {
		share = 0.5
	}
	bySupplier := map[string]int{}
	named := 0
	for _, c := range doc.Components {
		if s := strings.TrimSpace(c.Supplier); s != "" {
			bySupplier[s]++
			named++
		}
	}
	if named >= 10 {
		top, topN := "", 0
		for s, k := range bySupplier {
			if k > topN || (k == topN && s < top) {
				top, topN = s, k
			}
		}
		if float64(topN)/float64(named) > share {
			out = append(out, &Finding{ID: findingID(KindConcentration, opt.SBOMName, top), Kind: KindConcentration,
				Criterion: crit[KindConcentration], Severity: csreview.SeverityMedium,
				Message: fmt.Sprintf("%s supplies %d of the %d components that name a supplier (%.0f%%): an interruption of its supply would reach most of the product",
					top, topN, named, 100*float64(topN)/float64(named)),
				MessageZH: fmt.Sprintf("在标明供应商的 %d 个组件中，%s 供应了 %d 个（%.0f%%）：其供应一旦中断，将波及产品的大部分",
					named, top, topN, 100*float64(topN)/float64(named))})
		}
	}
	byRef := map[string]*csreview.Component{}
	fanIn := map[string]int{}
	hasEdges := false
	for _, c := range doc.Components {
		byRef[c.Ref] = c
	}
	for _, c := range doc.Components {
		for _, d := range c.DependsOn {
			if _, ok := byRef[d]; ok && d != c.Ref {
				fanIn[d]++
				hasEdges = true
			}
		}
	}
	if !hasEdges {
		return out
	}
	depth := longestPath(doc.Components, byRef)
	maxDepth := opt.MaxDepth
	if maxDepth <= 0 {
		maxDepth = 12
	}
	if depth > maxDepth {
		out = append(out, &Finding{ID: findingID(KindDepth, opt.SBOMName), Kind: KindDepth, Criterion: crit[KindDepth],
			Severity: csreview.SeverityLow, Message: fmt.Sprintf("the dependency graph is %d levels deep (more than %d): transitive parts are hard to vet", depth, maxDepth),
			MessageZH: fmt.Sprintf("依赖图深达 %d 层（超过 %d 层）：间接依赖难以逐一审查", depth, maxDepth)})
	}
	type fi struct {
		ref string
		n   int
	}
	var top []fi
	// The same package listed under several refs (one per path that holds
	// it) is one component of supply: count it once, with its most
	// depended-on ref.
	best := map[string]fi{}
	for r, n := range fanIn {
		c := byRef[r]
		key := c.Name + "@" + c.Version
		if b, ok := best[key]; !ok || n > b.n || n == b.n && r < b.ref {
			best[key] = fi{r, n}
		}
	}
	for _, b := range best {
		top = append(top, b)
	}
	sort.Slice(top, func(i, j int) bool {
		if top[i].n != top[j].n {
			return top[i].n > top[j].n
		}
		return top[i].ref < top[j].ref
	})
	if len(top) > 5 {
		top = top[:5]
	}
	f := &Finding{ID: findingID(KindFanIn, opt.SBOMName), Kind: KindFanIn, Criterion: crit[KindFanIn], Severity: csreview.SeverityInfo}
	var names []string
	for _, t := range top {
		c := byRef[t.ref]
		f.Components = append(f.Components, *ref(c))
		names = append(names, fmt.Sprintf("%s (%d)", c.Name, t.n))
	}
	f.Message = fmt.Sprintf("most depended-on components, critical to supply: %s; graph depth %d", strings.Join(names, ", "), depth)
	f.MessageZH = fmt.Sprintf("被依赖最多、对供应至关重要的组件：%s；依赖图深度 %d", strings.Join(names, "、"), depth)
	return append(out, f)
}

// longestPath is the depth of the dependency graph: the longest chain of
// depends-on edges, cycles cut.
func longestPath(cs []*csreview.Component, byRef map[string]*csreview.Component) int {
	memo := map[string]int{}
	onPath := map[string]bool{}
	var depth func(ref string) int
	depth = func(ref string) int {
		if d, ok := memo[ref]; ok {
			return d
		}
		if onPath[ref] {
			return 0
		}
		onPath[ref] = true
		best := 0
		if c := byRef[ref]; c != nil {
			for _, d := range c.DependsOn {
				if _, ok := byRef[d]; ok && d != ref {
					if x := depth(d) + 1; x > best {
						best = x
					}
				}
			}
		}
		onPath[ref] = false
		memo[ref] = best
		return best
	}
	max := 0
	for _, c := range cs {
		if d := depth(c.Ref); d > max {
			max = d
		}
	}
	return max
}
