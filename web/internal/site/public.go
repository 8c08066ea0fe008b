package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	sumtlog "golang.org/x/mod/sumdb/tlog"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/tlog"
	"github.com/csreview/csreview/verify"
)

// PublicServices publish decided cases and serve the public lists, the
// feedback queue and the publication log (DESIGN §5).
type PublicServices interface {
	csreview.PublicationService
	csreview.FeedbackService
	csreview.PublicLog
	// PublicEntries are the entries f selects as the public JSON carries
	// them, each report exactly as its leaf hashed it; every entry when
	// all. It stays here because its type is the verifier's leaf format.
	PublicEntries(ctx context.Context, f csreview.ListFilter, all bool) ([]*verify.Entry, int, error)
}

// ListsSchemaVersion is the version of the lists.json format; it changes
// only when a field changes meaning or goes away.
const ListsSchemaVersion = 1

// maxLeaves bounds one leaves request.
const maxLeaves = 1000

// publicCache keeps rendered public answers for the current tree: every
// public list and status changes only with a new leaf, so an answer is
// good until the tree grows. The tree size is looked up at most once per
// refresh interval (and at once after a publication here), so that polling
// mirrors and buyers cost a map lookup.
type publicCache struct {
	mu       sync.RWMutex
	size     int64 // tree size the answers were made for; -1 before any
	checked  time.Time
	answers  map[string]*cachedAnswer
	interval time.Duration
	now      func() time.Time
}

type cachedAnswer struct {
	body        []byte
	etag        string
	contentType string
	cache       string
}

func newPublicCache(interval time.Duration) *publicCache {
	if interval == 0 {
		interval = time.Second
	}
	return &publicCache{size: -1, answers: map[string]*cachedAnswer{}, interval: interval, now: time.Now}
}

// off reports whether caching is turned off.
func (c *publicCache) off() bool { return c.interval < 0 }

// invalidate forgets everything; the next request reads the tree again.
func (c *publicCache) invalidate() {
	c.mu.Lock()
	c.size, c.answers, c.checked = -1, map[string]*cachedAnswer{}, time.Time{}
	c.mu.Unlock()
}

// treeSize returns the log's size, reading it when the last look is older
// than the interval.
func (s *Server) treeSize(ctx context.Context) (int64, error) {
	c := s.pubCache
	c.mu.RLock()
	size, fresh := c.size, c.now().Sub(c.checked) < c.interval
	c.mu.RUnlock()
	if fresh && size >= 0 {
		return size, nil
	}
	cp, err := s.pub.Checkpoint(ctx)
	switch {
	case csreview.ErrorCode(err) == csreview.ENOTFOUND:
		cp = &tlog.Checkpoint{}
	case err != nil:
		return 0, err
	}
	c.mu.Lock()
	if cp.Size != c.size {
		c.answers = map[string]*cachedAnswer{}
	}
	c.size, c.checked = cp.Size, c.now()
	c.mu.Unlock()
	return cp.Size, nil
}

// cached serves the answer for key, making it with make on a miss. The
// answer carries a strong ETag; a matching If-None-Match gets 304.
func (s *Server) cached(w http.ResponseWriter, r *http.Request, key string, make func() (*cachedAnswer, error)) error {
	if _, err := s.treeSize(r.Context()); err != nil {
		return err
	}
	c := s.pubCache
	c.mu.RLock()
	a := c.answers[key]
	c.mu.RUnlock()
	if a == nil && c.off() {
		var err error
		if a, err = make(); err != nil {
			return err
		}
		sum := sha256.Sum256(a.body)
		a.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	} else if a == nil {
		var err error
		if a, err = make(); err != nil {
			return err
		}
		sum := sha256.Sum256(a.body)
		a.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
		c.mu.Lock()
		if len(c.answers) > 10000 { // bound memory under a spray of queries
			c.answers = map[string]*cachedAnswer{}
		}
		c.answers[key] = a
		c.mu.Unlock()
	}
	h := w.Header()
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", a.cache)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatch(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", a.contentType)
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(a.body)
	}
	return nil
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func jsonAnswer(v any, cache string) (*cachedAnswer, error) {
	b, err := indent.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &cachedAnswer{body: append(b, '\n'), contentType: "application/json", cache: cache}, nil
}

const (
	cacheLists = "public, max-age=60"
	cacheFresh = "public, no-cache" // revalidate every time; the ETag makes it cheap
)

// listFilter reads the public list filters from the query.
func (s *Server) listFilter(q *query) csreview.ListFilter {
	f := csreview.ListFilter{List: q.oneOf("list", []string{csreview.ListPassed, csreview.ListFailed}), Query: q.str("q"),
		SupplierID: q.int("supplier_id"), Category: csreview.Category(q.oneOf("category", strs(csreview.Categories))),
		Regime: q.oneOf("regime", s.packIDs()), Since: csreview.Date(q.str("since")), ProductID: q.int("product_id")}
	if f.Since != "" && !f.Since.Valid() {
		q.bad.Add("since", "invalid_date")
	}
	switch q.str("history") {
	case "", "false", "0":
		f.Current = true
	case "true", "1":
	default:
		q.bad.Add("history", "not_a_boolean")
	}
	return f
}

