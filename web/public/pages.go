// Package public is the public site of csreview (DESIGN §5): the lists of
// passed and failed products, each product and public report, the
// publication log with its proofs, and the public's feedback, as pages
// and as machine-readable twins. No sign-in; the same for everyone.
package public

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/csreview/csreview/web/internal/site"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
)

// surface is the public site: the handlers share the server's services,
// templates and cache.
type surface struct{ *site.Server }

// Routes are the public site and its machine-readable twins: no sign-in,
// cached, the same for everyone.
func Routes(srv *site.Server) []site.Route { return (&surface{srv}).routes() }

func (s *surface) routes() []site.Route {
	listParams := []site.Param{
		site.EnumParam("list", "passed or failed; both when empty", []string{csreview.ListPassed, csreview.ListFailed}),
		{Name: "q", Type: "string", Description: "substring of the product's or supplier's name"},
		{Name: "supplier_id", Type: "integer", Description: "supplier"},
		site.EnumParam("category", "product category (2021 Measures Art. 21)", site.Strs(csreview.Categories)),
		site.EnumParam("regime", "the rules the case was decided under", s.packIDs()),
		{Name: "since", Type: "string", Description: "published on or after this day, Beijing time (YYYY-MM-DD)"},
		{Name: "product_id", Type: "integer", Description: "product"},
		{Name: "history", Type: "boolean", Description: "include entries closed by a re-review"},
	}
	api := func(name, pattern, summary string, params []site.Param, resp any, h site.HandlerFunc) site.Route {
		return site.Route{Name: name, Method: "GET", Pattern: pattern, Kind: site.KindAPI, Public: true, Tag: "Public",
			Summary: summary, Params: params, Response: resp, Handle: h}
	}
	return []site.Route{
		api("public.lists", "/public/v1/lists.json", "The public lists of passed and failed products (schema: /public/v1/schema/lists-v1.json); ETag and If-None-Match",
			listParams, ListsDocument{}, s.apiLists),
		api("public.lists.csv", "/public/v1/lists.csv", "The public lists as CSV; excel=1 adds a byte-order mark for spreadsheets",
			append(listParams, site.Param{Name: "excel", Type: "boolean", Description: "start with a UTF-8 byte-order mark"}), nil, s.apiListsCSV),
		api("public.feed", "/public/v1/feed.atom", "An Atom feed of publications and revocations, newest first", nil, nil, s.apiFeed),
		api("public.schema", "/public/v1/schema/lists-v1.json", "The JSON Schema of lists.json, version 1", nil, nil, s.apiListsSchema),
		api("public.product", "/public/v1/products/{id}", "A product's status per version, its entries and their inclusion proofs in the latest checkpoint",
			nil, ProductStatus{}, s.apiProductStatus),
		api("public.report", "/public/v1/reports/{id}", "An entry's public report, exactly as its log leaf hashes it", nil, csreview.PublicReport{}, s.apiReport),
		api("public.log.key", "/public/v1/log/key", "The log's name and public key (note verifier key, Ed25519)", nil, LogState{}, s.apiLogKey),
		api("public.log.checkpoint", "/public/v1/log/checkpoint", "The latest signed checkpoint, in note format", nil, nil, s.apiCheckpoint),
		api("public.log.leaves", "/public/v1/log/leaves", "Leaves [start, end) as their exact canonical JSON, at most 1000",
			[]site.Param{{Name: "start", Type: "integer", Description: "first leaf"}, {Name: "end", Type: "integer", Description: "one past the last leaf"}},
			LeavesBody{}, s.apiLeaves),
		api("public.log.inclusion", "/public/v1/log/proof/inclusion", "The inclusion proof of leaf index in the tree of size size",
			[]site.Param{{Name: "size", Type: "integer", Description: "tree size"}, {Name: "index", Type: "integer", Description: "leaf index"}},
			ProofBody{}, s.apiInclusion),
		api("public.log.consistency", "/public/v1/log/proof/consistency", "The consistency proof from the tree of size old to the tree of size size",
			[]site.Param{{Name: "size", Type: "integer", Description: "newer tree size"}, {Name: "old", Type: "integer", Description: "older tree size"}},
			ProofBody{}, s.apiConsistency),
		{Name: "public.feedback", Method: "POST", Pattern: "/public/v1/feedback", Kind: site.KindAPI, Public: true, Tag: "Public",
			Summary: "Send feedback on a product to the Review Office; the answer carries its reference", Request: feedbackBody{},
			Response: feedbackReceipt{}, Status: 201, Handle: s.apiSubmitFeedback},

		{Name: "ui.public", Method: "GET", Pattern: "/public", Public: true, Handle: s.uiPublicLists},
		{Name: "ui.public.product", Method: "GET", Pattern: "/public/products/{id}", Public: true, Handle: s.uiPublicProduct},
		{Name: "ui.public.report", Method: "GET", Pattern: "/public/reports/{id}", Public: true, Handle: s.uiPublicReport},
		{Name: "ui.public.log", Method: "GET", Pattern: "/public/log", Public: true, Handle: s.uiPublicLog},
		{Name: "ui.public.feedback", Method: "GET", Pattern: "/public/feedback", Public: true, Handle: s.uiFeedbackForm},
		{Name: "ui.public.feedback.post", Method: "POST", Pattern: "/public/feedback", Public: true, Handle: s.uiSubmitFeedback},
	}
}

