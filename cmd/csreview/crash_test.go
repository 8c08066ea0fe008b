package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/internal/testenv"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/sqlstore/sqltest"
)

// serveEnv makes the test binary run 'csreview serve' with the arguments
// it holds (separated by \x1f): the crash test's server is a process of
// its own, so that it can be killed.
const serveEnv = "CSREVIEW_TEST_SERVE"

func init() {
	if args := os.Getenv(serveEnv); args != "" {
		csreview.DefaultArgon2 = csreview.Argon2Params{Memory: 64, Time: 1, Threads: 1}
		e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
		os.Exit(run(context.Background(), e, strings.Split(args, "\x1f")))
	}
}

// crashTrials is how many times each engine's server is killed: 20 in the
// extended mode, 3 in the default suite.
func crashTrials() int {
	if os.Getenv("CSREVIEW_TEST_EXTENDED") != "" {
		return 20
	}
	return 3
}

// TestCrashSafety runs the real server as a process of its own on each
// engine, with 32 writers at once — registering suppliers, filing cases
// and moving them, publishing decided cases to the transparency log — and
// kills it with SIGKILL at a random moment, then starts it again on the
// same database; so many times. After every restart: no write the server
// acknowledged is lost, every case's state is the one its last recorded
// transition reached, SQLite's integrity check passes, and the
// transparency log verifies and is consistent with what was seen before
// the crash.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		testenv.Skip(t, "crash safety: not in -short")
	}
	sqltest.ForEachEngine(t, func(t *testing.T, dsn string) {
		office, operator, decided := crashWorld(t, dsn)
		srv := startCrashServer(t, dsn)
		state := filepath.Join(t.TempDir(), "tlog.json")
		acked := newAckLog()
		trials := crashTrials()
		for trial := 1; trial <= trials; trial++ {
			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for w := range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := &crashClient{url: srv.url, office: office, operator: operator}
					switch {
					case w == 0:
						c.publish(ctx, acked, decided, trial)
					case w < 8:
						c.fileAndMove(ctx, acked, trial, w)
					default:
						c.register(ctx, acked, trial, w)
					}
				}()
			}
			time.Sleep(time.Duration(200+rand.IntN(1300)) * time.Millisecond)
			srv.kill(t)
			stop()
			wg.Wait()
			srv = startCrashServer(t, dsn)
			checkStore(t, dsn, trial, acked)
			if code, out, errs := cli(t, "", "verify", "--db", dsn, "--state", state); code != 0 {
				t.Fatalf("trial %d: the transparency log does not verify after the crash: %d\n%s%s", trial, code, out, errs)
			}
		}
		srv.kill(t)
		t.Logf("%d kills; %d acknowledged writes kept: %d suppliers, %d cases filed, %d transitions, %d publications",
			trials, acked.total(), len(acked.suppliers), len(acked.cases), acked.moves, len(acked.published))
	})
}

