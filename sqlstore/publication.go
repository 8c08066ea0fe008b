package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	sumtlog "golang.org/x/mod/sumdb/tlog"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/publish"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/tlog"
	"github.com/csreview/csreview/verify"
)

// LogOrigin names the publication log in its checkpoints.
const LogOrigin = verify.Origin

// logKeyName names the log's signing key.
const logKeyName = "csreview-publications"

// txLog reads the log's stored hashes within a transaction.
type txLog struct{ tx *Tx }

func (l txLog) ReadHashes(idx []int64) ([]sumtlog.Hash, error) {
	out := make([]sumtlog.Hash, len(idx))
	if len(idx) == 0 {
		return out, nil
	}
	args := make([]any, len(idx))
	for i, x := range idx {
		args[i] = x
	}
	got := map[int64]sumtlog.Hash{}
	for start := 0; start < len(args); start += 500 {
		chunk := args[start:min(start+500, len(args))]
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		rows, err := l.tx.query(`SELECT idx, hash FROM tlog_hashes WHERE idx IN (`+marks+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var i int64
			var h string
			if err := rows.Scan(&i, &h); err != nil {
				rows.Close()
				return nil, mapError(err)
			}
			hash, err := hexHash(h)
			if err != nil {
				rows.Close()
				return nil, err
			}
			got[i] = hash
		}
		rows.Close()
	}
	for i, x := range idx {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("publication log: stored hash %d missing", x)
		}
		out[i] = h
	}
	return out, nil
}

// Size is one past the last leaf (an index lookup, where COUNT(*) would
// read the table).
func (l txLog) Size() (int64, error) {
	var n int64
	err := l.tx.queryRow(`SELECT COALESCE(MAX(idx) + 1, 0) FROM tlog_leaves`).Scan(&n)
	return n, mapError(err)
}

func hexHash(s string) (sumtlog.Hash, error) {
	var h sumtlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("publication log: bad stored hash %q", s)
	}
	copy(h[:], b)
	return h, nil
}

