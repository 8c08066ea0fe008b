package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/sqlstore"
	"github.com/csreview/csreview/web"
)

const procurementAbout = `Answer "may this operator buy this product version?" under the Measures in force
on the purchase date (DESIGN §6): whether review is required (the operator's
forecast under 2020/2021 Art. 5, the CII protection department's determination
under 2017 trial Art. 10), the product's status, and the verdict, each with its
articles. Every answer is recorded.

With --server the check runs on a csreview server as the owner of the API token
in $CSREVIEW_TOKEN; otherwise it runs on the local store (--data or --db).

Exit code: 0 when the operator may buy, 1 when it must file for review first or
must not buy, 2 on bad input.`

// runProcurement is "csreview procurement check".
func runProcurement(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintf(e.stdout, "Usage: csreview procurement check [flags]\n\n%s\n", procurementAbout)
			return nil
		}
		return usagef("use: csreview procurement check [flags]")
	}
	fs := newFlags(e, "procurement check", "--operator ID (--version-id ID | --product ID --version NAME) [flags]", procurementAbout)
	var sf storeFlags
	sf.register(fs, e)
	server := fs.String("server", "", "a csreview server's URL; the token is read from $CSREVIEW_TOKEN")
	var req csreview.ProcurementRequest
	fs.Int64Var(&req.OperatorID, "operator", 0, "the operator's ID")
	fs.Int64Var(&req.VersionID, "version-id", 0, "the product version's ID")
	fs.Int64Var(&req.ProductID, "product", 0, "the product's ID (with --version)")
	version := fs.String("version", "", "the version's name, e.g. 5.2.1 (with --product)")
	fs.Int64Var(&req.InventoryID, "inventory", 0, "check an inventory entry (its fields fill the others)")
	fs.Int64Var(&req.Amount, "amount", 0, "purchase amount in yuan")
	date := fs.String("date", "", "purchase date YYYY-MM-DD (default today); decides the Measures in force")
	fs.StringVar(&req.Forecast, "forecast", "", "the operator's forecast: may_affect or no_effect")
	fs.BoolVar(&req.Commitments, "commitments", false, "the procurement documents hold the supplier's commitments (2021 Art. 6)")
	fs.BoolVar(&req.Agreement, "agreement", false, "a security and confidentiality agreement is signed (CSL Art. 36; Art. 38 from 2026-01-01)")
	fs.StringVar(&req.Regime, "regime", "", "answer under this pack instead (e.g. cac-2017-trial)")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	lang := fs.String("lang", cliLang(e), "language: zh or en")
	if err := parse(fs, e, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	req.Date = csreview.Date(*date)
	if req.InventoryID == 0 && req.OperatorID == 0 {
		return usagef("--operator (or --inventory) is required")
	}
	if req.InventoryID == 0 && req.VersionID == 0 && (req.ProductID == 0 || *version == "") {
		return usagef("give --version-id, or --product and --version")
	}

	var check func(csreview.ProcurementRequest) (*csreview.ProcurementAnswer, error)
	var product func(id int64) (*csreview.Product, error)
	if *server != "" {
		c := &apiClient{base: strings.TrimRight(*server, "/"), token: e.getenv("CSREVIEW_TOKEN")}
		if c.token == "" {
			return usagef("--server needs an API token in $CSREVIEW_TOKEN")
		}
		check = func(r csreview.ProcurementRequest) (*csreview.ProcurementAnswer, error) {
			a := new(csreview.ProcurementAnswer)
			return a, c.do(ctx, "POST", "/api/v1/procurement/check", r, a)
		}
		product = func(id int64) (*csreview.Product, error) {
			p := new(csreview.Product)
			return p, c.do(ctx, "GET", fmt.Sprintf("/api/v1/products/%d", id), nil, p)
		}
	} else {
		db, err := sf.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		s := sqlstore.NewStore(db)
		actx := cliActor(ctx, e)
		check = func(r csreview.ProcurementRequest) (*csreview.ProcurementAnswer, error) {
			return s.CheckProcurement(actx, r)
		}
		product = func(id int64) (*csreview.Product, error) { return s.FindProductByID(actx, id) }
	}
	if req.VersionID == 0 && *version != "" {
		p, err := product(req.ProductID)
		if err != nil {
			return err
		}
		for _, v := range p.Versions {
			if v.Version == *version {
				req.VersionID = v.ID
			}
		}
		if req.VersionID == 0 {
			var names []string
			for _, v := range p.Versions {
				names = append(names, v.Version)
			}
			return usagef("product %d has no version %q (it has: %s)", p.ID, *version, strings.Join(names, ", "))
		}
	}
	a, err := check(req)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := indent.Encode(e.stdout, a); err != nil {
			return err
		}
	} else {
		printAnswer(e.stdout, a, *lang)
	}
	if a.Verdict != csreview.VerdictMayBuy {
		return errFindings{fmt.Sprintf("verdict: %s", a.Verdict)}
	}
	return nil
}