func (s *Server) packIDs() []string {
	ids := make([]string, len(s.packs))
	for i, p := range s.packs {
		ids[i] = p.ID
	}
	return ids
}

// ListsDocument is lists.json: the public lists, with the log state they
// were read at (schema: /public/v1/schema/lists-v1.json).
type ListsDocument struct {
	Schema        string          `json:"$schema"`
	SchemaVersion int             `json:"schema_version"`
	Log           LogState        `json:"log"`
	Filter        map[string]any  `json:"filter,omitempty"`
	Total         int             `json:"total"`
	Entries       []*verify.Entry `json:"entries"`
}

// LogState names the log and the tree size an answer was read at.
type LogState struct {
	Origin string `json:"origin"`
	Size   int64  `json:"size"`
	Key    string `json:"key,omitempty"`
}

// filterKey canonicalises the query for the cache key.
func filterKey(r *http.Request) string {
	q := r.URL.Query()
	return q.Encode()
}

// publicEntries reads every entry the filter selects (lists are read whole
// by mirrors; the filters narrow them).
func (s *Server) publicEntries(r *http.Request) ([]*verify.Entry, error) {
	q := newQuery(r)
	f := s.listFilter(q)
	if err := q.err(); err != nil {
		return nil, err
	}
	list, _, err := s.pub.PublicEntries(r.Context(), f, true)
	if list == nil {
		list = []*verify.Entry{}
	}
	return list, err
}

func (s *Server) apiLists(w http.ResponseWriter, r *http.Request) error {
	return s.cached(w, r, "lists.json?"+filterKey(r), func() (*cachedAnswer, error) {
		list, err := s.publicEntries(r)
		if err != nil {
			return nil, err
		}
		size, err := s.treeSize(r.Context())
		if err != nil {
			return nil, err
		}
		doc := ListsDocument{Schema: "/public/v1/schema/lists-v1.json", SchemaVersion: ListsSchemaVersion,
			Log: LogState{Origin: verify.Origin, Size: size}, Total: len(list), Entries: list}
		if q := r.URL.Query(); len(q) > 0 {
			doc.Filter = map[string]any{}
			for k := range q {
				doc.Filter[k] = q.Get(k)
			}
		}
		return jsonAnswer(doc, cacheLists)
	})
}

