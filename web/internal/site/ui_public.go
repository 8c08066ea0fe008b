package site

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/publish"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/verify"
)

// feedbackPerHour is how many feedback submissions one address may make
// in an hour; feedbackAllFactor×that is the ceiling for everyone together.
const (
	feedbackPerHour   = 5
	feedbackAllFactor = 60
)

// publicRoutes are the public site and its machine-readable twins: no
// sign-in, cached, the same for everyone.
func (s *Server) publicRoutes() []Route {
	listParams := []Param{
		enumParam("list", "passed or failed; both when empty", []string{csreview.ListPassed, csreview.ListFailed}),
		{Name: "q", Type: "string", Description: "substring of the product's or supplier's name"},
		{Name: "supplier_id", Type: "integer", Description: "supplier"},
		enumParam("category", "product category (2021 Measures Art. 21)", strs(csreview.Categories)),
		enumParam("regime", "the rules the case was decided under", s.packIDs()),
		{Name: "since", Type: "string", Description: "published on or after this day, Beijing time (YYYY-MM-DD)"},
		{Name: "product_id", Type: "integer", Description: "product"},
		{Name: "history", Type: "boolean", Description: "include entries closed by a re-review"},
	}
	api := func(name, pattern, summary string, params []Param, resp any, h handlerFunc) Route {
		return Route{Name: name, Method: "GET", Pattern: pattern, Kind: kindAPI, Public: true, Tag: "Public",
			Summary: summary, Params: params, Response: resp, Handle: h}
	}
	return []Route{
		api("public.lists", "/public/v1/lists.json", "The public lists of passed and failed products (schema: /public/v1/schema/lists-v1.json); ETag and If-None-Match",
			listParams, ListsDocument{}, s.apiLists),
		api("public.lists.csv", "/public/v1/lists.csv", "The public lists as CSV; excel=1 adds a byte-order mark for spreadsheets",
			append(listParams, Param{Name: "excel", Type: "boolean", Description: "start with a UTF-8 byte-order mark"}), nil, s.apiListsCSV),
		api("public.feed", "/public/v1/feed.atom", "An Atom feed of publications and revocations, newest first", nil, nil, s.apiFeed),
		api("public.schema", "/public/v1/schema/lists-v1.json", "The JSON Schema of lists.json, version 1", nil, nil, s.apiListsSchema),
		api("public.product", "/public/v1/products/{id}", "A product's status per version, its entries and their inclusion proofs in the latest checkpoint",
			nil, ProductStatus{}, s.apiProductStatus),
		api("public.report", "/public/v1/reports/{id}", "An entry's public report, exactly as its log leaf hashes it", nil, csreview.PublicReport{}, s.apiReport),
		api("public.log.key", "/public/v1/log/key", "The log's name and public key (note verifier key, Ed25519)", nil, LogState{}, s.apiLogKey),
		api("public.log.checkpoint", "/public/v1/log/checkpoint", "The latest signed checkpoint, in note format", nil, nil, s.apiCheckpoint),
		api("public.log.leaves", "/public/v1/log/leaves", "Leaves [start, end) as their exact canonical JSON, at most 1000",
			[]Param{{Name: "start", Type: "integer", Description: "first leaf"}, {Name: "end", Type: "integer", Description: "one past the last leaf"}},
			LeavesBody{}, s.apiLeaves),
		api("public.log.inclusion", "/public/v1/log/proof/inclusion", "The inclusion proof of leaf index in the tree of size size",
			[]Param{{Name: "size", Type: "integer", Description: "tree size"}, {Name: "index", Type: "integer", Description: "leaf index"}},
			ProofBody{}, s.apiInclusion),
		api("public.log.consistency", "/public/v1/log/proof/consistency", "The consistency proof from the tree of size old to the tree of size size",
			[]Param{{Name: "size", Type: "integer", Description: "newer tree size"}, {Name: "old", Type: "integer", Description: "older tree size"}},
			ProofBody{}, s.apiConsistency),
		{Name: "public.feedback", Method: "POST", Pattern: "/public/v1/feedback", Kind: kindAPI, Public: true, Tag: "Public",
			Summary: "Send feedback on a product to the Review Office; the answer carries its reference", Request: feedbackBody{},
			Response: feedbackReceipt{}, Status: 201, Handle: s.apiSubmitFeedback},

		{Name: "ui.public", Method: "GET", Pattern: "/public", Public: true, Handle: s.uiPublicLists},
		{Name: "ui.public.product", Method: "GET", Pattern: "/public/products/{id}", Public: true, Handle: s.uiPublicProduct},
		{Name: "ui.public.report", Method: "GET", Pattern: "/public/reports/{id}", Public: true, Handle: s.uiPublicReport},
		{Name: "ui.public.log", Method: "GET", Pattern: "/public/log", Public: true, Handle: s.uiPublicLog},
		{Name: "ui.public.feedback", Method: "GET", Pattern: "/public/feedback", Public: true, Handle: s.uiFeedbackForm},
		{Name: "ui.public.feedback.post", Method: "POST", Pattern: "/public/feedback", Public: true, Handle: s.uiSubmitFeedback},

		{Name: "ui.case.publication", Method: "GET", Pattern: "/cases/{id}/publication", Handle: s.uiPublication},
		{Name: "ui.case.publish", Method: "POST", Pattern: "/cases/{id}/publication", Handle: s.uiPublish},
		{Name: "ui.feedback", Method: "GET", Pattern: "/feedback", Handle: s.uiFeedbackQueue},
		{Name: "ui.feedback.state", Method: "POST", Pattern: "/feedback/{id}", Handle: s.uiFeedbackState},

		{Name: "api.cases.publication.preview", Method: "GET", Pattern: "/api/v1/cases/{id}/publication", Kind: kindAPI, Tag: "Publication",
			Summary: "What publishing the decided case would put on the public lists (office)", Response: listBody[csreview.ListEntry]{},
			Handle: s.apiPreviewPublication},
		{Name: "api.cases.publication.publish", Method: "POST", Pattern: "/api/v1/cases/{id}/publication", Kind: kindAPI, Tag: "Publication",
			Summary: "Publish the decided case: list entries, public reports, log leaves (office)", Request: csreview.PublishOptions{},
			Response: listBody[csreview.ListEntry]{}, Status: 201, Handle: s.apiPublish},
		{Name: "api.feedback.list", Method: "GET", Pattern: "/api/v1/feedback", Kind: kindAPI, Tag: "Publication",
			Summary: "The office's queue of public feedback", Params: withPage(
				enumParam("state", "state", csreview.FeedbackStates), qParam),
			Response: listBody[csreview.Feedback]{}, Handle: s.apiListFeedback},
		{Name: "api.feedback.update", Method: "PATCH", Pattern: "/api/v1/feedback/{id}", Kind: kindAPI, Tag: "Publication",
			Summary: "Mark feedback noted or dismissed, with a note (office)", Request: feedbackStateBody{},
			Response: csreview.Feedback{}, Handle: s.apiFeedbackState},
	}
}

