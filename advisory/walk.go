package advisory

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/csreview/csreview"
)

// Default limits, used for any Limits field left at zero (or negative).
const (
	DefaultMaxRecordBytes  = 8 << 20
	DefaultMaxArchiveBytes = 4 << 30
	DefaultMaxFiles        = 1 << 20
)

// Limits bound what one Walk may read. Zero fields take the defaults.
type Limits struct {
	// MaxRecordBytes bounds one record (a file, or an archive entry
	// decompressed).
	MaxRecordBytes int64
	// MaxArchiveBytes bounds the decompressed bytes of all the records one
	// Walk reads, from an archive or a directory.
	MaxArchiveBytes int64
	// MaxFiles bounds the entries of an archive (all of them, not only
	// records) and the records of a directory.
	MaxFiles int
}

func (l Limits) withDefaults() Limits {
	if l.MaxRecordBytes <= 0 {
		l.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if l.MaxArchiveBytes <= 0 {
		l.MaxArchiveBytes = DefaultMaxArchiveBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	return l
}

// Walk reads the OSV records at path and calls fn with each record and where
// it came from. path is one record (any file that is not a zip archive), a
// directory (its *.json files, recursively, in lexical order; symbolic links
// are not followed), or a zip archive such as OSV's per-ecosystem all.zip
// (its *.json entries in archive order; where is "archive!entry").
//
// Archives are read as hostile: an entry whose name is absolute or climbs
// with ".." refuses the whole archive although nothing is extracted, the
// entries are counted from the central directory before any is read, and
// each entry is measured as it is decompressed, whatever its header claims.
//
// The first error stops the walk. An error from fn is returned as is; the
// others are *csreview.Error naming the file and entry: ENOTFOUND when path
// does not exist, ETOOLARGE when a limit of lim is passed, EINVALID for an
// unreadable file, a malformed or hostile archive, or a record ParseRecord
// refuses.
func Walk(path string, lim Limits, fn func(r *Record, where string) error) error {
	lim = lim.withDefaults()
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return csreview.Errorf(csreview.ENOTFOUND, "%s: no such file or directory", path)
		}
		return csreview.Errorf(csreview.EINVALID, "%s: %v", path, unwrapPathError(err))
	}
	w := &walker{lim: lim, fn: fn}
	if fi.IsDir() {
		return w.dir(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return csreview.Errorf(csreview.EINVALID, "%s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	if n == 4 && (string(magic[:]) == "PK\x03\x04" || string(magic[:]) == "PK\x05\x06") {
		return w.zip(path, f, fi.Size())
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return csreview.Errorf(csreview.EINVALID, "%s: %v", path, err)
	}
	return w.file(path, f, fi.Size())
}

type walker struct {
	lim   Limits
	fn    func(*Record, string) error
	total int64 // record bytes read so far
	files int
}

func (w *walker) dir(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return csreview.Errorf(csreview.EINVALID, "%s: %v", p, unwrapPathError(err))
		}
		if !d.Type().IsRegular() || !strings.EqualFold(filepath.Ext(p), ".json") {
			return nil // directories, symbolic links, other files
		}
		w.files++
		if w.files > w.lim.MaxFiles {
			return csreview.Errorf(csreview.ETOOLARGE, "%s: more than %d records", root, w.lim.MaxFiles)
		}
		f, err := os.Open(p)
		if err != nil {
			return csreview.Errorf(csreview.EINVALID, "%s: %v", p, unwrapPathError(err))
		}
		defer f.Close()
		var size int64
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		return w.file(p, f, size)
	})
}

// file reads one record from r, whose size (0 if unknown) is checked first.
func (w *walker) file(where string, r io.Reader, size int64) error {
	max, err := w.budget(where, size)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return csreview.Errorf(csreview.EINVALID, "%s: %v", where, err)
	}
	if int64(len(b)) > max {
		return w.overLimit(where)
	}
	return w.record(where, b)
}

// budget is how many bytes the next record may have, given its declared
// size: the smaller of the per-record and what is left of the total limit.
func (w *walker) budget(where string, declared int64) (int64, error) {
	max := min(w.lim.MaxRecordBytes, w.lim.MaxArchiveBytes-w.total)
	if declared > max {
		return 0, w.overLimit(where)
	}
	return max, nil
}

func (w *walker) overLimit(where string) error {
	if w.lim.MaxArchiveBytes-w.total < w.lim.MaxRecordBytes {
		return csreview.Errorf(csreview.ETOOLARGE, "%s: the records read exceed the limit of %s in all", where, byteSize(w.lim.MaxArchiveBytes))
	}
	return csreview.Errorf(csreview.ETOOLARGE, "%s: the record is larger than the limit of %s", where, byteSize(w.lim.MaxRecordBytes))
}

func (w *walker) record(where string, b []byte) error {
	w.total += int64(len(b))
	r, err := ParseRecord(b)
	if err != nil {
		return annotate(err, where)
	}
	return w.fn(r, where)
}

