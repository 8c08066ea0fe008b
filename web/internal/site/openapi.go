package site

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/csreview/csreview"
	"github.com/csreview/csreview/internal/indent"
	"github.com/csreview/csreview/review"
)

// The OpenAPI 3.1 document is generated from the route registry and the Go
// types of the bodies, so it cannot drift from what the server does.

var (
	timeType  = reflect.TypeOf(time.Time{})
	dateType  = reflect.TypeOf(csreview.Date(""))
	rawType   = reflect.TypeOf(json.RawMessage(nil))
	enumTypes = map[reflect.Type][]string{
		reflect.TypeOf(csreview.Category("")):        Strs(csreview.Categories),
		reflect.TypeOf(csreview.Sector("")):          Strs(csreview.Sectors),
		reflect.TypeOf(csreview.Role("")):            Strs(csreview.Roles),
		reflect.TypeOf(review.ProvisionalReason("")): Strs(review.ProvisionalReasons),
	}
	readOnlyFields = map[string]bool{"id": true, "created_at": true, "updated_at": true, "last_login_at": true,
		"last_used_at": true}
)

type schemaGen struct {
	defs map[string]any
}

// schemaName names a type in components/schemas; generic list bodies become
// "<Item>List".
func schemaName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		inner := name[i+1 : len(name)-1]
		inner = inner[strings.LastIndexAny(inner, "./")+1:]
		return inner + "List"
	}
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": "string", "format": "date"}
	case t == rawType:
		return map[string]any{"description": "any JSON value"}
	}
	if enum, ok := enumTypes[t]; ok {
		return map[string]any{"type": "string", "enum": enum}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint32, reflect.Uint8:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		name := schemaName(t)
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = nil // reserve against recursion
			props := map[string]any{}
			g.fields(t, props)
			g.defs[name] = map[string]any{"type": "object", "properties": props}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// fields adds t's JSON fields to props, flattening embedded structs as
// encoding/json does.
func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem() // an embedded *T flattens as T does
			}
			g.fields(et, props)
			continue
		}
		if name == "" {
			name = f.Name
		}
		sc := g.schema(f.Type)
		if readOnlyFields[name] {
			sc = map[string]any{"allOf": []any{sc}, "readOnly": true}
		}
		// A doc tag describes the field.
		if doc := f.Tag.Get("doc"); doc != "" {
			sc["description"] = doc
		}
		props[name] = sc
	}
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3.1 document of the JSON API.
func (s *Server) OpenAPI() map[string]any {
	g := &schemaGen{defs: map[string]any{}}
	problem := g.schema(reflect.TypeOf(Problem{}))
	problemResp := map[string]any{"description": "an error, as RFC 9457 problem details",
		"content": map[string]any{"application/problem+json": map[string]any{"schema": problem}}}
	paths := map[string]any{}
	for _, rt := range s.routes {
		if !rt.API() {
			continue
		}
		op := map[string]any{"operationId": rt.Name, "summary": rt.Summary, "tags": []string{rt.Tag}}
		var params []any
		for _, m := range pathParamRE.FindAllStringSubmatch(rt.Pattern, -1) {
			sc := map[string]any{"type": "integer", "minimum": 1}
			if m[1] != "id" && m[1] != "vid" && m[1] != "jid" && m[1] != "nid" {
				sc = map[string]any{"type": "string"}
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": sc})
		}
		for _, p := range rt.Params {
			sc := map[string]any{"type": p.Type}
			if len(p.Enum) > 0 {
				sc["enum"] = p.Enum
			}
			params = append(params, map[string]any{"name": p.Name, "in": "query", "description": p.Description, "schema": sc})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Request))}}}
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if rt.Response != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Response))}}
		} else if rt.Name == "api.openapi" || rt.Name == "api.cases.analysis.report" {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}
		}
		op["responses"] = map[string]any{strconv.Itoa(status): ok, "default": problemResp}
		if rt.Public {
			op["security"] = []any{}
		}
		path := rt.Pattern
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path].(map[string]any)[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "csreview API",
			"version": s.cfg.Version,
			"description": "The JSON API of csreview, the cybersecurity review of network products and services " +
				"(Cybersecurity Law Art. 35; Art. 37 from 2026-01-01). Authenticate with an API token: Authorization: Bearer csr_…. " +
				"Errors are RFC 9457 problem details. Every object is visible only to the roles that may see it: " +
				"an object you may not see answers 404.",
		},
		"servers":  []any{map[string]any{"url": "/"}},
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
		"paths":    paths,
		"components": map[string]any{
			"schemas": g.defs,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "an API token, csr_…"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie},
			},
		},
	}
}

// ServeOpenAPI answers with the OpenAPI document, built once.
func (s *Server) ServeOpenAPI(w http.ResponseWriter, r *http.Request) error {
	s.openapiOnce.Do(func() { s.openapiJSON, s.openapiErr = indent.Marshal(s.OpenAPI()) })
	if s.openapiErr != nil {
		return s.openapiErr
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(s.openapiJSON)
	return err
}
