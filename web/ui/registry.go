package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/web/internal/site"
)

// The registry pages (suppliers, products, operators, bodies, users) share
// one list, detail and form template. Each entity declares its fields; the
// values travel between forms and domain types through their JSON form, the
// same one the API uses, so both bind alike.

// field is one field of an entity on its pages.
type field struct {
	Name       string // the JSON name, also the form name
	Kind       string // text, textarea, select, multi, date, bool, int, ref, password
	Required   bool
	List       bool   // a column of the list page
	CreateOnly bool   // only on the new form (a first password)
	ReadOnly   bool   // shown, never edited here
	RefPath    string // for ref: where the referred object's page lives
	// RefName names the referred object, "" if the user may not see it.
	RefName func(r *http.Request, id int64) string
	Options func(r *http.Request) []site.Option
	// For selects whose values have labels in the catalogue: prefix+value.
	LabelPrefix string
	// Money shows an int with thousands separators.
	Money bool
}

// entityUI is one registry entity's pages.
type entityUI struct {
	Path      string // "/suppliers"
	Entity    string // "supplier": i18n keys entity.supplier, entity.suppliers
	Fields    []field
	Filters   []field
	find      func(r *http.Request, id int64) (any, error)
	list      func(r *http.Request, q *site.Query) ([]any, int, csreview.Page, error)
	create    func(r *http.Request, m map[string]any) (int64, error)
	update    func(r *http.Request, id int64, m map[string]any) error
	del       func(r *http.Request, id int64) error
	canCreate func(u *csreview.User) bool
	// mayList and mayCreate gate the list and the new/create routes
	// (Route.May); nil leaves them to the services.
	mayList, mayCreate func(u *csreview.User) bool
	canEdit            func(u *csreview.User, v any) bool
	canDelete          func(u *csreview.User, v any) bool
	title              func(v any, lang string) string
	// extra returns what the detail page shows below the fields.
	extra func(r *http.Request, v any) (any, error)
}

// bindResource connects an entity's pages to its API resource.
func bindResource[T any, F any](e *entityUI, rs *site.Resource[T, F]) {
	e.find = func(r *http.Request, id int64) (any, error) { return rs.Find(r.Context(), id) }
	e.list = func(r *http.Request, q *site.Query) ([]any, int, csreview.Page, error) {
		f := rs.Filter(q)
		if err := q.Err(); err != nil {
			return nil, 0, csreview.Page{}, err
		}
		items, total, err := rs.List(r.Context(), f)
		out := make([]any, len(items))
		for i, v := range items {
			out[i] = v
		}
		return out, total, q.Page().Normalize(), err
	}
	if rs.Create != nil {
		e.create = func(r *http.Request, m map[string]any) (int64, error) {
			v := new(T)
			if err := fromMap(m, v); err != nil {
				return 0, err
			}
			if err := rs.Create(r.Context(), v); err != nil {
				return 0, err
			}
			return *rs.ID(v), nil
		}
	}
	e.update = func(r *http.Request, id int64, m map[string]any) error {
		v, err := rs.Find(r.Context(), id)
		if err != nil {
			return err
		}
		if err := fromMap(m, v); err != nil {
			return err
		}
		*rs.ID(v) = id
		return rs.Update(r.Context(), v)
	}
	if rs.Del != nil {
		e.del = func(r *http.Request, id int64) error { return rs.Del(r.Context(), id) }
	}
}

// toMap is v's JSON object.
func toMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	m := map[string]any{}
	json.Unmarshal(b, &m)
	return m
}

// fromMap overlays the fields of m onto v, through JSON.
func fromMap(m map[string]any, v any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return site.JSONError(b, err, v)
	}
	return nil
}

// formValues reads the entity's editable fields from a posted form into a
// JSON-shaped map, with errors for numbers that are not numbers.
func (e *entityUI) formValues(r *http.Request, isNew bool) (map[string]any, csreview.Invalid) {
	m := map[string]any{}
	var bad csreview.Invalid
	for _, f := range e.Fields {
		if f.ReadOnly || (f.CreateOnly && !isNew) {
			continue
		}
		switch f.Kind {
		case "bool":
			m[f.Name] = r.PostForm.Get(f.Name) == "on" || r.PostForm.Get(f.Name) == "true"
		case "multi":
			vs := r.PostForm[f.Name]
			if vs == nil {
				vs = []string{}
			}
			m[f.Name] = vs
		case "int", "ref":
			s := strings.TrimSpace(r.PostForm.Get(f.Name))
			if s == "" {
				m[f.Name] = 0
				continue
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				bad.Add(f.Name, "not_a_number")
				continue
			}
			m[f.Name] = n
		default:
			m[f.Name] = r.PostForm.Get(f.Name)
		}
	}
	return m, bad
}

