package assess

import (
	"sort"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom"
)

// MaxRiskyShown bounds how many risky components a Graph draws paths to: an
// assessor reads the worst first, and a drawing of hundreds of paths reads
// as nothing. The rest are counted.
const MaxRiskyShown = 12

// Graph is the part of one SBOM's dependency graph that leads to its risky
// components (a vulnerability or a prohibited component or supplier): the
// shortest chain of depends-on edges from a top-level component to each of
// the worst MaxRiskyShown, for a reviewer to see how the risk enters the
// product. Nodes are in breadth-first order from the top.
type Graph struct {
	SBOM    string      `json:"sbom"`
	Subject string      `json:"subject,omitempty"`
	Nodes   []GraphNode `json:"nodes"`
	// Edges are [from, to] indices into Nodes: from depends on to.
	Edges [][2]int `json:"edges"`
	// Components counts the SBOM's components, TopLevel those nothing
	// depends on, Risky its risky components; Shown of them are drawn.
	Components int `json:"components"`
	TopLevel   int `json:"top_level"`
	Risky      int `json:"risky"`
	Shown      int `json:"shown"`
	// HasEdges is false when the SBOM records no dependencies: the risky
	// components are then drawn straight under the subject.
	HasEdges bool `json:"has_edges"`
}

// GraphNode is a component on a path to risk. Severity is the highest of
// its own counting findings ("" when it is only on the way); Layer is its
// distance from the top level (0).
type GraphNode struct {
	Ref      string            `json:"ref"`
	Name     string            `json:"name"`
	Version  string            `json:"version,omitempty"`
	Severity csreview.Severity `json:"severity,omitempty"`
	Layer    int               `json:"layer"`
}

// RiskPaths computes the Graph of doc from the findings about it.
func RiskPaths(doc *sbom.Document, name string, findings []*Finding) Graph {
	g := Graph{SBOM: name, Subject: doc.Name, Components: len(doc.Components), Nodes: []GraphNode{}, Edges: [][2]int{}}
	idx := make(map[string]int, len(doc.Components))
	for i, c := range doc.Components {
		if _, dup := idx[c.Ref]; !dup {
			idx[c.Ref] = i
		}
	}
	// Who depends on whom, both ways, over known refs only.
	parents := make([][]int, len(doc.Components))
	for i, c := range doc.Components {
		for _, d := range c.DependsOn {
			if j, ok := idx[d]; ok && j != i {
				parents[j] = append(parents[j], i)
				g.HasEdges = true
			}
		}
	}
	for i := range doc.Components {
		if len(parents[i]) == 0 {
			g.TopLevel++
		}
	}
	// The severity of each component: its worst counting finding.
	sev := map[int]csreview.Severity{}
	for _, f := range findings {
		if (f.Kind != KindVulnerability && f.Kind != KindProhibited) || !f.Counts() {
			continue
		}
		refs := f.Components
		if f.Component != nil {
			refs = append([]ComponentRef{*f.Component}, refs...)
		}
		for _, r := range refs {
			if r.SBOM != "" && r.SBOM != name {
				continue
			}
			if i, ok := idx[r.Ref]; ok && Rank(f.Severity) >= Rank(sev[i]) {
				sev[i] = f.Severity
			}
		}
	}
	risky := make([]int, 0, len(sev))
	for i := range sev {
		risky = append(risky, i)
	}
	sort.Slice(risky, func(a, b int) bool {
		x, y := risky[a], risky[b]
		if Rank(sev[x]) != Rank(sev[y]) {
			return Rank(sev[x]) > Rank(sev[y])
		}
		return doc.Components[x].Name+"@"+doc.Components[x].Version < doc.Components[y].Name+"@"+doc.Components[y].Version
	})
	g.Risky = len(risky)
	if len(risky) > MaxRiskyShown {
		risky = risky[:MaxRiskyShown]
	}
	g.Shown = len(risky)
	// The shortest way up from each risky component to the top level,
	// searched breadth first over the parents; cycles are cut by the
	// visited set.
	onPath := map[int]bool{}
	edges := map[[2]int]bool{}
	for _, r := range risky {
		prev := map[int]int{r: -1}
		queue := []int{r}
		top := r
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			if len(parents[n]) == 0 {
				top = n
				break
			}
			for _, p := range parents[n] {
				if _, seen := prev[p]; !seen {
					prev[p] = n
					queue = append(queue, p)
				}
			}
		}
		// A component reachable only through a cycle has no top: it is
		// drawn alone at the top level.
		for n := top; n != -1; n = prev[n] {
			onPath[n] = true
			if next := prev[n]; next != -1 {
				edges[[2]int{n, next}] = true
			}
		}
	}
	// Layers: distance from the top level within the drawn subgraph.
	layer := map[int]int{}
	var order []int
	children := map[int][]int{}
	hasParent := map[int]bool{}
	for e := range edges {
		children[e[0]] = append(children[e[0]], e[1])
		hasParent[e[1]] = true
	}
	var queue []int
	for n := range onPath {
		if !hasParent[n] {
			layer[n] = 0
			queue = append(queue, n)
		}
	}
	byName := func(ns []int) {
		sort.Slice(ns, func(a, b int) bool {
			x, y := doc.Components[ns[a]], doc.Components[ns[b]]
			if x.Name != y.Name {
				return x.Name < y.Name
			}
			return ns[a] < ns[b]
		})
	}
	byName(queue)
	rest := make([]int, 0, len(onPath))
	for n := range onPath {
		rest = append(rest, n)
	}
	byName(rest)
	for {
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			order = append(order, n)
			kids := children[n]
			byName(kids)
			for _, k := range kids {
				if _, seen := layer[k]; !seen {
					layer[k] = layer[n] + 1
					queue = append(queue, k)
				}
			}
		}
		// Paths joined into a cycle leave nodes no top reaches: start
		// again from the first of them.
		for len(rest) > 0 {
			if _, seen := layer[rest[0]]; !seen {
				break
			}
			rest = rest[1:]
		}
		if len(rest) == 0 {
			break
		}
		layer[rest[0]] = 0
		queue = append(queue, rest[0])
	}
	pos := map[int]int{}
	for _, n := range order {
		c := doc.Components[n]
		pos[n] = len(g.Nodes)
		g.Nodes = append(g.Nodes, GraphNode{Ref: c.Ref, Name: c.Name, Version: c.Version, Severity: sev[n], Layer: layer[n]})
	}
	for e := range edges {
		g.Edges = append(g.Edges, [2]int{pos[e[0]], pos[e[1]]})
	}
	sort.Slice(g.Edges, func(a, b int) bool {
		if g.Edges[a][0] != g.Edges[b][0] {
			return g.Edges[a][0] < g.Edges[b][0]
		}
		return g.Edges[a][1] < g.Edges[b][1]
	})
	return g
}
