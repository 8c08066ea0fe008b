// Package hostile builds the hostile-input corpus that every entry point
// of csreview is tested against: the API, the uploads and the command
// line. Each input is built in memory, small as sent, and designed to
// cost a careless parser far more than it costs to send.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
)

// Input is one hostile document.
type Input struct {
	Name string
	Data []byte
}

// BillionLaughs is the exponential-entity XML bomb, dressed as a
// CycloneDX BOM: ten levels of ten references expand to 10⁹ "lol"s.
func BillionLaughs() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n<!DOCTYPE bom [\n <!ENTITY lol0 \"lol\">\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, " <!ENTITY lol%d \"%s\">\n", i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	b.WriteString("]>\n")
	b.WriteString(`<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components><component type="library">` +
		`<name>&lol9;</name><version>1</version></component></components></bom>`)
	return []byte(b.String())
}

// XXE asks the parser to read a local file into a component's name.
func XXE() []byte {
	return []byte(`<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components><component type="library">` +
		`<name>&xxe;</name><version>1</version></component></components></bom>`)
}

// DeepJSON is a JSON value nested depth arrays deep inside an object, so
// that it starts like a document.
func DeepJSON(depth int) []byte {
	return []byte(`{"bomFormat":"CycloneDX","components":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`)
}

// DeepXML is an XML document nested depth elements deep.
func DeepXML(depth int) []byte {
	return []byte(`<bom xmlns="http://cyclonedx.org/schema/bom/1.4">` + strings.Repeat("<a>", depth) +
		strings.Repeat("</a>", depth) + `</bom>`)
}

// InvalidUTF8 is a JSON document whose strings hold bytes that are not
// UTF-8 (a GBK-encoded name, then a lone continuation byte).
func InvalidUTF8() []byte {
	return []byte("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"components\":[{\"type\":\"library\"," +
		"\"name\":\"\xb9\xa4\xbe\xdf\",\"version\":\"1\x80\"}]}")
}

// CRLF is text that would forge a log line if logged raw.
const CRLF = "x\r\nlevel=ERROR msg=\"forged entry\" user=admin\r\n"

// ZipBomb is a zip archive with one entry, named name, whose headers
// claim declared bytes while its deflate stream inflates to mib MiB of
// zeros; the archive itself is about a thousandth of that.
func ZipBomb(name string, declared uint64, mib int) []byte {
	// One flushed (byte-aligned, non-final) block of 1 MiB of zeros,
	// repeated — its back-references only ever reach zeros — then an
	// empty final block.
	var block, tail bytes.Buffer
	fw, _ := flate.NewWriter(&block, flate.BestCompression)
	fw.Write(make([]byte, 1<<20))
	fw.Flush()
	fw, _ = flate.NewWriter(&tail, flate.BestCompression)
	fw.Close()
	stream := append(bytes.Repeat(block.Bytes(), mib), tail.Bytes()...)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: declared})
	w.Write(stream)
	zw.Close()
	return out.Bytes()
}

// ZipSlip is a zip archive whose entries climb out of any directory they
// might be extracted to, beside one good-looking record.
func ZipSlip() []byte {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range []string{"../../../../tmp/csreview-zipslip.json", "/etc/csreview-zipslip.json", `..\..\csreview-zipslip.json`} {
		w, _ := zw.Create(name)
		w.Write([]byte(`{"id":"GHSA-slip-slip-slip","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"left-pad"},"versions":["1.0.0"]}]}`))
	}
	zw.Close()
	return out.Bytes()
}

// Endless is a reader of n bytes of JSON-looking filler, produced as it
// is read: a body of gigabytes that costs nothing to hold.
func Endless(n int64) io.Reader {
	return io.MultiReader(strings.NewReader(`{"name_zh":"`), io.LimitReader(repeat(0), n))
}

// repeat reads as an endless run of 'a'.
type repeat byte

var chunk = bytes.Repeat([]byte{'a'}, 64<<10)

func (r repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], chunk)
	}
	return n, nil
}

// Documents are the corpus's documents, for every parser of uploads.
func Documents() []Input {
	return []Input{
		{"billion-laughs.xml", BillionLaughs()},
		{"xxe.xml", XXE()},
		{"deep-100000.json", DeepJSON(100_000)},
		{"deep-100000.xml", DeepXML(100_000)},
		{"invalid-utf8.json", InvalidUTF8()},
	}
}
