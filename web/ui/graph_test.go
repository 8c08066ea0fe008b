package ui

import (
	"strings"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
)

func TestShortName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"com.fasterxml.jackson.core:jackson-databind": "jackson-databind",
		"github.com/hashicorp/vault/api/v2":           "api/v2",
		"golang.org/x/crypto/ssh/terminal":            "terminal",
		"lodash":                                      "lodash",
		"@angular/core":                               "@angular/core",
		"@angular-devkit/build-angular":               "build-angular",
	} {
		if got := shortName(in); got != want {
			t.Errorf("shortName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDepGraph: every node and edge is drawn, the risky node carries its
// severity class and full name, and the text version follows the path.
func TestDepGraph(t *testing.T) {
	t.Parallel()
	g := assess.Graph{SBOM: "x.cdx.json", Subject: "router firmware", HasEdges: true, Risky: 1, Shown: 1,
		Nodes: []assess.GraphNode{{Ref: "a", Name: "app", Version: "1", Layer: 0},
			{Ref: "b", Name: "org.example:very-long-library-name", Version: "2.0", Layer: 1, Severity: "critical"}},
		Edges: [][2]int{{0, 1}}}
	svg := string(depGraph(g, graphText{Title: "T<", Desc: "D", Subject: "S", Severity: func(s csreview.Severity) string { return "sev:" + string(s) }}))
	for _, want := range []string{`<title id=`, `T&lt;`, `class="node sev-critical"`, `very-long-library-name@2.0`,
		`org.example:very-long-library-name@2.0 · sev:critical`, `class="risk"`, `class="top"`, `router firmware`} {
		if !strings.Contains(svg, want) {
			t.Errorf("drawing lacks %q:\n%s", want, svg)
		}
	}
	if n := strings.Count(svg, `<path `); n != 2 {
		t.Errorf("%d edges drawn, want 2 (product → app, app → library)", n)
	}
	paths := riskPaths(g)
	if len(paths) != 1 || strings.Join(paths[0].Chain, " → ") != "app@1 → org.example:very-long-library-name@2.0" {
		t.Errorf("paths: %+v", paths)
	}
}
