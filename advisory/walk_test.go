package advisory

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/hostile"
)

// TestWalkTestdata reads every record of each ecosystem folder of the
// shared test data (counts from its README).
func TestWalkTestdata(t *testing.T) {
	t.Parallel()
	c := loadCorpus(t)
	for _, tc := range []struct {
		eco              string
		records, withdrn int
	}{
		{"Go", 4291, 17},
		{"PyPI", 2661, 10},
		{"npm", 15, 0},
		{"Maven", 9, 0},
	} {
		t.Run(tc.eco, func(t *testing.T) {
			recs := c.byEco[tc.eco]
			w := 0
			for _, r := range recs {
				if r.IsWithdrawn() {
					w++
				}
			}
			if len(recs) != tc.records || w != tc.withdrn {
				t.Fatalf("got %d records, %d withdrawn; want %d, %d", len(recs), w, tc.records, tc.withdrn)
			}
		})
	}
}

// walkAll collects what Walk gives: where → record.
func walkAll(t *testing.T, path string, lim Limits) (map[string]*Record, error) {
	t.Helper()
	out := map[string]*Record{}
	err := Walk(path, lim, func(r *Record, where string) error {
		if _, ok := out[where]; ok {
			t.Errorf("%s read twice", where)
		}
		out[where] = r
		return nil
	})
	return out, err
}