// printAnswer writes an answer for a reader: the verdict first, then each
// part with its articles.
func printAnswer(w io.Writer, a *csreview.ProcurementAnswer, lang string) {
	cat, _ := web.LoadCatalogs()
	catLang := "zh-CN"
	if lang == "en" {
		catLang = "en"
	}
	tr := cat.Lang(catLang)
	text := func(t csreview.Text) string {
		if lang == "en" && t.EN != "" {
			return t.EN
		}
		return t.ZH
	}
	title := a.Regime
	if p, ok, err := regime.PackByID(a.Regime); err == nil && ok {
		title = p.Title.In(lang)
	}
	colon, lp, rp := ": ", " (", ")"
	if lang != "en" {
		colon, lp, rp = "：", "（", "）"
	}
	fmt.Fprintf(w, "%s%s%s\n", tr.T("procurement.verdict"), colon, tr.T("verdict."+a.Verdict))
	fmt.Fprintf(w, "  %s\n\n", tr.T("verdict_help."+a.Verdict))
	fmt.Fprintf(w, "%s%s%s%s%s %s%s\n", tr.T("procurement.regime"), colon, title, lp, tr.T("procurement.date"), a.Request.Date, rp)
	for _, p := range a.Parts {
		fmt.Fprintf(w, "\n%s%s%s", tr.T("part."+p.Part), colon, tr.T("value."+p.Part+"."+p.Value))
		if p.Note != "" {
			fmt.Fprintf(w, "%s%s%s", lp, p.Note, rp)
		}
		if p.Part == "required" && a.DeterminationID != 0 {
			fmt.Fprintf(w, " — %s", tr.T("procurement.determination", "id", a.DeterminationID))
		}
		fmt.Fprintln(w)
		for _, b := range p.Basis {
			fmt.Fprintf(w, "  · %s [%s]\n", text(b.Text), text(b.Cite))
		}
	}
	if f := a.Filing; f != nil {
		fmt.Fprintf(w, "\n%s\n  %s\n  /cases/new?regime=%s&channel=%s&operator_id=%d&version_id=%d", tr.T("procurement.filing"),
			tr.T("procurement.filing_help"), f.Regime, f.Channel, f.OperatorID, f.VersionID)
		if f.Amount != 0 {
			fmt.Fprintf(w, "&purchase_amount=%d", f.Amount)
		}
		if f.System != "" {
			fmt.Fprintf(w, "&purchase=%s", url.QueryEscape(f.System))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n%s%s%s · #%d\n", tr.T("procurement.asked"), colon, a.At.In(beijingTZ()).Format("2006-01-02 15:04"), a.ID)
}

func beijingTZ() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}

// apiClient calls a csreview server's JSON API with a bearer token.
type apiClient struct {
	base, token string
}

// do sends body as JSON and decodes a 2xx answer into out; a problem answer
// becomes a *csreview.Error with its fields, so exit codes follow it.
func (c *apiClient) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return usagef("bad --server: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var p struct {
			Detail string                `json:"detail"`
			Code   string                `json:"code"`
			Errors []csreview.FieldError `json:"errors"`
		}
		json.Unmarshal(b, &p)
		code := p.Code
		if code == "" {
			code = csreview.EINTERNAL
		}
		if p.Detail == "" {
			p.Detail = resp.Status
		}
		return &csreview.Error{Code: code, Message: fmt.Sprintf("%s %s: %s", method, path, p.Detail), Fields: p.Errors}
	}
	return json.Unmarshal(b, out)
}
