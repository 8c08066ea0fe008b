package site

import (
	"context"
	"fmt"
	"io"
	"mime"
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

// oversightResources are the inventory and determination API resources,
// shared with their pages.
func (s *Server) oversightResources() (*resource[csreview.InventoryEntry, csreview.InventoryFilter],
	*resource[csreview.Determination, csreview.DeterminationFilter]) {
	inv := &resource[csreview.InventoryEntry, csreview.InventoryFilter]{name: "inventory", mayList: mayInventory, mayCreate: csreview.CanKeepInventory,
		find: s.oversight.FindInventoryEntry, list: s.oversight.FindInventory, create: s.oversight.CreateInventoryEntry,
		update: s.oversight.UpdateInventoryEntry, del: s.oversight.DeleteInventoryEntry,
		id: func(v *csreview.InventoryEntry) *int64 { return &v.ID },
		filter: func(q *Query) csreview.InventoryFilter {
			return csreview.InventoryFilter{Query: q.Str("q"), OperatorID: q.Int("operator_id"), ProductID: q.Int("product_id"),
				VersionID: q.Int("version_id"), Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				Stage: q.OneOf("stage", csreview.InventoryStages), Page: q.Page()}
		}}
	det := &resource[csreview.Determination, csreview.DeterminationFilter]{name: "determinations", mayList: csreview.CanListDeterminations,
		find: s.oversight.FindDetermination, list: s.oversight.FindDeterminations, create: s.oversight.CreateDetermination,
		update: s.oversight.UpdateDetermination, del: s.oversight.DeleteDetermination,
		id: func(v *csreview.Determination) *int64 { return &v.ID },
		filter: func(q *Query) csreview.DeterminationFilter {
			return csreview.DeterminationFilter{Sector: csreview.Sector(q.OneOf("sector", Strs(csreview.Sectors))),
				OperatorID: q.Int("operator_id"), ProductID: q.Int("product_id"), Page: q.Page()}
		}}
	return inv, det
}

// versionOptions offers the product versions the user may see.
func (s *Server) versionOptions(r *http.Request) []Option {
	list, err := s.registry.VersionChoices(r.Context())
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
			l, _, err := s.registry.FindProducts(ctx, csreview.ProductFilter{Page: csreview.Page{Limit: csreview.MaxLimit}})
			return l, err
		}, func(x *csreview.Product) int64 { return x.ID }, (*csreview.Product).Name, s.I18n),
		RefName: func(r *http.Request, id int64) string {
			if x, err := s.registry.FindProductByID(r.Context(), id); err == nil {
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
			checks, _, err := s.oversight.FindProcurementChecks(r.Context(), csreview.ProcurementFilter{InventoryID: e.ID,
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
// inventoryLimit bounds an inventory CSV: MaxInventoryRows rows of about
// a kilobyte, with room to spare.
const inventoryLimit = 16 << 20

func (s *Server) oversightRoutes() []Route {
	invRes, detRes := s.oversightResources()
	inv, det := s.oversightEntities()
	bindResource(inv, invRes)
	bindResource(det, detRes)
	var rs []Route
	rs = append(rs, crudRoutes(invRes, "Operators", []Param{
		{Name: "operator_id", Type: "integer", Description: "operator"},
		{Name: "product_id", Type: "integer", Description: "product"},
		{Name: "version_id", Type: "integer", Description: "product version"},
		EnumParam("sector", "CII sector (CSL Art. 31; Art. 33 from 2026-01-01)", Strs(csreview.Sectors)),
		EnumParam("stage", "planned, in use or retired", csreview.InventoryStages)}, true)...)
	rs = append(rs, crudRoutes(detRes, "Operators", []Param{
		EnumParam("sector", "CII sector (CSL Art. 31; Art. 33 from 2026-01-01)", Strs(csreview.Sectors)),
		{Name: "operator_id", Type: "integer", Description: "determinations that apply to this operator"},
		{Name: "product_id", Type: "integer", Description: "determinations that apply to this product"}}, true)...)
	rs = append(rs,
		Route{Name: "api.inventory.import", May: csreview.CanKeepInventory, Method: "POST", Pattern: "/api/v1/imports/inventory", Kind: KindAPI, Tag: "Operators",
			Summary:  "Import inventory entries from CSV (text/csv; header row of field names); all rows or none",
			Response: listBody[csreview.InventoryEntry]{}, Status: 201, MaxBody: inventoryLimit, Handle: s.apiImportInventory},
		Route{Name: "api.procurement.check", May: mayOversight, Method: "POST", Pattern: "/api/v1/procurement/check", Kind: KindAPI, Tag: "Operators",
			Summary: "May this operator buy this product version? Whether review is required, the product's status and the verdict, each with its articles; the answer is recorded",
			Request: csreview.ProcurementRequest{}, Response: csreview.ProcurementAnswer{}, Handle: s.apiCheckProcurement},
		Route{Name: "api.procurement.checks", May: mayOversight, Method: "GET", Pattern: "/api/v1/procurement/checks", Kind: KindAPI, Tag: "Operators",
			Summary: "Recorded procurement checks, newest first", Params: withPage(
				Param{Name: "operator_id", Type: "integer", Description: "operator"},
				EnumParam("verdict", "verdict", csreview.Verdicts)),
			Response: listBody[csreview.ProcurementAnswer]{}, Handle: s.apiProcurementChecks},
		Route{Name: "api.procurement.checks.get", Method: "GET", Pattern: "/api/v1/procurement/checks/{id}", Kind: KindAPI, Tag: "Operators",
			Summary: "One recorded procurement check", Response: csreview.ProcurementAnswer{}, Handle: getByID(s.oversight.FindProcurementCheck)},

		Route{Name: "ui.inventory.import.form", May: csreview.CanKeepInventory, Method: "GET", Pattern: "/inventory/import", Handle: s.uiImportForm},
		Route{Name: "ui.inventory.import", May: csreview.CanKeepInventory, Method: "POST", Pattern: "/inventory/import", MaxBody: inventoryLimit, Handle: s.uiImportInventory},
		Route{Name: "ui.procurement", May: mayOversight, Method: "GET", Pattern: "/procurement", Handle: s.uiProcurement},
		Route{Name: "ui.procurement.check", May: mayOversight, Method: "POST", Pattern: "/procurement", Handle: s.uiCheckProcurement},
		Route{Name: "ui.procurement.answer", Method: "GET", Pattern: "/procurement/checks/{id}", Handle: s.uiProcurementAnswer},
	)
	rs = append(rs, s.entityRoutes(inv)...)
	rs = append(rs, s.entityRoutes(det)...)
	return rs
}

// importInventory parses a CSV and imports it, naming rows in errors as a
// spreadsheet numbers them.
func (s *Server) importInventory(ctx context.Context, body io.Reader) ([]*csreview.InventoryEntry, error) {
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
			p, _ = s.registry.FindProductByID(ctx, row.Entry.ProductID)
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
	if err := s.oversight.ImportInventory(ctx, list); err != nil {
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

func (s *Server) apiImportInventory(w http.ResponseWriter, r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		return csreview.KeyErrorf(csreview.EUNSUPPORTED, "err.media_type_csv", "Send the inventory as text/csv.")
	}
	list, err := s.importInventory(r.Context(), r.Body)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, listBody[csreview.InventoryEntry]{Items: list, Total: len(list), Limit: len(list)})
}

func (s *Server) apiCheckProcurement(w http.ResponseWriter, r *http.Request) error {
	var req csreview.ProcurementRequest
	if err := DecodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.oversight.CheckProcurement(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/procurement/checks/%d", a.ID))
	return WriteJSON(w, http.StatusOK, a)
}

func (s *Server) apiProcurementChecks(w http.ResponseWriter, r *http.Request) error {
	q := NewQuery(r)
	f := csreview.ProcurementFilter{OperatorID: q.Int("operator_id"), Verdict: q.OneOf("verdict", csreview.Verdicts), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.oversight.FindProcurementChecks(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, f.Page)
}
