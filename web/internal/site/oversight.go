package site

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
)

// OversightServices are the operators' side of DESIGN §6: inventories,
// regulators' determinations and procurement checks.
type OversightServices interface {
	csreview.InventoryService
	csreview.DeterminationService
	csreview.ProcurementService
}

// OversightResources are the inventory and determination API resources,
// shared with their pages.
func (s *Server) OversightResources() (*Resource[csreview.InventoryEntry, csreview.InventoryFilter],
	*Resource[csreview.Determination, csreview.DeterminationFilter]) {
	inv := &Resource[csreview.InventoryEntry, csreview.InventoryFilter]{Name: "inventory", MayList: mayInventory, MayCreate: csreview.CanKeepInventory,
		find: s.Oversight.FindInventoryEntry, list: s.Oversight.FindInventory, create: s.Oversight.CreateInventoryEntry,
		update: s.Oversight.UpdateInventoryEntry, del: s.Oversight.DeleteInventoryEntry,
		id: func(v *csreview.InventoryEntry) *int64 { return &v.ID },
		filter: func(q *Query) csreview.InventoryFilter {
			return csreview.InventoryFilter{Query: q.Str("q"), OperatorID: q.Int("operator_id"), ProductID: q.Int("product_id"),
				VersionID: q.Int("version_id"), Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				Stage: q.OneOf("stage", csreview.InventoryStages), Page: q.Page()}
		}}
	det := &Resource[csreview.Determination, csreview.DeterminationFilter]{Name: "determinations", MayList: csreview.CanListDeterminations,
		find: s.Oversight.FindDetermination, list: s.Oversight.FindDeterminations, create: s.Oversight.CreateDetermination,
		update: s.Oversight.UpdateDetermination, del: s.Oversight.DeleteDetermination,
		id: func(v *csreview.Determination) *int64 { return &v.ID },
		filter: func(q *Query) csreview.DeterminationFilter {
			return csreview.DeterminationFilter{Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				OperatorID: q.Int("operator_id"), ProductID: q.Int("product_id"), Page: q.Page()}
		}}
	return inv, det
}

// versionOptions offers the product versions the user may see.
func (s *Server) versionOptions(r *http.Request) []Option {
	list, err := s.Registry.VersionChoices(r.Context())
	if err != nil {
		return nil
	}
	lang := s.I18n.For(r).Lang
	out := make([]Option, len(list))
	for i, c := range list {
		name := c.ProductZH
		if lang == "en" && c.ProductEN != "" {
			name = c.ProductEN
		}
		out[i] = Option{Value: strconv.FormatInt(c.VersionID, 10), Label: name + " · " + c.Version}
	}
	return out
}

