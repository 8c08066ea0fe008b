package site

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/regime"
	"github.com/csreview/csreview/review"
)

// The UI speaks Simplified Chinese first and English; every message lives in
// i18n/<lang>.json under the same keys.
//
//go:embed i18n/*.json
var catalogFS embed.FS

// Languages in order of preference; the first is the default.
var Languages = []string{"zh-CN", "en"}

var langMatcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// Missing is what T returns for a key with no message, so that untranslated
// text is obvious on a page and tests can find it.
const Missing = "⟦"

// Catalogs holds the messages of every language.
type Catalogs map[string]map[string]string

// LoadCatalogs reads the embedded catalogues and fails if a language lacks a
// key another has.
func LoadCatalogs() (Catalogs, error) {
	c := Catalogs{}
	for _, lang := range Languages {
		b, err := catalogFS.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n/%s.json: %w", lang, err)
		}
		c[lang] = m
	}
	for _, a := range Languages {
		for _, b := range Languages {
			for k := range c[a] {
				if _, ok := c[b][k]; !ok {
					return nil, fmt.Errorf("i18n/%s.json lacks %q, which i18n/%s.json has", b, k, a)
				}
			}
		}
	}
	return c, nil
}

// Translator gives the messages of one language.
type Translator struct {
	Lang string
	m    map[string]string
}

// For picks the request's language: the "lang" cookie, then
// Accept-Language, then Chinese.
func (c Catalogs) For(r *http.Request) *Translator {
	return c.Lang(requestLang(r))
}

// Lang returns the translator of lang, or of the default language.
func (c Catalogs) Lang(lang string) *Translator {
	m, ok := c[lang]
	if !ok {
		lang = Languages[0]
		m = c[lang]
	}
	return &Translator{Lang: lang, m: m}
}

func requestLang(r *http.Request) string {
	if ck, err := r.Cookie("lang"); err == nil {
		for _, l := range Languages {
			if ck.Value == l {
				return l
			}
		}
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, _ := language.ParseAcceptLanguage(al)
		if len(tags) > 0 {
			_, i, conf := langMatcher.Match(tags...)
			if conf != language.No {
				return Languages[i]
			}
		}
	}
	return Languages[0]
}

// T returns the message for key, with "{name}" placeholders replaced by the
// args given as name, value pairs.
func (t *Translator) T(key string, args ...any) string {
	msg, ok := t.m[key]
	if !ok {
		return Missing + key + "⟧"
	}
	for i := 0; i+1 < len(args); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return msg
}

// Has reports whether key has a message.
func (t *Translator) Has(key string) bool { _, ok := t.m[key]; return ok }

// ErrorMessage returns an error's message in this language: its catalogue
// message if it has a key, else its English message.
func (t *Translator) ErrorMessage(e *csreview.Error) string {
	if e == nil {
		return t.T("err.internal")
	}
	if e.Key != "" && t.Has(e.Key) {
		args := make([]any, len(e.Params))
		for i, p := range e.Params {
			args[i] = p
		}
		return t.T(e.Key, args...)
	}
	return e.Message
}

// FieldMessage explains a field error in this language.
func (t *Translator) FieldMessage(f csreview.FieldError) string {
	// A parameter that is a code of the rule's own vocabulary (unmet.report)
	// is said as the reader reads it.
	param := f.Param
	if t.Has(f.Rule + "." + param) {
		param = t.T(f.Rule + "." + param)
	}
	return t.T("rule."+f.Rule, "param", param)
}

// Years lists years in this language: "2027", "2027、2028" or "2027, 2028".
func (t *Translator) Years(years []int) string {
	out := make([]string, len(years))
	for i, y := range years {
		out[i] = strconv.Itoa(y)
	}
	return strings.Join(out, t.T("list.sep"))
}

// Provisional says why a clock's due date is provisional, naming the years
// without a holiday notice and what was counted in them; "" when it is not
// provisional.
func (t *Translator) Provisional(s review.ClockStatus) string {
	if !s.Provisional {
		return ""
	}
	return t.T("clock.provisional."+string(s.ProvisionalReason), "years", t.Years(s.ProvisionalYears), "basis", regime.HolidaysCite(t.Lang))
}
