package sbom

import (
	"slices"
	"testing"

	"github.com/csreview/csreview/internal/testenv"
)

// TestOwnFixtures reads the project's own fixture shop in both formats:
// the same components with the same purls, ecosystems and dependencies,
// and the versionless component kept, not dropped.
func TestOwnFixtures(t *testing.T) {
	t.Parallel()
	type comp struct{ name, version, eco, purl string }
	read := func(file string) (*Document, map[string]comp, map[string][]string) {
		t.Helper()
		doc, err := ParseFile(testenv.Own("sboms", file), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		comps, deps := map[string]comp{}, map[string][]string{}
		names := map[string]string{}
		for _, c := range doc.Components {
			names[c.Ref] = c.Name
		}
		for _, c := range doc.Components {
			comps[c.Name] = comp{c.Name, c.Version, c.Ecosystem, c.PURL}
			for _, d := range c.DependsOn {
				deps[c.Name] = append(deps[c.Name], names[d])
			}
			slices.Sort(deps[c.Name])
		}
		return doc, comps, deps
	}
	cdx, cdxComps, cdxDeps := read("shop.cdx.json")
	spdx, spdxComps, spdxDeps := read("shop.spdx.json")
	if cdx.Format != FormatCycloneDX || cdx.SpecVersion != "1.5" || spdx.Format != FormatSPDX || spdx.SpecVersion != "SPDX-2.3" {
		t.Fatalf("formats: %s %s, %s %s", cdx.Format, cdx.SpecVersion, spdx.Format, spdx.SpecVersion)
	}
	// The SPDX document lists the application among its packages; the
	// CycloneDX BOM has it as metadata.component.
	delete(spdxComps, "fixture-shop")
	delete(spdxDeps, "fixture-shop")
	if len(cdxComps) != 6 {
		t.Errorf("CycloneDX components: %d, want 6", len(cdxComps))
	}
	for name, c := range cdxComps {
		if spdxComps[name] != c {
			t.Errorf("%s: CycloneDX %+v, SPDX %+v", name, c, spdxComps[name])
		}
	}
	if want := (comp{"org.example.fixture:fixture-xml", "1.0.0", "Maven", "pkg:maven/org.example.fixture/fixture-xml@1.0.0"}); cdxComps[want.name] != want {
		t.Errorf("Maven component: %+v", cdxComps[want.name])
	}
	if c, ok := cdxComps["fixture-vendored"]; !ok || c.version != "" {
		t.Errorf("the versionless component: %+v (present %v)", c, ok)
	}
	if !slices.Equal(cdxDeps["fixture-http"], []string{"fixture-util"}) || !slices.Equal(spdxDeps["fixture-http"], []string{"fixture-util"}) {
		t.Errorf("fixture-http depends on: CycloneDX %v, SPDX %v", cdxDeps["fixture-http"], spdxDeps["fixture-http"])
	}
}
