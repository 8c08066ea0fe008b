// Command monitor benchmarks continuous monitoring (issue: operators and
// oversight) on a generated registry of product versions × components:
//
//   - the product versions one new advisory touches, found through the
//     component index — goal: under 50 ms;
//   - re-matching the whole registry against every testdata advisory,
//     against a plain full scan of the component table in the same run —
//     goal: at most 3×.
//
// It prints medians of -runs runs. Run it through bench/monitor.sh, which
// does both engines.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/sqlstore"
)

func main() {
	dsn := flag.String("db", "", "database (postgres://… or a SQLite file); empty: a new SQLite file in a temp dir")
	versions := flag.Int("versions", 10000, "product versions")
	components := flag.Int("components", 500, "components per version")
	runs := flag.Int("runs", 5, "runs per measurement (medians are printed)")
	testdata := flag.String("testdata", filepath.Join("..", "shared", "testdata"), "the shared testdata directory")
	flag.Parse()
	if err := run(*dsn, *versions, *components, *runs, *testdata); err != nil {
		fmt.Fprintln(os.Stderr, "bench/monitor:", err)
		os.Exit(1)
	}
}

type pkg struct{ eco, name, version string }

func run(dsn string, versions, components, runs int, testdata string) error {
	ctx := context.Background()
	var recs []*advisory.Record
	if err := advisory.Walk(filepath.Join(testdata, "advisories", "osv"), advisory.Limits{}, func(r *advisory.Record, _ string) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		return err
	}
	// Real packages the advisories name, at versions they affect where the
	// record lists some, so that matching has work to do.
	var real []pkg
	for _, r := range recs {
		for _, a := range r.Affected {
			if a.Package.Name == "" {
				continue
			}
			v := "0.0.1"
			if len(a.Versions) > 0 {
				v = a.Versions[len(a.Versions)/2]
			}
			real = append(real, pkg{a.Package.Ecosystem, advisory.NormalizeName(a.Package.Ecosystem, a.Package.Name), v})
		}
	}
	if dsn == "" {
		dir, err := os.MkdirTemp("", "csreview-bench-monitor")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "bench.db")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	fmt.Printf("engine %s; %d advisories read from testdata (%d affected packages)\n", db.Dialect, len(recs), len(real))
	start := time.Now()
	ecos := []string{"npm", "PyPI", "Maven", "Go"}
	// The redacted DSN names a SQLite file exactly; a PostgreSQL URL keeps
	// its password only in dsn.
	target := db.DSN
	if db.Dialect == sqlstore.Postgres {
		target = dsn
	}
	err = generate(ctx, target, db.Dialect, versions, components, func(v, i int) component {
		rng := rand.New(rand.NewPCG(uint64(v), uint64(i)))
		if rng.IntN(100) < 20 { // a fifth are packages the advisories name
			p := real[rng.IntN(len(real))]
			return component{Ecosystem: p.eco, Name: p.name, Version: p.version}
		}
		eco := ecos[rng.IntN(len(ecos))]
		return component{Ecosystem: eco, Name: fmt.Sprintf("pkg-%d", rng.IntN(200000)),
			Version: fmt.Sprintf("%d.%d.%d", rng.IntN(5), rng.IntN(20), rng.IntN(30))}
	})
	if err != nil {
		return err
	}
	rows := versions * components
	gen := time.Since(start)
	fmt.Printf("registry: %d versions × %d components = %d component rows, generated in %s (%.0f rows/s)\n",
		versions, components, rows, gen.Round(time.Second), float64(rows)/gen.Seconds())

	// One new advisory: the versions it touches.
	sample := recs
	if len(sample) > 25 {
		sample = sample[:25]
	}
	var per []time.Duration
	touched := 0
	for _, r := range sample {
		var ts []time.Duration
		for range runs {
			t0 := time.Now()
			h, err := db.AffectedBy(ctx, r)
			if err != nil {
				return err
			}
			ts = append(ts, time.Since(t0))
			touched = len(h)
		}
		per = append(per, median(ts))
		_ = touched
	}
	slices.Sort(per)
	fmt.Printf("one advisory → affected versions: median %s, slowest advisory %s over %d advisories (goal < 50 ms): %s\n",
		ms(median(per)), ms(per[len(per)-1]), len(per), verdict(per[len(per)-1] < 50*time.Millisecond))

	// The whole registry against every advisory, and the bare scan.
	var scans, matches []time.Duration
	pairs := 0
	for range runs {
		t0 := time.Now()
		n, err := db.ScanComponents(ctx)
		if err != nil {
			return err
		}
		scans = append(scans, time.Since(t0))
		if n != rows {
			return fmt.Errorf("scan read %d rows, want %d", n, rows)
		}
		t0 = time.Now()
		out, _, err := db.Rematch(ctx, recs)
		if err != nil {
			return err
		}
		matches = append(matches, time.Since(t0))
		pairs = 0
		for _, ids := range out {
			pairs += len(ids)
		}
	}
	ratio := median(matches).Seconds() / median(scans).Seconds()
	fmt.Printf("full scan of %d rows: median %s; re-match against %d advisories: median %s (%d version/advisory pairs); ratio %.2f (goal ≤ 3): %s\n",
		rows, ms(median(scans)), len(recs), ms(median(matches)), pairs, ratio, verdict(ratio <= 3))
	return nil
}

func median(ts []time.Duration) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
