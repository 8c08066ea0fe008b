package webhook_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/sqlstore/sqltest"
	"github.com/csreview/csreview/webhook"
)

var testdata = filepath.Join("..", "..", "shared", "testdata")

// receiver is a webhook endpoint that checks every signature and fails
// each delivery's first failures attempts.
type receiver struct {
	secret   string
	failures int
	mu       sync.Mutex
	calls    int
	tries    map[string]int
	got      []map[string]any
	ids      map[string]int
	bad      []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.calls++
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(rc.secret, r.Header.Get(webhook.SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
		rc.bad = append(rc.bad, err.Error())
	}
	if rc.tries == nil {
		rc.tries = map[string]int{}
	}
	rc.tries[r.Header.Get(webhook.DeliveryHeader)]++
	if rc.tries[r.Header.Get(webhook.DeliveryHeader)] <= rc.failures {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var m map[string]any
	json.Unmarshal(body, &m)
	if rc.ids == nil {
		rc.ids = map[string]int{}
	}
	rc.ids[r.Header.Get(webhook.DeliveryHeader)]++
	rc.got = append(rc.got, m)
}

// peerIDs are the advisory IDs osv-scanner reports for an SBOM, among
// those in testdata's Maven advisories.
func peerIDs(t *testing.T, sbomName string) map[string]bool {
	f, err := os.Open(filepath.Join("..", "advisory", "testdata", "peer", sbomName+".tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) == 4 && cols[0] == "Maven" {
			if _, err := os.Stat(filepath.Join(testdata, "advisories", "osv", "Maven", cols[3]+".json")); err == nil {
				ids[cols[3]] = true
			}
		}
	}
	return ids
}

// TestMonitoringEndToEnd: a supplier's product version carries a real SBOM
// (dropwizard 1.3.15) and sits in a bank's inventory; importing testdata's
// Maven advisories raises one alert per advisory that touches it — the
// same advisories osv-scanner reports for that SBOM — and webhooks carry
// them to the supplier and the bank, signed, retried through the bank's
// receiver failing twice, never to a stranger, and given up after
// MaxAttempts to a receiver that always fails.
func TestMonitoringEndToEnd(t *testing.T) {
	t.Parallel()
	sbomBytes, err := os.ReadFile(testenv.Shared(t, "sboms", "cyclonedx-json", "dropwizard-1.3.15.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := peerIDs(t, "dropwizard-1.3.15.cdx.json")
	if len(want) == 0 {
		t.Fatal("no peer advisories for dropwizard among testdata's Maven records")
	}
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		want := maps.Clone(want)
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s := sqlstore.NewStore(db)
		sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		sup := &csreview.Supplier{NameZH: "星河网络", Country: "CN", USCC: "91110108MA01ABCD1X"}
		sup.USCC = sup.USCC[:17] + string(csreview.USCCCheck(sup.USCC[:17]))
		must(s.CreateSupplier(sys, sup))
		other := &csreview.Supplier{NameZH: "别家", Country: "DE", RegistrationNo: "HRB 1"}
		must(s.CreateSupplier(sys, other))
		prod := &csreview.Product{SupplierID: sup.ID, NameZH: "星河网关", Category: csreview.CategorySoftware,
			Versions: []*csreview.ProductVersion{{Version: "1.3.15"}}}
		must(s.CreateProduct(sys, prod))
		vid := prod.Versions[0].ID
		op := &csreview.Operator{NameZH: "海川银行", USCC: "91330102MA27WB5DK", Sector: csreview.SectorFinance, CII: true}
		op.USCC = op.USCC[:17] + string(csreview.USCCCheck(op.USCC[:17]))
		must(s.CreateOperator(sys, op))
		user := func(name string, role csreview.Role, bind func(*csreview.User)) context.Context {
			u := &csreview.User{Username: name, DisplayName: name, Role: role}
			if bind != nil {
				bind(u)
			}
			must(s.CreateUser(sys, u, "correct horse battery staple"))
			return csreview.NewContextWithUser(ctx, u)
		}
		supCtx := user("sup", csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = sup.ID })
		opCtx := user("op", csreview.RoleOperator, func(u *csreview.User) { u.OperatorID = op.ID })
		strangerCtx := user("stranger", csreview.RoleSupplier, func(u *csreview.User) { u.SupplierID = other.ID })
		officeCtx := user("office", csreview.RoleOffice, nil)
		must(s.CreateInventoryEntry(opCtx, &csreview.InventoryEntry{VersionID: vid, System: "网银前置"}))
		_, err = s.AttachVersionSBOM(supCtx, prod.ID, vid, csreview.FileUpload{Kind: "sbom", Name: "dropwizard.cdx.json", Content: sbomBytes})
		must(err)

		hook := func(ctx context.Context, failures int) *receiver {
			rc := &receiver{failures: failures}
			srv := httptest.NewServer(rc)
			t.Cleanup(srv.Close)
			w := &csreview.Webhook{URL: srv.URL}
			must(s.CreateWebhook(ctx, w))
			rc.secret = w.Secret
			return rc
		}
		supRx, opRx, strangerRx, officeRx := hook(supCtx, 0), hook(opCtx, 2), hook(strangerCtx, 0), hook(officeCtx, 1<<30)

		var st sqlstore.ImportStats
		var rows []*sqlstore.AdvisoryRow
		must(advisory.Walk(filepath.Join(testdata, "advisories", "osv", "Maven"), advisory.Limits{}, func(r *advisory.Record, _ string) error {
			row := &sqlstore.AdvisoryRow{ID: r.ID, Modified: r.Modified.UTC().Format(time.RFC3339Nano), Raw: r.Raw, Record: r}
			for _, a := range r.Affected {
				row.Packages = append(row.Packages, [2]string{a.Package.Ecosystem, advisory.NormalizeName(a.Package.Ecosystem, a.Package.Name)})
			}
			rows = append(rows, row)
			return nil
		}))
		must(s.ImportAdvisories(sys, rows, &st))
		if st.Monitor.Alerts != len(want) || st.Monitor.Inventory != len(want) || st.Monitor.Webhooks != 3*len(want) {
			t.Errorf("import touched %+v; want %d alerts, one inventory entry and three webhooks each", st.Monitor, len(want))
		}
		alerts, total, err := s.FindAlerts(officeCtx, csreview.AlertFilter{})
		must(err)
		for _, a := range alerts {
			if !want[a.Trigger] || a.VersionID != vid || len(a.Components) == 0 || len(a.OperatorIDs) != 1 {
				t.Errorf("alert %+v", a)
			}
			delete(want, a.Trigger)
		}
		if len(want) > 0 || total != len(alerts) {
			t.Errorf("advisories osv-scanner reports but no alert raised: %v", want)
		}
		if _, n, _ := s.FindAlerts(strangerCtx, csreview.AlertFilter{}); n != 0 {
			t.Errorf("a stranger sees %d alerts", n)
		}
		if a, _, _ := s.FindAlerts(supCtx, csreview.AlertFilter{}); len(a) != total || len(a[0].OperatorIDs) != 0 {
			t.Errorf("the supplier sees %d alerts, operators %v", len(a), a[0].OperatorIDs)
		}

		// Deliveries: a round sends everything due; the bank's receiver
		// fails twice, and each retry waits its backoff.
		sender := &webhook.Sender{Outbox: db, Worker: "w1", Now: func() time.Time { return time.Now() }}
		round := func() int {
			n, err := sender.RunOnce(ctx)
			must(err)
			return n
		}
		for round() > 0 {
		}
		if len(supRx.got) != total || len(opRx.got) != 0 || strangerRx.calls != 0 {
			t.Fatalf("first round: supplier got %d, bank %d, stranger %d calls", len(supRx.got), len(opRx.got), strangerRx.calls)
		}
		if round() != 0 {
			t.Error("a failed delivery was retried before its backoff")
		}
		for attempt := 1; attempt < sqlstore.MaxAttempts; attempt++ {
			now = now.Add(sqlstore.Backoff(attempt))
			for round() > 0 {
			}
		}
		if len(opRx.got) != total || opRx.calls != 3*total {
			t.Errorf("bank: %d delivered in %d calls, want %d in %d", len(opRx.got), opRx.calls, total, 3*total)
		}
		for id, n := range opRx.ids {
			if n != 1 {
				t.Errorf("delivery %s arrived %d times", id, n)
			}
		}
		for _, m := range opRx.got {
			a := m["alert"].(map[string]any)
			if ops := a["operator_ids"].([]any); len(ops) != 1 || int64(ops[0].(float64)) != op.ID {
				t.Errorf("the bank's payload names operators %v", ops)
			}
		}
		for _, m := range supRx.got {
			if _, ok := m["alert"].(map[string]any)["operator_ids"]; ok {
				t.Error("the supplier's payload names the bank")
			}
		}
		for _, rc := range []*receiver{supRx, opRx, officeRx} {
			if len(rc.bad) > 0 {
				t.Errorf("bad signatures: %v", rc.bad)
			}
		}
		hooks, err := s.FindWebhooks(officeCtx)
		must(err)
		if officeRx.calls != sqlstore.MaxAttempts*total || hooks[0].Dead != total || hooks[0].Pending != 0 || hooks[0].Secret != "" {
			t.Errorf("the always-failing receiver: %d calls, webhook %+v", officeRx.calls, hooks[0])
		}

		// Importing the same records again raises nothing new.
		st = sqlstore.ImportStats{}
		must(s.ImportAdvisories(sys, rows, &st))
		if st.Monitor.Alerts != 0 {
			t.Errorf("re-import raised %d alerts", st.Monitor.Alerts)
		}

		// A prohibited component raises alerts at once too.
		res, err := s.AddProhibition(officeCtx, &csreview.Prohibition{PURL: "pkg:maven/org.yaml/snakeyaml", Reason: "测试"})
		must(err)
		if res.Alerts != 1 || res.Inventory != 1 {
			t.Errorf("prohibition touched %+v", res)
		}
		_, err = s.AddProhibition(supCtx, &csreview.Prohibition{Supplier: "x", Reason: "y"})
		if csreview.ErrorCode(err) != csreview.EFORBIDDEN {
			t.Errorf("a supplier edits the prohibited list: %v", err)
		}
	})
}

func TestSignature(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	h := webhook.Sign("whsec_x", now, []byte(`{"a":1}`))
	if err := webhook.Verify("whsec_x", h, []byte(`{"a":1}`), now, time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		secret, header, body string
		at                   time.Time
	}{
		{"whsec_y", h, `{"a":1}`, now},
		{"whsec_x", h, `{"a":2}`, now},
		{"whsec_x", h, `{"a":1}`, now.Add(time.Hour)},
		{"whsec_x", "v1=00", `{"a":1}`, now},
	} {
		if err := webhook.Verify(tc.secret, tc.header, []byte(tc.body), tc.at, time.Minute); err == nil {
			t.Errorf("Verify(%q, %q, %q) passed", tc.secret, tc.header, tc.body)
		}
	}
}

// TestConcurrentSenders: four servers on one database deliver the outbox
// together; every delivery arrives exactly once (PostgreSQL: FOR UPDATE
// SKIP LOCKED; SQLite: one writer).
func TestConcurrentSenders(t *testing.T) {
	t.Parallel()
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		open := func() *sqlstore.DB {
			db, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		db := open()
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		s := sqlstore.NewStore(db)
		sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
		sup := &csreview.Supplier{NameZH: "黑名单厂商", Country: "DE", RegistrationNo: "HRB 9"}
		if err := s.CreateSupplier(sys, sup); err != nil {
			t.Fatal(err)
		}
		const n = 40
		for i := range n {
			p := &csreview.Product{SupplierID: sup.ID, NameZH: "产品" + strings.Repeat("x", i+1), Category: csreview.CategoryOther,
				Versions: []*csreview.ProductVersion{{Version: "1"}}}
			if err := s.CreateProduct(sys, p); err != nil {
				t.Fatal(err)
			}
		}
		office := &csreview.User{Username: "office", DisplayName: "office", Role: csreview.RoleOffice}
		if err := s.CreateUser(sys, office, "correct horse battery staple"); err != nil {
			t.Fatal(err)
		}
		octx := csreview.NewContextWithUser(ctx, office)
		rc := &receiver{}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		w := &csreview.Webhook{URL: srv.URL}
		if err := s.CreateWebhook(octx, w); err != nil {
			t.Fatal(err)
		}
		rc.secret = w.Secret
		res, err := s.AddProhibition(octx, &csreview.Prohibition{Supplier: "黑名单厂商", Reason: "受境外控制"})
		if err != nil || res.Webhooks != n {
			t.Fatalf("prohibition: %+v %v", res, err)
		}
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				snd := &webhook.Sender{Outbox: open(), Worker: "server" + strings.Repeat("-", i), Batch: 3}
				for {
					k, err := snd.RunOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if k == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		if len(rc.ids) != n || rc.calls != n {
			t.Errorf("%d deliveries in %d calls, want %d in %d", len(rc.ids), rc.calls, n, n)
		}
		for id, k := range rc.ids {
			if k != 1 {
				t.Errorf("delivery %s arrived %d times", id, k)
			}
		}
	})
}
