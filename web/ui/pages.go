package ui

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
	"github.com/csreview/csreview/web/internal/site"
)

// entities declares the registry pages.
func (s *surface) entities() (sup, prod, op, body, usr *entityUI) {
	categories := s.localised(labelled(csreview.Categories, "cat."))
	sectors := s.localised(labelled(csreview.Sectors, "sector."))
	roles := s.localised(labelled(csreview.Roles, "role."))
	supplierRef, operatorRef, bodyRef := s.refFields()
	ref := func(base field, name string, required, list bool) field {
		base.Name, base.Required, base.List = name, required, list
		return base
	}
	sel := func(name string, opts func(*http.Request) []site.Option, prefix string, required, list bool) field {
		return field{Name: name, Kind: "select", Options: opts, LabelPrefix: prefix, Required: required, List: list}
	}
	boolFilter := func(name string) field { return field{Name: name, Kind: "select", Options: s.boolOptions} }
	text := func(name string, required, list bool) field {
		return field{Name: name, Kind: "text", Required: required, List: list}
	}
	area := func(name string) field { return field{Name: name, Kind: "textarea"} }

	sup = &entityUI{Path: "/suppliers", Entity: "supplier",
		Fields: []field{text("name_zh", true, true), text("name_en", false, true), text("country", true, true),
			text("uscc", false, true), text("registration_no", false, false), text("group", false, false),
			area("ownership"), text("address", false, false), text("contact", false, false), text("website", false, false)},
		Filters:   []field{text("country", false, false), boolFilter("domestic")},
		canCreate: csreview.CanCreateSupplier,
		canEdit:   func(u *csreview.User, v any) bool { return csreview.CanUpdateSupplier(u, v.(*csreview.Supplier)) },
		canDelete: func(u *csreview.User, v any) bool { return csreview.CanDeleteSupplier(u, v.(*csreview.Supplier)) },
		title:     func(v any, lang string) string { return v.(*csreview.Supplier).Name(lang) },
		extra: func(r *http.Request, v any) (any, error) {
			list, total, err := s.Registry.FindProducts(r.Context(), csreview.ProductFilter{SupplierID: v.(*csreview.Supplier).ID})
			return supplierExtra{Products: list, Total: total,
				CanAdd: csreview.CanWriteProduct(csreview.UserFromContext(r.Context()), &csreview.Product{SupplierID: v.(*csreview.Supplier).ID})}, err
		}}
	prod = &entityUI{Path: "/products", Entity: "product", mayCreate: csreview.CanCreateProducts,
		Fields: []field{ref(supplierRef, "supplier_id", true, true), text("name_zh", true, true), text("name_en", false, false),
			sel("category", categories, "cat.", true, true), {Name: "service", Kind: "bool", List: true},
			text("model", false, true), area("description")},
		Filters: []field{sel("category", categories, "cat.", false, false), ref(supplierRef, "supplier_id", false, false)},
		canCreate: func(u *csreview.User) bool {
			return csreview.CanWriteProduct(u, &csreview.Product{SupplierID: u.SupplierID})
		},
		canEdit:   func(u *csreview.User, v any) bool { return csreview.CanWriteProduct(u, v.(*csreview.Product)) },
		canDelete: func(u *csreview.User, v any) bool { return csreview.CanWriteProduct(u, v.(*csreview.Product)) },
		title:     func(v any, lang string) string { return v.(*csreview.Product).Name(lang) },
		extra: func(r *http.Request, v any) (any, error) {
			p := v.(*csreview.Product)
			u := csreview.UserFromContext(r.Context())
			x := productExtra{Product: p, CanEdit: csreview.CanWriteProduct(u, p), SBOMs: map[int64][]*csreview.VersionSBOM{},
				CanAttach: csreview.CanWriteProduct(u, p), CanAssess: csreview.CanWriteProduct(u, p)}
			if x.CanAssess {
				for _, ver := range p.Versions {
					list, err := s.Versions.VersionSBOMs(r.Context(), p.ID, ver.ID)
					if err != nil {
						return nil, err
					}
					x.SBOMs[ver.ID] = list
				}
			}
			return x, nil
		}}
	op = &entityUI{Path: "/operators", Entity: "operator",
		Fields: []field{text("name_zh", true, true), text("name_en", false, false), text("uscc", true, true),
			sel("sector", sectors, "sector.", true, true), text("region", false, true), {Name: "cii", Kind: "bool", List: true},
			{Name: "platform", Kind: "bool"}, {Name: "personal_info_users", Kind: "int"}, text("group", false, false), text("contact", false, false)},
		Filters:   []field{sel("sector", sectors, "sector.", false, false), boolFilter("cii")},
		canCreate: csreview.CanRegisterOperators,
		canEdit:   func(u *csreview.User, v any) bool { return csreview.CanUpdateOperator(u, v.(*csreview.Operator)) },
		canDelete: func(u *csreview.User, v any) bool { return csreview.CanDeleteOperator(u, v.(*csreview.Operator)) },
		title:     func(v any, lang string) string { return v.(*csreview.Operator).Name(lang) }}
	body = &entityUI{Path: "/bodies", Entity: "body",
		Fields: []field{text("name_zh", true, true), text("name_en", false, false), text("uscc", true, false),
			text("accreditation_no", true, true), {Name: "scope", Kind: "multi", Options: categories, LabelPrefix: "cat.", Required: true, List: true},
			{Name: "valid_from", Kind: "date", Required: true, List: true}, {Name: "valid_until", Kind: "date", Required: true, List: true},
			text("group", false, false), text("contact", false, false)},
		Filters:   []field{sel("category", categories, "cat.", false, false), {Name: "valid_on", Kind: "date"}},
		canCreate: csreview.CanWriteBody,
		canEdit:   func(u *csreview.User, v any) bool { return csreview.CanWriteBody(u) },
		canDelete: func(u *csreview.User, v any) bool { return csreview.CanWriteBody(u) },
		title:     func(v any, lang string) string { return v.(*csreview.Body).Name(lang) },
		extra: func(r *http.Request, v any) (any, error) {
			today := csreview.DateOf(time.Now().In(site.Shanghai))
			return bodyExtra{Valid: v.(*csreview.Body).AccreditedOn(today), Today: today}, nil
		}}
	usr = &entityUI{Path: "/users", Entity: "user",
		Fields: []field{text("username", true, true), text("display_name", true, true), text("email", false, false),
			sel("role", roles, "role.", true, true), ref(supplierRef, "supplier_id", false, false),
			ref(operatorRef, "operator_id", false, false), ref(bodyRef, "body_id", false, false),
			sel("sector", sectors, "sector.", false, false), text("org", false, true),
			{Name: "password", Kind: "password", Required: true, CreateOnly: true},
			{Name: "disabled", Kind: "bool", ReadOnly: true, List: true}},
		Filters:   []field{sel("role", roles, "role.", false, false), boolFilter("disabled")},
		canCreate: csreview.CanManageUsers,
		canEdit:   func(u *csreview.User, v any) bool { return csreview.CanManageUsers(u) },
		title: func(v any, lang string) string {
			x := v.(*csreview.User)
			return x.DisplayName + " (" + x.Username + ")"
		},
		extra: func(r *http.Request, v any) (any, error) {
			x := v.(*csreview.User)
			me := csreview.UserFromContext(r.Context())
			return userExtra{User: x, CanToggle: csreview.CanManageUsers(me) && me.ID != x.ID}, nil
		}}
	return
}