func (w *walker) zip(path string, f *os.File, size int64) error {
	if err := checkZipDirectory(f, size, w.lim.MaxFiles); err != nil {
		return annotate(err, path)
	}
	zr, err := zip.NewReader(f, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return csreview.Errorf(csreview.EINVALID, "%s: not a readable zip archive: %v", path, err)
	}
	if len(zr.File) > w.lim.MaxFiles {
		return csreview.Errorf(csreview.ETOOLARGE, "%s: more than %d entries", path, w.lim.MaxFiles)
	}
	// Refuse a hostile archive before reading any of it.
	for _, zf := range zr.File {
		if !safeEntryName(zf.Name) {
			return csreview.Errorf(csreview.EINVALID, "%s: entry %q: unsafe name (absolute or with \"..\")", path, zf.Name)
		}
	}
	for _, zf := range zr.File {
		if strings.HasSuffix(zf.Name, "/") || !strings.EqualFold(filepath.Ext(zf.Name), ".json") {
			continue
		}
		where := path + "!" + zf.Name
		if err := w.zipEntry(where, zf); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) zipEntry(where string, zf *zip.File) error {
	// The header's size is only a claim: it is checked first because an
	// honest oversized entry is refused at once, and the real size is
	// bounded while reading (archive/zip also fails an entry that
	// decompresses to more than its header says).
	declared := int64(zf.UncompressedSize64)
	if zf.UncompressedSize64 > 1<<62 {
		declared = 1 << 62
	}
	max, err := w.budget(where, declared)
	if err != nil {
		return err
	}
	rc, err := zf.Open()
	if err != nil {
		return csreview.Errorf(csreview.EINVALID, "%s: cannot read the entry: %v", where, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if int64(len(b)) > max {
		return w.overLimit(where)
	}
	if errors.Is(err, zip.ErrFormat) {
		// archive/zip stops an entry that outgrows its declared size.
		return csreview.Errorf(csreview.EINVALID, "%s: the entry is malformed or decompresses to more than the %d bytes its header declares", where, zf.UncompressedSize64)
	}
	if err != nil {
		return csreview.Errorf(csreview.EINVALID, "%s: cannot read the entry: %v", where, err)
	}
	return w.record(where, b)
}

// safeEntryName refuses the names a zip-slip attack uses: absolute paths
// (Unix, Windows drive or UNC), any ".." element with either separator, and
// NUL bytes.
func safeEntryName(name string) bool {
	if name == "" || strings.ContainsRune(name, 0) {
		return false
	}
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return false
	}
	for _, el := range strings.Split(n, "/") {
		if el == ".." {
			return false
		}
	}
	return true
}

// Zip structure signatures and sizes (APPNOTE.TXT 4.3).
const (
	sigDirEnd         = 0x06054b50
	sigDir64End       = 0x06064b50
	sigDir64Locator   = 0x07064b50
	sigDirHeader      = 0x02014b50
	dirEndLen         = 22
	dir64LocatorLen   = 20
	dir64EndLen       = 56
	dirHeaderLen      = 46
	maxZipCommentSize = 0xffff
)

// checkZipDirectory counts the entries of a zip's central directory, reading
// it in a streaming pass, and refuses an archive with more than max:
// archive/zip holds every entry of the directory in memory, so a directory
// of millions of tiny entries must be refused before it is loaded.
func checkZipDirectory(r io.ReaderAt, size int64, max int) error {
	malformed := func(what string) error {
		return csreview.Errorf(csreview.EINVALID, "not a readable zip archive: %s", what)
	}
	// The end-of-directory record is in the last 22+65535 bytes.
	tail := min(size, dirEndLen+maxZipCommentSize)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return malformed(err.Error())
	}
	end := -1
	for i := len(buf) - dirEndLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigDirEnd {
			end = i
			break
		}
	}
	if end < 0 {
		return malformed("no end of central directory")
	}
	d := buf[end:]
	records := uint64(binary.LittleEndian.Uint16(d[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(d[12:]))
	dirOffset := uint64(binary.LittleEndian.Uint32(d[16:]))
	endOffset := size - tail + int64(end)
	if records == 0xffff || dirSize == 0xffffffff || dirOffset == 0xffffffff {
		// Zip64: the locator sits just before the end record.
		var loc [dir64LocatorLen]byte
		if endOffset < dir64LocatorLen {
			return malformed("truncated zip64 locator")
		}
		if _, err := r.ReadAt(loc[:], endOffset-dir64LocatorLen); err != nil {
			return malformed(err.Error())
		}
		if binary.LittleEndian.Uint32(loc[:]) != sigDir64Locator {
			return malformed("bad zip64 locator")
		}
		off := binary.LittleEndian.Uint64(loc[8:])
		var d64 [dir64EndLen]byte
		if off > uint64(size) {
			return malformed("bad zip64 end of directory offset")
		}
		if _, err := r.ReadAt(d64[:], int64(off)); err != nil {
			return malformed(err.Error())
		}
		if binary.LittleEndian.Uint32(d64[:]) != sigDir64End {
			return malformed("bad zip64 end of directory")
		}
		records = binary.LittleEndian.Uint64(d64[32:])
		dirSize = binary.LittleEndian.Uint64(d64[40:])
		dirOffset = binary.LittleEndian.Uint64(d64[48:])
	}
	if records > uint64(max) {
		return csreview.Errorf(csreview.ETOOLARGE, "more than %d entries (%d)", max, records)
	}
	if dirOffset > uint64(size) || dirSize > uint64(size)-dirOffset {
		return malformed("central directory outside the file")
	}
	// The count in the end record may lie: count the headers themselves.
	br := bufio.NewReader(io.NewSectionReader(r, int64(dirOffset), int64(dirSize)))
	var h [dirHeaderLen]byte
	n := 0
	for {
		if _, err := io.ReadFull(br, h[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return malformed("truncated central directory")
		}
		if binary.LittleEndian.Uint32(h[:]) != sigDirHeader {
			return malformed("bad central directory header")
		}
		n++
		if n > max {
			return csreview.Errorf(csreview.ETOOLARGE, "more than %d entries", max)
		}
		skip := int(binary.LittleEndian.Uint16(h[28:])) + int(binary.LittleEndian.Uint16(h[30:])) + int(binary.LittleEndian.Uint16(h[32:]))
		if _, err := br.Discard(skip); err != nil {
			return malformed("truncated central directory")
		}
	}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
