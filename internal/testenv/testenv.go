// Package testenv is the test suite's view of where it runs: the shared
// third-party test data beside the repository, the project's own fixtures
// in testdata/, a record of every test that could not run, for the
// suite's summary (test.sh prints it), and the paired timing the fast
// paths' benchmarks report their ratios with.
//
// The shared data (../shared/testdata: real SBOMs, VEX and OSV advisories)
// stays outside the repository. A fresh clone without it still tests every
// package on the project's own fixtures; the tests that need the real data
// are skipped, named in the summary, and under CI=true they fail instead,
// for there the data must be present.
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// SkipLogEnv names the file test.sh collects skipped tests in, one line
// each: the package, the test and why.
const SkipLogEnv = "CSREVIEW_SKIPLOG"

var root = sync.OnceValue(func() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
})

// Own is the path of the project's own fixture rel under testdata/ at the
// repository's root.
func Own(rel ...string) string {
	return filepath.Join(append([]string{root(), "testdata"}, rel...)...)
}

// SharedDir is the shared test data's directory: ../shared/testdata beside
// the repository.
func SharedDir() string { return filepath.Join(root(), "..", "shared", "testdata") }

// Shared returns the path rel under the shared test data. When it is
// missing, tb is skipped and recorded — or, under CI=true, failed.
func Shared(tb testing.TB, rel ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{SharedDir()}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		why := "shared test data missing: " + filepath.Join(append([]string{"../shared/testdata"}, rel...)...)
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s (CI=true: the shared data must be present)", why)
		}
		Skip(tb, why)
	}
	return p
}

// HaveShared reports whether the shared test data is there.
func HaveShared() bool {
	_, err := os.Stat(SharedDir())
	return err == nil
}

var logMu sync.Mutex

// Skip skips tb for why, after recording it in the file SkipLogEnv names.
func Skip(tb testing.TB, why string) {
	tb.Helper()
	if p := os.Getenv(SkipLogEnv); p != "" {
		logMu.Lock()
		if f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			pkg, _ := os.Getwd()
			rel, err := filepath.Rel(root(), pkg)
			if err != nil {
				rel = pkg
			}
			// One write per line: lines from packages tested side by side
			// do not interleave.
			fmt.Fprintf(f, "%s\t%s\t%s\n", filepath.ToSlash(rel), tb.Name(), why)
			f.Close()
		}
		logMu.Unlock()
	}
	tb.Skip(why)
}
