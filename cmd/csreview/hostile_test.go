package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview/internal/hostile"
)

// TestHostileFiles gives the command line the hostile corpus: every
// document as an SBOM to assess and as advisories to import, and the
// zip bomb and zip slip archives to import. Each must end with exit code
// 2 within a bound measured in the run (2 s, or 16 times a benign run of
// the same commands when the machine is slower than that), naming the file, and import nothing (nor write anywhere a
// zip entry points).
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	advisories := filepath.Join(dir, "osv")
	os.Mkdir(advisories, 0o755)
	write("osv/GHSA-good-good-good.json", []byte(`{"id":"GHSA-good-good-good","modified":"2024-01-01T00:00:00Z",`+
		`"affected":[{"package":{"ecosystem":"npm","name":"left-pad"},"versions":["1.0.0"]}]}`))
	data := filepath.Join(dir, "data")
	type run struct {
		name string
		args []string
	}
	var runs []run
	for _, d := range hostile.Documents() {
		p := write(d.Name, d.Data)
		runs = append(runs,
			run{"assess " + d.Name, []string{"assess", "--advisories", advisories, p}},
			run{"import " + d.Name, []string{"advisories", "import", "--data", data, p}})
	}
	// 512 MiB of zeros behind headers that claim 1,000 bytes, in a 0.5 MB
	// archive; and entries named to climb out of any directory.
	for _, sub := range []string{"bomb", "slip"} {
		os.Mkdir(filepath.Join(dir, sub), 0o755)
	}
	runs = append(runs,
		run{"import zip bomb", []string{"advisories", "import", "--data", data, write("bomb/all.zip", hostile.ZipBomb("GHSA-bomb.json", 1000, 512))}},
		run{"import zip slip", []string{"advisories", "import", "--data", data, write("slip/all.zip", hostile.ZipSlip())}})
	// The benign runs: a small SBOM assessed, a small advisory imported
	// (into a store of its own, so that the check below still sees none).
	benignSBOM := write("benign.cdx.json", []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[`+
		`{"type":"library","name":"left-pad","version":"1.0.0","purl":"pkg:npm/left-pad@1.0.0"}]}`))
	var benign time.Duration
	for _, args := range [][]string{{"assess", "--advisories", advisories, "--fail-on", "none", benignSBOM},
		{"advisories", "import", "--data", filepath.Join(dir, "benign-data"), advisories}} {
		start := time.Now()
		if code, _, errOut := cli(t, "", args...); code != 0 {
			t.Fatalf("benign %v: exit %d %s", args, code, errOut)
		}
		benign = max(benign, time.Since(start))
	}
	bound := max(2*time.Second, 16*benign)
	for _, r := range runs {
		start := time.Now()
		code, _, errOut := cli(t, "", r.args...)
		elapsed := time.Since(start)
		file := filepath.Base(r.args[len(r.args)-1])
		switch {
		case code != 2:
			t.Errorf("%s: exit %d, want 2\n%s", r.name, code, errOut)
		case elapsed > bound:
			t.Errorf("%s: took %v, want within %v (a benign run took %v)", r.name, elapsed, bound, benign)
		case !strings.Contains(errOut, file):
			t.Errorf("%s: the error does not name %s: %s", r.name, file, errOut)
		}
	}
	// Nothing was imported: assessing needs advisories the store lacks.
	good := write("good.cdx.json", []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[`+
		`{"type":"library","name":"left-pad","version":"1.0.0","purl":"pkg:npm/left-pad@1.0.0"}]}`))
	if code, _, errOut := cli(t, "", "assess", "--data", data, good); code != 2 || !strings.Contains(errOut, "advisories import") {
		t.Errorf("after the hostile imports the store holds advisories: exit %d %s", code, errOut)
	}
	for _, p := range []string{"/tmp/csreview-zipslip.json", "/etc/csreview-zipslip.json", filepath.Join(dir, "..", "csreview-zipslip.json")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a zip entry was written to %s", p)
		}
	}
}