// apiListsCSV is the lists as CSV, one row per entry; excel=1 adds the
// byte-order mark that spreadsheet programs need to read UTF-8.
func (s *Server) apiListsCSV(w http.ResponseWriter, r *http.Request) error {
	return s.cached(w, r, "lists.csv?"+filterKey(r), func() (*cachedAnswer, error) {
		list, err := s.publicEntries(r)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if r.URL.Query().Get("excel") == "1" {
			buf.WriteString("\ufeff")
		}
		cw := csv.NewWriter(&buf)
		cw.Write([]string{"id", "list", "product_id", "product", "product_en", "category", "supplier_id", "supplier", "supplier_en",
			"versions", "regime", "case_ref", "decided_on", "published_at", "revoked_at", "revoked_by", "leaf_index", "revoke_leaf", "report"})
		for _, e := range list {
			revokeLeaf := ""
			if e.RevokedAt != "" {
				revokeLeaf = strconv.FormatInt(e.RevokeLeaf, 10)
			}
			cw.Write([]string{strconv.FormatInt(e.ID, 10), e.List, strconv.FormatInt(e.ProductID, 10), csvSafe(e.Product),
				csvSafe(e.ProductEN), e.Category, strconv.FormatInt(e.SupplierID, 10), csvSafe(e.Supplier), csvSafe(e.SupplierEN),
				csvSafe(strings.Join(e.Versions, "; ")), e.Regime, e.CaseRef, e.DecidedOn, e.PublishedAt, e.RevokedAt, e.RevokedBy,
				strconv.FormatInt(e.LeafIndex, 10), revokeLeaf, fmt.Sprintf("/public/reports/%d", e.ID)})
		}
		cw.Flush()
		return &cachedAnswer{body: buf.Bytes(), contentType: "text/csv; charset=utf-8", cache: cacheLists}, cw.Error()
	})
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Atom feed types (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string     `xml:"title"`
	ID      string     `xml:"id"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary string     `xml:"summary"`
}

// feedSize is how many changes the feed carries.
const feedSize = 100

// apiFeed is an Atom feed of the changes to the lists: each publication
// and each revocation, newest first.
func (s *Server) apiFeed(w http.ResponseWriter, r *http.Request) error {
	tr := s.i18n.For(r)
	return s.cached(w, r, "feed.atom?"+tr.Lang+"&"+filterKey(r), func() (*cachedAnswer, error) {
		list, _, err := s.pub.PublicEntries(r.Context(), csreview.ListFilter{}, true)
		if err != nil {
			return nil, err
		}
		base := baseURL(r)
		type change struct {
			e      *verify.Entry
			at     string
			revoke bool
		}
		var changes []change
		for _, e := range list {
			changes = append(changes, change{e, e.PublishedAt, false})
			if e.RevokedAt != "" {
				changes = append(changes, change{e, e.RevokedAt, true})
			}
		}
		sort.SliceStable(changes, func(i, j int) bool { return changes[i].at > changes[j].at })
		if len(changes) > feedSize {
			changes = changes[:feedSize]
		}
		f := atomFeed{Title: tr.T("public.feed_title"), ID: base + "/public/v1/feed.atom", Updated: "1970-01-01T00:00:00Z",
			Author: atomAuthor{Name: tr.T("public.publisher")},
			Links: []atomLink{{Rel: "self", Href: base + "/public/v1/feed.atom", Type: "application/atom+xml"},
				{Rel: "alternate", Href: base + "/public", Type: "text/html"}}}
		if len(changes) > 0 {
			f.Updated = changes[0].at
		}
		for _, c := range changes {
			e := c.e
			name := e.Product
			if tr.Lang == "en" && e.ProductEN != "" {
				name = e.ProductEN
			}
			ae := atomEntry{ID: fmt.Sprintf("%s/public/reports/%d#publish", base, e.ID), Updated: c.at,
				Links: []atomLink{{Rel: "alternate", Href: fmt.Sprintf("%s/public/reports/%d", base, e.ID), Type: "text/html"}}}
			if c.revoke {
				ae.ID = fmt.Sprintf("%s/public/reports/%d#revoke", base, e.ID)
				ae.Title = tr.T("public.feed_revoked", "product", name, "versions", strings.Join(e.Versions, ", "))
				ae.Summary = tr.T("public.feed_revoked_summary", "ref", e.CaseRef, "by", e.RevokedBy)
			} else {
				ae.Title = tr.T("public.feed_"+e.List, "product", name, "versions", strings.Join(e.Versions, ", "))
				ae.Summary = tr.T("public.feed_summary", "supplier", e.Supplier, "ref", e.CaseRef, "date", e.DecidedOn,
					"regime", e.Regime)
			}
			f.Entries = append(f.Entries, ae)
		}
		b, err := xml.MarshalIndent(f, "", "  ")
		if err != nil {
			return nil, err
		}
		body := append([]byte(xml.Header), b...)
		return &cachedAnswer{body: append(body, '\n'), contentType: "application/atom+xml; charset=utf-8", cache: cacheLists}, nil
	})
}

// baseURL is the scheme and host the request came to, for absolute links
// in the feed.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// ProductStatus answers "may I buy this?": per version, the list it is on
// now, and every entry with its inclusion proof in the checkpoint served.
type ProductStatus struct {
	ProductID int64 `json:"product_id"`
	// Status is "failed" if any current entry is on the failed list,
	// "passed" if a current entry is on the passed list, else "none":
	// not reviewed, or nothing published.
	Status     string            `json:"status"`
	Versions   map[string]string `json:"versions"`
	Entries    []*verify.Entry   `json:"entries"`
	Checkpoint string            `json:"checkpoint,omitempty"`
	Proofs     []EntryProof      `json:"proofs"`
}

// EntryProof proves an entry's leaves are in the checkpoint's tree.
type EntryProof struct {
	Entry int64    `json:"entry"`
	Kind  string   `json:"kind"` // publication or revocation
	Index int64    `json:"leaf_index"`
	Proof []string `json:"proof"` // base64 hashes, RFC 6962
}

func (s *Server) productStatus(ctx context.Context, id int64) (*ProductStatus, error) {
	list, _, err := s.pub.PublicEntries(ctx, csreview.ListFilter{ProductID: id}, true)
	if err != nil {
		return nil, err
	}
	st := &ProductStatus{ProductID: id, Status: "none", Versions: map[string]string{}, Entries: list, Proofs: []EntryProof{}}
	if st.Entries == nil {
		st.Entries = []*verify.Entry{}
	}
	for _, e := range list {
		if e.RevokedAt != "" {
			continue
		}
		for _, v := range e.Versions {
			if st.Versions[v] != csreview.ListFailed {
				st.Versions[v] = e.List
			}
		}
		if e.List == csreview.ListFailed || st.Status == "none" {
			st.Status = e.List
		}
	}
	if len(list) == 0 {
		return st, nil
	}
	cp, err := s.pub.Checkpoint(ctx)
	if err != nil {
		return nil, err
	}
	st.Checkpoint = string(cp.Note)
	for _, e := range list {
		leaves := []EntryProof{{Entry: e.ID, Kind: "publication", Index: e.LeafIndex}}
		if e.RevokedAt != "" {
			leaves = append(leaves, EntryProof{Entry: e.ID, Kind: "revocation", Index: e.RevokeLeaf})
		}
		for _, p := range leaves {
			proof, err := s.pub.InclusionProof(ctx, cp.Size, p.Index)
			if err != nil {
				return nil, err
			}
			p.Proof = b64Hashes(proof)
			st.Proofs = append(st.Proofs, p)
		}
	}
	return st, nil
}

func b64Hashes(hs []sumtlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

func (s *Server) apiProductStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.cached(w, r, fmt.Sprintf("product/%d", id), func() (*cachedAnswer, error) {
		st, err := s.productStatus(r.Context(), id)
		if err != nil {
			return nil, err
		}
		return jsonAnswer(st, cacheFresh)
	})
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.cached(w, r, fmt.Sprintf("report/%d", id), func() (*cachedAnswer, error) {
		b, err := s.pub.ReportJSON(r.Context(), id)
		if err != nil {
			return nil, err
		}
		return &cachedAnswer{body: append(b, '\n'), contentType: "application/json", cache: cacheLists}, nil
	})
}

// The log API: what a verifier needs, in the shapes of verify.Source.

func (s *Server) apiLogKey(w http.ResponseWriter, r *http.Request) error {
	key, err := s.pub.LogPublicKey(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSONCached(w, LogState{Origin: verify.Origin, Key: key})
}

func writeJSONCached(w http.ResponseWriter, v any) error {
	b, err := indent.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(append(b, '\n'))
	return err
}

func (s *Server) apiCheckpoint(w http.ResponseWriter, r *http.Request) error {
	return s.cached(w, r, "checkpoint", func() (*cachedAnswer, error) {
		cp, err := s.pub.Checkpoint(r.Context())
		if err != nil {
			if csreview.ErrorCode(err) == csreview.ENOTFOUND {
				return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.log_empty", "Nothing has been published yet.")
			}
			return nil, err
		}
		return &cachedAnswer{body: cp.Note, contentType: "text/plain; charset=utf-8", cache: cacheFresh}, nil
	})
}

// LeavesBody carries leaves as their exact bytes.
type LeavesBody struct {
	Start  int64    `json:"start"`
	Leaves []string `json:"leaves"`
}

func (s *Server) apiLeaves(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	start, end := q.int("start"), q.int("end")
	if err := q.err(); err != nil {
		return err
	}
	if end <= start || end-start > maxLeaves {
		var v csreview.Invalid
		v.Add("end", "out_of_range", fmt.Sprintf("start < end ≤ start+%d", maxLeaves))
		return v.Err()
	}
	return s.cached(w, r, fmt.Sprintf("leaves/%d-%d", start, end), func() (*cachedAnswer, error) {
		leaves, err := s.pub.LogLeaves(r.Context(), start, end)
		if err != nil {
			return nil, err
		}
		body := LeavesBody{Start: start, Leaves: make([]string, len(leaves))}
		for i, l := range leaves {
			body.Leaves[i] = string(l)
		}
		return jsonAnswer(body, cacheLists)
	})
}

// ProofBody is an inclusion or consistency proof.
type ProofBody struct {
	Size  int64    `json:"size"`
	Index int64    `json:"index,omitempty"`
	Old   int64    `json:"old,omitempty"`
	Proof []string `json:"proof"`
}

func (s *Server) apiInclusion(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	size, index := q.int("size"), q.int("index")
	if err := q.err(); err != nil {
		return err
	}
	return s.cached(w, r, fmt.Sprintf("inclusion/%d/%d", size, index), func() (*cachedAnswer, error) {
		p, err := s.pub.InclusionProof(r.Context(), size, index)
		if err != nil {
			return nil, err
		}
		return jsonAnswer(ProofBody{Size: size, Index: index, Proof: b64Hashes(p)}, cacheLists)
	})
}

func (s *Server) apiConsistency(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	size, old := q.int("size"), q.int("old")
	if err := q.err(); err != nil {
		return err
	}
	return s.cached(w, r, fmt.Sprintf("consistency/%d/%d", size, old), func() (*cachedAnswer, error) {
		p, err := s.pub.ConsistencyProof(r.Context(), size, old)
		if err != nil {
			return nil, err
		}
		return jsonAnswer(ProofBody{Size: size, Old: old, Proof: b64Hashes(p)}, cacheLists)
	})
}

//go:embed schema/lists-v1.json
var listsSchema []byte

func (s *Server) apiListsSchema(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/schema+json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(listsSchema)
	return err
}
