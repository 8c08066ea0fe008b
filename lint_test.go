package csreview_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoSwallowedScan: a Scan whose error is dropped turns a failed lookup
// into a zero value that a page or a decision then takes for a fact. Every
// Scan in the project's code has its error looked at.
func TestNoSwallowedScan(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			st, ok := n.(*ast.ExprStmt)
			if !ok {
				return true
			}
			call, ok := st.X.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Scan" {
				t.Errorf("%s: the error of Scan is dropped", fset.Position(call.Pos()))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoRoleDecisionOutsideRoot: who may do what is decided in authz.go and
// nowhere else (DESIGN §2). Outside the root package no code compares a
// user's role — no User.Is, no comparison or switch on a Role, no role
// constant in a comparison — so that a rule cannot drift between the
// layers that would re-derive it.
func TestNoRoleDecisionOutsideRoot(t *testing.T) {
	fset := token.NewFileSet()
	// roleConst: csreview.RoleOffice and the like.
	roleConst := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x, ok := sel.X.(*ast.Ident)
		return ok && x.Name == "csreview" && strings.HasPrefix(sel.Sel.Name, "Role") && len(sel.Sel.Name) > 4
	}
	roleField := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Role"
	}
	// named: a role spelt out, as a constant or a non-empty literal. A
	// filter's role compared with "" or one account's role with its
	// earlier self decides nothing.
	named := func(e ast.Expr) bool {
		if roleConst(e) {
			return true
		}
		lit, ok := e.(*ast.BasicLit)
		return ok && lit.Kind == token.STRING && lit.Value != `""`
	}
	isRole := func(e ast.Expr) bool { return roleConst(e) || roleField(e) }
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || filepath.Dir(path) == "." {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Is" {
					if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "errors" {
						t.Errorf("%s: a role test outside authz.go; add a predicate there", fset.Position(n.Pos()))
					}
				}
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) && (roleConst(n.X) || roleConst(n.Y) ||
					roleField(n.X) && named(n.Y) || roleField(n.Y) && named(n.X)) {
					t.Errorf("%s: a role comparison outside authz.go; add a predicate there", fset.Position(n.Pos()))
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && isRole(n.Tag) {
					t.Errorf("%s: a switch on a role outside authz.go; add a predicate there", fset.Position(n.Pos()))
				}
			case *ast.CaseClause:
				for _, e := range n.List {
					if isRole(e) {
						t.Errorf("%s: a case on a role outside authz.go; add a predicate there", fset.Position(e.Pos()))
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