// formField is a field as the form template shows it.
type formField struct {
	field
	Label   string
	Value   string
	Checked bool
	Options []site.Option
	Error   string
}

type formData struct {
	Entity  string
	Action  string
	Cancel  string
	IsNew   bool
	Fields  []formField
	Problem string
}

// formFields prepares the fields of a form for values m and field errors.
func (e *entityUI) formFields(r *http.Request, tr *site.Translator, m map[string]any, errs []csreview.FieldError, isNew bool) []formField {
	var out []formField
	for _, f := range e.Fields {
		if f.ReadOnly || (f.CreateOnly && !isNew) {
			continue
		}
		ff := formField{field: f, Label: tr.T("f." + f.Name)}
		raw := m[f.Name]
		ff.Value = scalar(raw)
		if f.Kind == "password" {
			ff.Value = ""
		}
		ff.Checked, _ = raw.(bool)
		if f.Options != nil {
			selected := map[string]bool{ff.Value: true}
			if list, ok := raw.([]any); ok {
				for _, x := range list {
					selected[scalar(x)] = true
				}
			}
			if list, ok := raw.([]string); ok {
				for _, x := range list {
					selected[x] = true
				}
			}
			for _, o := range f.Options(r) {
				o.Selected = selected[o.Value]
				ff.Options = append(ff.Options, o)
			}
		}
		var msgs []string
		for _, fe := range errs {
			if fe.Field == f.Name {
				msgs = append(msgs, tr.FieldMessage(fe))
			}
		}
		ff.Error = strings.Join(msgs, "; ")
		out = append(out, ff)
	}
	return out
}

// scalar renders a JSON value for a form or a page.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		if x == 0 {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		if x == 0 {
			return ""
		}
		return strconv.FormatInt(x, 10)
	case int:
		if x == 0 {
			return ""
		}
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

type listRow struct {
	Href  string
	Cells []cell
}

type cell struct{ Text, Href string }

type listData struct {
	E         *entityUI
	Columns   []string
	Rows      []listRow
	Total     int
	Query     string
	Filters   []formField
	CanCreate bool
	site.Pager
}

func (s *surface) list(e *entityUI) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tr := s.I18n.For(r)
		lb := s.labeler(r)
		q := site.NewQuery(r)
		items, total, pg, err := e.list(r, q)
		if err != nil {
			return err
		}
		d := listData{E: e, Total: total, Query: q.Str("q")}
		if u := csreview.UserFromContext(r.Context()); e.canCreate != nil && e.create != nil {
			d.CanCreate = e.canCreate(u)
		}
		for _, f := range e.Fields {
			if f.List {
				d.Columns = append(d.Columns, tr.T("f."+f.Name))
			}
		}
		for _, it := range items {
			m := toMap(it)
			row := listRow{Href: fmt.Sprintf("%s/%s", e.Path, scalar(m["id"]))}
			for _, f := range e.Fields {
				if f.List {
					text, href := lb.display(f, m[f.Name])
					row.Cells = append(row.Cells, cell{Text: text, Href: href})
				}
			}
			d.Rows = append(d.Rows, row)
		}
		filterVals := map[string]any{}
		for _, f := range e.Filters {
			filterVals[f.Name] = q.Str(f.Name)
		}
		fe := &entityUI{Fields: e.Filters}
		d.Filters = fe.formFields(r, tr, filterVals, nil, true)
		d.Pager = site.NewPager(r, e.Path, pg, len(items), total)
		return s.Render(w, http.StatusOK, "list", s.NewPage(r, "entity."+e.Entity+"s", d))
	}
}

type detailRow struct {
	Label, Value, Href string
}

type detailData struct {
	E         *entityUI
	ID        int64
	Name      string
	Rows      []detailRow
	CanEdit   bool
	CanDelete bool
	Extra     any
}

func (s *surface) detail(e *entityUI) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := site.PathID(r, "id")
		if err != nil {
			return err
		}
		v, err := e.find(r, id)
		if err != nil {
			return err
		}
		tr := s.I18n.For(r)
		u := csreview.UserFromContext(r.Context())
		d := detailData{E: e, ID: id, Name: e.title(v, tr.Lang)}
		d.CanEdit = e.canEdit != nil && e.canEdit(u, v)
		d.CanDelete = e.del != nil && e.canDelete != nil && e.canDelete(u, v)
		m := toMap(v)
		lb := s.labeler(r)
		for _, f := range e.Fields {
			if f.Kind == "password" {
				continue
			}
			text, href := lb.display(f, m[f.Name])
			d.Rows = append(d.Rows, detailRow{Label: tr.T("f." + f.Name), Value: text, Href: href})
		}
		if e.extra != nil {
			if d.Extra, err = e.extra(r, v); err != nil {
				return err
			}
		}
		p := s.NewPage(r, "", d)
		p.Title = d.Name
		return s.Render(w, http.StatusOK, "detail", p)
	}
}

