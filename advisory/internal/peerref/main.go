// Command peerref records what the peer, osv-scanner v2.5.1 run offline on
// csreview's shared OSV test data, reports for each test SBOM, as reference
// data for the advisory matcher's tests.
//
// Run it from the module root:
//
//	go run ./advisory/internal/peerref
//
// For every SBOM under <testdata>/sboms it runs
// shared/peer/osv-scanner-offline.sh twice: as is, for the exit code and the
// (ecosystem, package, version, advisory ID) pairs, written sorted to
// advisory/testdata/peer/<SBOM file name>.tsv; and with --all-packages, for
// every package the peer read, written to
// advisory/testdata/peer/packages/<SBOM file name>.tsv. Both runs must
// report the same pairs. It then writes advisory/testdata/peer/README.md with
// a table per SBOM, compared with the reference table of
// shared/testdata/README.md.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const peerVersion = "osv-scanner v2.5.1"

func main() {
	home, _ := os.UserHomeDir()
	scanner := os.Getenv("OSV_SCANNER")
	if scanner == "" {
		scanner = filepath.Join(home, ".cache", "csreview-peer", "osv-scanner")
	}
	testdata := flag.String("testdata", filepath.Join("..", "shared", "testdata"), "shared test data folder (sboms/, advisories/osv/, README.md)")
	script := flag.String("script", filepath.Join("..", "shared", "peer", "osv-scanner-offline.sh"), "the peer's offline wrapper")
	flag.StringVar(&scanner, "scanner", scanner, "osv-scanner v2.5.1 binary")
	out := flag.String("out", filepath.Join("advisory", "testdata", "peer"), "output folder")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02"), "date written in the headers")
	only := flag.String("only", "", "run only the SBOMs whose file name contains this")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("peerref: ")

	if err := checkVersion(scanner); err != nil {
		log.Fatal(err)
	}
	sboms, err := findSBOMs(filepath.Join(*testdata, "sboms"))
	if err != nil {
		log.Fatal(err)
	}
	ref, err := readReferenceTable(filepath.Join(*testdata, "README.md"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(*out, "packages"), 0o755); err != nil {
		log.Fatal(err)
	}
	var rows []row
	for _, s := range sboms {
		if *only != "" && !strings.Contains(filepath.Base(s), *only) {
			continue
		}
		r, err := scan(*script, scanner, *testdata, s)
		if err != nil {
			log.Fatal(err)
		}
		r.ref = ref[r.rel]
		rows = append(rows, r)
		log.Printf("%s: exit %d, %d packages, %d pairs", r.rel, r.exit, len(r.packages), len(r.pairs))
		base := filepath.Base(s)
		head := fmt.Sprintf("# %s offline (shared/peer/osv-scanner-offline.sh) on %s, %s: exit %d; columns: ecosystem, package, version, advisory ID", peerVersion, *date, r.rel, r.exit)
		if err := writeTSV(filepath.Join(*out, base+".tsv"), head, r.pairs); err != nil {
			log.Fatal(err)
		}
		head = fmt.Sprintf("# %s offline --all-packages on %s, %s: exit %d; every package it read; columns: ecosystem, package, version, purl (- when no purl of the SBOM gives this name and version)", peerVersion, *date, r.rel, r.exit)
		if err := writeTSV(filepath.Join(*out, "packages", base+".tsv"), head, r.packages); err != nil {
			log.Fatal(err)
		}
	}
	if *only == "" {
		if err := writeREADME(filepath.Join(*out, "README.md"), *date, rows); err != nil {
			log.Fatal(err)
		}
	}
}

func checkVersion(scanner string) error {
	outb, err := exec.Command(scanner, "--version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s --version: %v (install: GOBIN=$HOME/.cache/csreview-peer go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.1)", scanner, err)
	}
	if !strings.Contains(string(outb), "2.5.1") {
		return fmt.Errorf("%s is not %s:\n%s", scanner, peerVersion, outb)
	}
	return nil
}