// refFields are the reference fields to suppliers, operators and bodies:
// a select of those the user may see, and the name shown for a value.
func (s *surface) refFields() (supplierRef, operatorRef, bodyRef field) {
	supplierRef = field{Kind: "ref", RefPath: "/suppliers",
		Options: refOptions(func(ctx context.Context) ([]*csreview.Supplier, error) {
			l, _, err := s.Registry.FindSuppliers(ctx, csreview.SupplierFilter{Page: csreview.Page{Limit: csreview.MaxLimit}})
			return l, err
		}, func(x *csreview.Supplier) int64 { return x.ID }, (*csreview.Supplier).Name, s.I18n),
		RefName: func(r *http.Request, id int64) string {
			if x, err := s.Registry.FindSupplierByID(r.Context(), id); err == nil {
				return x.Name(s.I18n.For(r).Lang)
			}
			return ""
		}}
	operatorRef = field{Kind: "ref", RefPath: "/operators",
		Options: refOptions(func(ctx context.Context) ([]*csreview.Operator, error) {
			l, _, err := s.Registry.FindOperators(ctx, csreview.OperatorFilter{Page: csreview.Page{Limit: csreview.MaxLimit}})
			return l, err
		}, func(x *csreview.Operator) int64 { return x.ID }, (*csreview.Operator).Name, s.I18n),
		RefName: func(r *http.Request, id int64) string {
			if x, err := s.Registry.FindOperatorByID(r.Context(), id); err == nil {
				return x.Name(s.I18n.For(r).Lang)
			}
			return ""
		}}
	bodyRef = field{Kind: "ref", RefPath: "/bodies",
		Options: refOptions(func(ctx context.Context) ([]*csreview.Body, error) {
			l, _, err := s.Registry.FindBodies(ctx, csreview.BodyFilter{Page: csreview.Page{Limit: csreview.MaxLimit}})
			return l, err
		}, func(x *csreview.Body) int64 { return x.ID }, (*csreview.Body).Name, s.I18n),
		RefName: func(r *http.Request, id int64) string {
			if x, err := s.Registry.FindBodyByID(r.Context(), id); err == nil {
				return x.Name(s.I18n.For(r).Lang)
			}
			return ""
		}}
	return
}

