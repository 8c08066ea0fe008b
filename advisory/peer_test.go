package advisory

import (
	"bufio"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// peerDir holds what osv-scanner v2.5.1 reported for each shared test SBOM
// (see testdata/peer/README.md; regenerate with go run ./advisory/internal/peerref).
var peerDir = filepath.Join("testdata", "peer")

// readTSV reads a peer file: "#" lines are comments, the others
// tab-separated fields, n of them.
func readTSV(t *testing.T, path string, n int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		row := strings.Split(l, "\t")
		if len(row) != n {
			t.Fatalf("%s: %q has %d fields, want %d", path, l, len(row), n)
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// peerMissesGo reports a known false negative of the peer: osv-scanner
// reads purls with packageurl-go, which lower-cases golang namespaces and
// names, so it never matches a Go module whose path has an upper-case letter
// (github.com/Azure/go-ntlmssp becomes github.com/azure/go-ntlmssp, which no
// advisory names). Go module paths are case-sensitive; csreview keeps them.
func peerMissesGo(ecosystem, name string) bool {
	return baseEcosystem(ecosystem) == "Go" && name != strings.ToLower(name)
}

// goModuleOfPURL is the module path of a pkg:golang purl.
func goModuleOfPURL(purl string) string {
	s := strings.TrimPrefix(purl, "pkg:golang/")
	s, _, _ = strings.Cut(s, "#")
	s, _, _ = strings.Cut(s, "?")
	if i := strings.LastIndex(s, "@"); i > 0 {
		s = s[:i]
	}
	if d, err := url.PathUnescape(s); err == nil {
		s = d
	}
	return s
}

// TestAffectsPeer checks Affects against osv-scanner both ways, for every
// package osv-scanner read from every shared test SBOM: each (package,
// advisory) pair it reported must be affected, and no other advisory of the
// test data may affect a package it read, except where the peer is known to
// be wrong (peerMissesGo). The peer's stdlib false positives
// (cloud.google.com/go taken for the Go standard library) are checked to be
// exactly that.
func TestAffectsPeer(t *testing.T) {
	t.Parallel()
	c := loadCorpus(t)
	files, err := filepath.Glob(filepath.Join(peerDir, "*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no peer reference files in %s (%v)", peerDir, err)
	}
	var pairs, pkgs, unresolved, missed, renamed int
	for _, file := range files {
		base := filepath.Base(file)
		t.Run(strings.TrimSuffix(base, ".tsv"), func(t *testing.T) {
			peer := map[string]bool{}
			for _, row := range readTSV(t, file, 4) {
				eco, name, version, id := row[0], row[1], row[2], row[3]
				peer[strings.Join(row, "\t")] = true
				pairs++
				r := c.byID[id]
				if r == nil {
					t.Errorf("peer reports %s for %s %s %s, which is not in the test data", id, eco, name, version)
					continue
				}
				if got, err := Affects(r, eco, name, version); !got {
					t.Errorf("peer: %s affects %s %s %s; Affects = false, %v", id, eco, name, version, err)
				}
			}
			for _, row := range readTSV(t, filepath.Join(peerDir, "packages", base), 4) {
				eco, name, version, purl := row[0], row[1], row[2], row[3]
				if eco == "" || purl == "-" {
					unresolved++ // no ecosystem, or no purl tells what the peer matched
					continue
				}
				pkgs++
				for _, r := range c.byPkg[pkgKey(eco, name)] {
					got, err := Affects(r, eco, name, version)
					if err != nil {
						t.Errorf("Affects(%s, %s %s %s): %v", r.ID, eco, name, version, err)
					}
					if !got || peer[eco+"\t"+name+"\t"+version+"\t"+r.ID] {
						continue
					}
					if peerMissesGo(eco, name) {
						missed++
						t.Logf("justified difference: %s affects %s %s %s; the peer lower-cases Go purls and misses it", r.ID, eco, name, version)
						continue
					}
					t.Errorf("Affects: %s affects %s %s %s; the peer did not report it", r.ID, eco, name, version)
				}
				if eco == "Go" && name == "stdlib" && !strings.HasPrefix(purl, "pkg:golang/stdlib@") {
					// The peer's stdlib rename: the component is the module
					// of the purl, which no stdlib advisory can affect.
					module := goModuleOfPURL(purl)
					for key := range peer {
						f := strings.Split(key, "\t")
						if f[1] != "stdlib" || f[2] != version {
							continue
						}
						renamed++
						if got, _ := Affects(c.byID[f[3]], eco, module, version); got {
							t.Errorf("%s affects %s %s, which the peer took for stdlib", f[3], module, version)
						}
					}
				}
			}
		})
	}
	t.Logf("%d peer pairs and %d packages checked (%d packages without ecosystem or purl skipped); %d peer misses on upper-case Go paths; %d peer stdlib false positives",
		pairs, pkgs, unresolved, missed, renamed)
}
