package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

// versionOptions offers the product versions the user may see.
func (s *surface) versionOptions(r *http.Request) []site.Option {
	list, err := s.Registry.VersionChoices(r.Context())
	if err != nil {
		return nil
	}
	lang := s.I18n.For(r).Lang
	out := make([]site.Option, len(list))
	for i, c := range list {
		name := c.ProductZH
		if lang == "en" && c.ProductEN != "" {
			name = c.ProductEN
		}
		out[i] = site.Option{Value: strconv.FormatInt(c.VersionID, 10), Label: name + " · " + c.Version}
	}
	return out
}

// oversightEntities declares the inventory and determination pages.
func (s *surface) oversightEntities() (inv, det *entityUI) {
	_, operatorRef, _ := s.refFields()
	sectors := s.localised(labelled(csreview.Sectors, "sector."))
	categories := s.localised(labelled(csreview.Categories, "cat."))
	stages := s.localised(labelled(csreview.InventoryStages, "stage."))
	forecasts := s.localised(labelled(csreview.Forecasts, "forecast."))
	productRef := field{Kind: "ref", RefPath: "/products",
		Options: refOptions(func(ctx context.Context) ([]*csreview.Product, error) {
			l, _, err := s.Registry.FindProducts(ctx, csreview.ProductFilter{Page: csreview.Page{Limit: csreview.MaxLimit}})
			return l, err
		}, func(x *csreview.Product) int64 { return x.ID }, (*csreview.Product).Name, s.I18n),
		RefName: func(r *http.Request, id int64) string {
			if x, err := s.Registry.FindProductByID(r.Context(), id); err == nil {
				return x.Name(s.I18n.For(r).Lang)
			}
			return ""
		}}
	named := func(f field, name string, required, list bool) field {
		f.Name, f.Required, f.List = name, required, list
		return f
	}
	sel := func(name string, opts func(*http.Request) []site.Option, prefix string, list bool) field {
		return field{Name: name, Kind: "select", Options: opts, LabelPrefix: prefix, List: list}
	}
	flag := func(name string, list bool) field { return field{Name: name, Kind: "bool", List: list} }
	text := func(name string, required, list bool) field {
		return field{Name: name, Kind: "text", Required: required, List: list}
	}
	inv = &entityUI{Path: "/inventory", Entity: "inventory", mayList: site.MayInventory, mayCreate: csreview.CanKeepInventory,
		Fields: []field{named(operatorRef, "operator_id", false, true),
			{Name: "version_id", Kind: "ref", Options: s.versionOptions, Required: true, List: true},
			text("system", true, true), sel("sector", sectors, "sector.", false), sel("stage", stages, "stage.", true),
			{Name: "amount", Kind: "int", List: true, Money: true}, {Name: "purchased_on", Kind: "date"},
			sel("forecast", forecasts, "forecast.", true),
			flag("commit_data", false), flag("commit_control", false), flag("commit_supply", false), text("commitments_ref", false, false),
			flag("agreement", true), {Name: "agreement_on", Kind: "date"}, text("agreement_ref", false, false),
			{Name: "notes", Kind: "textarea"}},
		Filters: []field{sel("stage", stages, "stage.", false), sel("sector", sectors, "sector.", false),
			named(operatorRef, "operator_id", false, false)},
		canCreate: csreview.CanKeepInventory,
		canEdit:   func(u *csreview.User, v any) bool { return csreview.CanWriteInventory(u, v.(*csreview.InventoryEntry)) },
		canDelete: func(u *csreview.User, v any) bool { return csreview.CanWriteInventory(u, v.(*csreview.InventoryEntry)) },
		title: func(v any, lang string) string {
			return v.(*csreview.InventoryEntry).System
		},
		extra: func(r *http.Request, v any) (any, error) {
			e := v.(*csreview.InventoryEntry)
			checks, _, err := s.Oversight.FindProcurementChecks(r.Context(), csreview.ProcurementFilter{InventoryID: e.ID,
				Page: csreview.Page{Limit: 10}})
			return inventoryExtra{Entry: e, Checks: checks}, err
		}}
	det = &entityUI{Path: "/determinations", Entity: "determination", mayList: csreview.CanListDeterminations,
		Fields: []field{sel("sector", sectors, "sector.", true), named(operatorRef, "operator_id", false, true),
			named(productRef, "product_id", false, true), sel("category", categories, "cat.", true),
			flag("affects", true), {Name: "reason", Kind: "textarea", Required: true}, {Name: "decided_on", Kind: "date", Required: true, List: true}},
		Filters: []field{sel("sector", sectors, "sector.", false)},
		canCreate: func(u *csreview.User) bool {
			return csreview.CanWriteDetermination(u, &csreview.Determination{Sector: u.Sector})
		},
		canEdit: func(u *csreview.User, v any) bool {
			return csreview.CanWriteDetermination(u, v.(*csreview.Determination))
		},
		canDelete: func(u *csreview.User, v any) bool {
			return csreview.CanWriteDetermination(u, v.(*csreview.Determination))
		},
		title: func(v any, lang string) string {
			d := v.(*csreview.Determination)
			return fmt.Sprintf("#%d · %s", d.ID, d.DecidedOn)
		}}
	return inv, det
}

type inventoryExtra struct {
	Entry  *csreview.InventoryEntry
	Checks []*csreview.ProcurementAnswer
}

func (s *surface) oversightRoutes() []site.Route {
	invRes, detRes := s.OversightResources()
	inv, det := s.oversightEntities()
	bindResource(inv, invRes)
	bindResource(det, detRes)
	rs := []site.Route{
		{Name: "ui.inventory.import.form", May: csreview.CanKeepInventory, Method: "GET", Pattern: "/inventory/import", Handle: s.importForm},
		{Name: "ui.inventory.import", May: csreview.CanKeepInventory, Method: "POST", Pattern: "/inventory/import", MaxBody: site.InventoryLimit, Handle: s.importInventory},
		{Name: "ui.procurement", May: site.MayOversight, Method: "GET", Pattern: "/procurement", Handle: s.procurement},
		{Name: "ui.procurement.check", May: site.MayOversight, Method: "POST", Pattern: "/procurement", Handle: s.checkProcurement},
		{Name: "ui.procurement.answer", Method: "GET", Pattern: "/procurement/checks/{id}", Handle: s.procurementAnswer},
	}
	rs = append(rs, s.entityRoutes(inv)...)
	rs = append(rs, s.entityRoutes(det)...)
	return rs
}
