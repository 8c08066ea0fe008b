package tlog

import (
	"crypto/rand"
	"errors"
	"fmt"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	sumtlog "golang.org/x/mod/sumdb/tlog"
)

// memLog is storage in memory, for tests.
type memLog struct {
	hashes map[int64]sumtlog.Hash
	leaves [][]byte
}

func (m *memLog) ReadHashes(idx []int64) ([]sumtlog.Hash, error) {
	out := make([]sumtlog.Hash, len(idx))
	for i, x := range idx {
		h, ok := m.hashes[x]
		if !ok {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = h
	}
	return out, nil
}

func (m *memLog) Size() (int64, error) { return int64(len(m.leaves)), nil }

func (m *memLog) add(t *testing.T, leaf []byte) {
	a, err := Append(m, int64(len(m.leaves)), leaf)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range a.Hashes {
		m.hashes[k] = v
	}
	m.leaves = append(m.leaves, leaf)
}

func newMem(t *testing.T, n int) *memLog {
	m := &memLog{hashes: map[int64]sumtlog.Hash{}}
	for i := 0; i < n; i++ {
		leaf, err := Canonical(map[string]any{"seq": i, "product": fmt.Sprintf("产品-%d", i), "list": "passed"})
		if err != nil {
			t.Fatal(err)
		}
		m.add(t, leaf)
	}
	return m
}

// TestProofsAgreeWithIndependentImplementation checks every inclusion and
// consistency proof of a 37-leaf log with x/mod's checker and with
// transparency-dev/merkle, a second RFC 6962 implementation.
func TestProofsAgreeWithIndependentImplementation(t *testing.T) {
	t.Parallel()
	const n = 37
	m := newMem(t, n)
	roots := map[int64]sumtlog.Hash{}
	for size := int64(1); size <= n; size++ {
		h, err := TreeHash(m, size)
		if err != nil {
			t.Fatal(err)
		}
		roots[size] = h
	}
	for size := int64(1); size <= n; size++ {
		for i := int64(0); i < size; i++ {
			p, err := ProveInclusion(m, size, i)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckInclusion(p, size, roots[size], i, m.leaves[i]); err != nil {
				t.Fatalf("x/mod: leaf %d in %d: %v", i, size, err)
			}
			path := make([][]byte, len(p))
			for j := range p {
				path[j] = p[j][:]
			}
			root := roots[size]
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), uint64(size), rfc6962.DefaultHasher.HashLeaf(m.leaves[i]), path, root[:]); err != nil {
				t.Fatalf("transparency-dev: leaf %d in %d: %v", i, size, err)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := ProveConsistency(m, size, old)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckConsistency(p, size, roots[size], old, roots[old]); err != nil {
				t.Fatalf("x/mod: %d → %d: %v", old, size, err)
			}
			path := make([][]byte, len(p))
			for j := range p {
				path[j] = p[j][:]
			}
			r1, r2 := roots[old], roots[size]
			if err := proof.VerifyConsistency(rfc6962.DefaultHasher, uint64(old), uint64(size), path, r1[:], r2[:]); err != nil {
				t.Fatalf("transparency-dev: %d → %d: %v", old, size, err)
			}
		}
	}
}

func TestTamperDetected(t *testing.T) {
	t.Parallel()
	m := newMem(t, 10)
	root, _ := TreeHash(m, 10)
	p, _ := ProveInclusion(m, 10, 4)
	forged := append([]byte(nil), m.leaves[4]...)
	forged[len(forged)-3] ^= 1
	if err := CheckInclusion(p, 10, root, 4, forged); err == nil {
		t.Error("a changed leaf passes its inclusion check")
	}
	if err := CheckInclusion(p, 10, root, 5, m.leaves[4]); err == nil {
		t.Error("a leaf passes at another index (reordered)")
	}
}

func TestCheckpointsAndForks(t *testing.T) {
	t.Parallel()
	skey, vkey, err := GenerateKey(rand.Reader, "csreview.test")
	if err != nil {
		t.Fatal(err)
	}
	m := newMem(t, 5)
	root, _ := TreeHash(m, 5)
	msg, err := Sign(skey, "csreview.test/publications", 5, root)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := Open(vkey, "csreview.test/publications", msg)
	if err != nil || cp.Size != 5 || cp.Hash != root {
		t.Fatalf("Open: %v %+v", err, cp)
	}
	if _, err := Open(vkey, "other/log", msg); err == nil {
		t.Error("a checkpoint of another log is accepted")
	}
	bad := append([]byte(nil), msg...)
	bad[len("csreview.test/publications\n")] ^= 1
	if _, err := Open(vkey, "csreview.test/publications", bad); err == nil {
		t.Error("a changed checkpoint verifies")
	}
	// A second tree of the same size, also signed: a fork.
	other := newMem(t, 4)
	other.add(t, []byte(`{"seq":99}`))
	oroot, _ := TreeHash(other, 5)
	omsg, _ := Sign(skey, "csreview.test/publications", 5, oroot)
	ocp, err := Open(vkey, "csreview.test/publications", omsg)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFork(cp, ocp); !errors.Is(err, ErrFork) {
		t.Errorf("fork not detected: %v", err)
	}
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	a, _ := Canonical(map[string]any{"b": 1, "a": []any{"x", map[string]any{"z": true, "y": nil}}})
	if got, want := string(a), `{"a":["x",{"y":null,"z":true}],"b":1}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// FuzzOpen feeds arbitrary notes to the checkpoint reader: it never
// panics, and whatever it accepts was signed by the key and says what
// was signed.
func FuzzOpen(f *testing.F) {
	skey, vkey, err := GenerateKey(rand.Reader, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	var h sumtlog.Hash
	h[0] = 7
	good, _ := Sign(skey, "o", 3, h)
	f.Add(good)
	f.Add([]byte("o\n3\nAAAA\n\n— fuzz abc\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, msg []byte) {
		cp, err := Open(vkey, "o", msg)
		if err != nil {
			return
		}
		again, err := Sign(skey, "o", cp.Size, cp.Hash)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Open(vkey, "o", again)
		if err != nil || back.Size != cp.Size || back.Hash != cp.Hash {
			t.Fatalf("accepted %q but cannot round-trip it", msg)
		}
	})
}
