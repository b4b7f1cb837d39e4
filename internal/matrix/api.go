package matrix

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/version"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// APIIndex maps standard library symbols ("slices.Concat") and packages
// ("slices") to the Go version that introduced them ("go1.22"), as
// recorded in a toolchain's $GOROOT/api/go1.*.txt files.
type APIIndex map[string]string

var apiFile = regexp.MustCompile(`^go1(?:\.(\d+))?\.txt$`)

// apiFileLang is the language version an API file's name describes
// ("go1.23" for go1.23.txt, "go1" for go1.txt).
func apiFileLang(name string) (string, bool) {
	m := apiFile.FindStringSubmatch(name)
	if m == nil {
		return "", false
	}
	if m[1] == "" {
		return "go1", true
	}
	return "go1." + m[1], true
}

// LoadAPI reads goroot's api/go1*.txt files.
func LoadAPI(goroot string) (APIIndex, error) {
	dir := filepath.Join(goroot, "api")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the API files of %s: %w", goroot, err)
	}
	idx := APIIndex{}
	for _, e := range ents {
		lang, ok := apiFileLang(e.Name())
		if !ok {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading the API files of %s: %w", goroot, err)
		}
		idx.add(f, lang)
		f.Close()
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("%s has no API files", dir)
	}
	return idx, nil
}

// add records the symbols of one api file, keeping the oldest version seen.
func (idx APIIndex) add(r io.Reader, lang string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		pkg, sym, ok := parseAPILine(sc.Text())
		if !ok {
			continue
		}
		idx.note(pkg, lang)
		if sym != "" {
			idx.note(pkg+"."+sym, lang)
		}
	}
}

func (idx APIIndex) note(key, lang string) {
	if old, ok := idx[key]; !ok || version.Compare(lang, old) < 0 {
		idx[key] = lang
	}
}

// parseAPILine parses "pkg slices, func Concat[...](...) $0" into
// ("slices", "Concat"). Methods and struct fields give only the package.
func parseAPILine(line string) (pkg, sym string, ok bool) {
	rest, ok := strings.CutPrefix(line, "pkg ")
	if !ok {
		return "", "", false
	}
	pkg, decl, ok := strings.Cut(rest, ", ")
	if !ok {
		return "", "", false
	}
	pkg, _, _ = strings.Cut(pkg, " (") // "syscall (linux-386)"
	kind, decl, _ := strings.Cut(decl, " ")
	switch kind {
	case "func", "type", "const", "var":
	default:
		return pkg, "", true
	}
	end := strings.IndexAny(decl, " ([,")
	if end < 0 {
		end = len(decl)
	}
	if kind == "type" && strings.Contains(decl[end:], ", ") {
		// "type T struct, Field int": a field, not the type.
		return pkg, "", true
	}
	return pkg, decl[:end], true
}

// An APIUse is a standard library symbol the module uses.
type APIUse struct {
	Symbol string `json:"symbol"` // slices.Concat, or a package path
	Since  string `json:"since"`  // go1.22
	Pos    string `json:"pos"`    // file:line of the first use
}

// UsedAPIs lists the standard library symbols and packages the Go files of
// the module at dir use that idx dates, one entry per symbol, newest first.
// Files under testdata, vendor, hidden directories and nested modules are
// not the module's code and are skipped.
func UsedAPIs(dir string, idx APIIndex) ([]APIUse, error) {
	seen := map[string]APIUse{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return skipDir(dir, path, d.Name())
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil // the build reports syntax errors better
		}
		rel, _ := filepath.Rel(dir, path)
		for _, u := range fileAPIs(fset, f, idx) {
			u.Pos = filepath.ToSlash(rel) + ":" + u.Pos
			if _, ok := seen[u.Symbol]; !ok {
				seen[u.Symbol] = u
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the module's sources: %w", err)
	}
	out := make([]APIUse, 0, len(seen))
	for _, u := range seen {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := version.Compare(out[i].Since, out[j].Since); c != 0 {
			return c > 0
		}
		// A symbol says more than its package: slices.Concat, not slices.
		si, sj := strings.Contains(out[i].Symbol, "."), strings.Contains(out[j].Symbol, ".")
		if si != sj {
			return si
		}
		return out[i].Symbol < out[j].Symbol
	})
	return out, nil
}

func skipDir(root, path, name string) error {
	if path == root {
		return nil
	}
	if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return filepath.SkipDir
	}
	if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
		return filepath.SkipDir
	}
	return nil
}

// fileAPIs returns the dated standard library uses of one file.
func fileAPIs(fset *token.FileSet, f *ast.File, idx APIIndex) []APIUse {
	names := map[string]string{} // local name -> import path
	var out []APIUse
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil || strings.Contains(strings.Split(path, "/")[0], ".") {
			continue
		}
		if since, ok := idx[path]; ok {
			out = append(out, APIUse{Symbol: path, Since: since, Pos: line(fset, imp.Pos())})
		}
		names[localName(imp, path)] = path
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		if path, ok := names[x.Name]; ok {
			if since, ok := idx[path+"."+sel.Sel.Name]; ok {
				out = append(out, APIUse{Symbol: path + "." + sel.Sel.Name, Since: since, Pos: line(fset, sel.Pos())})
			}
		}
		return true
	})
	return out
}

func localName(imp *ast.ImportSpec, path string) string {
	if imp.Name != nil {
		return imp.Name.Name
	}
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && majorElem.MatchString(last) {
		last = elems[len(elems)-2]
	}
	return last
}

func line(fset *token.FileSet, p token.Pos) string {
	return strconv.Itoa(fset.Position(p).Line)
}

// majorElem matches a major version path element: math/rand/v2.
var majorElem = regexp.MustCompile(`^v[0-9]+$`)