// oversightEntities declares the inventory and determination pages.
func (s *Server) oversightEntities() (inv, det *entityUI) {
	_, operatorRef, _ := s.refFields()
	sectors := s.localised(labelled(csreview.Sectors, "sector."))
	categories := s.localised(labelled(csreview.Categories, "cat."))
	stages := s.localised(labelled(csreview.InventoryStages, "stage."))
	forecasts := s.localised(labelled(csreview.Forecasts, "forecast."))
	productRef := uiField{Kind: "ref", RefPath: "/products",
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
	named := func(f uiField, name string, required, list bool) uiField {
		f.Name, f.Required, f.List = name, required, list
		return f
	}
	sel := func(name string, opts func(*http.Request) []Option, prefix string, list bool) uiField {
		return uiField{Name: name, Kind: "select", Options: opts, LabelPrefix: prefix, List: list}
	}
	flag := func(name string, list bool) uiField { return uiField{Name: name, Kind: "bool", List: list} }
	text := func(name string, required, list bool) uiField {
		return uiField{Name: name, Kind: "text", Required: required, List: list}
	}
	inv = &entityUI{Path: "/inventory", Entity: "inventory", mayList: mayInventory, mayCreate: csreview.CanKeepInventory,
		Fields: []uiField{named(operatorRef, "operator_id", false, true),
			{Name: "version_id", Kind: "ref", Options: s.versionOptions, Required: true, List: true},
			text("system", true, true), sel("sector", sectors, "sector.", false), sel("stage", stages, "stage.", true),
			{Name: "amount", Kind: "int", List: true, Money: true}, {Name: "purchased_on", Kind: "date"},
			sel("forecast", forecasts, "forecast.", true),
			flag("commit_data", false), flag("commit_control", false), flag("commit_supply", false), text("commitments_ref", false, false),
			flag("agreement", true), {Name: "agreement_on", Kind: "date"}, text("agreement_ref", false, false),
			{Name: "notes", Kind: "textarea"}},
		Filters: []uiField{sel("stage", stages, "stage.", false), sel("sector", sectors, "sector.", false),
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
		Fields: []uiField{sel("sector", sectors, "sector.", true), named(operatorRef, "operator_id", false, true),
			named(productRef, "product_id", false, true), sel("category", categories, "cat.", true),
			flag("affects", true), {Name: "reason", Kind: "textarea", Required: true}, {Name: "decided_on", Kind: "date", Required: true, List: true}},
		Filters: []uiField{sel("sector", sectors, "sector.", false)},
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

// oversightRoutes are the API and pages of inventories, determinations and
// procurement checks.
// InventoryLimit bounds an inventory CSV: MaxInventoryRows rows of about
// a kilobyte, with room to spare.
const InventoryLimit = 16 << 20

func (s *Server) oversightUIRoutes() []Route {
	invRes, detRes := s.OversightResources()
	inv, det := s.oversightEntities()
	bindResource(inv, invRes)
	bindResource(det, detRes)
	rs := []Route{
		{Name: "ui.inventory.import.form", May: csreview.CanKeepInventory, Method: "GET", Pattern: "/inventory/import", Handle: s.uiImportForm},
		{Name: "ui.inventory.import", May: csreview.CanKeepInventory, Method: "POST", Pattern: "/inventory/import", MaxBody: InventoryLimit, Handle: s.uiImportInventory},
		{Name: "ui.procurement", May: MayOversight, Method: "GET", Pattern: "/procurement", Handle: s.uiProcurement},
		{Name: "ui.procurement.check", May: MayOversight, Method: "POST", Pattern: "/procurement", Handle: s.uiCheckProcurement},
		{Name: "ui.procurement.answer", Method: "GET", Pattern: "/procurement/checks/{id}", Handle: s.uiProcurementAnswer},
	}
	rs = append(rs, s.entityRoutes(inv)...)
	rs = append(rs, s.entityRoutes(det)...)
	return rs
}

// ImportInventory parses a CSV and imports it, naming rows in errors as a
// spreadsheet numbers them.
func (s *Server) ImportInventory(ctx context.Context, body io.Reader) ([]*csreview.InventoryEntry, error) {
	rows, err := csreview.ParseInventoryCSV(body)
	if err != nil {
		return nil, err
	}
	list := make([]*csreview.InventoryEntry, len(rows))
	products := map[int64]*csreview.Product{}
	var v csreview.Invalid
	for i, row := range rows {
		list[i] = row.Entry
		if row.Entry.VersionID != 0 || row.Version == "" {
			continue
		}
		p, ok := products[row.Entry.ProductID]
		if !ok {
			p, _ = s.Registry.FindProductByID(ctx, row.Entry.ProductID)
			products[row.Entry.ProductID] = p
		}
		if p == nil {
			v.Add(fmt.Sprintf("%d.product_id", row.Line), "unknown")
			continue
		}
		for _, ver := range p.Versions {
			if ver.Version == row.Version {
				row.Entry.VersionID = ver.ID
			}
		}
		if row.Entry.VersionID == 0 {
			v.Add(fmt.Sprintf("%d.version", row.Line), "unknown")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.Oversight.ImportInventory(ctx, list); err != nil {
		// The store counts entries; the user counts rows.
		if ae := csreview.AsError(err); ae != nil && len(list) > 1 {
			for i, f := range ae.Fields {
				if n, rest, ok := strings.Cut(f.Field, "."); ok {
					if k, err := strconv.Atoi(n); err == nil && k >= 1 && k <= len(rows) {
						ae.Fields[i].Field = strconv.Itoa(rows[k-1].Line) + "." + rest
					}
				}
			}
		}
		return nil, err
	}
	return list, nil
}
