package xbuild

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/release"
)

// The package cache: which main packages the patterns name is what
// 'go list' says, a go command on every run, also on a no-op rebuild. The
// answer is kept in goforge's cache directory, keyed on the toolchain and
// its settings, the working directory, the patterns and the go.mod and
// go.work files that map import paths to directories; it is used only
// while each package directory holds the same source files with the same
// sizes and modification times (an edit can change a package clause).
// Patterns that walk directories ("./...", "all") are always asked.

type pkgEntry struct {
	Packages []MainPackage     `json:"packages"`
	Dirs     map[string]string `json:"dirs"` // package directory -> statListing
}

// cacheablePatterns reports whether patterns name packages without
// walking directories, so a new directory cannot add one.
func cacheablePatterns(patterns []string) bool {
	for _, p := range patterns {
		if strings.Contains(p, "...") || p == "all" || p == "std" || p == "cmd" || p == "tool" || p == "work" {
			return false
		}
	}
	return len(patterns) > 0
}

// resolvePackagesCached is ResolvePackages through the package cache in
// cacheDir ("" or patterns that walk: no cache).
func resolvePackagesCached(ctx context.Context, tc *Toolchain, dir, cacheDir string, patterns []string) ([]MainPackage, error) {
	if cacheDir == "" || !cacheablePatterns(patterns) {
		return ResolvePackages(ctx, tc, dir, patterns)
	}
	path := filepath.Join(cacheDir, "packages", pkgKey(tc, dir, patterns)+".json")
	if data, err := os.ReadFile(path); err == nil {
		var e pkgEntry
		if json.Unmarshal(data, &e) == nil && e.fresh() {
			return e.Packages, nil
		}
	}
	pkgs, err := ResolvePackages(ctx, tc, dir, patterns)
	if err != nil {
		return nil, err
	}
	e := pkgEntry{Packages: pkgs, Dirs: map[string]string{}}
	for _, p := range pkgs {
		if e.Dirs[p.Dir], err = statListing(p.Dir); err != nil {
			return pkgs, nil
		}
	}
	if data, err := json.Marshal(e); err == nil && os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		release.WriteFileAtomic(path, data, 0o644) // a cache that cannot be written is only slower
	}
	return pkgs, nil
}

func (e *pkgEntry) fresh() bool {
	if len(e.Packages) == 0 || len(e.Dirs) != len(e.Packages) {
		return false
	}
	for _, p := range e.Packages {
		if h, err := statListing(p.Dir); err != nil || h != e.Dirs[p.Dir] {
			return false
		}
	}
	return true
}

// pkgKey hashes what decides how patterns resolve in dir.
func pkgKey(tc *Toolchain, dir string, patterns []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "goforge packages v1\n%s\n%s\n%q\n", tc.Go, dir, patterns)
	for _, k := range []string{"GOROOT", "GOVERSION", "GOFLAGS", "GOEXPERIMENT", "GOMOD", "GOWORK", "GOMODCACHE"} {
		fmt.Fprintf(h, "%s=%s\n", k, tc.Env[k])
	}
	for _, f := range moduleFiles(tc) {
		sum, err := hashInput(f)
		if err != nil {
			sum = "unreadable"
		}
		fmt.Fprintf(h, "%s %s\n", f, sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}
