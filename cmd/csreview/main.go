// Command csreview runs the cybersecurity review of network products and
// services: the server (web UI, JSON API) and the command line around it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/sqlstore"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes: 0 success, 1 failure of the work itself, 2 bad usage or input.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what commands share: where output goes and how to reach the store.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// ready, when set, receives the URL once the server listens (tests).
	ready func(url string)
}

func commands() []command {
	return []command{
		{"serve", "run the server (web UI and JSON API)", runServe},
		{"migrate", "apply database migrations", runMigrate},
		{"user", "manage accounts: create, list, disable, enable", runUser},
		{"token", "create API tokens", runToken},
		{"calendar", "working-day arithmetic: calendar add DATE N", runCalendar},
		{"regime", "the rule packs: regime list, regime show ID", runRegime},
		{"assess", "assess SBOMs against OSV advisories and VEX, findings per criterion", runAssess},
		{"advisories", "import OSV advisories: advisories import PATH...", runAdvisories},
		{"verify", "check the public lists against the signed publication log", runVerify},
		{"procurement", "may this operator buy this product? procurement check [flags]", runProcurement},
		{"version", "print the version", runVersion},
		{"help", "explain a command", nil},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// usageError is bad usage: it exits 2 after printing the command's usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// run executes a command line and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		printUsage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	name, rest := args[0], args[1:]
	if name == "help" {
		if len(rest) == 0 {
			printUsage(e.stdout)
			return exitOK
		}
		return run(ctx, e, []string{rest[0], "-h"})
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return exitCode(e, name, c.run(ctx, e, rest))
		}
	}
	fmt.Fprintf(e.stderr, "csreview: unknown command %q\n\n", name)
	printUsage(e.stderr)
	return exitUsage
}

// exitCode reports err and maps it to an exit code: usage and invalid input
// are 2, anything else 1.
func exitCode(e *env, name string, err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	}
	var ef errFindings
	if errors.As(err, &ef) {
		fmt.Fprintf(e.stderr, "csreview %s: %s\n", name, ef.msg)
		return exitFail
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "csreview %s: %s\nRun 'csreview help %s' for usage.\n", name, ue.msg, name)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "csreview %s: %s\n", name, describe(err))
	switch csreview.ErrorCode(err) {
	case csreview.EINVALID, csreview.ECONFLICT, csreview.ENOTFOUND, csreview.ETOOLARGE, csreview.EUNSUPPORTED:
		return exitUsage
	}
	return exitFail
}

// describe renders an error for the terminal: the user-safe message and the
// fields at fault, or the full chain for internal errors.
func describe(err error) string {
	if e := csreview.AsError(err); e != nil {
		var b strings.Builder
		b.WriteString(e.Message)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n  %s", f)
		}
		return b.String()
	}
	return err.Error()
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `csreview runs the national cybersecurity review of network products and
services (Cybersecurity Law Art. 35, Art. 37 from 2026-01-01; Cybersecurity
Review Measures).

Usage:
  csreview <command> [flags] [arguments]

Commands:
`)
	cs := commands()
	for _, c := range cs {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'csreview help <command>' or 'csreview <command> -h' for a command's flags.

Start a demo:   csreview serve --demo
`)
}

// newFlags returns a flag set that prints a usage header and the flags.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: csreview %s %s\n\n%s\n", name, args, about)
		var has bool
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(e.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags, turning flag errors into usage errors. -h prints the
// usage on stdout and ends the command with exit code 0.
func parse(fs *flag.FlagSet, e *env, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(e.stdout)
			out := e.stderr
			e.stderr = e.stdout
			fs.Usage()
			e.stderr = out
			return flag.ErrHelp
		}
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// storeFlags are the flags that choose the database.
type storeFlags struct {
	data string
	db   string
}

func (sf *storeFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&sf.data, "data", envOr(e, "CSREVIEW_DATA", "./csreview-data"), "data directory for the embedded SQLite database and files (env CSREVIEW_DATA)")
	fs.StringVar(&sf.db, "db", e.getenv("CSREVIEW_DB"), "database: postgres://… selects PostgreSQL; empty uses SQLite in --data (env CSREVIEW_DB)")
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// dsn is the store to open.
func (sf *storeFlags) dsn() string {
	if sf.db != "" {
		return sf.db
	}
	return filepath.Join(sf.data, "csreview.db")
}

// open opens and migrates the store.
func (sf *storeFlags) open(ctx context.Context) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, sf.dsn())
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// cliActor is the system actor of command-line changes, named after the OS
// user so that the audit log says who ran the command.
func cliActor(ctx context.Context, e *env) context.Context {
	who := e.getenv("USER")
	if who == "" {
		who = "unknown"
	}
	return csreview.NewContextWithUser(ctx, csreview.SystemUser("cli:"+who))
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "", "Print the version of csreview.")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	fmt.Fprintf(e.stdout, "csreview %s\n", version)
	return nil
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "[--data DIR | --db DSN]", "Apply the database migrations that have not been applied yet.")
	var sf storeFlags
	sf.register(fs, e)
	if err := parse(fs, e, args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, sf.dsn())
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "%s: up to date\n", db.DSN)
	}
	for _, m := range applied {
		fmt.Fprintf(e.stdout, "%s: applied %s\n", db.DSN, m)
	}
	return nil
}