func findSBOMs(dir string) ([]string, error) {
	var files []string
	seen := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if prev, ok := seen[d.Name()]; ok {
			return fmt.Errorf("two SBOMs named %s: %s and %s", d.Name(), prev, p)
		}
		seen[d.Name()] = p
		files = append(files, p)
		return nil
	})
	slices.Sort(files)
	return files, err
}

type row struct {
	rel                string // sboms/<rel>
	exit               int
	read               int // "found N packages"
	withVulns, pkgVuln int // packages with vulns; (package, vuln) rows, repeats counted
	pairs, packages    []string
	advisories         int
	fakeStdlib         int // pairs of a package the peer took for stdlib
	note               string
	ref                *refRow
}

var (
	foundRE    = regexp.MustCompile(`and found (\d+) packages?`)
	sbomPathRE = regexp.MustCompile(`\S*/sboms/`)
)

func scan(script, scanner, testdata, sbom string) (row, error) {
	rel, _ := filepath.Rel(filepath.Join(testdata, "sboms"), sbom)
	r := row{rel: filepath.ToSlash(rel)}
	plain, err := run(script, scanner, testdata, sbom, "")
	if err != nil {
		return r, err
	}
	all, err := run(script, scanner, testdata, sbom, "--all-packages")
	if err != nil {
		return r, err
	}
	if plain.exit != all.exit {
		return r, fmt.Errorf("%s: exit %d, but %d with --all-packages", r.rel, plain.exit, all.exit)
	}
	r.exit = plain.exit
	if m := foundRE.FindStringSubmatch(plain.stderr); m != nil {
		r.read, _ = strconv.Atoi(m[1])
	}
	if r.exit == 127 {
		// Name the file as the shared README does, not by this machine's path.
		r.note = sbomPathRE.ReplaceAllString(firstError(plain.stderr), "sboms/")
	}
	if r.exit == 0 || r.exit == 1 {
		res, err := decode(plain.stdout)
		if err != nil {
			return r, fmt.Errorf("%s: %v", r.rel, err)
		}
		resAll, err := decode(all.stdout)
		if err != nil {
			return r, fmt.Errorf("%s (--all-packages): %v", r.rel, err)
		}
		text, err := os.ReadFile(sbom)
		if err != nil {
			return r, err
		}
		purls, err := sbomPURLs(sbom, text)
		if err != nil {
			return r, err
		}
		advs := map[string]bool{}
		for _, p := range res.packages() {
			if len(p.Vulnerabilities) > 0 {
				r.withVulns++
			}
			for _, v := range p.Vulnerabilities {
				r.pkgVuln++
				advs[v.ID] = true
				r.pairs = append(r.pairs, pairLines(p.Package, v, purls)...)
			}
		}
		r.advisories = len(advs)
		r.pairs = sortUniq(r.pairs)
		var pairsAll []string
		for _, p := range resAll.packages() {
			r.packages = append(r.packages, packageLines(p.Package, purls)...)
			for _, v := range p.Vulnerabilities {
				pairsAll = append(pairsAll, pairLines(p.Package, v, purls)...)
			}
		}
		r.packages = sortUniq(r.packages)
		fake := map[string]bool{} // versions of packages renamed stdlib
		for _, l := range r.packages {
			f := strings.Split(l, "\t")
			if f[0] == "Go" && f[1] == "stdlib" && !strings.HasPrefix(f[3], "pkg:golang/stdlib@") {
				fake[f[2]] = true
			}
		}
		for _, l := range r.pairs {
			f := strings.Split(l, "\t")
			if f[0] == "Go" && f[1] == "stdlib" && fake[f[2]] {
				r.fakeStdlib++
			}
		}
		if !slices.Equal(r.pairs, sortUniq(pairsAll)) {
			return r, fmt.Errorf("%s: --all-packages reports other pairs than the plain run", r.rel)
		}
	}
	return r, nil
}

