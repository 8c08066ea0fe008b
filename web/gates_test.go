package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/csreview/csreview/sqlstore/sqltest"
)

// TestGatesDeclaredWithRoutes: the routes that refuse whole roles before
// reading the request are exactly these, each gate declared with its route.
func TestGatesDeclaredWithRoutes(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, sqltest.SQLiteDSN(t))
	var got []string
	for _, r := range e.Server.Routes() {
		if r.May != nil {
			got = append(got, r.Name)
		}
	}
	slices.Sort(got)
	want := []string{"api.alerts.list", "api.determinations.list", "api.enforcement.list", "api.inventory.create",
		"api.inventory.import", "api.inventory.list", "api.procurement.check", "api.procurement.checks", "api.products.create",
		"api.selfreviews.create", "api.webhooks.create", "api.webhooks.list", "ui.alerts", "ui.case.new", "ui.deadlines", "ui.determination.list",
		"ui.enforcement", "ui.inventory.create", "ui.inventory.import", "ui.inventory.import.form", "ui.inventory.list",
		"ui.inventory.new", "ui.procurement", "ui.procurement.check", "ui.product.create", "ui.product.new",
		"ui.selfreview.create", "ui.selfreview.form", "ui.webhooks", "ui.webhooks.create"}
	if !slices.Equal(got, want) {
		t.Errorf("gated routes:\n got %v\nwant %v", got, want)
	}
}

// TestTemplatesNameRoutes: every route a template asks "may" about is a
// route of the registry, so that a misspelt name cannot show a link
// (the "may" function refuses names that are no route).
func TestTemplatesNameRoutes(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, sqltest.SQLiteDSN(t))
	names := map[string]bool{}
	for _, r := range e.Server.Routes() {
		names[r.Name] = true
	}
	re := regexp.MustCompile(`\bmay\s+[^"}]*"([^"]+)"`)
	files, err := filepath.Glob("internal/site/templates/*/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v %v", files, err)
	}
	asked := 0
	for _, f := range append(files, "internal/site/templates/layout.html") {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			asked++
			if !names[m[1]] {
				t.Errorf("%s asks may about %q, which is no route", f, m[1])
			}
		}
	}
	if asked == 0 {
		t.Error("no template asks may about any route: the pattern is wrong")
	}
}
