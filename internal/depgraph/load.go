package depgraph

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/goforge/goforge/internal/constraint"
)

// Where a package lives decides how its imports resolve.
type tree int

const (
	treeStd    tree = iota // GOROOT/src, vendored packages as vendor/...
	treeCmd                // GOROOT/src/cmd, vendored packages as cmd/vendor/...
	treeModule             // the main module, its dependencies, vendor/
)

// A Package is one node of the graph as loaded.
type Package struct {
	ImportPath string
	Dir        string
	Name       string
	// Module is the module path, "std" for the standard library and
	// "cmd" for the toolchain's commands.
	Module   string
	Standard bool
	// Missing is set for an import that resolves to no directory.
	Missing bool
	// Error says why the package cannot be built ("" when it can).
	Error string
	// Depth is the breadth-first distance from the nearest root.
	Depth int
	// Root is set for packages the patterns named.
	Root bool
	// Files are the compiled files (GoFiles + CgoFiles, plus tests when
	// tests are folded in).
	Files []string
	// Imports maps each resolved import path to the number of Files
	// importing it; "C" is not an import here (see Cgo).
	Imports map[string]int
	// Cgo reports whether a compiled file imports "C".
	Cgo bool
	// SyntaxErrors are "file:line:col: message" for header parse errors.
	SyntaxErrors []string

	tree tree
	// implicit are the dependencies the go command adds without an
	// import (see implicitImports): nodes, but no edges.
	implicit []string
}

// A Loader resolves patterns and loads packages and their dependencies.
type Loader struct {
	Env    Env
	Config *constraint.Config
	// Tests folds the test files of the root packages into the graph.
	Tests bool
	// Workers bounds parallel directory scans (default GOMAXPROCS).
	Workers int
	// Dir is the directory relative patterns are taken from.
	Dir string
	// Warn receives diagnostics (patterns matching nothing, syntax errors).
	Warn func(msg string)

	mods      []modRoot
	vendorDir string
	scanMu    sync.Mutex
	scans     map[string]*scanResult
	dirs      sync.Map // path → bool: whether it is a directory
}

// isDir is a cached os.Stat: every import is resolved by looking for
// directories, and the same few hundred come up thousands of times.
func (l *Loader) isDir(p string) bool {
	if v, ok := l.dirs.Load(p); ok {
		return v.(bool)
	}
	ok := isDir(p)
	l.dirs.Store(p, ok)
	return ok
}

type scanResult struct {
	once  sync.Once
	files []*constraint.File
	err   error
}

// scan returns the parsed headers of dir's .go files, once per dir;
// without tests, _test.go files are not read.
func (l *Loader) scan(dir string, tests bool) ([]*constraint.File, error) {
	key := dir
	if !tests {
		key += "\x00notests"
	}
	l.scanMu.Lock()
	if l.scans == nil {
		l.scans = make(map[string]*scanResult)
	}
	r, ok := l.scans[key]
	if !ok {
		r = &scanResult{}
		l.scans[key] = r
	}
	l.scanMu.Unlock()
	r.once.Do(func() {
		if tests {
			r.files, r.err = constraint.ScanDir(dir)
		} else {
			r.files, r.err = constraint.ScanDirNoTests(dir)
		}
	})
	return r.files, r.err
}

func (l *Loader) warnf(format string, args ...any) {
	if l.Warn != nil {
		l.Warn(fmt.Sprintf(format, args...))
	}
}

func (l *Loader) workers() int {
	if l.Workers > 0 {
		return l.Workers
	}
	return max(2, runtime.GOMAXPROCS(0))
}

// A ref is a package to load: its import path, directory and tree.
type ref struct {
	path string
	dir  string
	tree tree
	mod  string
}

// Load resolves patterns, loads the packages they match and everything
// they import, and returns the graph. Unresolvable imports become Missing
// nodes; only a pattern list matching nothing at all is an error.
func (l *Loader) Load(patterns []string) (*Graph, error) {
	mods, vendorDir, err := l.Env.modules()
	if err != nil {
		return nil, err
	}
	l.mods, l.vendorDir = mods, vendorDir
	roots, err := l.match(patterns)
	if err != nil {
		return nil, err
	}
	pkgs := l.loadAll(roots)
	return newGraph(pkgs), nil
}