// pick returns the English name when the reader reads English and there is
// one.
func pick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
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
	pager
	Suppliers  []option
	Categories []option
	Regimes    []option
	Query      string // the filter as a query string, for the downloads
	Key        string
	Size       int64
	Invalid    string
}

func (s *Server) uiPublicLists(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := s.listFilter(q)
	f.Page = q.page()
	tr := s.i18n.For(r)
	d := publicListsData{F: f, History: !f.Current}
	if err := q.err(); err != nil {
		// A bad filter is shown, not fatal: the lists are for everyone.
		d.Invalid = tr.ErrorMessage(csreview.AsError(err))
		f = csreview.ListFilter{Current: true}
		d.F = f
	}
	rows, total, err := s.pub.FindListEntries(r.Context(), f)
	if err != nil {
		return err
	}
	d.Rows, d.Total = rows, total
	v := r.URL.Query()
	v.Del("offset")
	v.Del("limit")
	d.Query = v.Encode()
	d.pager = newPager(r, "/public", f.Page, len(rows), total)
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
	all, _, err := s.pub.PublicEntries(r.Context(), csreview.ListFilter{}, true)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, e := range all {
		if !seen[e.SupplierID] {
			seen[e.SupplierID] = true
			d.Suppliers = append(d.Suppliers, option{Value: strconv.FormatInt(e.SupplierID, 10),
				Label: pick(tr.Lang, e.Supplier, e.SupplierEN), Selected: e.SupplierID == f.SupplierID})
		}
	}
	sort.Slice(d.Suppliers, func(i, j int) bool { return d.Suppliers[i].Label < d.Suppliers[j].Label })
	for _, c := range csreview.Categories {
		d.Categories = append(d.Categories, option{Value: string(c), Label: tr.T("cat." + string(c)), Selected: c == f.Category})
	}
	for _, p := range s.packs {
		d.Regimes = append(d.Regimes, option{Value: p.ID, Label: p.Title.In(tr.Lang), Selected: p.ID == f.Regime})
	}
	d.Key, _ = s.pub.LogPublicKey(r.Context())
	d.Size, _ = s.treeSize(r.Context())
	return s.render(w, http.StatusOK, "public_lists", s.newPage(r, "public.title", d))
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

func (s *Server) uiPublicProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
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
	list, _, err := s.pub.FindListEntries(r.Context(), csreview.ListFilter{ProductID: id, Page: csreview.Page{Limit: csreview.MaxLimit}})
	if err != nil {
		return err
	}
	lang := s.i18n.For(r).Lang
	d := publicProductData{ProductID: id, Status: st, Name: pick(lang, list[0].Product, list[0].ProductEN),
		Supplier: pick(lang, list[0].Supplier, list[0].SupplierEN)}
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
	pg := s.newPage(r, "", d)
	pg.Title = d.Name
	return s.render(w, http.StatusOK, "public_product", pg)
}

