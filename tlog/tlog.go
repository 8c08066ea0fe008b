// Package tlog is csreview's tamper-evident log of publications: an RFC 6962
// Merkle tree (golang.org/x/mod/sumdb/tlog) of canonical JSON leaves, with
// checkpoints signed in the note format (Ed25519), inclusion and
// consistency proofs, and the client-side checks 'csreview verify' runs.
package tlog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	sumtlog "golang.org/x/mod/sumdb/tlog"
)

// Storage keeps a log's stored hashes (the tree's nodes, in sumdb's
// numbering) and leaves.
type Storage interface {
	// ReadHashes returns the stored hashes at the given indexes.
	ReadHashes(indexes []int64) ([]sumtlog.Hash, error)
	// Size is the number of leaves.
	Size() (int64, error)
}

// Appended is what appending one leaf adds to storage.
type Appended struct {
	Index  int64
	Leaf   []byte
	Hashes map[int64]sumtlog.Hash // stored hash index → hash
}

// Append computes the stored hashes that leaf number n adds: the caller
// writes them, with the leaf, in the transaction that holds the log's
// append lock.
func Append(st Storage, n int64, leaf []byte) (*Appended, error) {
	hashes, err := sumtlog.StoredHashes(n, leaf, sumtlog.HashReaderFunc(st.ReadHashes))
	if err != nil {
		return nil, err
	}
	a := &Appended{Index: n, Leaf: leaf, Hashes: map[int64]sumtlog.Hash{}}
	base := sumtlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		a.Hashes[base+int64(i)] = h
	}
	return a, nil
}

// TreeHash is the root hash of the first n leaves.
func TreeHash(st Storage, n int64) (sumtlog.Hash, error) {
	return sumtlog.TreeHash(n, sumtlog.HashReaderFunc(st.ReadHashes))
}

// Canonical returns v as canonical JSON: object keys sorted, no
// insignificant space, so the same entry always hashes the same.
func Canonical(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var x any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writeCanonical(&buf, x); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeCanonical(buf *bytes.Buffer, x any) error {
	switch v := x.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			buf.Write(kb)
			buf.WriteByte(':')
			if err := writeCanonical(buf, v[k]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeCanonical(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		buf.Write(b)
	}
	return nil
}

// Checkpoint is a signed statement of the tree: its size and root hash.
type Checkpoint struct {
	Size int64
	Hash sumtlog.Hash
	Note []byte // the signed note, as served
}

// Sign signs the tree of size n and root h with the log's key: a signed
// note whose text is a checkpoint in the C2SP tlog-checkpoint form — the
// log's origin, the tree size in decimal and the base64 root hash, one per
// line.
func Sign(skey, origin string, n int64, h sumtlog.Hash) ([]byte, error) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, err
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", origin, n, base64.StdEncoding.EncodeToString(h[:]))
	return note.Sign(&note.Note{Text: text}, signer)
}

// Open verifies a signed checkpoint with the log's public key and returns
// the tree it states.
func Open(vkey, origin string, msg []byte) (*Checkpoint, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("checkpoint signature: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		return nil, fmt.Errorf("checkpoint: want origin, size and root hash, got %d lines", len(lines))
	}
	if lines[0] != origin {
		return nil, fmt.Errorf("checkpoint is for log %q, not %q", lines[0], origin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return nil, fmt.Errorf("checkpoint: bad tree size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	cp := &Checkpoint{Size: size, Note: msg}
	if err != nil || len(root) != len(cp.Hash) {
		return nil, fmt.Errorf("checkpoint: bad root hash %q", lines[2])
	}
	copy(cp.Hash[:], root)
	return cp, nil
}

// GenerateKey makes the log's signing key.
func GenerateKey(rand interface{ Read([]byte) (int, error) }, name string) (skey, vkey string, err error) {
	return note.GenerateKey(rand, name)
}

// ProveInclusion returns the proof that leaf n is in the tree of size t.
func ProveInclusion(st Storage, t, n int64) (sumtlog.RecordProof, error) {
	return sumtlog.ProveRecord(t, n, sumtlog.HashReaderFunc(st.ReadHashes))
}

// ProveConsistency returns the proof that the tree of size n is a prefix
// of the tree of size t.
func ProveConsistency(st Storage, t, n int64) (sumtlog.TreeProof, error) {
	return sumtlog.ProveTree(t, n, sumtlog.HashReaderFunc(st.ReadHashes))
}

// CheckInclusion checks that leaf (its data) is leaf n of the tree of size
// t with root th.
func CheckInclusion(p sumtlog.RecordProof, t int64, th sumtlog.Hash, n int64, leaf []byte) error {
	return sumtlog.CheckRecord(p, t, th, n, sumtlog.RecordHash(leaf))
}

// CheckConsistency checks that the tree (n, h) is a prefix of (t, th).
func CheckConsistency(p sumtlog.TreeProof, t int64, th sumtlog.Hash, n int64, h sumtlog.Hash) error {
	return sumtlog.CheckTree(p, t, th, n, h)
}

// ErrFork reports two different trees of one size, both signed: proof that
// the log showed different histories to different readers.
var ErrFork = errors.New("fork: two different signed trees of the same size")

// CheckFork compares two signed checkpoints of the same size.
func CheckFork(a, b *Checkpoint) error {
	if a.Size == b.Size && a.Hash != b.Hash {
		return fmt.Errorf("%w (size %d: %s and %s)", ErrFork, a.Size, a.Hash, b.Hash)
	}
	return nil
}
