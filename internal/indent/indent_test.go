package indent

import (
	"bytes"
	"encoding/json"
	"testing"
)

func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `{"a":[],"b":{},"c":[{}],"d":[[]]}`, `"x"`, `1`, `null`,
		`{"k\"ey":"v\\","<&>":"\u2028","n":[1,2.5e3,-0,true,false,null]}`,
		`[{"a":{"b":{"c":[1,[2,[3]]]}}},"s,p:a{c}e[]"]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var v any
		if json.Unmarshal(in, &v) != nil {
			return
		}
		src, err := json.Marshal(v)
		if err != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, src, "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := JSON(src); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("JSON(%s)\n got %s\nwant %s", src, got, want.Bytes())
		}
	})
}

// TestMarshalAsEncodingJSON: Marshal and Encode write what encoding/json's
// indenting writers write, for a value with every kind of JSON in it.
func TestMarshalAsEncodingJSON(t *testing.T) {
	t.Parallel()
	v := map[string]any{
		"empty": map[string]any{}, "none": []int{}, "nil": nil, "html": "<a href=\"x\">&</a>",
		"list": []any{1, "two", 3.5, true, []string{"a", "b"}, map[string]int{"z": 1, "a": 2}},
		"text": "line\nbreak\ttab \u2028 \\ \"quoted\"", "中文": "审查",
	}
	want, _ := json.MarshalIndent(v, "", "  ")
	got, err := Marshal(v)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Marshal: %v\n got %s\nwant %s", err, got, want)
	}
	var a, b bytes.Buffer
	enc := json.NewEncoder(&a)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&b, v); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("Encode: %v\n got %s\nwant %s", err, b.Bytes(), a.Bytes())
	}
	if _, err := Marshal(func() {}); err == nil {
		t.Fatal("Marshal of a func: no error")
	}
}

func BenchmarkIndent(b *testing.B) {
	v := make([]map[string]any, 5000)
	for i := range v {
		v[i] = map[string]any{"sbom": "openshift-pipelines-client-1.14.3.spdx.json", "ref": "SPDXRef-Package-go-module-x", "name": "cloud.google.com/go", "version": "v0.112.0", "n": i}
	}
	src, _ := json.Marshal(v)
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for range b.N {
			var buf bytes.Buffer
			_ = json.Indent(&buf, src, "", "  ")
		}
	})
	b.Run("indent", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for range b.N {
			JSON(src)
		}
	})
}
