package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/analysis"
	"github.com/csreview/csreview/demo"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/web"
	"github.com/csreview/csreview/webhook"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[flags]", "Run the csreview server: the web UI, the JSON API under /api/v1, /healthz and /metrics.")
	var sf storeFlags
	sf.register(fs, e)
	addr := fs.String("addr", envOr(e, "CSREVIEW_ADDR", "127.0.0.1:8080"), "address to listen on (env CSREVIEW_ADDR)")
	withDemo := fs.Bool("demo", false, "load the demo data set when the database is empty")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	maxBody := fs.Int64("max-body", 1<<20, "largest request body accepted, in bytes (uploads allow more)")
	calendar := fs.String("calendar", e.getenv("CSREVIEW_CALENDAR"), "calendar file extending the shipped working-day calendar (env CSREVIEW_CALENDAR)")
	// Office practice, not law: the 2020 and 2021 Measures provide for no
	// third-party report, and "a fine of a large amount" (Administrative
	// Penalty Law Art. 63) is set by regional and departmental rules.
	reportOptional := fs.Bool("report-optional", envOr(e, "CSREVIEW_REPORT_OPTIONAL", "") == "1",
		"under the 2020/2021 Measures, let the office recommend a conclusion without a third-party report (office practice; env CSREVIEW_REPORT_OPTIONAL=1)")
	publicURL := fs.String("public-url", envOr(e, "CSREVIEW_PUBLIC_URL", ""),
		"the address the public reach the server at, e.g. https://csreview.example.gov.cn; every absolute URL it writes starts with it (env CSREVIEW_PUBLIC_URL; default http:// and --addr)")
	retention := fs.Int("retention-years", 30, "years a closed case's archive is to be kept, from the day it closed; its manifest states the date")
	hearing := fs.Int64("hearing-threshold", 0, "smallest intended fine, in yuan, that gives the right to a hearing (Administrative Penalty Law Art. 63; 0: every fine)")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	// Checked before anything is opened, so that a bad address writes
	// nothing.
	public, err := publicAddress(*publicURL, *addr)
	if err != nil {
		return err
	}
	if *retention < 1 {
		return usagef("--retention-years %d: give a number of years, 1 or more", *retention)
	}
	log, err := newLogger(e, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	rules, err := review.LoadRules(*calendar)
	if err != nil {
		return usagef("--calendar: %v", err)
	}
	// The time limits count working days (2021 Measures Art. 9, 11, 12,
	// 14); a year without its holiday notice counts only the statutory
	// holidays (National Holidays Measures Art. 2), its due dates
	// provisional. The home page and /metrics say so too.
	if missing := rules.Cal.MissingNotices(csreview.DateOf(time.Now().In(beijing))); len(missing) > 0 {
		log.Warn("the working-day calendar has no holiday notice for these years: their due dates are provisional (statutory holidays counted, make-up working days unknown); add the notice with --calendar",
			"years", fmt.Sprint(missing))
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database ready", "engine", string(db.Dialect), "dsn", db.DSN)
	store := sqlstore.NewStore(db)
	store.Rules = rules
	store.ReportOptional, store.HearingThreshold = *reportOptional, *hearing
	if *hearing < 0 {
		return usagef("--hearing-threshold must not be negative")
	}

	var accounts []demo.Account
	if *withDemo {
		if accounts, err = loadDemo(ctx, store, db); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}

	srv, err := web.New(store, db, log, web.Config{MaxBodyBytes: *maxBody, Version: version, DBStats: db.Stats, Rules: rules,
		RetentionYears: *retention, PublicURL: public})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + displayAddr(ln.Addr())
	log.Info("csreview listening", "url", url, "version", version)
	if *withDemo {
		for _, a := range accounts {
			log.Info("demo account", "username", a.Username, "password", a.Password, "role", string(a.Role), "org", a.Org)
		}
		if len(accounts) == 0 {
			log.Info("demo data already present; demo accounts use the password " + demo.Password)
		}
	}
	if e.ready != nil {
		e.ready(url)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	host, _ := os.Hostname()
	runner := &analysis.Runner{Store: store, Rules: rules, Worker: fmt.Sprintf("%s:%d", host, os.Getpid()), Log: log, Version: version}
	wctx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	go runner.Run(wctx)
	sender := &webhook.Sender{Outbox: db, Worker: runner.Worker, Log: log}
	go sender.Run(wctx)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo loads the demo data set into an empty database, and returns the
// accounts it made (none when the database already had users).
func loadDemo(ctx context.Context, store *sqlstore.Store, db *sqlstore.DB) ([]demo.Account, error) {
	sys := csreview.NewContextWithUser(ctx, csreview.SystemUser("demo"))
	_, n, err := store.FindUsers(sys, csreview.UserFilter{Page: csreview.Page{Limit: 1}})
	if err != nil || n > 0 {
		return nil, err
	}
	accounts, err := demo.LoadAll(sys, store, csreview.DateOf(db.Now().In(beijing)))
	if err != nil {
		return nil, err
	}
	return accounts, loadDemoAnalysis(sys, store)
}

// loadDemoAnalysis imports the demo's advisories and attaches its SBOM to
// the demo case in assessment; the server's analysis worker then runs it,
// as it would an upload.
func loadDemoAnalysis(ctx context.Context, store *sqlstore.Store) error {
	sbom, records, err := demo.AnalysisInputs()
	if err != nil {
		return err
	}
	rows := make([]*sqlstore.AdvisoryRow, len(records))
	for i, r := range records {
		rows[i] = sqlstore.RowOf(r)
	}
	if err := store.ImportAdvisories(ctx, rows, &sqlstore.ImportStats{}); err != nil {
		return err
	}
	cases, _, err := store.FindCases(ctx, csreview.CaseFilter{Query: demo.AnalysisCase})
	if err != nil {
		return err
	}
	if len(cases) != 1 {
		return fmt.Errorf("demo analysis: %d cases titled %s", len(cases), demo.AnalysisCase)
	}
	_, err = store.AttachAnalysisInputs(ctx, cases[0].ID, []csreview.FileUpload{sbom})
	return err
}

var beijing = time.FixedZone("CST", 8*3600)

// displayAddr is a clickable form of the listening address.
func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost:" + s[strings.LastIndexByte(s, ':')+1:]
	}
	return s
}

func newLogger(e *env, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level: use debug, info, warn or error")
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, usagef("--log-format: use text or json")
}

// publicAddress is the --public-url, checked: an absolute http or https
// URL with a host and no query or fragment. Without one, the listening
// address, for a server on one's own machine.
func publicAddress(given, addr string) (string, error) {
	if given == "" {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return "", usagef("--addr %q: %v", addr, err)
		}
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		return "http://" + net.JoinHostPort(host, port), nil
	}
	u, err := url.Parse(given)
	switch {
	case err != nil:
		return "", usagef("--public-url %q: %v", given, err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return "", usagef("--public-url %q: give an absolute http:// or https:// URL with a host", given)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", usagef("--public-url %q: no query, fragment or user information", given)
	}
	return strings.TrimRight(u.String(), "/"), nil
}
