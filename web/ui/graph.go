package ui

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
)

// hstacked draws one horizontal stacked bar per label, the label written
// above its bar so that long criterion texts stay readable.
func hstacked(title, desc string, labels []string, ss []series) template.HTML {
	const w, rowH, left, right = 640, 46, 4, 40
	h := rowH*len(labels) + 6
	maxV := stackMax(len(labels), ss)
	var b strings.Builder
	svgOpen(&b, "chart", fmt.Sprintf("hs%x", len(title)*7919+len(labels)*31+maxV), w, h, title, desc)
	for i, l := range labels {
		y := 4 + i*rowH
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%d">%s</text>`, left, y+15, svgEsc(csreview.Clip(l, 44)))
		x, sum := float64(left), 0
		for _, s := range ss {
			v := s.Values[i]
			if v == 0 {
				continue
			}
			bw := float64(w-left-right) * float64(v) / float64(maxV)
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%d" width="%.1f" height="18"><title>%s · %s: %d</title></rect>`,
				s.Class, x, y+21, bw, svgEsc(l), svgEsc(s.Label), v)
			x += bw
			sum += v
		}
		fmt.Fprintf(&b, `<text class="val" x="%.1f" y="%d">%d</text>`, x+5, y+35, sum)
	}
	b.WriteString(`</svg>`)
	b.WriteString(legend(ss))
	return template.HTML(b.String())
}

// graphText is what a dependency-graph drawing says, in the reader's
// language.
type graphText struct {
	Title, Desc, Subject, NoEdges string
	Severity                      func(csreview.Severity) string
}

// depGraph draws the paths to a product's risky components (assess.Graph)
// as columns, one per layer, left to right from the product: the risky
// components filled in their severity's colour, the components on the way
// outlined, and every drawn edge a path to risk.
func depGraph(g assess.Graph, tx graphText) template.HTML {
	const nodeW, nodeH, colGap, rowGap, pad = 190, 28, 40, 10, 10
	layers := 0
	perLayer := map[int]int{}
	slot := make([]int, len(g.Nodes))
	for i, n := range g.Nodes {
		slot[i] = perLayer[n.Layer]
		perLayer[n.Layer]++
		layers = max(layers, n.Layer+1)
	}
	rows := 1
	for _, k := range perLayer {
		rows = max(rows, k)
	}
	w := pad*2 + (layers+1)*nodeW + layers*colGap
	h := pad*2 + rows*(nodeH+rowGap) - rowGap
	xOf := func(layer int) int { return pad + (layer+1)*(nodeW+colGap) }
	yOf := func(i int) int { return pad + slot[i]*(nodeH+rowGap) }
	var b strings.Builder
	id := fmt.Sprintf("g%x", len(g.SBOM)*7919+len(g.Nodes)*31+len(g.Edges))
	fmt.Fprintf(&b, `<svg class="depgraph" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`,
		w, h, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgEsc(tx.Title), id, svgEsc(tx.Desc))
	// The product itself, left, joined to each top-level component drawn.
	subject := g.Subject
	if subject == "" {
		subject = g.SBOM
	}
	sy := pad + (h-2*pad-nodeH)/2
	edge := func(x1, y1, x2, y2 int, class string) {
		mx := (x1 + x2) / 2
		fmt.Fprintf(&b, `<path class="%s" d="M%d %d C%d %d %d %d %d %d"/>`, class, x1, y1, mx, y1, mx, y2, x2, y2)
	}
	for i, n := range g.Nodes {
		if n.Layer == 0 {
			edge(pad+nodeW, sy+nodeH/2, xOf(0), yOf(i)+nodeH/2, "top")
		}
	}
	for _, e := range g.Edges {
		from, to := e[0], e[1]
		edge(xOf(g.Nodes[from].Layer)+nodeW, yOf(from)+nodeH/2, xOf(g.Nodes[to].Layer), yOf(to)+nodeH/2, "risk")
	}
	fmt.Fprintf(&b, `<g class="node subject"><rect x="%d" y="%d" width="%d" height="%d" rx="4"/><text x="%d" y="%d">%s</text><title>%s · %s</title></g>`,
		pad, sy, nodeW, nodeH, pad+8, sy+18, svgEsc(csreview.Clip(subject, 26)), svgEsc(tx.Subject), svgEsc(subject))
	for i, n := range g.Nodes {
		label, full := shortName(n.Name), n.Name
		if n.Version != "" {
			label += "@" + n.Version
			full += "@" + n.Version
		}
		class := "node way"
		tip := full
		if n.Severity != "" {
			class = "node sev-" + string(n.Severity)
			tip += " · " + tx.Severity(n.Severity)
		}
		x, y := xOf(n.Layer), yOf(i)
		fmt.Fprintf(&b, `<g class="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="4"/><text x="%d" y="%d">%s</text><title>%s</title></g>`,
			class, x, y, nodeW, nodeH, x+8, y+18, svgEsc(csreview.Clip(label, 26)), svgEsc(tip))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// shortName is a package's name as a box can hold it: a Maven artifact
// without its group, a path's last element (the full name is in the box's
// tooltip and in the text version of the paths).
func shortName(name string) string {
	if len([]rune(name)) <= 20 {
		return name
	}
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == ':' || r == '/' })
	if len(parts) < 2 {
		return name
	}
	last := parts[len(parts)-1]
	// A Go module's major version is not a name: github.com/x/y/v2 is y/v2.
	if len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		return parts[len(parts)-2] + "/" + last
	}
	return last
}

// riskPath is one path to a risky component, spelled out for those who
// cannot see the drawing (and for printing).
type riskPath struct {
	Severity csreview.Severity
	Chain    []string
}

// riskPaths spells out, for each risky component drawn, the chain from the
// top level down to it.
func riskPaths(g assess.Graph) []riskPath {
	parent := map[int]int{}
	for _, e := range g.Edges {
		if _, ok := parent[e[1]]; !ok {
			parent[e[1]] = e[0]
		}
	}
	label := func(n assess.GraphNode) string {
		if n.Version != "" {
			return n.Name + "@" + n.Version
		}
		return n.Name
	}
	var out []riskPath
	for i, n := range g.Nodes {
		if n.Severity == "" {
			continue
		}
		chain := []string{label(n)}
		seen := map[int]bool{i: true}
		for p, ok := parent[i]; ok && !seen[p]; p, ok = parent[p] {
			seen[p] = true
			chain = append([]string{label(g.Nodes[p])}, chain...)
		}
		out = append(out, riskPath{Severity: n.Severity, Chain: chain})
	}
	// Worst first, as the graph chose them.
	slices.SortStableFunc(out, func(a, b riskPath) int { return assess.Rank(b.Severity) - assess.Rank(a.Severity) })
	return out
}