// The peer's JSON names a package as the SBOM's component does, which for
// namespaced purls is only the last segment ("net" for
// pkg:golang/golang.org/x/net, "guava" for pkg:maven/com.google.guava/guava),
// while it matched the OSV name built from the whole purl. The reference
// data holds OSV names, so they are restored: from the SBOM's purls with
// that last segment and version, and for a reported advisory, kept to the
// names its affected list holds.

// purlTypes maps purl types to OSV ecosystems, for the types the shared
// test data has advisories or namespaced names for.
var purlTypes = map[string]string{
	"golang": "Go", "maven": "Maven", "npm": "npm", "pypi": "PyPI",
	"cargo": "crates.io", "nuget": "NuGet", "composer": "Packagist", "gem": "RubyGems",
	"deb": "Debian",
}

type purlName struct{ eco, short, version, osv, purl string }

// sbomPURLs finds the purls osv-scanner (osv-scalibr's SBOM extractors)
// takes for an SBOM's packages, with the OSV names it builds from them:
// a CycloneDX component's purl; for an SPDX package, the last of its purl
// references, which overwrites the others.
func sbomPURLs(path string, text []byte) (map[purlName]bool, error) {
	var raw []string
	switch {
	case strings.HasSuffix(path, ".spdx.json"):
		var doc struct {
			Packages []struct {
				ExternalRefs []struct {
					ReferenceType    string `json:"referenceType"`
					ReferenceLocator string `json:"referenceLocator"`
				} `json:"externalRefs"`
			} `json:"packages"`
		}
		if err := json.Unmarshal(text, &doc); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		for _, p := range doc.Packages {
			last := ""
			for _, r := range p.ExternalRefs {
				if r.ReferenceType == "purl" {
					last = r.ReferenceLocator
				}
			}
			if last != "" {
				raw = append(raw, last)
			}
		}
	case strings.HasSuffix(path, ".spdx"):
		last := ""
		for _, l := range strings.Split(string(text), "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "PackageName:") {
				if last != "" {
					raw = append(raw, last)
				}
				last = ""
			}
			if m := tvPURLRE.FindStringSubmatch(l); m != nil {
				last = m[1]
			}
		}
		if last != "" {
			raw = append(raw, last)
		}
	default: // CycloneDX JSON or XML: one purl per component
		for _, m := range cdxPURLRE.FindAllSubmatch(text, -1) {
			raw = append(raw, strings.ReplaceAll(string(m[1]), "&amp;", "&"))
		}
		for _, m := range cdxXMLPURLRE.FindAllSubmatch(text, -1) {
			raw = append(raw, strings.ReplaceAll(string(m[1]), "&amp;", "&"))
		}
	}
	out := map[purlName]bool{}
	for _, r := range raw {
		if pu, ok := parsePURL(r); ok {
			out[pu] = true
		}
	}
	return out, nil
}

var (
	cdxPURLRE    = regexp.MustCompile(`"purl"\s*:\s*"(pkg:[^"]+)"`)
	cdxXMLPURLRE = regexp.MustCompile(`<purl>\s*(?:<!\[CDATA\[)?\s*(pkg:[^<\s\]]+)`)
	tvPURLRE     = regexp.MustCompile(`^ExternalRef:\s*PACKAGE[-_]MANAGER\s+purl\s+(pkg:\S+)`)
	// goMajorRE is osv-scanner's rule for a Go purl's subpath: its first
	// "v<N>" is appended to the module path (pkg:golang/x/y@v5.0.1#v5 is
	// x/y/v5).
	goMajorRE = regexp.MustCompile(`(v[0-9]+)`)
)