// reportView is a public report as the report partial shows it.
type reportView struct {
	E      *csreview.ListEntry
	R      *csreview.PublicReport
	P      *regime.Pack
	Cite   func(article string) string
	Digest string
}

func (s *Server) reportView(r *http.Request, e *csreview.ListEntry, raw []byte) reportView {
	lang := s.i18n.For(r).Lang
	v := reportView{E: e, R: e.Report, P: s.packByID[e.Regime]}
	v.Cite = func(a string) string {
		if v.P == nil {
			return a
		}
		return v.P.Cite(a, lang)
	}
	if raw != nil {
		v.Digest, _ = verify.ReportHash(raw)
	}
	return v
}

func (s *Server) uiPublicReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.pub.FindListEntry(r.Context(), id)
	if err != nil {
		return err
	}
	raw, err := s.pub.ReportJSON(r.Context(), id)
	if err != nil {
		return err
	}
	tr := s.i18n.For(r)
	pg := s.newPage(r, "", s.reportView(r, e, raw))
	pg.Title = tr.T("public.report_title", "product", pick(tr.Lang, e.Product, e.ProductEN), "ref", e.CaseRef)
	return s.render(w, http.StatusOK, "public_report", pg)
}

type publicLogData struct {
	Key        string
	Checkpoint string
	Size       int64
	Base       string
}