// zipFolder writes an all.zip of the *.json files of dir, as OSV exports
// it (deflated, flat names).
func zipFolder(t *testing.T, dir, dst string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.Base(n), Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestWalkZipMatchesFolder: an all.zip made from a folder gives the
// folder's records, byte for byte.
func TestWalkZipMatchesFolder(t *testing.T) {
	loadCorpus(t) // skips without the shared data
	for _, eco := range []string{"Go", "PyPI", "npm", "Maven"} {
		t.Run(eco, func(t *testing.T) {
			dir := filepath.Join(osvTestdata, eco)
			archive := filepath.Join(t.TempDir(), "all.zip")
			zipFolder(t, dir, archive)
			fromDir, err := walkAll(t, dir, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			fromZip, err := walkAll(t, archive, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(fromZip) != len(fromDir) {
				t.Fatalf("zip: %d records, folder: %d", len(fromZip), len(fromDir))
			}
			for where, r := range fromDir {
				zr := fromZip[archive+"!"+filepath.Base(where)]
				if zr == nil {
					t.Fatalf("%s not in the zip", where)
				}
				if zr.ID != r.ID || !bytes.Equal(zr.Raw, r.Raw) {
					t.Fatalf("%s: zip gives %s, folder %s", where, zr.ID, r.ID)
				}
			}
		})
	}
}

const okRecord = `{"id":"OK-1","modified":"2024-01-01T00:00:00Z"}`

type entry struct {
	name string
	data []byte
}

func writeZip(t *testing.T, entries ...entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "all.zip", buf.Bytes())
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// bombZip writes a zip with one entry of mib MiB of zeros whose headers
// claim claimed bytes.
func bombZip(t *testing.T, mib int, claimed uint64) string {
	t.Helper()
	return writeFile(t, "all.zip", hostile.ZipBomb("bomb.json", claimed, mib))
}

// withBounds runs f and fails when it takes long or allocates much: a
// hostile archive must be refused early, not read.
func withBounds(t *testing.T, f func()) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
	if elapsed > 10*time.Second {
		t.Errorf("took %v", elapsed)
	}
}

func TestWalkHostile(t *testing.T) {
	const gib = 1024
	small := Limits{MaxRecordBytes: 1 << 20, MaxFiles: 10}
	for _, tc := range []struct {
		name  string
		path  func(t *testing.T) string
		lim   Limits
		code  string
		where string // the error must name this
	}{
		{"ZipBombForgedSmallSize", func(t *testing.T) string { return bombZip(t, gib, 100) }, Limits{}, csreview.EINVALID, "bomb.json"},
		{"ZipBombForgedZeroSize", func(t *testing.T) string { return bombZip(t, gib, 0) }, Limits{}, csreview.EINVALID, "bomb.json"},
		{"ZipBombForgedUnderLimit", func(t *testing.T) string { return bombZip(t, gib, 512<<10) }, small, csreview.EINVALID, "bomb.json"},
		{"ZipBombHonestSize", func(t *testing.T) string { return bombZip(t, gib, gib<<20) }, Limits{}, csreview.ETOOLARGE, "bomb.json"},
		{"ZipBombOverTotal", func(t *testing.T) string { return bombZip(t, 64, 64<<20) }, Limits{MaxRecordBytes: 128 << 20, MaxArchiveBytes: 32 << 20}, csreview.ETOOLARGE, "bomb.json"},
		{"RecordOverLimit", func(t *testing.T) string {
			return writeZip(t, entry{"big.json", []byte(strings.Repeat(" ", 2<<20) + okRecord)})
		}, small, csreview.ETOOLARGE, "big.json"},
		{"TooManyEntries", func(t *testing.T) string {
			var es []entry
			for i := range 11 {
				es = append(es, entry{fmt.Sprintf("R-%d.json", i), []byte(okRecord)})
			}
			return writeZip(t, es...)
		}, small, csreview.ETOOLARGE, "all.zip"},
		{"TooManyEntriesForgedCount", func(t *testing.T) string {
			var es []entry
			for i := range 50 {
				es = append(es, entry{fmt.Sprintf("R-%d.json", i), []byte(okRecord)})
			}
			p := writeZip(t, es...)
			b, _ := os.ReadFile(p)
			// The end of central directory record says 5 entries.
			end := bytes.LastIndex(b, []byte("PK\x05\x06"))
			binary.LittleEndian.PutUint16(b[end+8:], 5)
			binary.LittleEndian.PutUint16(b[end+10:], 5)
			os.WriteFile(p, b, 0o644)
			return p
		}, small, csreview.ETOOLARGE, "all.zip"},
		{"ZipSlipParent", zipSlip("../evil.json"), Limits{}, csreview.EINVALID, "../evil.json"},
		{"ZipSlipNested", zipSlip("a/../../evil.json"), Limits{}, csreview.EINVALID, "a/../../evil.json"},
		{"ZipSlipAbsolute", zipSlip("/etc/evil.json"), Limits{}, csreview.EINVALID, "/etc/evil.json"},
		{"ZipSlipBackslash", zipSlip(`..\evil.json`), Limits{}, csreview.EINVALID, `..\\evil.json`},
		{"ZipSlipDrive", zipSlip(`C:\evil.json`), Limits{}, csreview.EINVALID, `C:\\evil.json`},
		{"ZipSlipNonJSON", zipSlip("../../.bashrc"), Limits{}, csreview.EINVALID, "../../.bashrc"},
		{"Truncated", func(t *testing.T) string {
			p := writeZip(t, entry{"R-1.json", []byte(okRecord)})
			b, _ := os.ReadFile(p)
			return writeFile(t, "cut.zip", b[:len(b)-10])
		}, Limits{}, csreview.EINVALID, "cut.zip"},
		{"BadRecordInZip", func(t *testing.T) string {
			return writeZip(t, entry{"R-1.json", []byte(okRecord)}, entry{"bad.json", []byte(`{"id":5}`)})
		}, Limits{}, csreview.EINVALID, "all.zip!bad.json"},
		{"FileOverLimit", func(t *testing.T) string {
			return writeFile(t, "R-1.json", []byte(strings.Repeat(" ", 2<<20)+okRecord))
		}, small, csreview.ETOOLARGE, "R-1.json"},
		{"NotFound", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") }, Limits{}, csreview.ENOTFOUND, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			var calls int
			var err error
			withBounds(t, func() {
				err = Walk(path, tc.lim, func(r *Record, where string) error {
					calls++
					return nil
				})
			})
			t.Logf("%v", err)
			if code := csreview.ErrorCode(err); code != tc.code {
				t.Fatalf("got %v (%q), want code %q", err, code, tc.code)
			}
			if !strings.Contains(err.Error(), tc.where) {
				t.Errorf("error %q does not name %q", err, tc.where)
			}
			if strings.HasPrefix(tc.name, "ZipSlip") && calls != 0 {
				t.Errorf("%d records read from a hostile archive", calls)
			}
		})
	}
}

// zipSlip makes an archive with a good record and then a hostile name.
func zipSlip(name string) func(t *testing.T) string {
	return func(t *testing.T) string {
		return writeZip(t, entry{"OK-1.json", []byte(okRecord)}, entry{name, []byte(okRecord)})
	}
}

func TestWalkDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"a/R-1.json":     strings.Replace(okRecord, "OK-1", "R-1", 1),
		"a/b/R-2.JSON":   strings.Replace(okRecord, "OK-1", "R-2", 1),
		"R-3.json":       strings.Replace(okRecord, "OK-1", "R-3", 1),
		"README.md":      "not a record",
		"a/notes.txt":    "not a record",
		"c/all.yaml":     "id: x",
		"empty/.gitkeep": "",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "R-3.json"), filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	got, err := walkAll(t, dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for where, r := range got {
		ids = append(ids, r.ID+"@"+strings.TrimPrefix(where, dir))
	}
	sort.Strings(ids)
	if got, want := strings.Join(ids, " "), "R-1@/a/R-1.json R-2@/a/b/R-2.JSON R-3@/R-3.json"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}

	t.Run("ErrTooManyFiles", func(t *testing.T) {
		_, err := walkAll(t, dir, Limits{MaxFiles: 2})
		if code := csreview.ErrorCode(err); code != csreview.ETOOLARGE {
			t.Fatalf("got %v, want %s", err, csreview.ETOOLARGE)
		}
	})
	t.Run("ErrTotalOverLimit", func(t *testing.T) {
		_, err := walkAll(t, dir, Limits{MaxArchiveBytes: int64(2*len(okRecord) + 1)})
		if code := csreview.ErrorCode(err); code != csreview.ETOOLARGE {
			t.Fatalf("got %v, want %s", err, csreview.ETOOLARGE)
		}
	})
	t.Run("ErrBadRecordNamesFile", func(t *testing.T) {
		bad := filepath.Join(dir, "a", "zz.json")
		if err := os.WriteFile(bad, []byte(`{"id":"X"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(bad)
		_, err := walkAll(t, dir, Limits{})
		if code := csreview.ErrorCode(err); code != csreview.EINVALID || !strings.Contains(err.Error(), bad) {
			t.Fatalf("got %v, want %s naming %s", err, csreview.EINVALID, bad)
		}
		if e := csreview.AsError(err); len(e.Fields) != 1 || e.Fields[0].Field != "modified" {
			t.Fatalf("fields: %v", e.Fields)
		}
	})
}

func TestWalkSingleFileAndEmptyZip(t *testing.T) {
	t.Parallel()
	got, err := walkAll(t, writeFile(t, "OK-1.json", []byte(okRecord)), Limits{})
	if err != nil || len(got) != 1 {
		t.Fatalf("single file: %d records, %v", len(got), err)
	}
	// The peer script's empty all.zip for ecosystems without data.
	var buf bytes.Buffer
	zip.NewWriter(&buf).Close()
	got, err = walkAll(t, writeFile(t, "all.zip", buf.Bytes()), Limits{})
	if err != nil || len(got) != 0 {
		t.Fatalf("empty zip: %d records, %v", len(got), err)
	}
	// Directories and other files inside an archive are skipped.
	got, err = walkAll(t, writeZip(t, entry{"Go/", nil}, entry{"Go/R-1.json", []byte(okRecord)}, entry{"LICENSE", []byte("x")}), Limits{})
	if err != nil || len(got) != 1 {
		t.Fatalf("nested zip: %d records, %v", len(got), err)
	}
}

func TestWalkCallbackError(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	calls := 0
	err := Walk(writeZip(t, entry{"A.json", []byte(okRecord)}, entry{"B.json", []byte(okRecord)}), Limits{}, func(*Record, string) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("got %v after %d calls, want stop after 1", err, calls)
	}
}