// parsePURL reads a purl into its OSV ecosystem, last name segment,
// version and OSV name ("namespace/name", Maven "group:artifact").
func parsePURL(raw string) (purlName, bool) {
	s := strings.TrimPrefix(raw, "pkg:")
	s, subpath, _ := strings.Cut(s, "#")
	s, _, _ = strings.Cut(s, "?")
	typ, rest, ok := strings.Cut(s, "/")
	eco := purlTypes[strings.ToLower(typ)]
	if !ok || eco == "" {
		return purlName{}, false
	}
	version := ""
	if i := strings.LastIndex(rest, "@"); i > 0 {
		rest, version = rest[:i], rest[i+1:]
	}
	ns, name := "", rest
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		ns, name = rest[:i], rest[i+1:]
	}
	dec := func(x string) string {
		if d, err := url.PathUnescape(x); err == nil {
			return d
		}
		return x
	}
	var parts []string
	for _, seg := range strings.Split(ns, "/") {
		if seg != "" {
			parts = append(parts, dec(seg))
		}
	}
	name, version = dec(name), dec(version)
	full := name
	if len(parts) > 0 {
		sep := "/"
		if eco == "Maven" {
			sep = ":"
		}
		full = strings.Join(parts, "/") + sep + name
	}
	if eco == "Go" {
		if m := goMajorRE.FindStringSubmatch(dec(subpath)); m != nil {
			full += "/" + m[1]
		}
	}
	return purlName{eco: eco, short: name, version: version, osv: full, purl: raw}, true
}

// resolve finds the SBOM purls a package the peer reported can be: same
// ecosystem and version, and its name the purl's last segment or its whole
// OSV name. None when the SBOM's purl does not give the version the peer
// reports (fatbom's "%40" purls).
func resolve(p pkg, purls map[purlName]bool) []purlName {
	eco, _, _ := strings.Cut(p.Ecosystem, ":")
	var out []purlName
	for pu := range purls {
		if pu.eco != eco || pu.version != p.Version {
			continue
		}
		switch {
		case pu.short == p.Name || pu.osv == p.Name:
			out = append(out, pu)
		case eco == "Go" && p.Name == "stdlib" && pu.short == "go":
			// osv-scanner renames every Go package whose purl name is
			// "go" to stdlib (osv-scalibr osvutil.name), so
			// cloud.google.com/go v0.112.0 is matched as the Go standard
			// library v0.112.0. The row keeps the name it matched and the
			// purl it came from.
			pu.osv = "stdlib"
			out = append(out, pu)
		}
	}
	slices.SortFunc(out, func(a, b purlName) int { return strings.Compare(a.osv+a.purl, b.osv+b.purl) })
	return out
}

func osvNames(p pkg, purls map[purlName]bool) []string {
	var names []string
	for _, pu := range resolve(p, purls) {
		names = append(names, pu.osv)
	}
	if len(names) == 0 {
		return []string{p.Name}
	}
	return sortUniq(names)
}

// packageLines are the TSV lines of one package the peer read: its OSV
// name(s) and the purl each comes from, "-" when unresolved.
func packageLines(p pkg, purls map[purlName]bool) []string {
	var out []string
	if names := osvNames(p, purls); len(names) > 1 {
		log.Printf("%s %s %s is any of %q", p.Ecosystem, p.Name, p.Version, names)
	}
	for _, pu := range resolve(p, purls) {
		q := p
		q.Name = pu.osv
		out = append(out, q.key()+"\t"+pu.purl)
	}
	if len(out) == 0 {
		out = append(out, p.key()+"\t-")
	}
	return out
}

