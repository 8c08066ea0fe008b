package public

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/csreview/csreview/web/internal/site"

	sumtlog "golang.org/x/mod/sumdb/tlog"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/verify"
)

// ListsSchemaVersion is the version of the lists.json format; it changes
// only when a field changes meaning or goes away.
const ListsSchemaVersion = 1

// maxLeaves bounds one leaves request.
const maxLeaves = 1000

// listFilter reads the public list filters from the query.
func (s *surface) listFilter(q *site.Query) csreview.ListFilter {
	f := csreview.ListFilter{List: q.OneOf("list", []string{csreview.ListPassed, csreview.ListFailed}), Query: q.Str("q"),
		SupplierID: q.Int("supplier_id"), Category: csreview.Category(q.OneOf("category", site.Strs(csreview.Categories))),
		Regime: q.OneOf("regime", s.packIDs()), Since: csreview.Date(q.Str("since")), ProductID: q.Int("product_id")}
	if f.Since != "" && !f.Since.Valid() {
		q.Bad.Add("since", "invalid_date")
	}
	switch q.Str("history") {
	case "", "false", "0":
		f.Current = true
	case "true", "1":
	default:
		q.Bad.Add("history", "not_a_boolean")
	}
	return f
}

func (s *surface) packIDs() []string {
	ids := make([]string, len(s.Rules.List))
	for i, p := range s.Rules.List {
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
func (s *surface) publicEntries(r *http.Request) ([]*verify.Entry, error) {
	q := site.NewQuery(r)
	f := s.listFilter(q)
	if err := q.Err(); err != nil {
		return nil, err
	}
	list, _, err := s.Pub.PublicEntries(r.Context(), f, true)
	if list == nil {
		list = []*verify.Entry{}
	}
	return list, err
}

func (s *surface) apiLists(w http.ResponseWriter, r *http.Request) error {
	return s.Cached(w, r, "lists.json?"+filterKey(r), func() (*site.CachedAnswer, error) {
		list, err := s.publicEntries(r)
		if err != nil {
			return nil, err
		}
		size, err := s.TreeSize(r.Context())
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
		return site.JSONAnswer(doc, site.CacheLists)
	})
}

// apiListsCSV is the lists as CSV, one row per entry; excel=1 adds the
// byte-order mark that spreadsheet programs need to read UTF-8.
func (s *surface) apiListsCSV(w http.ResponseWriter, r *http.Request) error {
	return s.Cached(w, r, "lists.csv?"+filterKey(r), func() (*site.CachedAnswer, error) {
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
		return &site.CachedAnswer{Body: buf.Bytes(), ContentType: "text/csv; charset=utf-8", Cache: site.CacheLists}, cw.Error()
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
func (s *surface) apiFeed(w http.ResponseWriter, r *http.Request) error {
	tr := s.I18n.For(r)
	return s.Cached(w, r, "feed.atom?"+tr.Lang+"&"+filterKey(r), func() (*site.CachedAnswer, error) {
		list, _, err := s.Pub.PublicEntries(r.Context(), csreview.ListFilter{}, true)
		if err != nil {
			return nil, err
		}
		base := s.PublicURL()
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
		return &site.CachedAnswer{Body: append(body, '\n'), ContentType: "application/atom+xml; charset=utf-8", Cache: site.CacheLists}, nil
	})
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

func (s *surface) productStatus(ctx context.Context, id int64) (*ProductStatus, error) {
	list, _, err := s.Pub.PublicEntries(ctx, csreview.ListFilter{ProductID: id}, true)
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
	cp, err := s.Pub.Checkpoint(ctx)
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
			proof, err := s.Pub.InclusionProof(ctx, cp.Size, p.Index)
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

func (s *surface) apiProductStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.Cached(w, r, fmt.Sprintf("product/%d", id), func() (*site.CachedAnswer, error) {
		st, err := s.productStatus(r.Context(), id)
		if err != nil {
			return nil, err
		}
		return site.JSONAnswer(st, site.CacheFresh)
	})
}

func (s *surface) apiReport(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.Cached(w, r, fmt.Sprintf("report/%d", id), func() (*site.CachedAnswer, error) {
		b, err := s.Pub.ReportJSON(r.Context(), id)
		if err != nil {
			return nil, err
		}
		return &site.CachedAnswer{Body: append(b, '\n'), ContentType: "application/json", Cache: site.CacheLists}, nil
	})
}

func (s *surface) apiLogKey(w http.ResponseWriter, r *http.Request) error {
	key, err := s.Pub.LogPublicKey(r.Context())
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

func (s *surface) apiCheckpoint(w http.ResponseWriter, r *http.Request) error {
	return s.Cached(w, r, "checkpoint", func() (*site.CachedAnswer, error) {
		cp, err := s.Pub.Checkpoint(r.Context())
		if err != nil {
			if csreview.ErrorCode(err) == csreview.ENOTFOUND {
				return nil, csreview.KeyErrorf(csreview.ENOTFOUND, "err.log_empty", "Nothing has been published yet.")
			}
			return nil, err
		}
		return &site.CachedAnswer{Body: cp.Note, ContentType: "text/plain; charset=utf-8", Cache: site.CacheFresh}, nil
	})
}

// LeavesBody carries leaves as their exact bytes.
type LeavesBody struct {
	Start  int64    `json:"start"`
	Leaves []string `json:"leaves"`
}

func (s *surface) apiLeaves(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	start, end := q.Int("start"), q.Int("end")
	if err := q.Err(); err != nil {
		return err
	}
	if end <= start || end-start > maxLeaves {
		var v csreview.Invalid
		v.Add("end", "out_of_range", fmt.Sprintf("start < end ≤ start+%d", maxLeaves))
		return v.Err()
	}
	return s.Cached(w, r, fmt.Sprintf("leaves/%d-%d", start, end), func() (*site.CachedAnswer, error) {
		leaves, err := s.Pub.LogLeaves(r.Context(), start, end)
		if err != nil {
			return nil, err
		}
		body := LeavesBody{Start: start, Leaves: make([]string, len(leaves))}
		for i, l := range leaves {
			body.Leaves[i] = string(l)
		}
		return site.JSONAnswer(body, site.CacheLists)
	})
}

// ProofBody is an inclusion or consistency proof.
type ProofBody struct {
	Size  int64    `json:"size"`
	Index int64    `json:"index,omitempty"`
	Old   int64    `json:"old,omitempty"`
	Proof []string `json:"proof"`
}

func (s *surface) apiInclusion(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	size, index := q.Int("size"), q.Int("index")
	if err := q.Err(); err != nil {
		return err
	}
	return s.Cached(w, r, fmt.Sprintf("inclusion/%d/%d", size, index), func() (*site.CachedAnswer, error) {
		p, err := s.Pub.InclusionProof(r.Context(), size, index)
		if err != nil {
			return nil, err
		}
		return site.JSONAnswer(ProofBody{Size: size, Index: index, Proof: b64Hashes(p)}, site.CacheLists)
	})
}

func (s *surface) apiConsistency(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	size, old := q.Int("size"), q.Int("old")
	if err := q.Err(); err != nil {
		return err
	}
	return s.Cached(w, r, fmt.Sprintf("consistency/%d/%d", size, old), func() (*site.CachedAnswer, error) {
		p, err := s.Pub.ConsistencyProof(r.Context(), size, old)
		if err != nil {
			return nil, err
		}
		return site.JSONAnswer(ProofBody{Size: size, Old: old, Proof: b64Hashes(p)}, site.CacheLists)
	})
}

//go:embed schema/lists-v1.json
var listsSchema []byte

func (s *surface) apiListsSchema(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/schema+json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(listsSchema)
	return err
}