// Packages resolves patterns to directories and parses their files'
// headers, without loading dependencies or choosing files: the input of
// constraint.Evaluate. With a nil Config, a directory with any .go file
// is a candidate (each configuration then decides whether it is a
// package).
func (l *Loader) Packages(patterns []string) ([]*constraint.Package, error) {
	mods, vendorDir, err := l.Env.modules()
	if err != nil {
		return nil, err
	}
	l.mods, l.vendorDir = mods, vendorDir
	roots, err := l.match(patterns)
	if err != nil {
		return nil, err
	}
	var pkgs []*constraint.Package
	for _, r := range roots {
		if r.dir == "" {
			l.warnf("cannot find package %q", r.path)
			continue
		}
		files, err := l.scan(r.dir, true)
		if err != nil && len(files) == 0 {
			l.warnf("%s: %v", r.path, err)
			continue
		}
		for _, f := range files {
			for _, s := range f.SyntaxErrors {
				l.warnf("%s", s)
			}
		}
		pkgs = append(pkgs, &constraint.Package{ImportPath: r.path, Dir: r.dir, Files: files})
	}
	if len(pkgs) == 0 {
		return nil, errors.New("no packages: the patterns matched nothing")
	}
	return pkgs, nil
}

// loadAll loads roots and then their imports, one breadth-first level at
// a time, each level in parallel, so that Depth is the true BFS depth.
func (l *Loader) loadAll(roots []ref) []*Package {
	seen := make(map[string]*Package)
	var all []*Package
	level := roots
	for depth := 0; len(level) > 0; depth++ {
		pkgs := l.loadLevel(level, depth == 0)
		for _, p := range pkgs {
			p.Depth = depth
			seen[p.ImportPath] = p
			all = append(all, p)
		}
		var next []ref
		queued := make(map[string]bool)
		for i, p := range pkgs {
			for _, r := range l.importRefs(p, level[i]) {
				if seen[r.path] == nil && !queued[r.path] {
					queued[r.path] = true
					next = append(next, r)
				}
			}
		}
		level = next
	}
	setDepths(all)
	return all
}

// setDepths makes each package's Depth its breadth-first distance from
// the roots over the import edges. A package reached only through an
// implicit dependency (the linker's runtime of a main package importing
// nothing that leads there) gets its distance over the edges and the
// implicit links together, as it has no edge path.
func setDepths(all []*Package) {
	var roots []string
	edges := make(map[string][]string, len(all))
	withImplicit := make(map[string][]string, len(all))
	for _, p := range all {
		if p.Root {
			roots = append(roots, p.ImportPath)
		}
		to := sortedKeys(p.Imports)
		edges[p.ImportPath] = to
		withImplicit[p.ImportPath] = append(slices.Clone(to), p.implicit...)
	}
	byEdge, loose := bfs(roots, edges), bfs(roots, withImplicit)
	for _, p := range all {
		if d, ok := byEdge[p.ImportPath]; ok {
			p.Depth = d
		} else if d, ok := loose[p.ImportPath]; ok {
			p.Depth = d
		}
	}
}

// loadLevel loads refs in parallel, keeping their order.
func (l *Loader) loadLevel(refs []ref, root bool) []*Package {
	out := make([]*Package, len(refs))
	sem := make(chan struct{}, l.workers())
	var wg sync.WaitGroup
	for i, r := range refs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = l.loadPackage(r, root)
		}()
	}
	wg.Wait()
	return out
}

// importRefs resolves p's imports and records them, with their weights,
// in p.Imports under their resolved import paths.
func (l *Loader) importRefs(p *Package, from ref) []ref {
	counts := p.Imports
	p.Imports = make(map[string]int, len(counts))
	var refs []ref
	for _, imp := range sortedKeys(counts) {
		r := l.resolve(from, imp)
		p.Imports[r.path] += counts[imp]
		refs = append(refs, r)
	}
	for _, imp := range l.implicitImports(p) {
		r := l.stdRef(imp)
		p.implicit = append(p.implicit, r.path)
		refs = append(refs, r)
	}
	return refs
}

// implicitImports are the packages the go command adds to a package's
// dependencies without an import in its files: cgo's runtime support and
// the linker's runtime for commands. They become nodes, not edges, as in
// 'go list -deps', whose Imports lists only what the files import.
func (l *Loader) implicitImports(p *Package) []string {
	var deps []string
	if p.Cgo {
		deps = append(deps, "unsafe")
		if !p.Standard || p.ImportPath != "runtime/cgo" {
			deps = append(deps, "runtime/cgo")
		}
		switch {
		case p.Standard && (p.ImportPath == "runtime/cgo" || p.ImportPath == "runtime/race" ||
			p.ImportPath == "runtime/msan" || p.ImportPath == "runtime/asan"):
		default:
			deps = append(deps, "syscall")
		}
	}
	if p.Name == "main" {
		deps = append(deps, "runtime")
		if l.Config.GOARCH == "arm" {
			deps = append(deps, "math")
		}
	}
	return deps
}

