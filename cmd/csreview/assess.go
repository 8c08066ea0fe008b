package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/advisory"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/internal/gcpace"
	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/sbom"
	"github.com/csreview/csreview/sqlstore"
)

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func runAssess(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "assess", "[flags] SBOM...",
		"Assess SBOMs (CycloneDX JSON/XML, SPDX JSON/tag-value) against OSV advisories and the supplier's\n"+
			"VEX, and file the findings under the criteria of a regime (DESIGN §4). Exit code 0 when no\n"+
			"finding reaches --fail-on, 1 when one does, 2 on error.")
	regimeID := fs.String("regime", "cac-2021", "regime pack whose criteria the findings are filed under")
	var advDirs, vexFiles repeated
	fs.Var(&advDirs, "advisories", "OSV advisories: a directory, a file or an all.zip (repeatable); without it, the store's imported advisories (--data or --db)")
	var sf storeFlags
	sf.register(fs, e)
	fs.Var(&vexFiles, "vex", "VEX document, OpenVEX or CycloneDX (repeatable)")
	format := fs.String("format", "table", "output: table, json, sarif, html or oscal")
	maxBytes := fs.Int64("max-sbom-bytes", 256<<20, "largest SBOM read, in bytes")
	maxComponents := fs.Int("max-components", 200000, "most components read from one SBOM")
	failOn := fs.String("fail-on", "high", "exit 1 when a finding is at least this severe: critical, high, medium, low, info or none (an unrated vulnerability fails every threshold but none)")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("give at least one SBOM file")
	}
	// The collector waits until the heap reaches 16 MiB, then keeps Go's
	// pace (internal/gcpace). An assessment's live heap stays at a few
	// MiB while it reads and drops tens: at Go's 4 MiB floor a 2 MB SBOM
	// was collected 6–9 times, at this one once or twice, a tenth less
	// time for 0–2 MB more peak memory (bench/assess.sh). GOGC or
	// GOMEMLIMIT in the environment take precedence.
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		defer gcpace.Floor(16 << 20)()
	}
	if *maxBytes <= 0 || *maxComponents <= 0 {
		return usagef("--max-sbom-bytes and --max-components must be positive")
	}
	if *failOn != "none" && assess.Rank(csreview.Severity(*failOn)) == 0 {
		return usagef("--fail-on: use critical, high, medium, low, info or none")
	}
	writers := map[string]func(*assessOut) error{
		"table": func(o *assessOut) error { return assess.WriteTable(e.stdout, o.r) },
		"json": func(o *assessOut) error {
			return indent.Encode(e.stdout, o.r)
		},
		"sarif": func(o *assessOut) error { return assess.WriteSARIF(e.stdout, o.r) },
		"html":  func(o *assessOut) error { return assess.WriteHTML(e.stdout, o.r) },
		"oscal": func(o *assessOut) error { return assess.WriteOSCAL(e.stdout, o.r) },
	}
	write, ok := writers[*format]
	if !ok {
		return usagef("--format: use table, json, sarif, html or oscal")
	}
	// The SBOMs are read while the rules and the store open: neither
	// needs the other, and a large SBOM takes longer than both.
	var (
		docs     []*sbom.Document
		parseErr error
		reading  sync.WaitGroup
	)
	reading.Go(func() {
		for _, path := range fs.Args() {
			doc, err := sbom.ParseFile(path, sbom.Limits{MaxBytes: *maxBytes, MaxComponents: *maxComponents})
			if err != nil {
				parseErr = err
				return
			}
			docs = append(docs, doc)
		}
	})
	defer reading.Wait() // a return before the SBOMs are read waits for the reading
	pack, ok, err := regime.PackByID(*regimeID)
	if err != nil {
		return err
	}
	if !ok {
		return usagef("--regime: no regime %q (see 'csreview regime list')", *regimeID)
	}
	var src assess.Source
	info := assess.AdvisoryInfo{}
	if len(advDirs) > 0 {
		mem, err := assess.LoadSource(advDirs, advisory.Limits{})
		if err != nil {
			return err
		}
		src, info = mem, assess.DatabaseInfo(strings.Join(advDirs, ", "), mem.Database(), time.Now())
	} else {
		if sf.db == "" {
			if _, err := os.Stat(sf.dsn()); err != nil {
				return usagef("give --advisories DIR, or import advisories first ('csreview advisories import') and give --data or --db")
			}
		}
		db, err := sf.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		st := sqlstore.NewStore(db)
		actx := cliActor(ctx, e)
		adb, err := st.AdvisoryDatabase(actx)
		if err != nil {
			return err
		}
		if adb.Records == 0 {
			return usagef("the store at %s holds no advisories: run 'csreview advisories import' first, or give --advisories DIR", db.DSN)
		}
		src, info = st.NewAdvisorySource(actx), assess.DatabaseInfo(db.DSN, *adb, time.Now())
	}
	var statements []assess.VEXStatement
	for _, v := range vexFiles {
		st, err := assess.LoadVEX(v)
		if err != nil {
			return err
		}
		statements = append(statements, st...)
	}
	reading.Wait()
	if parseErr != nil {
		return parseErr
	}
	var names []string
	var results []*assess.Result
	for i, path := range fs.Args() {
		doc := docs[i]
		name := filepath.Base(path)
		res, err := assess.Assess(doc, src, assess.Options{Pack: pack, SBOMName: name, VEX: statements})
		if err != nil {
			return err
		}
		names, results = append(names, name), append(results, res)
	}
	r := assess.Build(pack, assess.Tool{Name: "csreview", Version: version},
		info, docs, names, results, time.Now())
	if err := write(&assessOut{r: r}); err != nil {
		return err
	}
	if r.FailsOn(*failOn) {
		what := fmt.Sprintf("highest: %s", r.Summary.Highest)
		if r.Summary.Unrated > 0 {
			what += fmt.Sprintf("; %d unrated, not known to be below it", r.Summary.Unrated)
		}
		return errFindings{fmt.Sprintf("findings reach --fail-on %s (%s)", *failOn, what)}
	}
	return nil
}

type assessOut struct{ r *assess.Report }

// errFindings ends assess with exit code 1: the work was done, and it found
// what the caller asked to fail on.
type errFindings struct{ msg string }

func (e errFindings) Error() string { return e.msg }