// logKey returns the log's signing key, generating it the first time.
func logKey(tx *Tx) (skey, vkey string, err error) {
	err = tx.queryRow(`SELECT skey, vkey FROM tlog_key WHERE id = 1`).Scan(&skey, &vkey)
	if err == nil {
		return skey, vkey, nil
	}
	if csreview.ErrorCode(mapError(err)) != csreview.ENOTFOUND {
		return "", "", mapError(err)
	}
	skey, vkey, err = tlog.GenerateKey(rand.Reader, logKeyName)
	if err != nil {
		return "", "", err
	}
	if _, err := tx.exec(`INSERT INTO tlog_key (id, origin, skey, vkey, created_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		LogOrigin, skey, vkey, formatTime(tx.now)); err != nil {
		return "", "", err
	}
	err = tx.queryRow(`SELECT skey, vkey FROM tlog_key WHERE id = 1`).Scan(&skey, &vkey)
	return skey, vkey, mapError(err)
}

// LogPublicKey returns the log's public key (note verifier key), creating
// the key pair on first use.
func (s *Store) LogPublicKey(ctx context.Context) (string, error) {
	var vkey string
	err := s.DB.write(ctx, func(tx *Tx) (err error) {
		_, vkey, err = logKey(tx)
		return err
	})
	return vkey, err
}

// appendLeaf appends a leaf and signs the new checkpoint, in tx. One
// appender at a time: on PostgreSQL a transaction-scoped advisory lock
// serialises servers; SQLite has a single writer.
func appendLeaf(tx *Tx, leaf []byte) (int64, error) {
	if tx.db.Dialect == Postgres {
		if _, err := tx.exec(`SELECT pg_advisory_xact_lock(499850046566)`); err != nil {
			return 0, err
		}
	}
	skey, _, err := logKey(tx)
	if err != nil {
		return 0, err
	}
	st := txLog{tx}
	n, err := st.Size()
	if err != nil {
		return 0, err
	}
	a, err := tlog.Append(st, n, leaf)
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(`INSERT INTO tlog_leaves (idx, data, created_at) VALUES (?, ?, ?)`, n, string(leaf), formatTime(tx.now)); err != nil {
		return 0, err
	}
	for i, h := range a.Hashes {
		if _, err := tx.exec(`INSERT INTO tlog_hashes (idx, hash) VALUES (?, ?)`, i, hex.EncodeToString(h[:])); err != nil {
			return 0, err
		}
	}
	root, err := tlog.TreeHash(st, n+1)
	if err != nil {
		return 0, err
	}
	note, err := tlog.Sign(skey, LogOrigin, n+1, root)
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(`INSERT INTO tlog_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)`,
		n+1, hex.EncodeToString(root[:]), string(note), formatTime(tx.now)); err != nil {
		return 0, err
	}
	return n, nil
}

// WireEntry is e as the public JSON carries it, with its report as
// stored: what verify recomputes leaves from.
func WireEntry(e *csreview.ListEntry, report []byte) *verify.Entry {
	w := &verify.Entry{ID: e.ID, ProductID: e.ProductID, Product: e.Product, ProductEN: e.ProductEN, Category: string(e.Category),
		SupplierID: e.SupplierID, Supplier: e.Supplier, SupplierEN: e.SupplierEN, List: e.List, Versions: e.Versions,
		Regime: e.Regime, CaseRef: e.CaseRef, DecidedOn: string(e.DecidedOn), PublishedAt: e.PublishedAt.UTC().Format(time.RFC3339),
		RevokedAt: e.RevokedAt, RevokedBy: e.RevokedBy, LeafIndex: e.LeafIndex, RevokeLeaf: e.RevokeLeaf, Report: report}
	return w
}

// publicationDraft gathers the facts of a decided case and has the publish
// package draft its entries.
func publicationDraft(tx *Tx, rules interface {
	Pack(string) (*regime.Pack, error)
}, c *csreview.Case) ([]*csreview.ListEntry, error) {
	if c.State != csreview.StateDecided {
		return publish.Draft(publish.Facts{Case: c})
	}
	p, err := rules.Pack(c.Regime)
	if err != nil {
		return nil, err
	}
	f := publish.Facts{Pack: p, Case: c, Now: tx.now}
	if f.Supplier, err = suppliers.get(tx, c.SupplierID); err != nil {
		return nil, err
	}
	var data string
	if err := tx.queryRow(`SELECT issued_on, data_json FROM notices WHERE case_id = ? AND kind = 'decision' ORDER BY id DESC LIMIT 1`,
		c.ID).Scan(&f.DecidedOn, &data); err != nil {
		return nil, mapError(err)
	}
	var d struct {
		Reasons map[string]string `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return nil, fmt.Errorf("case %d: decision notice: %w", c.ID, err)
	}
	f.Reasons = d.Reasons
	rows, err := tx.query(`SELECT DISTINCT method FROM evidence WHERE case_id = ? ORDER BY method`, c.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		f.Methods = append(f.Methods, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	if c.BodyID != 0 {
		b, err := bodies.get(tx, c.BodyID)
		if err != nil {
			return nil, err
		}
		f.Body = b.NameZH
	}
	// The versions under review, by product.
	vrows, err := tx.query(`SELECT v.product_id, v.version FROM case_versions cv JOIN product_versions v ON v.id = cv.version_id
		WHERE cv.case_id = ? ORDER BY v.product_id, v.version`, c.ID)
	if err != nil {
		return nil, err
	}
	byProduct := map[int64]int{}
	type pv struct {
		pid int64
		ver string
	}
	var found []pv
	for vrows.Next() {
		var x pv
		if err := vrows.Scan(&x.pid, &x.ver); err != nil {
			vrows.Close()
			return nil, mapError(err)
		}
		found = append(found, x)
	}
	vrows.Close()
	if err := vrows.Err(); err != nil {
		return nil, mapError(err)
	}
	for _, x := range found {
		i, ok := byProduct[x.pid]
		if !ok {
			prod, err := products.get(tx, x.pid)
			if err != nil {
				return nil, err
			}
			i = len(f.Products)
			byProduct[x.pid] = i
			f.Products = append(f.Products, publish.Product{Product: prod})
		}
		f.Products[i].Versions = append(f.Products[i].Versions, x.ver)
	}
	return publish.Draft(f)
}

// PreviewPublication shows the office exactly what the public would see if
// it published the case now.
func (s *Store) PreviewPublication(ctx context.Context, caseID int64) ([]*csreview.ListEntry, error) {
	if !csreview.CanPublish(actor(ctx)) {
		return nil, forbidOrUnauth(ctx)
	}
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	var out []*csreview.ListEntry
	err = s.DB.read(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		out, err = publicationDraft(tx, rules, c)
		return err
	})
	return out, err
}