type supplierExtra struct {
	Products []*csreview.Product
	Total    int
	CanAdd   bool
}

type productExtra struct {
	Product   *csreview.Product
	CanEdit   bool
	CanAttach bool
	CanAssess bool
	SBOMs     map[int64][]*csreview.VersionSBOM
}

type bodyExtra struct {
	Valid bool
	Today csreview.Date
}

type userExtra struct {
	User      *csreview.User
	CanToggle bool
}

// pageRoutes are the pages.
func (s *surface) pageRoutes() []site.Route {
	sup, prod, op, body, usr := s.entities()
	api := s.Resources()
	bindResource(sup, api.Suppliers)
	bindResource(prod, api.Products)
	bindResource(op, api.Operators)
	bindResource(body, api.Bodies)
	bindResource(usr, api.Users)
	usr.create = func(r *http.Request, m map[string]any) (int64, error) {
		pw, _ := m["password"].(string)
		delete(m, "password")
		u := new(csreview.User)
		if err := fromMap(m, u); err != nil {
			return 0, err
		}
		err := s.Accounts.CreateUser(r.Context(), u, pw)
		return u.ID, err
	}
	rs := []site.Route{
		{Name: "ui.home", Method: "GET", Pattern: "/{$}", Public: true, Handle: s.home},
		{Name: "ui.login", Method: "GET", Pattern: "/login", Public: true, Handle: s.loginForm},
		{Name: "ui.login.post", Method: "POST", Pattern: "/login", Public: true, Handle: s.signIn},
		{Name: "ui.logout", Method: "POST", Pattern: "/logout", Public: true, Handle: s.signOut},
		{Name: "ui.lang", Method: "GET", Pattern: "/lang", Public: true, Handle: s.lang},
		{Name: "ui.account", Method: "GET", Pattern: "/account", Handle: s.account},
		{Name: "ui.account.token", Method: "POST", Pattern: "/account/tokens", Handle: s.createToken},
		{Name: "ui.account.token.delete", Method: "POST", Pattern: "/account/tokens/{id}/delete", Handle: s.deleteToken},
		{Name: "ui.account.password", Method: "POST", Pattern: "/account/password", Handle: s.password},
		{Name: "ui.audit", Method: "GET", Pattern: "/audit", Handle: s.audit},
		{Name: "ui.regimes", Method: "GET", Pattern: "/regimes", Public: true, Handle: s.regimes},
		{Name: "ui.cases", Method: "GET", Pattern: "/cases", Handle: s.cases},
		// The form only for those who may file; filing itself is refused by
		// the service, citing the Measures.
		{Name: "ui.case.new", May: s.canFile, Method: "GET", Pattern: "/cases/new", Handle: s.newCasePage},
		{Name: "ui.case.file", Method: "POST", Pattern: "/cases", MaxBody: site.UploadLimit, Handle: s.file},
		{Name: "ui.case", Method: "GET", Pattern: "/cases/{id}", Handle: s.casePage},
		{Name: "ui.case.sboms", Method: "POST", Pattern: "/cases/{id}/sboms", MaxBody: site.UploadLimit, Handle: s.attachSBOM},
		{Name: "ui.case.evidence", Method: "POST", Pattern: "/cases/{id}/evidence", MaxBody: site.UploadLimit, Handle: s.evidence},
		{Name: "ui.case.notice", Method: "GET", Pattern: "/cases/{id}/notices/{nid}", Handle: s.notice},
		{Name: "ui.case.material", Method: "GET", Pattern: "/cases/{id}/files/{fid}", Handle: s.ServeCaseFile},
		{Name: "ui.case.archive", Method: "GET", Pattern: "/cases/{id}/archive.zip", Handle: s.ServeCaseArchive},
		{Name: "ui.case.act", Method: "POST", Pattern: "/cases/{id}/act", MaxBody: site.UploadLimit, Handle: s.act},
		{Name: "ui.regime", Method: "GET", Pattern: "/regimes/{regime}", Public: true, Handle: s.regime},
		{Name: "ui.product.version.create", Method: "POST", Pattern: "/products/{id}/versions", Handle: s.createVersion},
		{Name: "ui.product.version.delete", Method: "POST", Pattern: "/products/{id}/versions/{vid}/delete", Handle: s.deleteVersion},
		{Name: "ui.user.disable", Method: "POST", Pattern: "/users/{id}/disable", Handle: s.setDisabled(true)},
		{Name: "ui.user.enable", Method: "POST", Pattern: "/users/{id}/enable", Handle: s.setDisabled(false)},
	}
	for _, e := range []*entityUI{sup, prod, op, body, usr} {
		rs = append(rs, s.entityRoutes(e)...)
	}
	return rs
}

