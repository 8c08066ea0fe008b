package web_test

import (
	"encoding/base64"
	"fmt"
	"github.com/csreview/csreview/internal/testenv"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestVersionSBOM: the supplier attaches an SBOM to its product's version;
// the components are indexed, the version can be assessed by those who may
// see unfixed vulnerabilities and by no one else.
func TestVersionSBOM(t *testing.T) {
	t.Parallel()
	testVersionSBOM(t, testenv.Shared(t, "sboms", "cyclonedx-json", "juice-shop-11.1.2.npm.cdx.json"), 1115)
}

// TestVersionSBOMOwnFixtures is TestVersionSBOM on the project's own
// fixture SBOM, which every clone has.
func TestVersionSBOMOwnFixtures(t *testing.T) {
	t.Parallel()
	testVersionSBOM(t, testenv.Own("sboms", "shop.cdx.json"), 6)
}

func testVersionSBOM(t *testing.T, file string, components int) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	forEachAPIEnv(t, func(t *testing.T, e *apiEnv) {
		pid := apiID(t, e.products, apiProdXR9000)
		p, err := e.Store.FindProductByID(adminCtx(), pid)
		if err != nil {
			t.Fatal(err)
		}
		vid := p.Versions[0].ID
		path := fmt.Sprintf("/api/v1/products/%d/versions/%d", pid, vid)
		body := map[string]any{"kind": "sbom", "name": "juice.cdx.json", "content_base64": base64.StdEncoding.EncodeToString(b)}
		if r := e.post(t, "operator", path+"/sbom", body); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("operator attaches an SBOM: %s", r)
		}
		r := e.post(t, "supplier", path+"/sbom", body)
		if r.Status != http.StatusCreated || !strings.Contains(string(r.Body), fmt.Sprintf(`"components": %d`, components)) {
			t.Fatalf("supplier attaches: %s", r)
		}
		if r := e.post(t, "supplier", path+"/sbom", map[string]any{"kind": "sbom", "name": "x", "content_base64": base64.StdEncoding.EncodeToString([]byte("not an sbom"))}); r.Status != http.StatusBadRequest {
			t.Errorf("garbage SBOM: %s", r)
		}
		for _, tc := range []struct {
			as     string
			status int
		}{{"supplier", 200}, {"office", 200}, {"expert", 403}, {"assessor", 403}, {"operator", 403}, {"association", 403}, {"regulator", 403}} {
			r := e.get(t, tc.as, path+"/assessment?regime=cac-2021")
			if r.Status != tc.status {
				t.Errorf("%s assesses the version: %d, want %d", tc.as, r.Status, tc.status)
			}
			if tc.status == 200 && !strings.Contains(string(r.Body), `"schema": "csreview.assess/v1"`) {
				t.Errorf("%s: not a report", tc.as)
			}
		}
	})
}