// pairLines are the TSV lines of one (package, advisory) the peer reported.
func pairLines(p pkg, v vuln, purls map[purlName]bool) []string {
	eco, _, _ := strings.Cut(p.Ecosystem, ":")
	affected := map[string]bool{}
	for _, a := range v.Affected {
		ae, _, _ := strings.Cut(a.Package.Ecosystem, ":")
		if ae == eco {
			affected[a.Package.Name] = true
		}
	}
	var names []string
	for _, n := range osvNames(p, purls) {
		if affected[n] {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		// No purl says which: take the affected names the short name ends.
		for n := range affected {
			if n == p.Name || strings.HasSuffix(n, "/"+p.Name) || strings.HasSuffix(n, ":"+p.Name) {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		names = []string{p.Name}
	}
	var out []string
	for _, n := range names {
		q := p
		q.Name = n
		out = append(out, q.key()+"\t"+v.ID)
	}
	return out
}

type runResult struct {
	stdout []byte
	stderr string
	exit   int
}

func run(script, scanner, testdata, sbom, extra string) (runResult, error) {
	cmd := exec.Command("bash", script, sbom, testdata)
	cmd.Env = append(os.Environ(), "OSV_SCANNER="+scanner, "OSV_EXTRA_ARGS="+extra)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := runResult{stdout: stdout.Bytes(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.exit = ee.ExitCode()
	default:
		return res, fmt.Errorf("%s: %v", sbom, err)
	}
	if !strings.Contains(res.stderr, "osv-scanner exit code") {
		return res, fmt.Errorf("%s: the wrapper failed before osv-scanner ran (exit %d):\n%s", sbom, res.exit, res.stderr)
	}
	return res, nil
}

// firstError picks the line of osv-scanner's log that says why it failed.
func firstError(stderr string) string {
	sc := bufio.NewScanner(strings.NewReader(stderr))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.Contains(strings.ToLower(l), "failed") || strings.Contains(strings.ToLower(l), "error") {
			if len(l) > 200 {
				l = l[:200] + "…"
			}
			return l
		}
	}
	return ""
}

type result struct {
	Results []struct {
		Packages []pkgVulns `json:"packages"`
	} `json:"results"`
}

type pkgVulns struct {
	Package         pkg    `json:"package"`
	Vulnerabilities []vuln `json:"vulnerabilities"`
}

type vuln struct {
	ID       string `json:"id"`
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
	} `json:"affected"`
}

type pkg struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Ecosystem string `json:"ecosystem"`
}

func (p pkg) key() string {
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
	return clean(p.Ecosystem) + "\t" + clean(p.Name) + "\t" + clean(p.Version)
}

func (r *result) packages() []pkgVulns {
	var out []pkgVulns
	for _, res := range r.Results {
		out = append(out, res.Packages...)
	}
	return out
}

func decode(b []byte) (*result, error) {
	var r result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("osv-scanner's JSON: %v", err)
	}
	return &r, nil
}