type homeData struct {
	Counts []homeCount
	Role   string
	// Tasks await this user: overdue first, then by due date, then the
	// undated oldest first.
	Tasks []homeTask
	// Overdue, DueSoon (within a week) and Undated count the tasks.
	Overdue, DueSoon int
	// Watching are the open cases others act on, nearest due first.
	Watching []caseRow
	Cases    int
	// CalendarMissing names the years whose holiday notice the working-day
	// calendar lacks today (regime.Calendar.MissingNotices), for those who
	// watch it (csreview.CanWatchCalendar); "" when none is missing.
	// HolidaysBasis cites what is counted meanwhile.
	CalendarMissing, HolidaysBasis string
}

// homeTask is one thing awaiting the user: a case to act on, a decision
// to publish, an alert, an enforcement record, feedback to read.
type homeTask struct {
	Kind  string // case, sbom, publish, alert, enforcement, feedback
	Href  string
	Ref   string
	Title string
	// What says what is awaited, in the user's language.
	What  string
	Clock *review.ClockStatus
	Since string
}

func (t homeTask) due() string {
	if t.Clock != nil {
		return string(t.Clock.Due)
	}
	return ""
}

type homeCount struct {
	Key   string
	Href  string
	Count int
}

// homeLimit bounds each kind of task listed on the home page; the lists
// behind them hold the rest.
const homeLimit = 30