// loadPackage scans a directory and selects the files the configuration
// compiles. p.Imports holds raw (unresolved) paths until importRefs.
func (l *Loader) loadPackage(r ref, root bool) *Package {
	p := &Package{ImportPath: r.path, Dir: r.dir, Module: r.mod, Root: root,
		Standard: r.tree == treeStd, tree: r.tree, Imports: map[string]int{}}
	if r.dir == "" {
		p.Missing = true
		p.Error = fmt.Sprintf("cannot find package %q", r.path)
		return p
	}
	files, err := l.scan(r.dir, root && l.Tests)
	if err != nil && len(files) == 0 {
		p.Missing = os.IsNotExist(errors.Unwrap(err)) || errors.Is(err, os.ErrNotExist)
		p.Error = err.Error()
		return p
	}
	incl, _ := l.Config.Select(files, root && l.Tests)
	if len(incl) == 0 {
		p.Error = "build constraints exclude all Go files in " + r.dir
		if len(files) == 0 {
			if all, _ := l.scan(r.dir, true); len(all) > 0 {
				p.Error = "no non-test Go files in " + r.dir
			} else {
				p.Missing = true
				p.Error = "no Go files in " + r.dir
			}
		}
	}
	for _, f := range incl {
		p.Files = append(p.Files, f.Name)
		if p.Name == "" && !strings.HasSuffix(f.Package, "_test") {
			p.Name = f.Package
		}
		for _, s := range f.SyntaxErrors {
			p.SyntaxErrors = append(p.SyntaxErrors, s)
			l.warnf("%s", s)
		}
		if f.Cgo {
			p.Cgo = true
		}
		seen := map[string]bool{}
		for _, imp := range f.Imports {
			if imp.Path == "C" || seen[imp.Path] {
				continue
			}
			seen[imp.Path] = true
			p.Imports[imp.Path]++
		}
	}
	if incl == nil && p.Missing {
		return p
	}
	// A test package "p_test" importing p is not an edge p→p.
	delete(p.Imports, p.ImportPath)
	return p
}

// resolve maps an import in package from to the package it names.
func (l *Loader) resolve(from ref, imp string) ref {
	src := filepath.Join(l.Env.GOROOT, "src")
	switch from.tree {
	case treeStd:
		if !isStd(imp) {
			v := "vendor/" + imp
			if l.isDir(filepath.Join(src, filepath.FromSlash(v))) {
				return ref{path: v, dir: filepath.Join(src, filepath.FromSlash(v)), tree: treeStd, mod: "std"}
			}
			return ref{path: imp, tree: treeStd}
		}
		return l.stdRef(imp)
	case treeCmd:
		d := filepath.Join(src, "cmd", "vendor", filepath.FromSlash(imp))
		if !isStd(imp) && l.isDir(d) {
			return ref{path: "cmd/vendor/" + imp, dir: d, tree: treeCmd, mod: vendorModule(imp)}
		}
		if !isStd(imp) {
			return ref{path: imp, tree: treeCmd}
		}
		return l.stdRef(imp)
	}
	if isStd(imp) {
		return l.stdRef(imp)
	}
	return l.moduleRef(imp)
}

// stdRef is the GOROOT package imp (a cmd/... path lands in the cmd tree).
func (l *Loader) stdRef(imp string) ref {
	dir := filepath.Join(l.Env.GOROOT, "src", filepath.FromSlash(imp))
	r := ref{path: imp, tree: treeStd, mod: "std"}
	if inTree(imp, "cmd") {
		r.tree, r.mod = treeCmd, "cmd"
	}
	if l.isDir(dir) {
		r.dir = dir
	}
	return r
}

// moduleRef finds imp in vendor/ or in the module that provides it (the
// longest module path that is a prefix of imp and has the directory).
func (l *Loader) moduleRef(imp string) ref {
	if l.vendorDir != "" && !inTree(imp, l.mods[0].Path) {
		d := filepath.Join(l.vendorDir, filepath.FromSlash(imp))
		if l.isDir(d) {
			return ref{path: imp, dir: d, tree: treeModule, mod: vendorModule(imp)}
		}
		return ref{path: imp, tree: treeModule}
	}
	best := -1
	for i, m := range l.mods {
		if inTree(imp, m.Path) && (best < 0 || len(m.Path) > len(l.mods[best].Path)) {
			d := filepath.Join(m.Dir, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(imp, m.Path), "/")))
			if l.isDir(d) {
				best = i
			}
		}
	}
	if best < 0 {
		return ref{path: imp, tree: treeModule}
	}
	m := l.mods[best]
	d := filepath.Join(m.Dir, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(imp, m.Path), "/")))
	return ref{path: imp, dir: d, tree: treeModule, mod: m.Path}
}

// vendorModule guesses a vendored package's module for grouping: the
// first three path elements (golang.org/x/net), as most hosts use.
func vendorModule(imp string) string {
	parts := strings.SplitN(imp, "/", 4)
	if len(parts) > 3 {
		parts = parts[:3]
	}
	return strings.Join(parts, "/")
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
