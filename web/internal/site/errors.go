package site

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/csreview/csreview"
)

// StatusOf maps error codes to HTTP statuses: the one table of it.
var StatusOf = map[string]int{
	csreview.ECONFLICT:       http.StatusConflict,
	csreview.EINTERNAL:       http.StatusInternalServerError,
	csreview.EINVALID:        http.StatusBadRequest,
	csreview.ENOTFOUND:       http.StatusNotFound,
	csreview.EUNAUTHORIZED:   http.StatusUnauthorized,
	csreview.EFORBIDDEN:      http.StatusForbidden,
	csreview.ETOOLARGE:       http.StatusRequestEntityTooLarge,
	csreview.ETOOMANYREQUEST: http.StatusTooManyRequests,
	csreview.EUNSUPPORTED:    http.StatusUnsupportedMediaType,
	csreview.EUNAVAILABLE:    http.StatusServiceUnavailable,
	csreview.EMETHOD:         http.StatusMethodNotAllowed,
	csreview.EPRECONDITION:   http.StatusPreconditionFailed,
}

// Problem is an RFC 9457 problem details object, with csreview's code and,
// for invalid input, the fields at fault.
type Problem struct {
	Type     string        `json:"type"`
	Title    string        `json:"title"`
	Status   int           `json:"status"`
	Detail   string        `json:"detail,omitempty"`
	Instance string        `json:"instance,omitempty"`
	Code     string        `json:"code"`
	Errors   []fieldDetail `json:"errors,omitempty"`
	Allowed  []string      `json:"allowed,omitempty"`
}

// fieldDetail is one failed field, with its message in the caller's
// language.
type fieldDetail struct {
	csreview.FieldError
	Message string `json:"message"`
}

// ProblemOf builds the problem for err in the request's language. Internal
// errors are logged with their details and shown generically.
func (s *Server) ProblemOf(r *http.Request, err error) Problem {
	code := csreview.ErrorCode(err)
	status := StatusOf[code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	tr := s.I18n.For(r)
	p := Problem{Type: "urn:csreview:problem:" + code, Title: http.StatusText(status), Status: status,
		Code: code, Instance: r.URL.Path}
	if code == csreview.EINTERNAL {
		s.Log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Detail = tr.T("err.internal")
		return p
	}
	e := csreview.AsError(err)
	p.Detail = tr.ErrorMessage(e)
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, fieldDetail{FieldError: f, Message: s.FieldMessage(tr, f)})
	}
	p.Allowed = e.Allowed
	return p
}

// FieldMessage explains a field error in tr's language; an excluded
// channel is explained with its pack's citation and reason.
func (s *Server) FieldMessage(tr *Translator, f csreview.FieldError) string {
	if f.Rule == "channel_excluded" {
		packID, channel, _ := strings.Cut(f.Param, " ")
		if p, ok := s.Rules.Packs[packID]; ok {
			if ex, ok := p.Exclusion(channel); ok {
				return tr.T("rule.channel_excluded", "channel", tr.T("channel."+channel),
					"cite", p.Cite(ex.Article, tr.Lang), "reason", ex.Reason.In(tr.Lang))
			}
		}
	}
	return tr.FieldMessage(f)
}

// writeProblem answers with problem JSON.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := s.ProblemOf(r, err)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// HandlerFunc is an HTTP handler that returns its error, rendered by the
// route's kind as problem JSON or as an HTML error page.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// errNotFoundPage is the error for an unknown route.
var errNotFoundPage = csreview.KeyErrorf(csreview.ENOTFOUND, "err.no_page", "There is no such page.")
