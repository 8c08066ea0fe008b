package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	sumtlog "golang.org/x/mod/sumdb/tlog"

	"github.com/csreview/csreview/tlog"
)

// Origin names the publication log in its checkpoints.
const Origin = "csreview/publications"

// Source is where a verifier reads the log and the lists: a server over
// HTTP, or a database directly.
type Source interface {
	// Key returns the log's note verifier key.
	Key(ctx context.Context) (string, error)
	// Checkpoint returns the latest signed checkpoint, as note text.
	Checkpoint(ctx context.Context) ([]byte, error)
	// Entries returns every list entry, current and closed.
	Entries(ctx context.Context) ([]*Entry, error)
	// Leaves returns leaves [start, end).
	Leaves(ctx context.Context, start, end int64) ([][]byte, error)
	InclusionProof(ctx context.Context, size, index int64) (sumtlog.RecordProof, error)
	ConsistencyProof(ctx context.Context, size, old int64) (sumtlog.TreeProof, error)
}

// State is what a verifier remembers between runs: the key it trusts and
// the last checkpoint it saw hold.
type State struct {
	Source     string    `json:"source"`
	Key        string    `json:"key"`
	Size       int64     `json:"size"`
	Root       string    `json:"root"`
	Checkpoint string    `json:"checkpoint"`
	CheckedAt  time.Time `json:"checked_at"`
}

// Problem is one thing that does not hold.
type Problem struct {
	Entry int64 // 0 when the problem is the log's as a whole
	Leaf  int64 // -1 when no one leaf is at fault
	What  string
}

func (p Problem) String() string { return p.What }

// Result is what a run found.
type Result struct {
	Key        string
	TrustedNew bool // the key was taken from the source on this first run
	Checkpoint *tlog.Checkpoint
	Previous   *State // the earlier checkpoint the tree was checked against
	Entries    int
	Current    int
	Leaves     int
	Proofs     int
	Problems   []Problem
}

// OK reports whether everything held.
func (r *Result) OK() bool { return len(r.Problems) == 0 }

func (r *Result) fail(entry, leaf int64, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Entry: entry, Leaf: leaf, What: fmt.Sprintf(format, args...)})
}

// Options adjust a run.
type Options struct {
	// Key, when set, is the verifier key to trust instead of the one
	// remembered or served.
	Key string
	// Now stamps the new state.
	Now func() time.Time
}

// leafBatch is how many leaves a request asks for.
const leafBatch = 1000

// Run checks src against prev (nil on a first run) and returns what it
// found, and the state to remember when everything held. An error means
// the check could not be made at all.
func Run(ctx context.Context, src Source, prev *State, opt Options) (*Result, *State, error) {
	r := &Result{}
	served, err := src.Key(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the log's key: %w", err)
	}
	switch {
	case opt.Key != "":
		r.Key = opt.Key
	case prev != nil && prev.Key != "":
		r.Key = prev.Key
	default:
		r.Key, r.TrustedNew = served, true
	}
	if served != r.Key {
		r.fail(0, -1, "the log's key has changed: it serves %s, the trusted key is %s", served, r.Key)
		return r, nil, nil
	}
	note, err := src.Checkpoint(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the checkpoint: %w", err)
	}
	cp, err := tlog.Open(r.Key, Origin, note)
	if err != nil {
		r.fail(0, -1, "the checkpoint does not verify with the trusted key: %v", err)
		return r, nil, nil
	}
	r.Checkpoint = cp
	if prev != nil && prev.Checkpoint != "" {
		r.Previous = prev
		checkGrowth(ctx, src, r, prev)
	}
	leaves, err := readLeaves(ctx, src, cp.Size)
	if err != nil {
		return nil, nil, err
	}
	r.Leaves = len(leaves)
	checkTree(r, leaves)
	entries, err := src.Entries(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the lists: %w", err)
	}
	if err := checkEntries(ctx, src, r, entries, leaves); err != nil {
		return nil, nil, err
	}
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].Entry < r.Problems[j].Entry })
	if !r.OK() {
		return r, nil, nil
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	next := &State{Key: r.Key, Size: cp.Size, Root: cp.Hash.String(), Checkpoint: string(note), CheckedAt: now().UTC()}
	return r, next, nil
}

// checkGrowth checks that the tree only grew since prev: the same tree, or
// a larger one that proves to extend it. Two different signed trees of one
// size are a fork.
func checkGrowth(ctx context.Context, src Source, r *Result, prev *State) {
	old, err := tlog.Open(r.Key, Origin, []byte(prev.Checkpoint))
	if err != nil {
		r.fail(0, -1, "the remembered checkpoint does not verify with the trusted key: %v", err)
		return
	}
	cp := r.Checkpoint
	switch {
	case old.Size > cp.Size:
		r.fail(0, -1, "the log has shrunk: it was %d leaves on %s, now %d", old.Size, prev.CheckedAt.Format(time.DateOnly), cp.Size)
	case old.Size == cp.Size:
		if err := tlog.CheckFork(old, cp); err != nil {
			r.fail(0, -1, "%v: the log showed a different history on %s", err, prev.CheckedAt.Format(time.DateOnly))
		}
	default:
		p, err := src.ConsistencyProof(ctx, cp.Size, old.Size)
		if err == nil {
			err = tlog.CheckConsistency(p, cp.Size, cp.Hash, old.Size, old.Hash)
		}
		if err != nil {
			r.fail(0, -1, "the tree of %d leaves does not extend the tree of %d leaves seen on %s: %v",
				cp.Size, old.Size, prev.CheckedAt.Format(time.DateOnly), err)
		}
	}
}