type publicTab struct {
	Key, Href string
	Current   bool
}

type publicListsData struct {
	F       csreview.ListFilter
	History bool
	Tabs    []publicTab
	Rows    []*csreview.ListEntry
	Total   int
	site.Pager
	Suppliers  []site.Option
	Categories []site.Option
	Regimes    []site.Option
	Query      string // the filter as a query string, for the downloads
	Key        string
	Size       int64
	Invalid    string
}

func (s *surface) uiPublicLists(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := s.listFilter(q)
	f.Page = q.Page()
	tr := s.I18n.For(r)
	d := publicListsData{F: f, History: !f.Current}
	if err := q.Err(); err != nil {
		// A bad filter is shown, not fatal: the lists are for everyone.
		d.Invalid = tr.ErrorMessage(csreview.AsError(err))
		f = csreview.ListFilter{Current: true}
		d.F = f
	}
	rows, total, err := s.Pub.FindListEntries(r.Context(), f)
	if err != nil {
		return err
	}
	d.Rows, d.Total = rows, total
	v := r.URL.Query()
	v.Del("offset")
	v.Del("limit")
	d.Query = v.Encode()
	d.Pager = site.NewPager(r, "/public", f.Page, len(rows), total)
	for _, l := range []string{"", csreview.ListPassed, csreview.ListFailed} {
		v := r.URL.Query()
		v.Del("offset")
		v.Set("list", l)
		if l == "" {
			v.Del("list")
		}
		d.Tabs = append(d.Tabs, publicTab{Key: "public.tab." + map[string]string{"": "all", csreview.ListPassed: "passed",
			csreview.ListFailed: "failed"}[l], Href: "/public?" + v.Encode(), Current: f.List == l})
	}
	// The supplier filter offers the suppliers on the lists.
	all, _, err := s.Pub.PublicEntries(r.Context(), csreview.ListFilter{}, true)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, e := range all {
		if !seen[e.SupplierID] {
			seen[e.SupplierID] = true
			d.Suppliers = append(d.Suppliers, site.Option{Value: strconv.FormatInt(e.SupplierID, 10),
				Label: site.Pick(tr.Lang, e.Supplier, e.SupplierEN), Selected: e.SupplierID == f.SupplierID})
		}
	}
	sort.Slice(d.Suppliers, func(i, j int) bool { return d.Suppliers[i].Label < d.Suppliers[j].Label })
	for _, c := range csreview.Categories {
		d.Categories = append(d.Categories, site.Option{Value: string(c), Label: tr.T("cat." + string(c)), Selected: c == f.Category})
	}
	for _, p := range s.Rules.List {
		d.Regimes = append(d.Regimes, site.Option{Value: p.ID, Label: p.Title.In(tr.Lang), Selected: p.ID == f.Regime})
	}
	d.Key, _ = s.Pub.LogPublicKey(r.Context())
	d.Size, _ = s.TreeSize(r.Context())
	return s.Render(w, http.StatusOK, "public_lists", s.NewPage(r, "public.title", d))
}

type publicProductData struct {
	Name, Supplier string
	ProductID      int64
	Status         *ProductStatus
	Current        []*csreview.ListEntry
	History        []*csreview.ListEntry
	Versions       []versionStatus
}

type versionStatus struct {
	Version, List string
}

func (s *surface) uiPublicProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	st, err := s.productStatus(r.Context(), id)
	if err != nil {
		return err
	}
	if len(st.Entries) == 0 {
		return csreview.KeyErrorf(csreview.ENOTFOUND, "err.not_published", "Nothing has been published about this product.")
	}
	list, _, err := s.Pub.FindListEntries(r.Context(), csreview.ListFilter{ProductID: id, Page: csreview.Page{Limit: csreview.MaxLimit}})
	if err != nil {
		return err
	}
	lang := s.I18n.For(r).Lang
	d := publicProductData{ProductID: id, Status: st, Name: site.Pick(lang, list[0].Product, list[0].ProductEN),
		Supplier: site.Pick(lang, list[0].Supplier, list[0].SupplierEN)}
	for _, e := range list {
		if e.RevokedAt == "" {
			d.Current = append(d.Current, e)
		} else {
			d.History = append(d.History, e)
		}
	}
	for v, l := range st.Versions {
		d.Versions = append(d.Versions, versionStatus{v, l})
	}
	sort.Slice(d.Versions, func(i, j int) bool { return d.Versions[i].Version < d.Versions[j].Version })
	pg := s.NewPage(r, "", d)
	pg.Title = d.Name
	return s.Render(w, http.StatusOK, "public_product", pg)
}

