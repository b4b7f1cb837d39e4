// Package depgraph builds the package import graph of Go code straight
// from the sources: patterns are resolved against the main module, GOROOT
// (with std's and cmd's vendored golang.org/x packages), the module cache
// and vendor directories, and each file's header is parsed once. Edges
// carry weights (how many of the importer's files import the target).
// The package has graph algorithms (depth, focus, reverse, why, cycles,
// grouping) and renderers (Mermaid, DOT, JSON, text, HTML).
package depgraph

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// Env is the go command's environment that resolution needs; the caller
// fills it from 'go env' once.
type Env struct {
	GOROOT     string
	GOMODCACHE string
	// GOMOD is the main module's go.mod ("" or os.DevNull outside a module).
	GOMOD string
	// GOFLAGS may hold -mod=mod or -mod=vendor.
	GOFLAGS string
}

// A modRoot is one module that can provide packages.
type modRoot struct {
	Path string
	Dir  string
	Main bool
}

// modules reads the main module's go.mod: its path, whether packages come
// from vendor/, and every required module (after replacements) with its
// directory in the module cache.
func (e *Env) modules() (mods []modRoot, vendorDir string, err error) {
	if e.GOMOD == "" || e.GOMOD == os.DevNull {
		return nil, "", nil
	}
	data, err := os.ReadFile(e.GOMOD)
	if err != nil {
		return nil, "", fmt.Errorf("reading go.mod: %w", err)
	}
	f, err := modfile.Parse(e.GOMOD, data, nil)
	if err != nil {
		return nil, "", fmt.Errorf("parsing go.mod: %w", err)
	}
	if f.Module == nil {
		return nil, "", fmt.Errorf("%s has no module line", e.GOMOD)
	}
	root := filepath.Dir(e.GOMOD)
	mods = append(mods, modRoot{Path: f.Module.Mod.Path, Dir: root, Main: true})
	if e.useVendor(f, root) {
		return mods, filepath.Join(root, "vendor"), nil
	}
	repl := make(map[string]module.Version)
	for _, r := range f.Replace {
		repl[r.Old.Path] = r.New
		if r.Old.Version != "" {
			repl[r.Old.Path+"@"+r.Old.Version] = r.New
		}
	}
	for _, r := range f.Require {
		m := r.Mod
		if nv, ok := repl[m.Path+"@"+m.Version]; ok {
			m = nv
		} else if nv, ok := repl[m.Path]; ok {
			m = nv
		}
		dir, err := e.moduleDir(root, m)
		if err != nil {
			continue
		}
		mods = append(mods, modRoot{Path: r.Mod.Path, Dir: dir})
	}
	return mods, "", nil
}

// useVendor follows the go command: -mod=vendor, or a vendor/modules.txt
// with go ≥ 1.14 in go.mod and no -mod=mod.
func (e *Env) useVendor(f *modfile.File, root string) bool {
	if strings.Contains(e.GOFLAGS, "-mod=vendor") {
		return true
	}
	if strings.Contains(e.GOFLAGS, "-mod=mod") || strings.Contains(e.GOFLAGS, "-mod=readonly") {
		return false
	}
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err != nil {
		return false
	}
	return f.Go != nil && semver.Compare("v"+f.Go.Version, "v1.14") >= 0
}

// moduleDir is where module m's files are: a local replacement
// directory or the module cache.
func (e *Env) moduleDir(root string, m module.Version) (string, error) {
	if m.Version == "" {
		if filepath.IsAbs(m.Path) {
			return m.Path, nil
		}
		return filepath.Join(root, m.Path), nil
	}
	ep, err := module.EscapePath(m.Path)
	if err != nil {
		return "", err
	}
	ev, err := module.EscapeVersion(m.Version)
	if err != nil {
		return "", err
	}
	return filepath.Join(e.GOMODCACHE, filepath.FromSlash(ep)+"@"+ev), nil
}

// isStd reports whether p looks like a standard-library path: its first
// element has no dot.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// inTree reports whether p is prefix or below it.
func inTree(p, prefix string) bool {
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}

// pathJoin joins import path elements.
func pathJoin(a, b string) string {
	if b == "" {
		return a
	}
	return path.Join(a, b)
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
