package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// TestConcurrentWrites checks that writers racing each other neither fail
// spuriously (SQLITE_BUSY, serialisation errors) nor slip past a unique key.
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(db)
		const n = 12

		t.Run("DistinctKeys", func(t *testing.T) {
			audits := f.auditTotal(t)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := &csreview.Supplier{NameZH: fmt.Sprintf("并发%d", i), Country: "CN", USCC: uscc(1000 + i)}
					errs[i] = f.s.CreateSupplier(sysCtx, s)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("writer %d: %v", i, err)
				}
			}
			if got, want := f.auditTotal(t), audits+n; got != want {
				t.Fatalf("got %v audit records, want %v", got, want)
			}
		})

		t.Run("SameKey", func(t *testing.T) {
			audits := f.auditTotal(t)
			codes := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := &csreview.Supplier{NameZH: fmt.Sprintf("抢注%d", i), Country: "CN", USCC: uscc(2000)}
					codes[i] = csreview.ErrorCode(f.s.CreateSupplier(sysCtx, s))
				}()
			}
			wg.Wait()
			won := 0
			for i, code := range codes {
				switch code {
				case "":
					won++
				case csreview.ECONFLICT:
				default:
					t.Fatalf("writer %d: got %v, want %v or success", i, code, csreview.ECONFLICT)
				}
			}
			if got, want := won, 1; got != want {
				t.Fatalf("got %v successful writers, want %v", got, want)
			}
			if got, want := f.auditTotal(t), audits+1; got != want {
				t.Fatalf("got %v audit records, want %v", got, want)
			}
		})

		t.Run("ReadersDuringWrites", func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 2*n)
			for i := range n {
				wg.Add(2)
				go func() {
					defer wg.Done()
					s := &csreview.Supplier{NameZH: fmt.Sprintf("读写%d", i), Country: "CN", USCC: uscc(3000 + i)}
					errs <- f.s.CreateSupplier(sysCtx, s)
				}()
				go func() {
					defer wg.Done()
					_, _, err := f.s.FindSuppliers(sysCtx, csreview.SupplierFilter{Query: "读写"})
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	})
}