func (s *Server) uiPublicLog(w http.ResponseWriter, r *http.Request) error {
	d := publicLogData{Base: baseURL(r)}
	var err error
	if d.Key, err = s.pub.LogPublicKey(r.Context()); err != nil {
		return err
	}
	cp, err := s.pub.Checkpoint(r.Context())
	switch {
	case err == nil:
		d.Checkpoint, d.Size = string(cp.Note), cp.Size
	case csreview.ErrorCode(err) != csreview.ENOTFOUND:
		return err
	}
	return s.render(w, http.StatusOK, "public_log", s.newPage(r, "public.log_title", d))
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
func (s *Server) takeFeedback(r *http.Request) error {
	ip := clientIP(r)
	if !s.feedback.take("ip:"+ip, 1) || !s.feedback.take("all", feedbackAllFactor) {
		s.feedback.refund("ip:" + ip)
		return csreview.KeyErrorf(csreview.ETOOMANYREQUEST, "err.feedback_rate", "Too much feedback from here; try again in an hour.")
	}
	return nil
}

func (s *Server) apiSubmitFeedback(w http.ResponseWriter, r *http.Request) error {
	var b feedbackBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	f := &csreview.Feedback{Product: b.Product, Supplier: b.Supplier, Text: b.Text, Contact: b.Contact}
	if err := f.Validate(); err != nil {
		return err
	}
	if err := s.takeFeedback(r); err != nil {
		return err
	}
	if err := s.pub.SubmitFeedback(r.Context(), f, clientIP(r)); err != nil {
		return err
	}
	tr := s.i18n.For(r)
	return writeJSON(w, http.StatusCreated, feedbackReceipt{Ref: f.Ref, Message: tr.T("feedback.thanks", "ref", f.Ref)})
}

func (s *Server) feedbackForm(r *http.Request, f csreview.Feedback, err error) feedbackData {
	d := feedbackData{F: f, Errors: map[string]string{}}
	today := csreview.DateOf(s.now().In(shanghai))
	if d.Regime = regime.InForceOn(s.packs, today); d.Regime != nil {
		_, d.Under = d.Regime.Channel("user_feedback")
	}
	if e := csreview.AsError(err); e != nil {
		tr := s.i18n.For(r)
		for _, fe := range e.Fields {
			d.Errors[fe.Field] = s.fieldMessage(tr, fe)
		}
		if len(e.Fields) == 0 {
			d.Errors["form"] = tr.ErrorMessage(e)
		}
	}
	return d
}

func (s *Server) uiFeedbackForm(w http.ResponseWriter, r *http.Request) error {
	f := csreview.Feedback{Product: r.URL.Query().Get("product")}
	return s.render(w, http.StatusOK, "public_feedback", s.newPage(r, "feedback.title", s.feedbackForm(r, f, nil)))
}

func (s *Server) uiSubmitFeedback(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := csreview.Feedback{Product: r.PostForm.Get("product"), Supplier: r.PostForm.Get("supplier"),
		Text: r.PostForm.Get("text"), Contact: r.PostForm.Get("contact")}
	err := f.Validate()
	if err == nil {
		err = s.takeFeedback(r)
	}
	if err == nil {
		err = s.pub.SubmitFeedback(r.Context(), &f, clientIP(r))
	}
	if err != nil {
		code := csreview.ErrorCode(err)
		if code != csreview.EINVALID && code != csreview.ETOOMANYREQUEST {
			return err
		}
		status := statusOf[code]
		return s.render(w, status, "public_feedback", s.newPage(r, "feedback.title", s.feedbackForm(r, f, err)))
	}
	d := s.feedbackForm(r, f, nil)
	d.Ref = f.Ref
	return s.render(w, http.StatusCreated, "public_feedback", s.newPage(r, "feedback.title", d))
}

// publicationData is the office's preview before publishing.
type publicationData struct {
	Case      *csreview.Case
	Reports   []reportView
	Pack      *regime.Pack
	Basis     bool
	Published []*csreview.ListEntry
	Error     string
	Cite      func(article string) string
}

func (s *Server) publicationData(r *http.Request, id int64) (*publicationData, error) {
	c, err := s.cases.FindCaseByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	d := &publicationData{Case: c, Pack: s.packByID[c.Regime]}
	d.Basis = publish.HasBasis(d.Pack)
	lang := s.i18n.For(r).Lang
	d.Cite = func(a string) string {
		if d.Pack == nil {
			return a
		}
		return d.Pack.Cite(a, lang)
	}
	d.Published, _, err = s.pub.FindListEntries(r.Context(), csreview.ListFilter{CaseRef: c.Ref, Page: csreview.Page{Limit: csreview.MaxLimit}})
	if err != nil {
		return nil, err
	}
	if len(d.Published) > 0 {
		for _, e := range d.Published {
			d.Reports = append(d.Reports, s.reportView(r, e, nil))
		}
		return d, nil
	}
	entries, err := s.pub.PreviewPublication(r.Context(), id)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		d.Reports = append(d.Reports, s.reportView(r, e, nil))
	}
	return d, nil
}

