package site

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/assess"
	"github.com/csreview/csreview/regime"
)

//go:embed templates
var templateFS embed.FS

// pages holds one parsed template set per page: the layout plus the page.
type pages struct {
	sets map[string]*template.Template
}

// page is what every template gets: the base fields and the page's own data.
type page struct {
	T       *Translator
	User    *csreview.User
	Nav     []navItem
	Path    string
	Title   string
	Flash   string
	Version string
	// LangSwitch is the URL that switches to OtherLang.
	LangSwitch string
	OtherLang  string
	Data       any
	// Refresh, when positive, reloads the page after that many seconds
	// (a running analysis), without script.
	Refresh int
}

type navItem struct {
	Href, Key string
	Current   bool
	// Items, on a group, are its links; the group is current when one is.
	Items []navItem
}

// navGroups file the sections under menus when a role has too many for one
// row: the registry, the operators' side, and monitoring.
var navGroups = map[string]string{
	"/suppliers": "nav.group.registry", "/products": "nav.group.registry", "/operators": "nav.group.registry",
	"/bodies": "nav.group.registry", "/users": "nav.group.registry",
	"/inventory": "nav.group.operators", "/procurement": "nav.group.operators", "/self-review": "nav.group.operators",
	"/determinations": "nav.group.operators",
	"/alerts":         "nav.group.monitoring", "/enforcement": "nav.group.monitoring", "/oversight": "nav.group.monitoring",
}

// maxFlatNav is how many sections fit one row of the navigation.
const maxFlatNav = 9

// groupNav folds the sections into menus (details elements: no script)
// when there are more than maxFlatNav; a menu of one stays a link.
func groupNav(items []navItem) []navItem {
	if len(items) <= maxFlatNav {
		return items
	}
	var out []navItem
	at := map[string]int{}
	for _, it := range items {
		g, ok := navGroups[it.Href]
		if !ok {
			out = append(out, it)
			continue
		}
		i, seen := at[g]
		if !seen {
			i = len(out)
			at[g] = i
			out = append(out, navItem{Key: g})
		}
		out[i].Items = append(out[i].Items, it)
		out[i].Current = out[i].Current || it.Current
	}
	for i, it := range out {
		if len(it.Items) == 1 {
			out[i] = it.Items[0]
		}
	}
	return out
}

func loadPages(s *Server) (*pages, error) {
	funcs := template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(Shanghai).Format("2006-01-02 15:04")
		},
		"ptrdate": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(Shanghai).Format("2006-01-02 15:04")
		},
		"add": func(a, b int) int { return a + b },
		// money writes an amount of yuan as the reader reads it.
		"money": Money,
		// size writes a file's size in bytes, KB or MB.
		"size": func(n int64) string {
			switch {
			case n >= 1<<20:
				return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
			case n >= 1<<10:
				return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
			}
			return fmt.Sprintf("%d B", n)
		},
		"pick": Pick,
		// stamp shows an RFC 3339 timestamp in Beijing time.
		"stamp": func(s string) string {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return s
			}
			return t.In(Shanghai).Format("2006-01-02 15:04")
		},
		// law cites a law's provision as in force today, so that general
		// texts name the article of the law now in force (the CSL was
		// renumbered on 2026-01-01).
		"law": func(lang, law, provision string) string {
			c := regime.LawCite(law, provision, csreview.DateOf(s.Now().In(Shanghai)))
			if strings.HasPrefix(lang, "en") {
				return c.EN
			}
			return c.ZH
		},
		"join":   strings.Join,
		"list":   func(xs ...string) []string { return xs },
		"sub":    func(a, b int) int { return a - b },
		"riskof": assess.Risk,
		// may: whether u may call the named route at all (its gate), so
		// that a page links only where its reader may go.
		// A route without a gate is open to every signed-in user; a name
		// that is no route is nobody's (TestTemplatesNameRoutes).
		"may": func(u *csreview.User, route string) bool {
			if g, ok := s.gates[route]; ok {
				return g(u)
			}
			return s.named[route]
		},
		// regimeTitle names a regime pack by its title, not its ID.
		"regimeTitle": func(id, lang string) string {
			if p := s.Rules.Packs[id]; p != nil {
				return p.Title.In(lang)
			}
			return id
		},
		// dict passes several values to a sub-template.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, n := range names {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		p.sets[strings.TrimSuffix(strings.TrimPrefix(n, "templates/pages/"), ".html")] = t
	}
	for _, need := range []string{"home", "login", "list", "detail", "form", "account", "audit", "error", "regimes", "regime",
		"cases", "case", "case_new", "notice", "public_lists", "public_product", "public_report", "public_log", "public_feedback",
		"publication", "feedback"} {
		if p.sets[need] == nil {
			return nil, fmt.Errorf("template pages/%s.html is missing", need)
		}
	}
	return p, nil
}

// Shanghai is the time zone pages show times in.
var Shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// NewPage fills the base fields for r.
func (s *Server) NewPage(r *http.Request, titleKey string, data any) *page {
	tr := s.I18n.For(r)
	u := csreview.UserFromContext(r.Context())
	p := &page{T: tr, User: u, Path: r.URL.Path, Version: s.cfg.Version, Data: data}
	if titleKey != "" {
		p.Title = tr.T(titleKey)
	}
	other := "en"
	if tr.Lang == "en" {
		other = "zh-CN"
	}
	p.OtherLang = other
	p.LangSwitch = "/lang?to=" + other + "&next=" + url.QueryEscape(r.URL.RequestURI())
	p.Nav = navFor(u, r.URL.Path)
	if f := r.URL.Query().Get("flash"); f != "" && strings.HasPrefix(f, "flash.") && tr.Has(f) {
		// A count the redirect carries (?n=12) is said in the message; only
		// a number is taken.
		n := r.URL.Query().Get("n")
		if _, err := strconv.Atoi(n); err != nil {
			n = ""
		}
		p.Flash = tr.T(f, "n", n)
	}
	return p
}