func sortUniq(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

func writeTSV(path, head string, lines []string) error {
	var b strings.Builder
	b.WriteString(head + "\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// refRow is a row of shared/testdata/README.md's reference table.
type refRow struct {
	exit                                 int
	read, withVulns, pkgVuln, advisories string
}

func readReferenceTable(path string) (map[string]*refRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, after, ok := strings.Cut(string(b), "## Reference results")
	if !ok {
		return nil, fmt.Errorf("%s: no reference results table", path)
	}
	out := map[string]*refRow{}
	for _, l := range strings.Split(after, "\n") {
		cells := strings.Split(l, "|")
		if len(cells) != 8 || !strings.Contains(cells[1], "`") {
			continue
		}
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		exit, err := strconv.Atoi(cells[2])
		if err != nil {
			continue
		}
		out[cells[1]] = &refRow{exit: exit, read: cells[3], withVulns: cells[4], pkgVuln: cells[5], advisories: cells[6]}
	}
	return out, nil
}

// fakeStdlibSummary says how many pairs of which SBOMs are the peer's
// stdlib false positives.
func fakeStdlibSummary(rows []row) string {
	var parts []string
	for _, r := range rows {
		if r.fakeStdlib > 0 {
			parts = append(parts, fmt.Sprintf("%d of the %d pairs of %s", r.fakeStdlib, len(r.pairs), filepath.Base(r.rel)))
		}
	}
	if len(parts) == 0 {
		return "none in this run"
	}
	return strings.Join(parts, ", ")
}

func writeREADME(path, date string, rows []row) error {
	var b strings.Builder
	fmt.Fprintf(&b, `# Reference results of the peer (%[1]s) for the advisory matcher

Produced on %[2]s by `+"`go run ./advisory/internal/peerref`"+` (run from the module root; it
needs %[1]s at $OSV_SCANNER or ~/.cache/csreview-peer/osv-scanner, installed with
`+"`GOBIN=$HOME/.cache/csreview-peer go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.1`"+`).
For every SBOM in shared/testdata/sboms it runs shared/peer/osv-scanner-offline.sh, which
scans the SBOM offline against exactly the OSV records in shared/testdata/advisories/osv
(Go, PyPI, npm subset, Maven subset; every other ecosystem empty), twice:

- as is: `+"`<SBOM file name>.tsv`"+` holds the set of (ecosystem, package, version,
  advisory ID) pairs osv-scanner reports, one per line, tab-separated, sorted, after a
  `+"`#`"+` header line naming the peer, the date and the exit code.
- with `+"`--all-packages`"+`: `+"`packages/<SBOM file name>.tsv`"+` lists every (ecosystem,
  package, version) osv-scanner read from the SBOM, vulnerable or not, with the purl it
  came from (`+"`-`"+` when none could be found), so that a test can check both directions
  (what the peer found, and what it did not) without an SBOM parser. The program checks
  that both runs report the same pairs and exit code.

Package names are OSV names, the ones osv-scanner matched with. Its JSON output names a
package as the SBOM component does, for namespaced purls only the last segment ("net"
for pkg:golang/golang.org/x/net, "guava" for pkg:maven/com.google.guava/guava); the
program restores the full name from the SBOM's purls as osv-scalibr reads them (a
CycloneDX component's purl; the last purl reference of an SPDX package; Maven
"group:artifact"; a Go purl subpath's "v<N>" appended, as in github.com/go-chi/chi/v5),
and for a reported advisory keeps the name its affected list holds. Where several
packages of an SBOM share a last segment and version (etcd's api/v3 and client/v3), each
is listed.

Known errors of the peer, kept as it reported them (the advisory tests check them):

- Go packages whose purl name is "go" are taken for the Go standard library
  (osv-scalibr osvutil.name renames them to stdlib): cloud.google.com/go v0.112.0 and
  v0.97.0 and github.com/json-iterator/go v1.1.12 are reported as stdlib v0.112.0,
  v0.97.0 and v1.1.12, affected by every stdlib advisory fixed in a Go 1.x release
  (%[3]s). The packages files show the name "stdlib" with the purl it really came from.
- packageurl-go lower-cases golang purls, so osv-scanner never matches a Go module whose
  path has an upper-case letter: for example github.com/Azure/go-ntlmssp in docker-vault
  is not reported as affected by GO-2026-5543, which does affect it.

| sbom | exit | packages read | packages with vulns | rows | pairs | distinct advisories | matches shared README | note |
|---|---|---|---|---|---|---|---|---|
`, peerVersion, date, fakeStdlibSummary(rows))
	for _, r := range rows {
		cells := []string{"`" + r.rel + "`", strconv.Itoa(r.exit), strconv.Itoa(r.read), "-", "-", "-", "-"}
		if r.exit == 0 || r.exit == 1 {
			cells[3] = strconv.Itoa(r.withVulns)
			cells[4] = strconv.Itoa(r.pkgVuln)
			cells[5] = strconv.Itoa(len(r.pairs))
			cells[6] = strconv.Itoa(r.advisories)
		}
		match := "no reference row"
		if r.ref != nil {
			got := []string{strconv.Itoa(r.exit), cells[2], cells[3], cells[4], cells[6]}
			want := []string{strconv.Itoa(r.ref.exit), r.ref.read, r.ref.withVulns, r.ref.pkgVuln, r.ref.advisories}
			if slices.Equal(got, want) {
				match = "yes"
			} else {
				match = fmt.Sprintf("NO (shared README: %s)", strings.Join(want, ", "))
			}
		}
		note := r.note
		switch r.exit {
		case 127:
			note = "the peer cannot read this SBOM: " + note
		case 128:
			note = "no package the peer could use"
		}
		note = strings.ReplaceAll(note, "|", `\|`)
		fmt.Fprintf(&b, "| %s | %s | %s |\n", strings.Join(cells, " | "), match, note)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