// crashWorld loads the demo into dsn and prepares what the writers need:
// API tokens for the office and the bank, and decided cases to publish.
func crashWorld(t *testing.T, dsn string) (office, operator string, decided []int64) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store := sqlstore.NewStore(db)
	today := csreview.DateOf(db.Now().In(time.FixedZone("CST", 8*3600)))
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("test"))
	if _, err := demo.LoadAll(csreview.NewContextWithUser(ctx, csreview.SystemUser("demo")), store, today); err != nil {
		t.Fatal(err)
	}
	users := map[csreview.Role]*csreview.User{}
	for _, r := range csreview.Roles {
		if users[r], err = store.FindUserByUsername(sys, string(r)); err != nil {
			t.Fatal(err)
		}
	}
	as := func(r csreview.Role) context.Context { return csreview.NewContextWithUser(ctx, users[r]) }
	_, office, err = store.CreateToken(sys, users[csreview.RoleOffice].ID, "crash", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, operator, err = store.CreateToken(sys, users[csreview.RoleOperator].ID, "crash", 0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.FindProductByID(sys, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range crashTrials() * 2 {
		c := &csreview.Case{Regime: "cac-2021", Channel: "operator_filing", Title: fmt.Sprintf("待发布 %d", i),
			SupplierID: p.SupplierID, VersionIDs: []int64{p.Versions[0].ID}}
		if err := store.CreateCase(as(csreview.RoleOperator), c, crashFiling()); err != nil {
			t.Fatal(err)
		}
		for _, st := range []struct {
			r  csreview.Role
			in csreview.CaseAction
		}{
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActAccept}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActAssignBody, BodyID: users[csreview.RoleAssessor].BodyID}},
			{csreview.RoleAssessor, csreview.CaseAction{Action: review.ActSubmitReport}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActRecommend, Consult: []string{"工业和信息化部"}, Position: "pass"}},
			{csreview.RoleMember, csreview.CaseAction{Action: review.ActMemberReply, Position: "agree"}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActCloseReplies}},
			{csreview.RoleOffice, csreview.CaseAction{Action: review.ActDecide, Position: "pass",
				Reasons: map[string]string{"cac2021.10.1": "未发现被非法控制的风险。"}}},
		} {
			if st.r == csreview.RoleAssessor {
				e := &csreview.Evidence{CaseID: c.ID, Method: "lab_test", Summary: "测试"}
				if err := store.CreateEvidence(as(csreview.RoleAssessor), e, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := store.Act(as(st.r), c.ID, st.in); err != nil {
				t.Fatalf("prepare case: %s: %v", st.in.Action, err)
			}
		}
		decided = append(decided, c.ID)
	}
	return office, operator, decided
}

func crashFiling() []csreview.FileUpload {
	return []csreview.FileUpload{{Kind: "application_form", Name: "a.pdf", Content: []byte("a")},
		{Kind: "impact_report", Name: "b.pdf", Content: []byte("b")}, {Kind: "procurement_documents", Name: "c.pdf", Content: []byte("c")}}
}

// crashServer is a server process.
type crashServer struct {
	url string
	cmd *exec.Cmd
	out *bytes.Buffer
}

func startCrashServer(t *testing.T, dsn string) *crashServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+strings.Join([]string{"serve", "--addr", addr, "--db", dsn, "--log-level", "error"}, "\x1f"))
	s := &crashServer{url: "http://" + addr, cmd: cmd, out: new(bytes.Buffer)}
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatalf("the server did not start:\n%s", s.out)
	return nil
}

// kill ends the server with SIGKILL: no shutdown, no flush.
func (s *crashServer) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
}

// ackLog is what the server acknowledged.
type ackLog struct {
	mu        sync.Mutex
	suppliers map[int64]string             // ID → name
	cases     map[int64]csreview.CaseState // ID → state last acknowledged
	moves     int
	published map[int64]bool
	// pending are the cases with a move sent but not acknowledged: the
	// server may have made it before it died; acceptTo is where a move
	// leads.
	pending  map[int64]bool
	acceptTo csreview.CaseState
}

func newAckLog() *ackLog {
	return &ackLog{suppliers: map[int64]string{}, cases: map[int64]csreview.CaseState{},
		published: map[int64]bool{}, pending: map[int64]bool{}}
}

func (a *ackLog) sending(id int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending[id] = true
}

func (a *ackLog) supplier(id int64, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.suppliers[id] = name
}

func (a *ackLog) caseAt(id int64, st csreview.CaseState, move bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cases[id] = st
	if move {
		a.moves++
		a.acceptTo = st
		delete(a.pending, id)
	}
}

func (a *ackLog) publishedCase(id int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.published[id] = true
}

func (a *ackLog) total() int { return len(a.suppliers) + len(a.cases) + a.moves + len(a.published) }

