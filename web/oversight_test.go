package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/csreview/csreview"
)

// TestAPIProcurement: the operator's buyer imports its inventory as CSV,
// checks a purchase over the API, and reads the record back; bad input is
// a problem naming the row and column; others cannot ask for it.
func TestAPIProcurement(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		db := apiID(t, e.products, apiProdHengDB)
		prod := apiOK[csreview.Product](t, e.get(t, "operator", fmt.Sprintf("/api/v1/products/%d", db)), 200)
		v := prod.Versions[0]
		csv := fmt.Sprintf("product_id,version,system,amount,forecast,agreement\n%d,%s,核心账务系统,\"1,200,000\",may_affect,是\n", db, v.Version)
		csvReq := func(body string) *apiResp {
			return e.do(t, apiReq{method: "POST", path: "/api/v1/imports/inventory", as: "operator", body: body,
				header: map[string]string{"Content-Type": "text/csv; charset=utf-8"}})
		}
		got := apiOK[struct{ Items []*csreview.InventoryEntry }](t, csvReq(csv), http.StatusCreated)
		if len(got.Items) != 1 || got.Items[0].VersionID != v.ID || got.Items[0].Amount != 1_200_000 {
			t.Fatalf("imported %+v", got.Items)
		}
		entry := got.Items[0]
		apiWantProblem(t, csvReq("version_id,system\n"+fmt.Sprint(v.ID)+",ok\n"+fmt.Sprint(v.ID)+",\n"),
			http.StatusBadRequest, "invalid", "3.system")
		apiWantProblem(t, e.do(t, apiReq{method: "POST", path: "/api/v1/imports/inventory", as: "operator", body: csv}),
			http.StatusUnsupportedMediaType, "unsupported")

		r := e.post(t, "operator", "/api/v1/procurement/check", csreview.ProcurementRequest{InventoryID: entry.ID})
		a := apiOK[csreview.ProcurementAnswer](t, r, http.StatusOK)
		if a.Verdict != csreview.VerdictFileFirst || a.Required != csreview.RequiredYes || a.Status != csreview.StatusNotReviewed || a.Regime != "cac-2021" {
			t.Errorf("answer: required %s status %s verdict %s regime %s", a.Required, a.Status, a.Verdict, a.Regime)
		}
		if p := a.Part("required"); p == nil || len(p.Basis) == 0 || p.Basis[0].Cite.ZH == "" {
			t.Errorf("required part without its articles: %+v", p)
		}
		loc := r.Header.Get("Location")
		back := apiOK[csreview.ProcurementAnswer](t, e.get(t, "operator", loc), http.StatusOK)
		if back.ID != a.ID || back.Verdict != a.Verdict {
			t.Errorf("recorded answer %+v", back)
		}
		apiWantStatus(t, e.get(t, "supplier", loc), http.StatusNotFound)
		apiOK[csreview.ProcurementAnswer](t, e.get(t, "regulator", loc), http.StatusOK)
		apiWantProblem(t, e.post(t, "operator", "/api/v1/procurement/check", map[string]any{"operator_id": entry.OperatorID}),
			http.StatusBadRequest, "invalid", "version_id")
		other := apiID(t, e.operators, apiOpJinyang)
		apiWantStatus(t, e.post(t, "operator", "/api/v1/procurement/check",
			csreview.ProcurementRequest{OperatorID: other, VersionID: v.ID}), http.StatusNotFound)
	})
}
