package depgraph

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/goforge/goforge/internal/constraint"
)

// match resolves the go command's package patterns: "std", "cmd",
// "./...", "dir", "import/path", "import/path/...". A pattern that
// matches nothing is reported through Warn and skipped.
func (l *Loader) match(patterns []string) ([]ref, error) {
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	var roots []ref
	var empty []string
	seen := make(map[string]bool)
	for _, pat := range patterns {
		refs, err := l.matchOne(pat)
		if err != nil {
			return nil, err
		}
		if len(refs) == 0 {
			empty = append(empty, fmt.Sprintf("%q", pat))
		}
		for _, r := range refs {
			if !seen[r.path] {
				seen[r.path] = true
				roots = append(roots, r)
			}
		}
	}
	if len(roots) == 0 {
		// One error, not a warning per pattern followed by it.
		return nil, fmt.Errorf("no packages to graph: %s matched no packages", strings.Join(empty, ", "))
	}
	for _, pat := range empty {
		l.warnf("warning: %s matched no packages", pat)
	}
	return roots, nil
}

func (l *Loader) matchOne(pat string) ([]ref, error) {
	src := filepath.Join(l.Env.GOROOT, "src")
	switch {
	case pat == "std":
		return l.walk(src, "", treeStd, "std", true)
	case pat == "cmd":
		return l.walk(filepath.Join(src, "cmd"), "cmd", treeCmd, "cmd", false)
	case pat == "all":
		return nil, fmt.Errorf("pattern \"all\" is not supported; use ./... (its dependencies are included)")
	case isLocal(pat):
		return l.matchLocal(pat)
	}
	prefix, wild := strings.CutSuffix(pat, "/...")
	if isStd(prefix) {
		dir := filepath.Join(src, filepath.FromSlash(prefix))
		r := l.stdRef(prefix)
		if !wild {
			return []ref{r}, nil
		}
		return l.walk(dir, prefix, r.tree, r.mod, false)
	}
	if wild {
		for _, m := range l.mods {
			if inTree(prefix, m.Path) {
				rel := strings.TrimPrefix(strings.TrimPrefix(prefix, m.Path), "/")
				return l.walk(filepath.Join(m.Dir, filepath.FromSlash(rel)), prefix, treeModule, m.Path, false)
			}
		}
		return nil, nil
	}
	return []ref{l.moduleRef(pat)}, nil
}

func isLocal(pat string) bool {
	return pat == "." || pat == ".." || strings.HasPrefix(pat, "./") ||
		strings.HasPrefix(pat, "../") || filepath.IsAbs(pat)
}

// matchLocal resolves a directory pattern ("./...", "./cmd/x") to import
// paths through the main module.
func (l *Loader) matchLocal(pat string) ([]ref, error) {
	rel, wild := strings.CutSuffix(pat, "/...")
	if pat == "..." {
		rel, wild = ".", true
	}
	dir := rel
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(l.Dir, rel)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolving %q: %w", pat, err)
	}
	if len(l.mods) == 0 {
		if wild {
			return nil, fmt.Errorf("pattern %q: not in a module (no go.mod)", pat)
		}
		return []ref{{path: filepath.ToSlash(pat), dir: dir, tree: treeModule}}, nil
	}
	main := l.mods[0]
	relDir, err := filepath.Rel(main.Dir, dir)
	if err != nil || relDir == ".." || strings.HasPrefix(relDir, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("directory %s is outside the main module (%s)", dir, main.Dir)
	}
	ip := pathJoin(main.Path, filepath.ToSlash(strings.TrimPrefix(relDir, ".")))
	if !wild {
		if !isDir(dir) {
			return nil, fmt.Errorf("directory %s does not exist", dir)
		}
		if files, _ := l.scan(dir, true); len(files) == 0 {
			return nil, nil // no Go files: the pattern matches nothing
		}
		return []ref{{path: ip, dir: dir, tree: treeModule, mod: main.Path}}, nil
	}
	return l.walk(dir, ip, treeModule, main.Path, false)
}

// walk finds the package directories under root (import path prefix
// ipRoot): those holding a .go file that some tag set would build,
// skipping testdata, _ and . directories and nested modules, and vendor
// directories in modules (std and cmd list their vendored packages).
func (l *Loader) walk(root, ipRoot string, t tree, mod string, isStdRoot bool) ([]ref, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return nil
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != root {
			if name == "testdata" || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			if isStdRoot && (p == filepath.Join(root, "cmd") || p == filepath.Join(root, "builtin")) {
				return filepath.SkipDir
			}
			if name == "vendor" && t == treeModule {
				return filepath.SkipDir
			}
			if isFile(filepath.Join(p, "go.mod")) {
				return filepath.SkipDir
			}
		}
		dirs = append(dirs, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walking %s: %w", root, err)
	}
	keep := make([]bool, len(dirs))
	l.parallel(len(dirs), func(i int) { keep[i] = l.isPackageDir(dirs[i], t) })
	var refs []ref
	for i, d := range dirs {
		if !keep[i] {
			continue
		}
		rel, _ := filepath.Rel(root, d)
		rel = filepath.ToSlash(strings.TrimPrefix(rel, "."))
		refs = append(refs, ref{path: pathJoin(ipRoot, rel), dir: d, tree: t, mod: mod})
	}
	slices.SortFunc(refs, func(a, b ref) int { return strings.Compare(a.path, b.path) })
	return refs, nil
}

// parallel calls f(0..n-1) on the loader's worker pool.
func (l *Loader) parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, l.workers())
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}

func isFile(p string) bool {
	return fileExists(p)
}

var vendorCmd = string(filepath.Separator) + filepath.Join("cmd", "vendor") + string(filepath.Separator)

// isMain reports whether the non-test files declare package main.
func isMain(files []*constraint.File) bool {
	for _, f := range files {
		if !f.IsTest() && f.Package != "" && f.Package != "documentation" {
			return f.Package == "main"
		}
	}
	return false
}

// isPackageDir reports whether the go command's pattern walk counts dir
// as a package: with a configuration, some file (test files included)
// must build in it; without one, any .go file will do.
func (l *Loader) isPackageDir(dir string, t tree) bool {
	if l.Config == nil {
		files, _ := l.scan(dir, true)
		return slices.ContainsFunc(files, func(f *constraint.File) bool {
			return f.Name[0] != '_' && f.Name[0] != '.'
		}) && !(t == treeCmd && strings.Contains(dir, vendorCmd) && isMain(files))
	}
	if t == treeStd && !l.Config.Cgo && dir == filepath.Join(l.Env.GOROOT, "src", "runtime", "cgo") {
		return false // the go command's walk skips it with cgo off
	}
	// Test files count too, but are read only when no other file builds.
	files, _ := l.scan(dir, l.Tests)
	ok := l.Config.HasPackage(files)
	if !ok && !l.Tests {
		all, _ := l.scan(dir, true)
		ok = l.Config.HasPackage(all)
	}
	// Like the go command, "cmd" leaves out commands vendored into cmd.
	return ok && !(t == treeCmd && strings.Contains(dir, vendorCmd) && isMain(files))
}