// checkStore reads the database the restarted server runs on: every
// acknowledged write is there (a case in its acknowledged state, or the
// one a move sent but unacknowledged leads to), every case's state is the
// one its last event reached, and SQLite passes its integrity check.
func checkStore(t *testing.T, dsn string, trial int, a *ackLog) {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var partial int
	if err := db.QueryRow(`SELECT COUNT(*) FROM cases c WHERE c.state <> (SELECT e.to_state FROM case_events e
		WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1)`).Scan(&partial); err != nil {
		t.Fatal(err)
	}
	if partial > 0 {
		t.Fatalf("trial %d: %d cases are in a state their last event did not reach", trial, partial)
	}
	suppliers := map[int64]string{}
	queryPairs(t, db, `SELECT id, name_zh FROM suppliers`, func(id int64, v string) { suppliers[id] = v })
	for id, name := range a.suppliers {
		if suppliers[id] != name {
			t.Fatalf("trial %d: supplier %d (%s), acknowledged, is lost", trial, id, name)
		}
	}
	states := map[int64]csreview.CaseState{}
	queryPairs(t, db, `SELECT id, state FROM cases`, func(id int64, v string) { states[id] = csreview.CaseState(v) })
	for id, want := range a.cases {
		if st := states[id]; st != want && !(a.pending[id] && (a.acceptTo == "" || st == a.acceptTo)) {
			t.Fatalf("trial %d: case %d was acknowledged in state %s, is %q", trial, id, want, st)
		}
	}
	for id := range a.published {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM list_entries WHERE case_id = $1`, id).Scan(&n); err != nil || n == 0 {
			t.Fatalf("trial %d: case %d's acknowledged publication is lost (%v)", trial, id, err)
		}
	}
	if driver == "sqlite" {
		var ok string
		if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("trial %d: integrity_check: %q %v", trial, ok, err)
		}
	}
}

// queryPairs runs a query of (id, text) rows.
func queryPairs(t *testing.T, db *sql.DB, q string, fn func(int64, string)) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		fn(id, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// crashClient is one writer.
type crashClient struct {
	url, office, operator string
}

// do sends a request and decodes a 2xx answer into out; 0 when the
// server did not answer (it was killed).
func (c *crashClient) do(ctx context.Context, method, path, token string, body, out any) int {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(ctx, method, c.url+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0 // an answer cut short is no acknowledgement
	}
	if resp.StatusCode < 300 && out != nil {
		json.Unmarshal(b, out)
	}
	return resp.StatusCode
}

// register creates suppliers until the server dies.
func (c *crashClient) register(ctx context.Context, a *ackLog, trial, w int) {
	for i := 0; ctx.Err() == nil; i++ {
		name := fmt.Sprintf("崩溃测试供应商 %d-%d-%d", trial, w, i)
		var s csreview.Supplier
		status := c.do(ctx, "POST", "/api/v1/suppliers", c.office,
			map[string]any{"name_zh": name, "country": "DE", "registration_no": fmt.Sprintf("HRB %d%02d%06d", trial, w, i)}, &s)
		if status == 0 {
			return
		}
		if status == 201 {
			a.supplier(s.ID, name)
		}
	}
}

// fileAndMove files cases as the bank and moves each through screening.
func (c *crashClient) fileAndMove(ctx context.Context, a *ackLog, trial, w int) {
	files := []map[string]string{}
	for _, f := range crashFiling() {
		files = append(files, map[string]string{"kind": f.Kind, "name": f.Name, "content_base64": base64.StdEncoding.EncodeToString(f.Content)})
	}
	for i := 0; ctx.Err() == nil; i++ {
		var cs csreview.Case
		status := c.do(ctx, "POST", "/api/v1/cases", c.operator, map[string]any{"regime": "cac-2021", "channel": "operator_filing",
			"title": fmt.Sprintf("崩溃测试 %d-%d-%d", trial, w, i), "supplier_id": 1, "version_ids": []int64{1}, "files": files}, &cs)
		if status != 201 {
			return
		}
		a.caseAt(cs.ID, cs.State, false)
		var moved struct{ Case csreview.Case }
		a.sending(cs.ID)
		if c.do(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/actions", cs.ID), c.office, map[string]any{"action": review.ActAccept}, &moved) != 200 {
			return
		}
		a.caseAt(cs.ID, moved.Case.State, true)
	}
}

// publish publishes the prepared decided cases, one after another.
func (c *crashClient) publish(ctx context.Context, a *ackLog, decided []int64, trial int) {
	for _, id := range decided[(trial-1)*2 : trial*2] {
		if ctx.Err() != nil {
			return
		}
		if c.do(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/publication", id), c.office, map[string]any{"confirm_no_basis": true}, nil) != 201 {
			return
		}
		a.publishedCase(id)
	}
}
