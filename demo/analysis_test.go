package demo

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/sbom"
)

// TestAnalysisInputs: the demo SBOM reads without warnings, each demo
// advisory matches exactly its fictional vendor module (one of each
// severity, and one unrated), says it is demo data, and the drawing of
// the paths reaches every one of them from the management service.
func TestAnalysisInputs(t *testing.T) {
	t.Parallel()
	file, records, err := AnalysisInputs()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sbom.Parse(bytes.NewReader(file.Content), sbom.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Warnings) != 0 || len(doc.Components) != 16 {
		t.Errorf("%d components, warnings %v", len(doc.Components), doc.Warnings)
	}
	src := assess.NewMemorySource()
	for _, r := range records {
		src.Add(r)
	}
	packs, err := regime.Packs()
	if err != nil {
		t.Fatal(err)
	}
	var pack *regime.Pack
	for _, p := range packs {
		if p.ID == "cac-2021" {
			pack = p
		}
	}
	res, err := assess.Assess(doc, src, assess.Options{Pack: pack, SBOMName: file.Name})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if f.Kind == assess.KindVulnerability {
			got = append(got, f.Advisory.ID+" "+f.Component.Name+" "+string(f.Severity))
			if !strings.Contains(f.Advisory.Summary, "Demo advisory") {
				t.Errorf("%s does not say it is demo data", f.Advisory.ID)
			}
			if !strings.HasPrefix(f.Component.Name, "git.fengsuan.example/") {
				t.Errorf("a demo advisory marks a real package: %s", f.Component.Name)
			}
		}
	}
	sort.Strings(got)
	want := "CSR-DEMO-2026-0001 git.fengsuan.example/thirdparty/jwt critical|CSR-DEMO-2026-0002 git.fengsuan.example/fs/raftlog high|" +
		"CSR-DEMO-2026-0003 git.fengsuan.example/fs/tmpl medium|CSR-DEMO-2026-0004 git.fengsuan.example/fs/nbd low|" +
		"CSR-DEMO-2026-0005 git.fengsuan.example/fs/session unrated"
	if strings.Join(got, "|") != want {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	g := assess.RiskPaths(doc, file.Name, res.Findings)
	if g.Risky != 5 || !g.HasEdges || g.Nodes[0].Name != "git.fengsuan.example/fs/fsmgr" {
		t.Errorf("graph: %+v", g)
	}
}