// home is the user's start page: what awaits the user, with the due
// dates and the overdue first, the cases others act on, and counts of the
// registry.
func (s *surface) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := csreview.UserFromContext(ctx)
	if u == nil {
		// The public starts at the lists.
		http.Redirect(w, r, "/public", http.StatusSeeOther)
		return nil
	}
	tr := s.I18n.For(r)
	d := homeData{Role: string(u.Role)}
	rows, total, err := s.caseRows(r, csreview.CaseFilter{Page: csreview.Page{Limit: 200}})
	if err != nil {
		return err
	}
	d.Cases = total
	for _, row := range rows {
		c := row.Case
		switch {
		case row.Mine:
			var acts []string
			for _, a := range row.Acts {
				acts = append(acts, tr.T("act."+a))
			}
			d.Tasks = append(d.Tasks, homeTask{Kind: "case", Href: fmt.Sprintf("/cases/%d", c.ID), Ref: c.Ref, Title: c.Title,
				What: strings.Join(acts, tr.T("list.sep")), Clock: row.Clock, Since: string(c.FiledOn)})
		case c.State != csreview.StateDecided && c.State != csreview.StateNotRequired:
			// A supplier is asked for its product's SBOM until one is in.
			if csreview.AwaitsSBOM(u, c) {
				jobs, err := s.Cases.FindAnalysisJobs(ctx, c.ID)
				if err != nil {
					return err
				}
				if len(jobs) == 0 {
					d.Tasks = append(d.Tasks, homeTask{Kind: "sbom", Href: fmt.Sprintf("/cases/%d#analysis", c.ID), Ref: c.Ref,
						Title: c.Title, What: tr.T("home.task.sbom"), Clock: row.Clock, Since: string(c.FiledOn)})
					continue
				}
			}
			if len(d.Watching) < homeLimit {
				d.Watching = append(d.Watching, row)
			}
		}
	}
	if csreview.CanPublish(u) {
		decided, _, err := s.Cases.FindCases(ctx, csreview.CaseFilter{Unpublished: true, Page: csreview.Page{Limit: homeLimit}})
		if err != nil {
			return err
		}
		for _, c := range decided {
			d.Tasks = append(d.Tasks, homeTask{Kind: "publish", Href: fmt.Sprintf("/cases/%d/publication", c.ID), Ref: c.Ref,
				Title: c.Title, What: tr.T("home.task.publish", "outcome", tr.T("outcome."+string(c.Outcome))), Since: c.UpdatedAt.Format("2006-01-02")})
		}
	}
	if csreview.CanOwnWebhook(u) {
		alerts, _, err := s.Monitoring.FindAlerts(ctx, csreview.AlertFilter{State: csreview.AlertOpen, Page: csreview.Page{Limit: homeLimit}})
		if err != nil {
			return err
		}
		names := s.answerNames(r)
		for _, a := range alerts {
			trigger := a.Trigger
			if a.Kind == csreview.AlertProhibition {
				trigger = tr.T("home.trigger.prohibition")
			}
			what := tr.T("home.task.alert", "trigger", trigger, "version", names.Version(a.VersionID))
			if a.Passed && csreview.CanRequestRereview(u) {
				what = tr.T("home.task.alert_rereview", "trigger", trigger, "version", names.Version(a.VersionID))
			}
			d.Tasks = append(d.Tasks, homeTask{Kind: "alert", Href: fmt.Sprintf("/alerts/%d", a.ID), Ref: fmt.Sprintf("#%d", a.ID),
				Title: csreview.Clip(a.Summary, 80), What: what, Since: a.At.In(site.Shanghai).Format("2006-01-02")})
		}
	}
	if states := csreview.EnforcementAwaiting(u); len(states) > 0 {
		names := s.answerNames(r)
		for _, st := range states {
			list, _, err := s.Enforcement.FindEnforcements(ctx, csreview.EnforcementFilter{State: st, Page: csreview.Page{Limit: homeLimit}})
			if err != nil {
				return err
			}
			for _, e := range list {
				d.Tasks = append(d.Tasks, homeTask{Kind: "enforcement", Href: fmt.Sprintf("/enforcement/%d", e.ID), Ref: fmt.Sprintf("#%d", e.ID),
					Title: names.Operator(e.OperatorID) + " · " + names.Version(e.VersionID),
					What:  tr.T("home.task.enforcement_"+st, "finding", tr.T("pstatus."+e.Finding)), Since: string(e.OpenedOn)})
			}
		}
	}
	if csreview.CanReadFeedback(u) {
		fb, n, err := s.Pub.FindFeedback(ctx, csreview.FeedbackFilter{State: csreview.FeedbackNew, Page: csreview.Page{Limit: 1}})
		if err != nil {
			return err
		}
		if n > 0 {
			d.Tasks = append(d.Tasks, homeTask{Kind: "feedback", Href: "/feedback?state=new", Ref: fb[0].Ref,
				Title: tr.T("home.task.feedback_title"), What: tr.T("home.task.feedback", "n", n), Since: fb[0].CreatedAt.In(site.Shanghai).Format("2006-01-02")})
		}
	}
	today := csreview.DateOf(s.Now().In(site.Shanghai))
	if csreview.CanWatchCalendar(u) {
		d.CalendarMissing, d.HolidaysBasis = tr.Years(s.Rules.Cal.MissingNotices(today)), regime.HolidaysCite(tr.Lang)
	}
	week := csreview.DateOf(today.Time().AddDate(0, 0, 7))
	sort.SliceStable(d.Tasks, func(i, j int) bool {
		a, b := d.Tasks[i], d.Tasks[j]
		if da, db := a.due(), b.due(); da != db {
			if da == "" || db == "" {
				return db == ""
			}
			return da < db
		}
		return a.Since < b.Since
	})
	for _, t := range d.Tasks {
		switch {
		case t.Clock != nil && t.Clock.Overdue:
			d.Overdue++
		case t.Clock != nil && t.Clock.Due <= week:
			d.DueSoon++
		}
	}
	if err := s.homeCounts(r, &d); err != nil {
		return err
	}
	return s.Render(w, http.StatusOK, "home", s.NewPage(r, "home.title", d))
}

