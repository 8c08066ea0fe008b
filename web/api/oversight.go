package api

import (
	"fmt"
	"mime"
	"net/http"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

func (s *surface) oversightRoutes() []site.Route {
	invRes, detRes := s.OversightResources()
	var rs []site.Route
	rs = append(rs, crudRoutes(invRes, "Operators", []site.Param{
		{Name: "operator_id", Type: "integer", Description: "operator"},
		{Name: "product_id", Type: "integer", Description: "product"},
		{Name: "version_id", Type: "integer", Description: "product version"},
		site.EnumParam("sector", "CII sector (CSL Art. 31; Art. 33 from 2026-01-01)", site.Strs(csreview.Sectors)),
		site.EnumParam("stage", "planned, in use or retired", csreview.InventoryStages)}, true)...)
	rs = append(rs, crudRoutes(detRes, "Operators", []site.Param{
		site.EnumParam("sector", "CII sector (CSL Art. 31; Art. 33 from 2026-01-01)", site.Strs(csreview.Sectors)),
		{Name: "operator_id", Type: "integer", Description: "determinations that apply to this operator"},
		{Name: "product_id", Type: "integer", Description: "determinations that apply to this product"}}, true)...)
	rs = append(rs,
		site.Route{Name: "api.inventory.import", May: csreview.CanKeepInventory, Method: "POST", Pattern: "/api/v1/imports/inventory", Kind: site.KindAPI, Tag: "Operators",
			Summary:  "Import inventory entries from CSV (text/csv; header row of field names); all rows or none",
			Response: site.ListBody[csreview.InventoryEntry]{}, Status: 201, MaxBody: site.InventoryLimit, Handle: s.importInventory},
		site.Route{Name: "api.procurement.check", May: site.MayOversight, Method: "POST", Pattern: "/api/v1/procurement/check", Kind: site.KindAPI, Tag: "Operators",
			Summary: "May this operator buy this product version? Whether review is required, the product's status and the verdict, each with its articles; the answer is recorded",
			Request: csreview.ProcurementRequest{}, Response: csreview.ProcurementAnswer{}, Handle: s.checkProcurement},
		site.Route{Name: "api.procurement.checks", May: site.MayOversight, Method: "GET", Pattern: "/api/v1/procurement/checks", Kind: site.KindAPI, Tag: "Operators",
			Summary: "Recorded procurement checks, newest first", Params: withPage(
				site.Param{Name: "operator_id", Type: "integer", Description: "operator"},
				site.EnumParam("verdict", "verdict", csreview.Verdicts)),
			Response: site.ListBody[csreview.ProcurementAnswer]{}, Handle: s.procurementChecks},
		site.Route{Name: "api.procurement.checks.get", Method: "GET", Pattern: "/api/v1/procurement/checks/{id}", Kind: site.KindAPI, Tag: "Operators",
			Summary: "One recorded procurement check", Response: csreview.ProcurementAnswer{}, Handle: site.GetByID(s.Oversight.FindProcurementCheck)},
	)
	return rs
}

func (s *surface) importInventory(w http.ResponseWriter, r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		return csreview.KeyErrorf(csreview.EUNSUPPORTED, "err.media_type_csv", "Send the inventory as text/csv.")
	}
	list, err := s.ImportInventory(r.Context(), r.Body)
	if err != nil {
		return err
	}
	return site.WriteJSON(w, http.StatusCreated, site.ListBody[csreview.InventoryEntry]{Items: list, Total: len(list), Limit: len(list)})
}

func (s *surface) checkProcurement(w http.ResponseWriter, r *http.Request) error {
	var req csreview.ProcurementRequest
	if err := site.DecodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.Oversight.CheckProcurement(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/procurement/checks/%d", a.ID))
	return site.WriteJSON(w, http.StatusOK, a)
}

func (s *surface) procurementChecks(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := csreview.ProcurementFilter{OperatorID: q.Int("operator_id"), Verdict: q.OneOf("verdict", csreview.Verdicts), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Oversight.FindProcurementChecks(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, f.Page)
}
