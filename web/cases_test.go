package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/csreview/csreview"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// TestAPICases files a 2021 case as the demo operator, screens it as the
// office, and checks refusals and visibility on both engines.
func TestAPICases(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		pid := apiID(t, e.products, apiProdXR9000)
		var prod csreview.Product
		json.Unmarshal(e.get(t, "office", fmt.Sprintf("/api/v1/products/%d", pid)).Body, &prod)
		if len(prod.Versions) == 0 {
			t.Fatal("demo product has no versions")
		}
		filing := map[string]any{"regime": "cac-2021", "channel": "operator_filing", "title": "核心路由器采购",
			"supplier_id": prod.SupplierID, "version_ids": []int64{prod.Versions[0].ID}, "purchase_amount": 8000000,
			"files": []map[string]any{
				{"kind": "application_form", "name": "申报书.pdf", "content_base64": b64("form")},
				{"kind": "impact_report", "name": "分析报告.pdf", "content_base64": b64("report")},
			}}
		r := e.post(t, "operator", "/api/v1/cases", filing)
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "procurement_documents") {
			t.Fatalf("filing without the contract: %s", r)
		}
		filing["files"] = append(filing["files"].([]map[string]any),
			map[string]any{"kind": "procurement_documents", "name": "合同.pdf", "content_base64": b64("contract")})
		r = e.post(t, "operator", "/api/v1/cases", filing)
		var c csreview.Case
		if err := json.Unmarshal(r.Body, &c); err != nil || r.Status != http.StatusCreated {
			t.Fatalf("filing: %s", r)
		}
		if c.OperatorID != e.users["operator"].OperatorID || c.State != csreview.StateScreening {
			t.Errorf("filed case: %+v", c)
		}
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		for _, tc := range []struct {
			as     string
			status int
		}{{"office", 200}, {"operator", 200}, {"supplier", 200}, {"regulator", 200}, {"expert", 404}, {"member", 404}, {"assessor", 404}, {"association", 404}} {
			if r := e.get(t, tc.as, path); r.Status != tc.status {
				t.Errorf("GET case as %s: %d, want %d", tc.as, r.Status, tc.status)
			}
		}
		// The case comes with what each caller may do with it.
		for as, want := range map[string]csreview.CaseAccess{
			"office":    {Opinions: true, Evidence: true, Analysis: true, AttachInputs: true, SupplierRecord: true, DateActions: true},
			"operator":  {Complain: true},
			"supplier":  {Analysis: true, AttachInputs: true, Complain: true},
			"regulator": {},
		} {
			var got struct {
				May csreview.CaseAccess `json:"may"`
			}
			if err := json.Unmarshal(e.get(t, as, path).Body, &got); err != nil || got.May != want {
				t.Errorf("%s may: %+v, want %+v (%v)", as, got.May, want, err)
			}
		}
		// It names what is under review: the supplier, the product, the
		// version and its category.
		var subj struct {
			Subject struct {
				Supplier string `json:"supplier"`
				Versions []struct {
					ID       int64             `json:"id"`
					Product  string            `json:"product"`
					Version  string            `json:"version"`
					Category csreview.Category `json:"category"`
				} `json:"versions"`
			} `json:"subject"`
		}
		json.Unmarshal(e.get(t, "operator", path).Body, &subj)
		if sv := subj.Subject; sv.Supplier == "" || len(sv.Versions) != 1 || sv.Versions[0].ID != prod.Versions[0].ID ||
			sv.Versions[0].Product != prod.NameZH || sv.Versions[0].Version != prod.Versions[0].Version || sv.Versions[0].Category != prod.Category {
			t.Errorf("subject: %+v, want %s %s %s", sv, prod.NameZH, prod.Versions[0].Version, prod.Category)
		}
		var view struct {
			Actions []string `json:"actions"`
			Clocks  []struct {
				Clock string        `json:"clock"`
				Due   csreview.Date `json:"due"`
			} `json:"clocks"`
		}
		json.Unmarshal(e.get(t, "office", path).Body, &view)
		if !strings.Contains(strings.Join(view.Actions, " "), "accept") || len(view.Clocks) != 1 || view.Clocks[0].Clock != "screening" {
			t.Errorf("office view: %+v", view)
		}
		r = e.post(t, "office", path+"/actions", map[string]any{"action": "decide", "position": "pass"})
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), `"allowed"`) {
			t.Errorf("decide in screening: %s", r)
		}
		if r = e.post(t, "operator", path+"/actions", map[string]any{"action": "accept"}); r.Status != http.StatusForbidden {
			t.Errorf("operator accepting: %s", r)
		}
		r = e.post(t, "office", path+"/actions", map[string]any{"action": "accept"})
		json.Unmarshal(r.Body, &view)
		if r.Status != 200 || len(view.Clocks) != 2 {
			t.Fatalf("accept: %s", r)
		}
		if r := e.get(t, "supplier", path+"/opinions"); r.Status != http.StatusForbidden {
			t.Errorf("supplier reading opinions: %s", r)
		}
		r = e.post(t, "office", "/api/v1/cases", map[string]any{"regime": "cac-2017-trial", "channel": "enterprise_application",
			"title": "x", "supplier_id": prod.SupplierID, "version_ids": []int64{prod.Versions[0].ID}})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "依《网络产品和服务安全审查办法（试行）》第八条") {
			t.Errorf("excluded channel: %s", r)
		}
		// The parties file under the rules in force, today.
		r = e.post(t, "operator", "/api/v1/cases", map[string]any{"regime": "cac-2017-draft", "channel": "operator_filing",
			"title": "x", "supplier_id": prod.SupplierID, "version_ids": []int64{prod.Versions[0].ID}})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "现行") {
			t.Errorf("an operator choosing a repealed regime: %s", r)
		}
		// A supplier opens no channel under the 2021 Measures.
		r = e.post(t, "supplier", "/api/v1/cases", map[string]any{"regime": "cac-2017-draft", "channel": "enterprise_application",
			"title": "x", "supplier_id": prod.SupplierID, "version_ids": []int64{prod.Versions[0].ID}})
		if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "现行") {
			t.Errorf("a supplier filing: %s", r)
		}
	})
}

// TestAPIBodyRelation: the office records a consulting relationship, and
// the body can no longer be assigned to that operator's case.
func TestAPIBodyRelation(t *testing.T) {
	t.Parallel()
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		bid := e.users["assessor"].BodyID
		rel := map[string]any{"kind": "consulting", "operator_id": e.users["operator"].OperatorID, "on": "2025-01-01"}
		if r := e.post(t, "supplier", fmt.Sprintf("/api/v1/bodies/%d/relations", bid), rel); r.Status != http.StatusForbidden {
			t.Errorf("supplier records a relation: %s", r)
		}
		if r := e.post(t, "office", fmt.Sprintf("/api/v1/bodies/%d/relations", bid), rel); r.Status != http.StatusCreated {
			t.Fatalf("office records a relation: %s", r)
		}
		if r := e.post(t, "office", fmt.Sprintf("/api/v1/bodies/%d/relations", bid), map[string]any{"kind": "gift", "on": "x"}); r.Status != http.StatusBadRequest {
			t.Errorf("bad relation: %s", r)
		}
	})
}
