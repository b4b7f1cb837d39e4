package importrules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// runnerDir is the one package allowed to start the go command.
const runnerDir = "internal/gocmd"

// TestOnlyGocmdStartsGo fails when a non-test source file outside
// internal/gocmd starts the go command itself (exec.Command or
// exec.CommandContext, or an exec.Cmd literal, naming "go", a path ending
// in go, or a variable or field that holds the go command: goBin, gobin,
// goPath, goCmd, tc.Go, ...). Such code must use gocmd.Runner, which picks
// the toolchain, sets GOTOOLCHAIN=local and keeps the child's stderr.
// Test-support packages (named *test) build fixtures with a chosen go and
// are left out, as test files are.
func TestOnlyGocmdStartsGo(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var files int
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if rel == runnerDir || d.Name() == "testdata" || strings.HasSuffix(d.Name(), "test") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			files++
			for _, v := range goStarts(t, path, nil) {
				t.Errorf("%s:%s starts the go command itself; use gocmd.Runner", rel, v)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 50 {
		t.Fatalf("checked only %d files; is the tree where the test thinks?", files)
	}
}

// TestGoStartsCatchesViolations proves the check fails on each way of
// starting go it knows, and passes other programs.
func TestGoStartsCatchesViolations(t *testing.T) {
	bad := map[string]string{
		"literal":        `exec.Command("go", "env")`,
		"context":        `exec.CommandContext(ctx, "go", "list")`,
		"path literal":   `exec.Command("/usr/local/go/bin/go", "version")`,
		"joined path":    `exec.Command(filepath.Join(root, "bin", "go"), "version")`,
		"variable":       `exec.CommandContext(ctx, goBin, "env")`,
		"other spelling": `exec.Command(gopath, "build")`,
		"field":          `exec.CommandContext(ctx, tc.Go, "build")`,
		"renamed import": `x.Command("go")`,
		"cmd literal":    `&exec.Cmd{Path: goCmd}`,
	}
	for name, expr := range bad {
		imp := `"os/exec"`
		if strings.HasPrefix(expr, "x.") {
			imp = `x "os/exec"`
		}
		src := "package p\nimport " + imp + "\nfunc f() { _ = " + expr + " }\n"
		if got := goStarts(t, "bad.go", []byte(src)); len(got) != 1 {
			t.Errorf("%s: %s: found %d violations, want 1", name, expr, len(got))
		}
	}
	good := []string{
		`exec.Command("git", "rev-parse")`,
		`exec.CommandContext(ctx, dotBin, "-Tsvg")`,
		`exec.Command(s.Path, s.Args...)`,
		`exec.CommandContext(ctx, argv[0], argv[1:]...)`,
		`exec.Command("gofmt")`,
		`other.Command("go")`,
	}
	for _, expr := range good {
		src := "package p\nimport \"os/exec\"\nfunc f() { _ = " + expr + " }\n"
		if got := goStarts(t, "good.go", []byte(src)); len(got) != 0 {
			t.Errorf("%s: flagged as starting go: %v", expr, got)
		}
	}
}

// goVar matches the names of variables and fields that hold the go command.
var goVar = regexp.MustCompile(`(?i)^go(bin|cmd|path|exe|binary|command)?$`)

// goStarts returns the positions ("line") in a file that start go.
func goStarts(t *testing.T, name string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	var data any
	if src != nil {
		data = src
	}
	f, err := parser.ParseFile(fset, name, data, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parsing %s: %v", name, err)
	}
	execName := ""
	for _, imp := range f.Imports {
		if imp.Path.Value == `"os/exec"` {
			execName = "exec"
			if imp.Name != nil {
				execName = imp.Name.Name
			}
		}
	}
	if execName == "" {
		return nil
	}
	var out []string
	report := func(n ast.Node) { out = append(out, strconv.Itoa(fset.Position(n.Pos()).Line)) }
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || !isIdent(sel.X, execName) {
				return true
			}
			arg := -1
			switch sel.Sel.Name {
			case "Command":
				arg = 0
			case "CommandContext":
				arg = 1
			}
			if arg >= 0 && len(n.Args) > arg && namesGo(n.Args[arg]) {
				report(n)
			}
		case *ast.CompositeLit:
			if sel, ok := n.Type.(*ast.SelectorExpr); ok && isIdent(sel.X, execName) && sel.Sel.Name == "Cmd" {
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Path") && namesGo(kv.Value) {
						report(n)
					}
				}
			}
		}
		return true
	})
	return out
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// namesGo reports whether e evidently names the go command.
func namesGo(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return false
		}
		base := strings.TrimSuffix(s[strings.LastIndexAny(s, `/\`)+1:], ".exe")
		return base == "go"
	case *ast.Ident:
		return goVar.MatchString(e.Name)
	case *ast.SelectorExpr:
		return goVar.MatchString(e.Sel.Name)
	case *ast.CallExpr:
		// filepath.Join(dir, "bin", "go") and the like.
		return len(e.Args) > 0 && namesGo(e.Args[len(e.Args)-1])
	case *ast.ParenExpr:
		return namesGo(e.X)
	}
	return false
}