// PublishCase publishes a decided case: a list entry per product with its
// public report, each appended to the log; a re-review first closes the
// earlier case's entries for its products, each closing appended too. All
// in one transaction (2017 trial Measures Art. 13: results are published).
func (s *Store) PublishCase(ctx context.Context, caseID int64, opt csreview.PublishOptions) ([]*csreview.ListEntry, error) {
	if !csreview.CanPublish(actor(ctx)) {
		return nil, forbidOrUnauth(ctx)
	}
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	var out []*csreview.ListEntry
	err = s.DB.write(ctx, func(tx *Tx) error {
		c, err := visibleCase(tx, caseID)
		if err != nil {
			return err
		}
		entries, err := publicationDraft(tx, rules, c)
		if err != nil {
			return err
		}
		if p, _ := rules.Pack(c.Regime); !publish.HasBasis(p) && !opt.ConfirmNoBasis {
			return invalid("confirm_no_basis", "no_publication_basis", c.Regime)
		}
		n, err := countOf(tx, `SELECT COUNT(*) FROM list_entries WHERE case_id = ?`, c.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return csreview.KeyErrorf(csreview.ECONFLICT, "err.published", "The case is published already.")
		}
		// A re-review replaces the earlier decision on its products: a
		// fail moves them to the failed list (a revocation), a pass renews
		// their entry. Either way the earlier entry stays, marked.
		if c.ParentID != 0 {
			if err := revokeEntries(tx, c, entries); err != nil {
				return err
			}
		}
		for _, e := range entries {
			report, err := json.Marshal(e.Report)
			if err != nil {
				return err
			}
			versions, _ := json.Marshal(e.Versions)
			if err := tx.queryRow(`INSERT INTO list_entries (product_id, supplier_id, product, product_en, supplier, supplier_en,
				category, list, versions, regime, case_id, case_ref, decided_on, published_at, report, leaf_index)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, -1) RETURNING id`,
				e.ProductID, e.SupplierID, e.Product, e.ProductEN, e.Supplier, e.SupplierEN, string(e.Category), e.List,
				string(versions), e.Regime, c.ID, e.CaseRef, string(e.DecidedOn), formatTime(e.PublishedAt),
				string(report)).Scan(&e.ID); err != nil {
				return mapError(err)
			}
			leaf, err := verify.PublishLeaf(WireEntry(e, report))
			if err != nil {
				return err
			}
			if e.LeafIndex, err = appendLeaf(tx, leaf); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE list_entries SET leaf_index = ? WHERE id = ?`, e.LeafIndex, e.ID); err != nil {
				return err
			}
			if err := tx.audit("publish", "list_entry", e.ID, nil, e); err != nil {
				return err
			}
		}
		out = entries
		return caseEvent(tx, c, "publish", c.State, tx.today(), "", map[string]any{"entries": len(entries)})
	})
	return out, err
}

// revokeEntries takes the revoked pass's entries for the same products off
// the passed list, keeping them as history, and logs each revocation.
func revokeEntries(tx *Tx, c *csreview.Case, entries []*csreview.ListEntry) error {
	for _, e := range entries {
		list, _, _, err := listEntries(tx, csreview.ListFilter{Current: true}, true, []string{"le.case_id = ?", "le.product_id = ?"},
			[]any{c.ParentID, e.ProductID})
		if err != nil {
			return err
		}
		for _, old := range list {
			old.RevokedAt, old.RevokedBy = tx.now.UTC().Format(time.RFC3339), c.Ref
			leaf, err := verify.RevokeLeaf(WireEntry(old, nil))
			if err != nil {
				return err
			}
			idx, err := appendLeaf(tx, leaf)
			if err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE list_entries SET revoked_at = ?, revoked_by = ?, revoke_leaf = ? WHERE id = ?`,
				old.RevokedAt, c.ID, idx, old.ID); err != nil {
				return err
			}
			if err := tx.audit("revoke", "list_entry", old.ID, nil, map[string]any{"by": c.Ref}); err != nil {
				return err
			}
		}
	}
	return nil
}