func (s *surface) uiPublicReport(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.Pub.FindListEntry(r.Context(), id)
	if err != nil {
		return err
	}
	raw, err := s.Pub.ReportJSON(r.Context(), id)
	if err != nil {
		return err
	}
	tr := s.I18n.For(r)
	pg := s.NewPage(r, "", s.ReportView(r, e, raw))
	pg.Title = tr.T("public.report_title", "product", site.Pick(tr.Lang, e.Product, e.ProductEN), "ref", e.CaseRef)
	return s.Render(w, http.StatusOK, "public_report", pg)
}

type publicLogData struct {
	Key        string
	Checkpoint string
	Size       int64
	Base       string
}

func (s *surface) uiPublicLog(w http.ResponseWriter, r *http.Request) error {
	d := publicLogData{Base: s.PublicURL()}
	var err error
	if d.Key, err = s.Pub.LogPublicKey(r.Context()); err != nil {
		return err
	}
	cp, err := s.Pub.Checkpoint(r.Context())
	switch {
	case err == nil:
		d.Checkpoint, d.Size = string(cp.Note), cp.Size
	case csreview.ErrorCode(err) != csreview.ENOTFOUND:
		return err
	}
	return s.Render(w, http.StatusOK, "public_log", s.NewPage(r, "public.log_title", d))
}

// feedbackBody is feedback sent through the API.
type feedbackBody struct {
	Product  string `json:"product"`
	Supplier string `json:"supplier,omitempty"`
	Text     string `json:"text"`
	Contact  string `json:"contact,omitempty"`
}

type feedbackReceipt struct {
	Ref     string `json:"ref"`
	Message string `json:"message"`
}

type feedbackData struct {
	F      csreview.Feedback
	Errors map[string]string
	Ref    string
	Regime *regime.Pack
	Under  bool // user feedback opens reviews under the rules in force
}

// takeFeedback applies the rate limits: per address, and for everyone.
func (s *surface) takeFeedback(r *http.Request) error {
	ip := site.ClientIP(r)
	if !s.Feedback.Take("ip:"+ip, 1) || !s.Feedback.Take("all", site.FeedbackAllFactor) {
		s.Feedback.Refund("ip:" + ip)
		return csreview.KeyErrorf(csreview.ETOOMANYREQUEST, "err.feedback_rate", "Too much feedback from here; try again in an hour.")
	}
	return nil
}

func (s *surface) apiSubmitFeedback(w http.ResponseWriter, r *http.Request) error {
	var b feedbackBody
	if err := site.DecodeJSON(r, &b); err != nil {
		return err
	}
	f := &csreview.Feedback{Product: b.Product, Supplier: b.Supplier, Text: b.Text, Contact: b.Contact}
	if err := f.Validate(); err != nil {
		return err
	}
	if err := s.takeFeedback(r); err != nil {
		return err
	}
	if err := s.Pub.SubmitFeedback(r.Context(), f, site.ClientIP(r)); err != nil {
		return err
	}
	tr := s.I18n.For(r)
	return site.WriteJSON(w, http.StatusCreated, feedbackReceipt{Ref: f.Ref, Message: tr.T("feedback.thanks", "ref", f.Ref)})
}

func (s *surface) feedbackForm(r *http.Request, f csreview.Feedback, err error) feedbackData {
	d := feedbackData{F: f, Errors: map[string]string{}}
	today := csreview.DateOf(s.Now().In(site.Shanghai))
	if d.Regime = regime.InForceOn(s.Rules.List, today); d.Regime != nil {
		_, d.Under = d.Regime.Channel("user_feedback")
	}
	if e := csreview.AsError(err); e != nil {
		tr := s.I18n.For(r)
		for _, fe := range e.Fields {
			d.Errors[fe.Field] = s.FieldMessage(tr, fe)
		}
		if len(e.Fields) == 0 {
			d.Errors["form"] = tr.ErrorMessage(e)
		}
	}
	return d
}

func (s *surface) uiFeedbackForm(w http.ResponseWriter, r *http.Request) error {
	f := csreview.Feedback{Product: r.URL.Query().Get("product")}
	return s.Render(w, http.StatusOK, "public_feedback", s.NewPage(r, "feedback.title", s.feedbackForm(r, f, nil)))
}

func (s *surface) uiSubmitFeedback(w http.ResponseWriter, r *http.Request) error {
	if err := site.ParseForm(r); err != nil {
		return err
	}
	f := csreview.Feedback{Product: r.PostForm.Get("product"), Supplier: r.PostForm.Get("supplier"),
		Text: r.PostForm.Get("text"), Contact: r.PostForm.Get("contact")}
	err := f.Validate()
	if err == nil {
		err = s.takeFeedback(r)
	}
	if err == nil {
		err = s.Pub.SubmitFeedback(r.Context(), &f, site.ClientIP(r))
	}
	if err != nil {
		code := csreview.ErrorCode(err)
		if code != csreview.EINVALID && code != csreview.ETOOMANYREQUEST {
			return err
		}
		status := site.StatusOf[code]
		return s.Render(w, status, "public_feedback", s.NewPage(r, "feedback.title", s.feedbackForm(r, f, err)))
	}
	d := s.feedbackForm(r, f, nil)
	d.Ref = f.Ref
	return s.Render(w, http.StatusCreated, "public_feedback", s.NewPage(r, "feedback.title", d))
}