// form shows the new or edit form.
func (s *surface) form(e *entityUI, isNew bool) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		m := map[string]any{}
		var id int64
		if !isNew {
			var err error
			if id, err = site.PathID(r, "id"); err != nil {
				return err
			}
			v, err := e.find(r, id)
			if err != nil {
				return err
			}
			if !e.canEdit(csreview.UserFromContext(r.Context()), v) {
				return site.ErrForbiddenPage
			}
			m = toMap(v)
		} else {
			if !e.canCreate(csreview.UserFromContext(r.Context())) {
				return site.ErrForbiddenPage
			}
			for _, f := range e.Fields { // preset from the query, e.g. ?supplier_id=3
				if x := r.URL.Query().Get(f.Name); x != "" {
					m[f.Name] = x
				}
			}
		}
		return s.renderForm(w, r, e, isNew, id, m, nil, http.StatusOK)
	}
}

func (s *surface) renderForm(w http.ResponseWriter, r *http.Request, e *entityUI, isNew bool, id int64,
	m map[string]any, err error, status int) error {
	tr := s.I18n.For(r)
	d := formData{Entity: e.Entity, IsNew: isNew, Action: e.Path, Cancel: e.Path}
	titleKey := "form.new." + e.Entity
	if !isNew {
		d.Action = fmt.Sprintf("%s/%d", e.Path, id)
		d.Cancel = d.Action
		titleKey = "form.edit." + e.Entity
	}
	var fieldErrs []csreview.FieldError
	if err != nil {
		ae := csreview.AsError(err)
		if ae != nil {
			fieldErrs = ae.Fields
		}
		d.Problem = s.ProblemOf(r, err).Detail
	}
	d.Fields = e.formFields(r, tr, m, fieldErrs, isNew)
	return s.Render(w, status, "form", s.NewPage(r, titleKey, d))
}

// save handles a posted new or edit form: on bad input the form comes
// back with the user's values and a message at each field.
func (s *surface) save(e *entityUI, isNew bool) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := site.ParseForm(r); err != nil {
			return err
		}
		var id int64
		if !isNew {
			var err error
			if id, err = site.PathID(r, "id"); err != nil {
				return err
			}
		}
		m, bad := e.formValues(r, isNew)
		err := bad.Err()
		if err == nil {
			if isNew {
				id, err = e.create(r, m)
			} else {
				err = e.update(r, id, m)
			}
		}
		if err != nil {
			code := csreview.ErrorCode(err)
			if code == csreview.EINVALID || code == csreview.ECONFLICT {
				return s.renderForm(w, r, e, isNew, id, m, err, site.StatusOf[code])
			}
			return err
		}
		flash := "flash.saved"
		if isNew {
			flash = "flash.created"
		}
		return redirect(w, r, fmt.Sprintf("%s/%d", e.Path, id), flash)
	}
}

func (s *surface) delete(e *entityUI) site.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := site.PathID(r, "id")
		if err != nil {
			return err
		}
		// Who may, before what: the caller's right to delete this one
		// first, then the confirmation the form asks for.
		v, err := e.find(r, id)
		if err != nil {
			return err
		}
		if e.canDelete == nil || !e.canDelete(csreview.UserFromContext(r.Context()), v) {
			return site.ErrForbiddenPage
		}
		if err := confirmed(r); err != nil {
			return err
		}
		if err := e.del(r, id); err != nil {
			return err
		}
		return redirect(w, r, e.Path, "flash.deleted")
	}
}

// confirmed refuses a delete form posted without its confirmation box
// ticked: a deletion is not undone.
func confirmed(r *http.Request) error {
	if err := site.ParseForm(r); err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		var v csreview.Invalid
		v.Add("confirm", "required")
		return v.Err()
	}
	return nil
}

