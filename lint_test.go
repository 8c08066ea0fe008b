package csreview_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// eachGoFile parses every Go file of the project but the tests (and but the
// root package's when outsideRoot) and calls fn with it.
func eachGoFile(t *testing.T, mode parser.Mode, outsideRoot bool, fn func(fset *token.FileSet, path string, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || outsideRoot && filepath.Dir(path) == "." {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, mode)
		if err != nil {
			return err
		}
		fn(fset, path, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoSwallowedScan: a Scan whose error is dropped turns a failed lookup
// into a zero value that a page or a decision then takes for a fact. Every
// Scan in the project's code has its error looked at.
func TestNoSwallowedScan(t *testing.T) {
	t.Parallel()
	eachGoFile(t, 0, false, func(fset *token.FileSet, _ string, f *ast.File) {
		isScan := func(e ast.Expr) bool {
			call, ok := e.(*ast.CallExpr)
			if !ok {
				return false
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			return ok && sel.Sel.Name == "Scan"
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch st := n.(type) {
			case *ast.ExprStmt: // x.Scan(...) as a statement
				if isScan(st.X) {
					t.Errorf("%s: the error of Scan is dropped", fset.Position(st.Pos()))
				}
			case *ast.DeferStmt: // defer x.Scan(...)
				if isScan(st.Call) {
					t.Errorf("%s: the error of a deferred Scan is dropped", fset.Position(st.Pos()))
				}
			case *ast.GoStmt: // go x.Scan(...)
				if isScan(st.Call) {
					t.Errorf("%s: the error of Scan in a goroutine is dropped", fset.Position(st.Pos()))
				}
			case *ast.AssignStmt: // _ = x.Scan(...)
				if len(st.Rhs) == 1 && isScan(st.Rhs[0]) {
					if id, ok := st.Lhs[len(st.Lhs)-1].(*ast.Ident); ok && id.Name == "_" {
						t.Errorf("%s: the error of Scan is dropped", fset.Position(st.Pos()))
					}
				}
			}
			return true
		})
	})
}

// TestNoRoleDecisionOutsideRoot: who may do what is decided in authz.go and
// nowhere else (DESIGN §2). Outside the root package no code compares a
// user's role — no User.Is, no comparison or switch on a Role, no role
// constant in a comparison — so that a rule cannot drift between the
// layers that would re-derive it.
func TestNoRoleDecisionOutsideRoot(t *testing.T) {
	t.Parallel()
	ordered := map[token.Token]bool{token.LSS: true, token.GTR: true, token.LEQ: true, token.GEQ: true}
	eachGoFile(t, 0, true, func(fset *token.FileSet, path string, f *ast.File) {
		// root is the name this file gives the root package, which may be
		// imported under another.
		root := ""
		for _, imp := range f.Imports {
			if strings.Trim(imp.Path.Value, `"`) == "github.com/csreview/csreview" {
				root = "csreview"
				if imp.Name != nil {
					root = imp.Name.Name
				}
			}
		}
		// source follows a variable to what it was set to, so that a role
		// copied into a variable (r := u.Role; office := csreview.RoleOffice)
		// is still a role.
		var source func(e ast.Expr, depth int) ast.Expr
		source = func(e ast.Expr, depth int) ast.Expr {
			id, ok := e.(*ast.Ident)
			if !ok || id.Obj == nil || depth > 8 {
				return e
			}
			switch d := id.Obj.Decl.(type) {
			case *ast.AssignStmt:
				for i, l := range d.Lhs {
					if l, ok := l.(*ast.Ident); ok && l.Name == id.Name && len(d.Rhs) == len(d.Lhs) {
						return source(d.Rhs[i], depth+1)
					}
				}
			case *ast.ValueSpec:
				for i, n := range d.Names {
					if n.Name == id.Name && i < len(d.Values) {
						return source(d.Values[i], depth+1)
					}
				}
			}
			return e
		}
		// roleConst: csreview.RoleOffice and the like.
		roleConst := func(e ast.Expr) bool {
			sel, ok := source(e, 0).(*ast.SelectorExpr)
			if !ok {
				return false
			}
			x, ok := sel.X.(*ast.Ident)
			return ok && root != "" && x.Name == root && strings.HasPrefix(sel.Sel.Name, "Role") && len(sel.Sel.Name) > 4
		}
		// roleField: x.Role, or a conversion of it (string(x.Role)).
		var roleField func(e ast.Expr) bool
		roleField = func(e ast.Expr) bool {
			switch e := source(e, 0).(type) {
			case *ast.SelectorExpr:
				return e.Sel.Name == "Role"
			case *ast.CallExpr:
				// A conversion only (string(u.Role), csreview.Role(s)): a
				// function of the role, AccountBinding(u.Role), is the root's.
				conv := false
				switch fn := e.Fun.(type) {
				case *ast.Ident:
					conv = fn.Name == "string" || fn.Name == "Role"
				case *ast.SelectorExpr:
					conv = fn.Sel.Name == "Role"
				}
				return conv && len(e.Args) == 1 && roleField(e.Args[0])
			case *ast.ParenExpr:
				return roleField(e.X)
			}
			return false
		}
		// named: a role spelt out, as a constant or a non-empty literal. A
		// filter's role compared with "" or one account's role with its
		// earlier self decides nothing.
		named := func(e ast.Expr) bool {
			if roleConst(e) {
				return true
			}
			lit, ok := source(e, 0).(*ast.BasicLit)
			return ok && lit.Kind == token.STRING && lit.Value != `""`
		}
		isRole := func(e ast.Expr) bool { return roleConst(e) || roleField(e) }
		where := func(n ast.Node, what string) {
			t.Errorf("%s: %s outside authz.go; add a predicate there", fset.Position(n.Pos()), what)
		}
		// Storing under a role (byRole[u.Role] = u) decides nothing.
		stored := map[ast.Node]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if a, ok := n.(*ast.AssignStmt); ok {
				for _, l := range a.Lhs {
					stored[l] = true
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				// User.Is, called or taken as a value.
				if x, ok := n.X.(*ast.Ident); n.Sel.Name == "Is" && (!ok || x.Name != "errors") {
					where(n, "a role test")
				}
				// The rule pack names who acts; only the engine asks it.
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "csreview" && n.Sel.Name == "MayAct" &&
					filepath.ToSlash(filepath.Dir(path)) != "review" {
					where(n, "a check of a pack's actors")
				}
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) && (roleConst(n.X) || roleConst(n.Y) ||
					roleField(n.X) && named(n.Y) || roleField(n.Y) && named(n.X)) || ordered[n.Op] && (isRole(n.X) || isRole(n.Y)) {
					where(n, "a role comparison")
				}
			case *ast.IndexExpr:
				if roleField(n.Index) && !stored[n] {
					where(n, "a lookup by role")
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "slices" {
						for _, a := range n.Args {
							if roleField(a) {
								where(n, "a search for a role")
							}
						}
					}
					// strings.EqualFold(string(u.Role), "office") and the like.
					if x, ok := sel.X.(*ast.Ident); ok && (x.Name == "strings" || x.Name == "bytes") {
						for _, a := range n.Args {
							if isRole(a) {
								where(n, "a role comparison")
							}
						}
					}
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && isRole(n.Tag) {
					where(n, "a switch on a role")
				}
			case *ast.CaseClause:
				for _, e := range n.List {
					if isRole(e) {
						where(e, "a case on a role")
					}
				}
			}
			return true
		})
	})
	// The templates show a role's name; they do not compare roles.
	cmp := regexp.MustCompile(`\{\{[^}]*\b(eq|ne|lt|le|gt|ge)\b[^}]*\.Role\b`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if cmp.MatchString(line) {
				t.Errorf("%s:%d: a template compares a role; give the page what the caller may do", path, i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLayering: the store is wired in by cmd/ (and the bench programs) only.
// The web layer, the analysis runner, the webhook sender and the pure
// packages reach the store through the root package's interfaces, so no
// package outside cmd/ and bench/ imports sqlstore, directly or through
// another of the project's packages.
func TestLayering(t *testing.T) {
	t.Parallel()
	const module = "github.com/csreview/csreview"
	imports := map[string][]string{} // package dir -> project packages it imports
	eachGoFile(t, parser.ImportsOnly, false, func(_ *token.FileSet, path string, f *ast.File) {
		dir := filepath.ToSlash(filepath.Dir(path))
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if p == module {
				imports[dir] = append(imports[dir], ".")
			} else if rest, ok := strings.CutPrefix(p, module+"/"); ok {
				imports[dir] = append(imports[dir], rest)
			}
		}
		if _, ok := imports[dir]; !ok {
			imports[dir] = nil
		}
	})
	// reaches returns the path by which pkg reaches sqlstore, or nil.
	var reaches func(pkg string, seen map[string]bool) []string
	reaches = func(pkg string, seen map[string]bool) []string {
		if pkg == "sqlstore" || strings.HasPrefix(pkg, "sqlstore/") {
			return []string{pkg}
		}
		if seen[pkg] {
			return nil
		}
		seen[pkg] = true
		for _, dep := range imports[pkg] {
			if path := reaches(dep, seen); path != nil {
				return append([]string{pkg}, path...)
			}
		}
		return nil
	}
	for _, must := range []string{"web", "analysis", "webhook"} {
		if _, ok := imports[must]; !ok {
			t.Errorf("package %s not found", must)
		}
	}
	for pkg := range imports {
		if pkg == "sqlstore" || strings.HasPrefix(pkg, "sqlstore/") || strings.HasPrefix(pkg, "cmd/") || pkg == "bench" || strings.HasPrefix(pkg, "bench/") {
			continue
		}
		if path := reaches(pkg, map[string]bool{}); path != nil {
			t.Errorf("%s reaches the store: %s", pkg, strings.Join(path, " -> "))
		}
	}
	// The web surfaces meet only in the route registry (web/internal/site)
	// and in web, which assembles them: none imports another.
	surfaces := []string{"web/api", "web/ui", "web/public"}
	for _, a := range surfaces {
		if _, ok := imports[a]; !ok {
			t.Errorf("package %s not found", a)
		}
		for _, dep := range imports[a] {
			if slices.Contains(surfaces, dep) {
				t.Errorf("%s imports %s: the surfaces share code through web/internal/site only", a, dep)
			}
		}
	}
}
