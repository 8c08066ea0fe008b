package sqlstore

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/csreview/csreview/sqlstore/sqltest"
)

// BenchmarkLogAppend appends publication leaves one transaction each, as
// publishing does: the leaf, its tree hashes and a checkpoint signed with
// Ed25519 (and, on PostgreSQL, the advisory lock that keeps one appender
// at a time). It reports appends per second on each engine, onto a log
// that already holds 10,000 leaves.
//
//	go test -run XXX -bench LogAppend ./sqlstore
func BenchmarkLogAppend(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			dsn := sqltest.SQLiteDSN(b)
			if engine == "postgres" {
				dsn = sqltest.PostgresDSN(b)
			}
			ctx := context.Background()
			db, err := Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			leaf := func(i int) []byte {
				return []byte(fmt.Sprintf(`{"entry":%d,"list":"passed","product":"产品 %d","type":"publish","v":1}`, i, i))
			}
			// A log of some size first, in large transactions (not timed).
			const pre = 10000
			for start := 0; start < pre; start += 1000 {
				if err := db.write(ctx, func(tx *Tx) error {
					for i := start; i < start+1000; i++ {
						if _, err := appendLeaf(tx, leaf(i)); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				if err := db.write(ctx, func(tx *Tx) error {
					_, err := appendLeaf(tx, leaf(pre+i))
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			rate := float64(b.N) / time.Since(start).Seconds()
			b.ReportMetric(rate, "appends/s")
			if b.N > 1 {
				fmt.Fprintf(os.Stderr, "log append (%s): %.0f appends/s, each a transaction with a signed checkpoint, onto %d leaves\n",
					engine, rate, pre)
			}
		})
	}
}