const listSelect = `SELECT le.id, le.product_id, le.product, le.product_en, le.category, le.supplier_id, le.supplier, le.supplier_en,
	le.list, le.versions, le.regime, le.case_ref, le.decided_on, le.published_at, le.revoked_at, COALESCE(rc.ref, ''),
	le.leaf_index, COALESCE(le.revoke_leaf, -1), le.report, COUNT(*) OVER ()
	FROM list_entries le LEFT JOIN cases rc ON rc.id = le.revoked_by`

// listEntries returns the entries f selects, with their reports as stored;
// all of them when all is set, else f's page.
func listEntries(tx *Tx, f csreview.ListFilter, all bool, conds []string, args []any) ([]*csreview.ListEntry, []string, int, error) {
	var w where
	for i, c := range conds {
		w.add(c, args[i])
	}
	if f.List != "" {
		w.add("le.list = ?", f.List)
	}
	if f.Current {
		w.add("le.revoked_at = ''")
	}
	w.search(f.Query, "le.product", "le.product_en", "le.supplier", "le.supplier_en")
	if f.SupplierID != 0 {
		w.add("le.supplier_id = ?", f.SupplierID)
	}
	if f.Category != "" {
		w.add("le.category = ?", string(f.Category))
	}
	if f.Regime != "" {
		w.add("le.regime = ?", f.Regime)
	}
	if f.Since != "" {
		// Days are Beijing days.
		y, m, d := f.Since.Time().Date()
		w.add("le.published_at >= ?", formatTime(time.Date(y, m, d, 0, 0, 0, 0, beijing)))
	}
	if f.CaseRef != "" {
		w.add("le.case_ref = ?", f.CaseRef)
	}
	if f.ProductID != 0 {
		w.add("le.product_id = ?", f.ProductID)
	}
	q, qargs := listSelect+w.sql()+` ORDER BY le.published_at DESC, le.id DESC`, w.args
	if !all {
		page := f.Page.Normalize()
		q, qargs = q+` LIMIT ? OFFSET ?`, append(qargs, page.Limit, page.Offset)
	}
	rows, err := tx.query(q, qargs...)
	if err != nil {
		return nil, nil, 0, err
	}
	defer rows.Close()
	var out []*csreview.ListEntry
	var raw []string
	total := 0
	for rows.Next() {
		e := new(csreview.ListEntry)
		var versions, report string
		if err := rows.Scan(&e.ID, &e.ProductID, &e.Product, &e.ProductEN, &e.Category, &e.SupplierID, &e.Supplier, &e.SupplierEN,
			&e.List, &versions, &e.Regime, &e.CaseRef, &e.DecidedOn, tcol{&e.PublishedAt}, &e.RevokedAt, &e.RevokedBy,
			&e.LeafIndex, &e.RevokeLeaf, &report, &total); err != nil {
			return nil, nil, 0, mapError(err)
		}
		if e.RevokeLeaf < 0 {
			e.RevokeLeaf = 0
		}
		json.Unmarshal([]byte(versions), &e.Versions)
		e.Report = new(csreview.PublicReport)
		json.Unmarshal([]byte(report), e.Report)
		out = append(out, e)
		raw = append(raw, report)
	}
	return out, raw, total, mapError(rows.Err())
}

// FindListEntries serves the public lists: anyone may read them.
func (s *Store) FindListEntries(ctx context.Context, f csreview.ListFilter) (list []*csreview.ListEntry, total int, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, _, total, err = listEntries(tx, f, false, nil, nil)
		return err
	})
	return list, total, err
}

// FindListEntry returns one published entry.
func (s *Store) FindListEntry(ctx context.Context, id int64) (*csreview.ListEntry, error) {
	var e *csreview.ListEntry
	err := s.DB.read(ctx, func(tx *Tx) error {
		list, _, _, err := listEntries(tx, csreview.ListFilter{}, false, []string{"le.id = ?"}, []any{id})
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return errNotFound("list_entry", id)
		}
		e = list[0]
		return nil
	})
	return e, err
}

// PublicEntries returns the entries f selects as the public JSON carries
// them, each report exactly as its leaf hashed it; every entry when all.
func (s *Store) PublicEntries(ctx context.Context, f csreview.ListFilter, all bool) (out []*verify.Entry, total int, err error) {
	err = s.DB.read(ctx, func(tx *Tx) error {
		list, raw, n, err := listEntries(tx, f, all, nil, nil)
		for i, e := range list {
			out = append(out, WireEntry(e, []byte(raw[i])))
		}
		total = n
		return err
	})
	return out, total, err
}