// entityRoutes registers an entity's pages.
func (s *surface) entityRoutes(e *entityUI) []site.Route {
	rs := []site.Route{
		{Name: "ui." + e.Entity + ".list", Method: "GET", Pattern: e.Path, May: e.mayList, Handle: s.list(e)},
		{Name: "ui." + e.Entity + ".detail", Method: "GET", Pattern: e.Path + "/{id}", Handle: s.detail(e)},
		{Name: "ui." + e.Entity + ".edit", Method: "GET", Pattern: e.Path + "/{id}/edit", Handle: s.form(e, false)},
		{Name: "ui." + e.Entity + ".update", Method: "POST", Pattern: e.Path + "/{id}", Handle: s.save(e, false)},
	}
	if e.create != nil {
		rs = append(rs,
			site.Route{Name: "ui." + e.Entity + ".new", Method: "GET", Pattern: e.Path + "/new", May: e.mayCreate, Handle: s.form(e, true)},
			site.Route{Name: "ui." + e.Entity + ".create", Method: "POST", Pattern: e.Path, May: e.mayCreate, Handle: s.save(e, true)})
	}
	if e.del != nil {
		rs = append(rs, site.Route{Name: "ui." + e.Entity + ".delete", Method: "POST", Pattern: e.Path + "/{id}/delete", Handle: s.delete(e)})
	}
	return rs
}

func labelled[T ~string](list []T, prefix string) func(*http.Request) []site.Option {
	return func(*http.Request) []site.Option {
		out := make([]site.Option, len(list))
		for i, x := range list {
			out[i] = site.Option{Value: string(x), Label: prefix + string(x)} // label filled by localise
		}
		return out
	}
}

// localised wraps an option list whose labels are catalogue keys.
func (s *surface) localised(opts func(*http.Request) []site.Option) func(*http.Request) []site.Option {
	return func(r *http.Request) []site.Option {
		tr := s.I18n.For(r)
		out := opts(r)
		for i := range out {
			out[i].Label = tr.T(out[i].Label)
		}
		return out
	}
}

// boolOptions is a yes/no filter.
func (s *surface) boolOptions(r *http.Request) []site.Option {
	tr := s.I18n.For(r)
	return []site.Option{{Value: "true", Label: tr.T("yes")}, {Value: "false", Label: tr.T("no")}}
}

// refOptions lists the objects of a kind the user may see, by name.
func refOptions[T any](list func(ctx context.Context) ([]*T, error), id func(*T) int64, name func(*T, string) string,
	i18n site.Catalogs) func(*http.Request) []site.Option {
	return func(r *http.Request) []site.Option {
		items, err := list(r.Context())
		if err != nil {
			return nil
		}
		lang := i18n.For(r).Lang
		out := make([]site.Option, 0, len(items))
		for _, it := range items {
			out = append(out, site.Option{Value: strconv.FormatInt(id(it), 10), Label: name(it, lang)})
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Label < out[j].Label })
		return out
	}
}

// labeler renders field values for one request, asking for each option list
// or referred object once.
type labeler struct {
	s     *surface
	r     *http.Request
	tr    *site.Translator
	opts  map[string]map[string]string
	names map[string]string
}

func (s *surface) labeler(r *http.Request) *labeler {
	return &labeler{s: s, r: r, tr: s.I18n.For(r), opts: map[string]map[string]string{}, names: map[string]string{}}
}

func (l *labeler) label(f field, v string) string {
	if v == "" {
		return ""
	}
	switch {
	case f.LabelPrefix != "":
		return l.tr.T(f.LabelPrefix + v)
	case f.RefName != nil:
		key := f.RefPath + "/" + v
		if n, ok := l.names[key]; ok {
			return n
		}
		id, _ := strconv.ParseInt(v, 10, 64)
		n := f.RefName(l.r, id)
		if n == "" {
			n = "#" + v
		}
		l.names[key] = n
		return n
	case f.Options != nil:
		m, ok := l.opts[f.Name]
		if !ok {
			m = map[string]string{}
			for _, o := range f.Options(l.r) {
				m[o.Value] = o.Label
			}
			l.opts[f.Name] = m
		}
		if lbl, ok := m[v]; ok {
			return lbl
		}
	}
	return v
}

// display renders a field's value for a detail page or a list cell, with a
// link for references.
func (l *labeler) display(f field, raw any) (string, string) {
	switch f.Kind {
	case "bool":
		if b, _ := raw.(bool); b {
			return l.tr.T("yes"), ""
		}
		return l.tr.T("no"), ""
	case "password":
		return "", ""
	case "multi":
		list, _ := raw.([]any)
		var labels []string
		for _, x := range list {
			labels = append(labels, l.label(f, scalar(x)))
		}
		return strings.Join(labels, l.tr.T("list.sep")), ""
	case "ref":
		v := scalar(raw)
		if v == "" {
			return "", ""
		}
		if f.RefPath == "" {
			return l.label(f, v), ""
		}
		return l.label(f, v), f.RefPath + "/" + v
	case "select":
		return l.label(f, scalar(raw)), ""
	case "int":
		if n, ok := raw.(float64); ok && f.Money {
			return site.Money(l.tr.Lang, int64(n)), ""
		}
	}
	return scalar(raw), ""
}