// homeCounts counts the registry as the user sees it.
func (s *surface) homeCounts(r *http.Request, d *homeData) error {
	ctx := r.Context()
	one := csreview.Page{Limit: 1}
	type counter struct {
		key, href string
		n         func() (int, error)
	}
	counters := []counter{
		{"nav.suppliers", "/suppliers", func() (int, error) {
			_, n, err := s.Registry.FindSuppliers(ctx, csreview.SupplierFilter{Page: one})
			return n, err
		}},
		{"nav.products", "/products", func() (int, error) {
			_, n, err := s.Registry.FindProducts(ctx, csreview.ProductFilter{Page: one})
			return n, err
		}},
		{"nav.operators", "/operators", func() (int, error) {
			_, n, err := s.Registry.FindOperators(ctx, csreview.OperatorFilter{Page: one})
			return n, err
		}},
		{"nav.bodies", "/bodies", func() (int, error) {
			_, n, err := s.Registry.FindBodies(ctx, csreview.BodyFilter{Page: one})
			return n, err
		}},
	}
	for _, c := range counters {
		n, err := c.n()
		if err != nil {
			return err
		}
		if n > 0 {
			d.Counts = append(d.Counts, homeCount{Key: c.key, Href: c.href, Count: n})
		}
	}
	return nil
}

type loginData struct {
	Next     string
	Username string
	Problem  string
}

func (s *surface) loginForm(w http.ResponseWriter, r *http.Request) error {
	if csreview.UserFromContext(r.Context()) != nil {
		return redirect(w, r, site.SafeNext(r.URL.Query().Get("next")), "")
	}
	return s.Render(w, http.StatusOK, "login", s.NewPage(r, "login.title", loginData{Next: site.SafeNext(r.URL.Query().Get("next"))}))
}

func (s *surface) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := site.ParseForm(r); err != nil {
		return err
	}
	username, next := r.PostForm.Get("username"), site.SafeNext(r.PostForm.Get("next"))
	if _, err := s.login(w, r, username, r.PostForm.Get("password")); err != nil {
		code := csreview.ErrorCode(err)
		if code != csreview.EUNAUTHORIZED && code != csreview.ETOOMANYREQUEST {
			return err
		}
		d := loginData{Next: next, Username: username, Problem: s.ProblemOf(r, err).Detail}
		return s.Render(w, site.StatusOf[code], "login", s.NewPage(r, "login.title", d))
	}
	return redirect(w, r, next, "")
}

func (s *surface) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.logout(w, r); err != nil {
		return err
	}
	return redirect(w, r, "/login", "flash.signed_out")
}

// lang switches the language with a cookie, then returns to the page.
func (s *surface) lang(w http.ResponseWriter, r *http.Request) error {
	to := r.URL.Query().Get("to")
	for _, l := range site.Languages {
		if l == to {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				SameSite: http.SameSiteLaxMode, HttpOnly: true, Secure: r.TLS != nil})
		}
	}
	return redirect(w, r, site.SafeNext(r.URL.Query().Get("next")), "")
}

type accountData struct {
	Tokens    []*csreview.APIToken
	NewSecret string
	NewName   string
	Problem   string
	// FeedSince is when the caller's calendar feed was made (zero: none);
	// NewFeed is its URL, shown once, when it was just made.
	FeedSince time.Time
	NewFeed   string
}

func (s *surface) account(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, accountData{}, http.StatusOK)
}

func (s *surface) renderAccount(w http.ResponseWriter, r *http.Request, d accountData, status int) error {
	u := csreview.UserFromContext(r.Context())
	var err error
	if d.Tokens, err = s.Accounts.FindTokens(r.Context(), u.ID); err != nil {
		return err
	}
	if d.FeedSince, err = s.Accounts.CalendarFeed(r.Context()); err != nil {
		return err
	}
	return s.Render(w, status, "account", s.NewPage(r, "account.title", d))
}

// createToken shows the new secret once, on the page that answers the
// post; it is never shown again.
func (s *surface) createToken(w http.ResponseWriter, r *http.Request) error {
	if err := site.ParseForm(r); err != nil {
		return err
	}
	u := csreview.UserFromContext(r.Context())
	days, _ := strconv.Atoi(r.PostForm.Get("ttl_days"))
	t, secret, err := s.Accounts.CreateToken(r.Context(), u.ID, r.PostForm.Get("name"), time.Duration(days)*24*time.Hour)
	if err != nil {
		if csreview.ErrorCode(err) == csreview.EINVALID {
			return s.renderAccount(w, r, accountData{Problem: s.ProblemOf(r, err).Detail}, http.StatusBadRequest)
		}
		return err
	}
	return s.renderAccount(w, r, accountData{NewSecret: secret, NewName: t.Name}, http.StatusCreated)
}

