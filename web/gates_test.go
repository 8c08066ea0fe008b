package web_test

import (
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
		"api.selfreviews.create", "api.webhooks.create", "api.webhooks.list", "ui.alerts", "ui.case.new", "ui.determination.list",
		"ui.enforcement", "ui.inventory.create", "ui.inventory.import", "ui.inventory.import.form", "ui.inventory.list",
		"ui.inventory.new", "ui.procurement", "ui.procurement.check", "ui.product.create", "ui.product.new",
		"ui.selfreview.create", "ui.selfreview.form", "ui.webhooks", "ui.webhooks.create"}
	if !slices.Equal(got, want) {
		t.Errorf("gated routes:\n got %v\nwant %v", got, want)
	}
}