func (s *Server) uiPublication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.publicationData(r, id)
	if err != nil {
		return err
	}
	tr := s.i18n.For(r)
	pg := s.newPage(r, "", d)
	pg.Title = tr.T("publication.title", "ref", d.Case.Ref)
	return s.render(w, http.StatusOK, "publication", pg)
}

func (s *Server) uiPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	entries, err := s.pub.PublishCase(r.Context(), id, csreview.PublishOptions{ConfirmNoBasis: r.PostForm.Get("confirm_no_basis") == "1"})
	if err != nil {
		if csreview.ErrorCode(err) != csreview.EINVALID {
			return err
		}
		d, derr := s.publicationData(r, id)
		if derr != nil {
			return derr
		}
		tr := s.i18n.For(r)
		d.Error = tr.T("publication.confirm_needed")
		pg := s.newPage(r, "", d)
		pg.Title = tr.T("publication.title", "ref", d.Case.Ref)
		return s.render(w, http.StatusUnprocessableEntity, "publication", pg)
	}
	s.pubCache.invalidate()
	return redirect(w, r, fmt.Sprintf("/public/products/%d", entries[0].ProductID), "flash.published")
}

func (s *Server) apiPreviewPublication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	entries, err := s.pub.PreviewPublication(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listBody[csreview.ListEntry]{Items: entries, Total: len(entries), Limit: len(entries)})
}

func (s *Server) apiPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var opt csreview.PublishOptions
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &opt); err != nil {
			return err
		}
	}
	entries, err := s.pub.PublishCase(r.Context(), id, opt)
	if err != nil {
		return err
	}
	s.pubCache.invalidate()
	return writeJSON(w, http.StatusCreated, listBody[csreview.ListEntry]{Items: entries, Total: len(entries), Limit: len(entries)})
}

type feedbackQueueData struct {
	Rows   []*csreview.Feedback
	State  string
	States []string
	Query  string
	Total  int
	pager
	Trial string // the pack under which feedback opens a review
}

func (s *Server) uiFeedbackQueue(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := csreview.FeedbackFilter{State: q.oneOf("state", csreview.FeedbackStates), Query: q.str("q"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	rows, total, err := s.pub.FindFeedback(r.Context(), f)
	if err != nil {
		return err
	}
	d := feedbackQueueData{Rows: rows, State: f.State, States: csreview.FeedbackStates, Query: f.Query, Total: total}
	d.pager = newPager(r, "/feedback", f.Page, len(rows), total)
	for _, p := range s.packs {
		if _, ok := p.Channel("user_feedback"); ok && p.Status != "draft" {
			d.Trial = p.ID
		}
	}
	return s.render(w, http.StatusOK, "feedback", s.newPage(r, "feedback.queue", d))
}

func (s *Server) uiFeedbackState(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.pub.SetFeedbackState(r.Context(), id, r.PostForm.Get("state"), r.PostForm.Get("note")); err != nil {
		return err
	}
	back := "/feedback"
	if b := r.PostForm.Get("back"); strings.HasPrefix(b, "/feedback") && !strings.HasPrefix(b, "//") {
		back = b
	}
	return redirect(w, r, back, "flash.saved")
}

func (s *Server) apiListFeedback(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := csreview.FeedbackFilter{State: q.oneOf("state", csreview.FeedbackStates), Query: q.str("q"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	rows, total, err := s.pub.FindFeedback(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, rows, total, f.Page)
}

type feedbackStateBody struct {
	State string `json:"state"`
	Note  string `json:"note,omitempty"`
}

func (s *Server) apiFeedbackState(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b feedbackStateBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	f, err := s.pub.SetFeedbackState(r.Context(), id, b.State, b.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}