// ReportJSON is the exact public report an entry's leaf hashes.
func (s *Store) ReportJSON(ctx context.Context, id int64) ([]byte, error) {
	var report string
	err := s.DB.read(ctx, func(tx *Tx) error {
		return notFound(mapError(tx.queryRow(`SELECT report FROM list_entries WHERE id = ?`, id).Scan(&report)), "list_entry", id)
	})
	return []byte(report), err
}

// Checkpoint returns the latest signed checkpoint, or ENOTFOUND when
// nothing has been published.
func (s *Store) Checkpoint(ctx context.Context) (*tlog.Checkpoint, error) {
	var cp tlog.Checkpoint
	err := s.DB.read(ctx, func(tx *Tx) error {
		var root, note string
		if err := tx.queryRow(`SELECT size, root, note FROM tlog_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&cp.Size, &root, &note); err != nil {
			return notFound(mapError(err), "checkpoint", 0)
		}
		h, err := hexHash(root)
		cp.Hash, cp.Note = h, []byte(note)
		return err
	})
	return &cp, err
}

// LogLeaves returns leaves [start, end).
func (s *Store) LogLeaves(ctx context.Context, start, end int64) ([][]byte, error) {
	var out [][]byte
	err := s.DB.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT data FROM tlog_leaves WHERE idx >= ? AND idx < ? ORDER BY idx`, start, end)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				return mapError(err)
			}
			out = append(out, []byte(d))
		}
		return mapError(rows.Err())
	})
	return out, err
}

// InclusionProof proves leaf n is in the tree of size t.
func (s *Store) InclusionProof(ctx context.Context, t, n int64) (sumtlog.RecordProof, error) {
	var p sumtlog.RecordProof
	err := s.DB.read(ctx, func(tx *Tx) (err error) {
		if err := checkProofArgs(tx, t, n, true); err != nil {
			return err
		}
		p, err = tlog.ProveInclusion(txLog{tx}, t, n)
		return err
	})
	return p, err
}

// ConsistencyProof proves the tree of size n is a prefix of size t.
func (s *Store) ConsistencyProof(ctx context.Context, t, n int64) (sumtlog.TreeProof, error) {
	var p sumtlog.TreeProof
	err := s.DB.read(ctx, func(tx *Tx) (err error) {
		if err := checkProofArgs(tx, t, n, false); err != nil {
			return err
		}
		p, err = tlog.ProveConsistency(txLog{tx}, t, n)
		return err
	})
	return p, err
}

func checkProofArgs(tx *Tx, t, n int64, leaf bool) error {
	size, err := txLog{tx}.Size()
	if err != nil {
		return err
	}
	bad := t < 1 || t > size || n < 0 || n > t || (leaf && n >= t) || (!leaf && n < 1)
	if bad {
		return invalid("size", "out_of_range", fmt.Sprint(size))
	}
	return nil
}

// VerifySource reads the log and the lists straight from the database,
// for `csreview verify --db`.
func (s *Store) VerifySource() verify.Source { return storeSource{s} }

type storeSource struct{ s *Store }

func (v storeSource) Key(ctx context.Context) (string, error) {
	var vkey string
	err := v.s.DB.read(ctx, func(tx *Tx) error {
		return notFound(mapError(tx.queryRow(`SELECT vkey FROM tlog_key WHERE id = 1`).Scan(&vkey)), "log key", 1)
	})
	return vkey, err
}

func (v storeSource) Checkpoint(ctx context.Context) ([]byte, error) {
	cp, err := v.s.Checkpoint(ctx)
	if err != nil {
		return nil, err
	}
	return cp.Note, nil
}

func (v storeSource) Entries(ctx context.Context) ([]*verify.Entry, error) {
	list, _, err := v.s.PublicEntries(ctx, csreview.ListFilter{}, true)
	return list, err
}

func (v storeSource) Leaves(ctx context.Context, start, end int64) ([][]byte, error) {
	return v.s.LogLeaves(ctx, start, end)
}

func (v storeSource) InclusionProof(ctx context.Context, size, index int64) (sumtlog.RecordProof, error) {
	return v.s.InclusionProof(ctx, size, index)
}

func (v storeSource) ConsistencyProof(ctx context.Context, size, old int64) (sumtlog.TreeProof, error) {
	return v.s.ConsistencyProof(ctx, size, old)
}
