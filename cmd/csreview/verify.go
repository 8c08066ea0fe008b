package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/verify"
)

const verifyAbout = `Check the public lists against the signed publication log: every entry on
the lists is in the tree exactly as listed (inclusion proofs), every leaf of
the tree is accounted for by the lists, the leaves hash to the signed root,
and the tree only grew since the last checkpoint this verifier saw, which it
remembers in a state file (consistency proofs; two different trees of one
size are a fork).

The first run trusts the key the log serves and says so: compare it with the
key the Review Office publishes, or pass it with --key.

Exit code 0: everything holds. 1: something does not, each problem naming
the entry at fault, or the check could not be made. 2: bad usage.`

func runVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "verify", "--server URL | --db DSN | --data DIR [--state FILE] [--key KEY]", verifyAbout)
	server := fs.String("server", "", "a csreview server's URL, e.g. https://csreview.example")
	var sf storeFlags
	fs.StringVar(&sf.db, "db", "", "read the log from this database instead (postgres://… or a SQLite file)")
	fs.StringVar(&sf.data, "data", "", "read the log from the SQLite database in this data directory")
	statePath := fs.String("state", "", "the file that remembers the trusted key and the last checkpoint (default: in the user's config directory, one per source)")
	key := fs.String("key", "", "the log's public key (note verifier key) to trust, instead of the remembered or served one")
	if err := parse(fs, e, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	sources := 0
	for _, s := range []string{*server, sf.db, sf.data} {
		if s != "" {
			sources++
		}
	}
	if sources != 1 {
		return usagef("give exactly one of --server, --db and --data")
	}
	var src verify.Source
	var name string
	switch {
	case *server != "":
		u, err := url.Parse(*server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("--server %q: give the server's URL, e.g. https://csreview.example", *server)
		}
		name = strings.TrimRight(u.String(), "/")
		src = verify.NewHTTPSource(name)
	default:
		db, err := sqlstore.Open(ctx, sf.dsn())
		if err != nil {
			return err
		}
		defer db.Close()
		name = "db:" + redactDSN(sf.dsn())
		src = sqlstore.NewStore(db).VerifySource()
	}
	path := *statePath
	if path == "" {
		var err error
		if path, err = defaultStatePath(name); err != nil {
			return err
		}
	}
	prev, err := readState(path)
	if err != nil {
		return err
	}
	res, next, err := verify.Run(ctx, src, prev, verify.Options{Key: *key})
	if err != nil {
		return fmt.Errorf("cannot verify %s: %w", name, err)
	}
	printVerify(e, res, prev, path)
	if !res.OK() {
		return errFindings{fmt.Sprintf("%d problem(s): the public lists do not match the signed log", len(res.Problems))}
	}
	next.Source = name
	if err := writeState(path, next); err != nil {
		return err
	}
	if prev == nil || prev.Checkpoint == "" {
		fmt.Fprintln(e.stdout, "OK: every entry on the public lists is in the signed log.")
	} else {
		fmt.Fprintln(e.stdout, "OK: every entry on the public lists is in the signed log, and the log only grew since the last check.")
	}
	return nil
}

func printVerify(e *env, r *verify.Result, prev *verify.State, path string) {
	w := e.stdout
	fmt.Fprintf(w, "log       %s\n", verify.Origin)
	switch {
	case r.TrustedNew:
		fmt.Fprintf(w, "key       %s\n          trusted on first use: compare it with the key the Review Office publishes\n", r.Key)
	default:
		fmt.Fprintf(w, "key       %s\n", r.Key)
	}
	if cp := r.Checkpoint; cp != nil {
		fmt.Fprintf(w, "tree      %d leaves, root %s\n", cp.Size, cp.Hash)
		fmt.Fprintf(w, "checked   %d leaves, %d entries (%d current), %d inclusion proofs\n", r.Leaves, r.Entries, r.Current, r.Proofs)
	}
	switch {
	case prev == nil || prev.Checkpoint == "":
		fmt.Fprintln(w, "growth    first run: no earlier checkpoint to compare with")
	case r.Checkpoint != nil && r.OK():
		fmt.Fprintf(w, "growth    consistent with the tree of %d leaves seen %s\n", prev.Size, prev.CheckedAt.In(time.Local).Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(w, "state     %s\n", path)
	for _, p := range r.Problems {
		fmt.Fprintf(w, "MISMATCH  %s\n", p)
	}
}

// defaultStatePath is one state file per source under the user's config
// directory.
func defaultStatePath(source string) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", usagef("no config directory (%v): give --state FILE", err)
	}
	sum := sha256.Sum256([]byte(source))
	return filepath.Join(dir, "csreview", "verify", hex.EncodeToString(sum[:8])+".json"), nil
}

func readState(path string) (*verify.State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st verify.State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, usagef("state file %s is not a verifier state: %v", path, err)
	}
	return &st, nil
}

// writeState replaces the state file atomically.
func writeState(path string, st *verify.State) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := indent.Marshal(st)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".verify-*.json")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// redactDSN drops a password from a PostgreSQL URL.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return dsn
}