// signedInNav are the sections of the signed-in site, in order, each with
// the predicate that shows it (nil: everyone signed in).
var signedInNav = []struct {
	href, key string
	shows     func(*csreview.User) bool
}{
	{"/", "nav.home", nil},
	{"/cases", "nav.cases", nil},
	{"/deadlines", "nav.deadlines", csreview.CanWatchCalendar},
	{"/suppliers", "nav.suppliers", func(u *csreview.User) bool { return !csreview.SupplierScope(u).None }},
	{"/products", "nav.products", func(u *csreview.User) bool { return !csreview.SupplierScope(u).None }},
	{"/operators", "nav.operators", func(u *csreview.User) bool { return !csreview.OperatorScope(u).None }},
	{"/bodies", "nav.bodies", nil},
	{"/inventory", "nav.inventory", func(u *csreview.User) bool { return !csreview.InventoryScope(u).None }},
	{"/procurement", "nav.procurement", csreview.UsesProcurement},
	{"/self-review", "nav.selfreview", csreview.RunsSelfReviews},
	{"/determinations", "nav.determinations", csreview.UsesDeterminations},
	{"/alerts", "nav.alerts", csreview.CanOwnWebhook},
	{"/enforcement", "nav.enforcement", csreview.UsesEnforcement},
	{"/oversight", "nav.oversight", csreview.UsesOversight},
	{"/users", "nav.users", csreview.CanManageUsers},
	{"/feedback", "nav.feedback", csreview.CanReadFeedback},
	{"/audit", "nav.audit", csreview.CanReadAudit},
	{"/regimes", "nav.regimes", nil},
	{"/public", "nav.public", nil},
}

// navFor lists the sections a role works in; the services still decide
// every object.
func navFor(u *csreview.User, path string) []navItem {
	if u == nil {
		items := []navItem{{Href: "/public", Key: "nav.public"}, {Href: "/public/feedback", Key: "nav.feedback_public"},
			{Href: "/public/log", Key: "nav.log"}, {Href: "/regimes", Key: "nav.regimes"}}
		for i := range items {
			h := items[i].Href
			items[i].Current = path == h || (h != "/public" && strings.HasPrefix(path, h+"/")) ||
				(h == "/public" && (strings.HasPrefix(path, "/public/products/") || strings.HasPrefix(path, "/public/reports/")))
		}
		return items
	}
	var items []navItem
	for _, sec := range signedInNav {
		if sec.shows == nil || sec.shows(u) {
			items = append(items, navItem{Href: sec.href, Key: sec.key})
		}
	}
	for i := range items {
		h := items[i].Href
		items[i].Current = path == h || (h != "/" && strings.HasPrefix(path, h+"/"))
	}
	return groupNav(items)
}

// Render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (s *Server) Render(w http.ResponseWriter, status int, name string, p *page) error {
	t := s.pages.sets[name]
	if t == nil {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", p.T.Lang)
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

type errorData struct {
	Status  int
	Message string
	Code    string
	Back    string // the page a refused form was on
}

// errorPage renders err as a page in the user's language.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	pr := s.ProblemOf(r, err)
	d := errorData{Status: pr.Status, Message: pr.Detail, Code: pr.Code}
	// A refused form leads back to the page it was on (same site only).
	if ref, err := url.Parse(r.Referer()); r.Method != http.MethodGet && err == nil && ref.Host == r.Host && ref.Path != "" {
		d.Back = ref.RequestURI()
	}
	p := s.NewPage(r, "", d)
	p.Title = p.T.T("error.title", "status", pr.Status)
	if rerr := s.Render(w, pr.Status, "error", p); rerr != nil {
		s.Log.Error("render error page", "err", rerr)
		http.Error(w, http.StatusText(pr.Status), pr.Status)
	}
}

// ParseForm reads a posted form, mapping an oversized body to ETOOLARGE.
func ParseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return csreview.KeyErrorf(csreview.ETOOLARGE, "err.too_large", "The request body is too large.")
		}
		return csreview.KeyErrorf(csreview.EINVALID, "err.bad_form", "The form could not be read.")
	}
	return ValidUTF8(r.Form)
}

// ValidUTF8 refuses form values that are not UTF-8 text, which would
// otherwise be stored as they came.
func ValidUTF8(form map[string][]string) error {
	for k, vs := range form {
		if !utf8.ValidString(k) {
			return csreview.KeyErrorf(csreview.EINVALID, "err.bad_form", "The form could not be read.")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return BodyError(k, "invalid_utf8", "")
			}
		}
	}
	return nil
}

// Money writes an amount of yuan as a reader of lang reads it, alike
// everywhere: 500万元 or 123.4567万元 in Chinese (元 below ten thousand),
// CNY 5,000,000 in English.
func Money(lang string, n int64) string {
	if strings.HasPrefix(lang, "en") {
		return "CNY " + GroupDigits(n)
	}
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	if n < 10000 {
		return sign + GroupDigits(n) + "元"
	}
	w, rem := n/10000, n%10000
	if rem == 0 {
		return sign + GroupDigits(w) + "万元"
	}
	return sign + GroupDigits(w) + "." + strings.TrimRight(fmt.Sprintf("%04d", rem), "0") + "万元"
}

// GroupDigits writes n with a comma every three digits: 4,800,000.
func GroupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
