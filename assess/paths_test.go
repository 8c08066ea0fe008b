package assess

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sbom"
)

func comp(ref string, deps ...string) *csreview.Component {
	return &csreview.Component{Ref: ref, Name: ref, Version: "1", DependsOn: deps}
}

func vuln(ref string, sev csreview.Severity) *Finding {
	return &Finding{Kind: KindVulnerability, Severity: sev, Component: &ComponentRef{SBOM: "s", Ref: ref, Name: ref}}
}

// TestRiskPathsShape: app → lib → bad, tool → bad as well (the shortest
// way up is through tool), an isolated risky
// component, a risky component inside a cycle no top reaches, and a fixed
// one (by VEX) that is not drawn.
func TestRiskPathsShape(t *testing.T) {
	t.Parallel()
	doc := &sbom.Document{Name: "product", Components: []*csreview.Component{
		comp("app", "lib"), comp("lib", "bad"), comp("tool", "bad"), comp("bad"),
		comp("lone"), comp("x", "y"), comp("y", "x"), comp("fine"), comp("fixed"),
	}}
	fixed := vuln("fixed", "critical")
	fixed.VEX = &VEXStatus{Status: VEXFixed}
	g := RiskPaths(doc, "s", []*Finding{vuln("bad", "high"), vuln("bad", "critical"), vuln("lone", "low"),
		vuln("y", "medium"), fixed, vuln("elsewhere", "critical")})
	if g.Risky != 3 || g.Shown != 3 || !g.HasEdges || g.TopLevel != 5 || g.Components != 9 {
		t.Fatalf("counts: %+v", g)
	}
	got := map[string]GraphNode{}
	for _, n := range g.Nodes {
		got[n.Name] = n
	}
	want := map[string]struct {
		sev   csreview.Severity
		layer int
	}{"tool": {"", 0}, "bad": {"critical", 1}, "lone": {"low", 0}, "y": {"medium", 0}}
	if len(got) != len(want) {
		t.Errorf("nodes: got %+v", g.Nodes)
	}
	for name, w := range want {
		n, ok := got[name]
		if !ok || n.Severity != w.sev || n.Layer != w.layer {
			t.Errorf("node %s: got %+v (present %v), want severity %q layer %d", name, n, ok, w.sev, w.layer)
		}
	}
	if len(g.Edges) != 1 || g.Nodes[g.Edges[0][0]].Name != "tool" || g.Nodes[g.Edges[0][1]].Name != "bad" {
		t.Errorf("edges: %v over %+v", g.Edges, g.Nodes)
	}
}

// TestRiskPathsCap: of many risky components, the worst MaxRiskyShown are
// drawn, and all are counted.
func TestRiskPathsCap(t *testing.T) {
	t.Parallel()
	doc := &sbom.Document{}
	var fs []*Finding
	for i := 0; i < 30; i++ {
		ref := string(rune('a'+i%26)) + string(rune('a'+i/26))
		doc.Components = append(doc.Components, comp(ref))
		sev := csreview.SeverityLow
		if i%10 == 0 {
			sev = csreview.SeverityCritical
		}
		fs = append(fs, vuln(ref, sev))
	}
	g := RiskPaths(doc, "s", fs)
	if g.Risky != 30 || g.Shown != MaxRiskyShown || len(g.Nodes) != MaxRiskyShown || g.HasEdges {
		t.Fatalf("got risky %d shown %d nodes %d", g.Risky, g.Shown, len(g.Nodes))
	}
	crit := 0
	for _, n := range g.Nodes {
		if n.Severity == "critical" {
			crit++
		}
	}
	if crit != 3 {
		t.Errorf("the three critical components must be among those drawn: %+v", g.Nodes)
	}
}

// TestRiskPathsReal checks, on real SBOMs and advisories, that every edge
// drawn is an edge of the SBOM and every drawn risky component is reached
// from the top level.
func TestRiskPathsReal(t *testing.T) {
	t.Parallel()
	src := testSource(t)
	for _, name := range []string{"cyclonedx-json/dropwizard-1.3.15.cdx.json", "cyclonedx-json/juice-shop-11.1.2.npm.cdx.json"} {
		f, err := os.Open(filepath.Join(testdata, "sboms", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := sbom.Parse(f, sbom.Limits{})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		res, err := Assess(doc, src, Options{Pack: pack2021(t), SBOMName: name})
		if err != nil {
			t.Fatal(err)
		}
		g := RiskPaths(doc, name, res.Findings)
		if g.Risky == 0 || g.Shown == 0 || !g.HasEdges {
			t.Fatalf("%s: nothing risky drawn: %+v", name, g)
		}
		byRef := map[string]*csreview.Component{}
		for _, c := range doc.Components {
			byRef[c.Ref] = c
		}
		into := map[int]bool{}
		for _, e := range g.Edges {
			from, to := g.Nodes[e[0]], g.Nodes[e[1]]
			found := false
			for _, d := range byRef[from.Ref].DependsOn {
				found = found || d == to.Ref
			}
			if !found {
				t.Errorf("%s: drawn edge %s → %s is not in the SBOM", name, from.Ref, to.Ref)
			}
			if to.Layer != from.Layer+1 {
				t.Errorf("%s: edge %s → %s skips layers %d → %d", name, from.Ref, to.Ref, from.Layer, to.Layer)
			}
			into[e[1]] = true
		}
		for i, n := range g.Nodes {
			if n.Layer > 0 && !into[i] {
				t.Errorf("%s: %s at layer %d has no edge in", name, n.Ref, n.Layer)
			}
		}
		t.Logf("%s: %d components, %d risky, %d drawn nodes, %d edges", name, g.Components, g.Risky, len(g.Nodes), len(g.Edges))
	}
}