func readLeaves(ctx context.Context, src Source, size int64) ([][]byte, error) {
	var out [][]byte
	for start := int64(0); start < size; start += leafBatch {
		end := min(start+leafBatch, size)
		got, err := src.Leaves(ctx, start, end)
		if err != nil {
			return nil, fmt.Errorf("reading leaves %d–%d: %w", start, end-1, err)
		}
		out = append(out, got...)
		if int64(len(got)) < end-start {
			break // the log holds fewer leaves than it signed
		}
	}
	return out, nil
}

// memHashes builds the tree of the downloaded leaves in memory.
type memHashes map[int64]sumtlog.Hash

func (m memHashes) ReadHashes(idx []int64) ([]sumtlog.Hash, error) {
	out := make([]sumtlog.Hash, len(idx))
	for i, x := range idx {
		h, ok := m[x]
		if !ok {
			return nil, fmt.Errorf("hash %d missing", x)
		}
		out[i] = h
	}
	return out, nil
}

func (m memHashes) Size() (int64, error) { return 0, nil }

// checkTree recomputes the root from the leaves themselves.
func checkTree(r *Result, leaves [][]byte) {
	cp := r.Checkpoint
	if int64(len(leaves)) != cp.Size {
		r.fail(0, int64(len(leaves)), "the checkpoint signs %d leaves but the log serves %d", cp.Size, len(leaves))
		return
	}
	m := memHashes{}
	for i, leaf := range leaves {
		a, err := tlog.Append(m, int64(i), leaf)
		if err != nil {
			r.fail(0, int64(i), "leaf %d: %v", i, err)
			return
		}
		for k, v := range a.Hashes {
			m[k] = v
		}
	}
	root, err := tlog.TreeHash(m, cp.Size)
	if err != nil || root != cp.Hash {
		r.fail(0, -1, "the leaves served do not hash to the signed root %s", cp.Hash)
	}
}

type expected struct {
	entry *Entry
	leaf  []byte
	kind  string
}

// checkEntries matches the lists against the leaves, both ways, and checks
// each entry's inclusion proof against the checkpoint.
func checkEntries(ctx context.Context, src Source, r *Result, entries []*Entry, leaves [][]byte) error {
	cp := r.Checkpoint
	want := map[int64]expected{}
	seen := map[int64]bool{}
	r.Entries = len(entries)
	for _, e := range entries {
		if seen[e.ID] {
			r.fail(e.ID, -1, "%s is listed twice", e)
			continue
		}
		seen[e.ID] = true
		if e.RevokedAt == "" {
			r.Current++
		}
		pub, err := PublishLeaf(e)
		if err != nil {
			r.fail(e.ID, e.LeafIndex, "%s: cannot form its leaf: %v", e, err)
			continue
		}
		items := []struct {
			idx  int64
			leaf []byte
			kind string
		}{{e.LeafIndex, pub, "publication"}}
		if e.RevokedAt != "" {
			rev, err := RevokeLeaf(e)
			if err != nil {
				r.fail(e.ID, e.RevokeLeaf, "%s: cannot form its revocation leaf: %v", e, err)
				continue
			}
			items = append(items, struct {
				idx  int64
				leaf []byte
				kind string
			}{e.RevokeLeaf, rev, "revocation"})
		}
		for _, it := range items {
			if other, dup := want[it.idx]; dup {
				r.fail(e.ID, it.idx, "%s and %s both claim leaf %d", e, other.entry, it.idx)
				continue
			}
			want[it.idx] = expected{e, it.leaf, it.kind}
			if it.idx < 0 || it.idx >= cp.Size {
				r.fail(e.ID, it.idx, "%s: its %s leaf %d is outside the signed tree of %d leaves", e, it.kind, it.idx, cp.Size)
				continue
			}
			if it.idx < int64(len(leaves)) && !bytes.Equal(leaves[it.idx], it.leaf) {
				r.fail(e.ID, it.idx, "%s: the list differs from its %s leaf %d in %s", e, it.kind, it.idx,
					strings.Join(diffKeys(it.leaf, leaves[it.idx]), ", "))
				continue
			}
			p, err := src.InclusionProof(ctx, cp.Size, it.idx)
			if err == nil {
				err = tlog.CheckInclusion(p, cp.Size, cp.Hash, it.idx, it.leaf)
			}
			r.Proofs++
			if err != nil {
				r.fail(e.ID, it.idx, "%s: its %s is not in the signed tree at leaf %d: %v", e, it.kind, it.idx, err)
			}
		}
	}
	for i, leaf := range leaves {
		if _, ok := want[int64(i)]; ok {
			continue
		}
		var l Leaf
		if err := json.Unmarshal(leaf, &l); err != nil {
			r.fail(0, int64(i), "leaf %d is not a publication record", i)
			continue
		}
		switch {
		case l.Type == "revoke" && seen[l.Entry]:
			r.fail(l.Entry, int64(i), "entry %d: the log records its revocation at leaf %d, but the list shows it current", l.Entry, i)
		case seen[l.Entry]:
			r.fail(l.Entry, int64(i), "entry %d: leaf %d records it too, and the list does not account for that leaf", l.Entry, i)
		default:
			r.fail(l.Entry, int64(i), "entry %d: the log records its %s at leaf %d, but the lists do not show it", l.Entry, map[string]string{"publish": "publication", "revoke": "revocation"}[l.Type], i)
		}
	}
	return nil
}

// diffKeys names the top-level fields in which two JSON objects differ.
func diffKeys(a, b []byte) []string {
	var x, y map[string]json.RawMessage
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return []string{"its content"}
	}
	var out []string
	for k, v := range x {
		if w, ok := y[k]; !ok || !bytes.Equal(v, w) {
			out = append(out, k)
		}
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return []string{"its encoding"}
	}
	return out
}