func (s *surface) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Accounts.DeleteToken(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/account", "flash.token_revoked")
}

func (s *surface) password(w http.ResponseWriter, r *http.Request) error {
	if err := site.ParseForm(r); err != nil {
		return err
	}
	u := csreview.UserFromContext(r.Context())
	if _, err := s.checkPassword(r, u.Username, r.PostForm.Get("current")); err != nil {
		if csreview.ErrorCode(err) == csreview.ETOOMANYREQUEST {
			return s.renderAccount(w, r, accountData{Problem: s.ProblemOf(r, err).Detail}, http.StatusTooManyRequests)
		}
		return s.renderAccount(w, r, accountData{Problem: s.I18n.For(r).T("account.wrong_current")}, http.StatusBadRequest)
	}
	if err := s.Accounts.SetPassword(r.Context(), u.ID, r.PostForm.Get("new")); err != nil {
		if csreview.ErrorCode(err) == csreview.EINVALID {
			return s.renderAccount(w, r, accountData{Problem: s.ProblemOf(r, err).Errors[0].Message}, http.StatusBadRequest)
		}
		return err
	}
	// Changing the password ended every session; this one continues anew.
	secret, err := s.Accounts.CreateSession(r.Context(), u.ID, "")
	if err != nil {
		return err
	}
	setSessionCookie(w, secret, int(csreview.SessionLifetime.Seconds()))
	return redirect(w, r, "/account", "flash.password_changed")
}

type auditData struct {
	Records  []*csreview.AuditRecord
	Total    int
	Entity   string
	EntityID string
	site.Pager
}

func (s *surface) audit(w http.ResponseWriter, r *http.Request) error {
	q := site.NewQuery(r)
	f := csreview.AuditFilter{Entity: q.Str("entity"), EntityID: q.Int("entity_id"), Action: q.Str("action"), Page: q.Page()}
	if err := q.Err(); err != nil {
		return err
	}
	list, total, err := s.Accounts.FindAuditRecords(r.Context(), f)
	if err != nil {
		return err
	}
	d := auditData{Records: list, Total: total, Entity: f.Entity, EntityID: q.Str("entity_id")}
	d.Pager = site.NewPager(r, "/audit", f.Page, len(list), total)
	return s.Render(w, http.StatusOK, "audit", s.NewPage(r, "audit.title", d))
}

func (s *surface) createVersion(w http.ResponseWriter, r *http.Request) error {
	pid, err := site.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := site.ParseForm(r); err != nil {
		return err
	}
	v := &csreview.ProductVersion{ProductID: pid, Version: r.PostForm.Get("version"),
		ReleasedOn: csreview.Date(strings.TrimSpace(r.PostForm.Get("released_on"))), Notes: r.PostForm.Get("notes")}
	if err := s.Registry.CreateProductVersion(r.Context(), v); err != nil {
		code := csreview.ErrorCode(err)
		if code == csreview.EINVALID || code == csreview.ECONFLICT {
			return redirect(w, r, fmt.Sprintf("/products/%d", pid), "flash.version_invalid")
		}
		return err
	}
	return redirect(w, r, fmt.Sprintf("/products/%d", pid), "flash.version_added")
}

func (s *surface) deleteVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.FindVersion(r)
	if err != nil {
		return err
	}
	p, err := s.Registry.FindProductByID(r.Context(), v.ProductID)
	if err != nil {
		return err
	}
	if !csreview.CanWriteProduct(csreview.UserFromContext(r.Context()), p) {
		return site.ErrForbiddenPage
	}
	if err := confirmed(r); err != nil {
		return err
	}
	if err := s.Registry.DeleteProductVersion(r.Context(), v.ProductID, v.ID); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/products/%d", v.ProductID), "flash.deleted")
}

func (s *surface) setDisabled(disabled bool) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := site.PathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.Accounts.SetUserDisabled(r.Context(), id, disabled); err != nil {
			return err
		}
		return redirect(w, r, fmt.Sprintf("/users/%d", id), "flash.saved")
	}
}
