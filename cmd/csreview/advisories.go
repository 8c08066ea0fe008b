package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/sqlstore"
)

func runAdvisories(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(e.stdout, "Usage: csreview advisories import [--data DIR | --db DSN] PATH...\n\nImport OSV advisories into the store. Run 'csreview advisories import -h' for details.\n")
		return nil
	}
	if len(args) == 0 || args[0] != "import" {
		return usagef("use: csreview advisories import PATH...")
	}
	fs := newFlags(e, "advisories import", "[--data DIR | --db DSN] PATH...",
		"Import OSV records from files, directories or per-ecosystem all.zip archives. The import is\n"+
			"incremental: a record whose 'modified' time is unchanged is skipped. Withdrawn records are\n"+
			"stored but never match. Records are indexed by ecosystem and normalised package name.")
	var sf storeFlags
	sf.register(fs, e)
	batch := fs.Int("batch", 500, "records per transaction")
	if err := parse(fs, e, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("give at least one file, directory or all.zip")
	}
	if *batch < 1 {
		return usagef("--batch must be positive")
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st := sqlstore.NewStore(db)
	actx := cliActor(ctx, e)
	var stats sqlstore.ImportStats
	progress := newProgress(e)
	start := time.Now()
	// Records are read and parsed while the batch before is written: each
	// takes about half the time, and they share nothing but the batches.
	var (
		batches  = make(chan []*sqlstore.AdvisoryRow, 1)
		writing  sync.WaitGroup
		writeErr error
		failed   atomic.Bool // the writer failed: stop reading
	)
	writing.Go(func() {
		for b := range batches {
			if writeErr != nil {
				continue // what was queued before the failure is dropped
			}
			if err := st.ImportAdvisories(actx, b, &stats); err != nil {
				writeErr = err
				failed.Store(true)
				continue
			}
			progress.show(stats, start)
		}
	})
	var pending []*sqlstore.AdvisoryRow
	send := func() {
		if len(pending) > 0 {
			batches <- pending
			pending = nil
		}
	}
	var readErr error
	for _, path := range fs.Args() {
		readErr = advisory.Walk(path, advisory.Limits{}, func(r *advisory.Record, where string) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if failed.Load() {
				return errWriterFailed
			}
			pending = append(pending, sqlstore.RowOf(r))
			if len(pending) >= *batch {
				send()
			}
			return nil
		})
		if readErr != nil {
			break
		}
	}
	if readErr == nil {
		send()
	}
	close(batches)
	writing.Wait()
	if writeErr != nil {
		return writeErr
	}
	if readErr != nil {
		return readErr
	}
	progress.done()
	d := time.Since(start)
	queued := 0
	if stats.Added+stats.Updated > 0 {
		// New knowledge: every open case with an SBOM is analysed again.
		if queued, err = st.EnqueueReanalysis(actx, "advisories"); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "%d records read: %d added, %d updated, %d unchanged (%d withdrawn) in %s, %.0f records/s\n",
		stats.Read, stats.Added, stats.Updated, stats.Unchanged, stats.Withdrawn, d.Round(time.Millisecond),
		float64(stats.Read)/d.Seconds())
	if queued > 0 {
		fmt.Fprintf(e.stdout, "%d open cases queued for analysis again\n", queued)
	}
	if m := stats.Monitor; m.Alerts > 0 {
		fmt.Fprintf(e.stdout, "monitoring: %d alerts on %d product versions (%d passed review), %d inventory entries, %d webhook deliveries queued\n",
			m.Alerts, m.Alerts, m.Passed, m.Inventory, m.Webhooks)
	}
	return nil
}

// errWriterFailed stops the reading of records when their writing failed;
// the writer's error is reported.
var errWriterFailed = errors.New("the import stopped")

// progress draws a one-line progress report on a terminal, and nothing
// when the output is a file or a pipe.
type progress struct {
	e   *env
	tty bool
}

func newProgress(e *env) *progress {
	p := &progress{e: e}
	if f, ok := e.stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) show(s sqlstore.ImportStats, start time.Time) {
	if !p.tty {
		return
	}
	rate := float64(s.Read) / time.Since(start).Seconds()
	fmt.Fprintf(p.e.stderr, "\r\033[K%8d records  %6d new  %6d updated  %6d unchanged  %7.0f/s", s.Read, s.Added, s.Updated, s.Unchanged, rate)
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.e.stderr)
	}
}
