// Package ciconf writes CI workflow files from a Go project: a GitHub
// Actions workflow or a GitLab CI file with a test matrix over Go versions
// (and, on GitHub, operating systems), module and build caches keyed on
// go.sum, a lint job when the project has a linter configuration, and a
// release job on tags that runs 'goforge build'. Generation is pure: the
// same Project always gives the same bytes, so --check can compare.
package ciconf

import (
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// Project is what a workflow is generated from.
type Project struct {
	Module   string   // module path
	GoLine   string   // go.mod's go line, "1.21"
	Versions []string // Go language versions to test, oldest first: "1.21"
	OSes     []string // GitHub runner labels
	Lint     string   // the linter configuration file, "" for none
	Mains    []string // main packages to release: ".", "./cmd/app"
	// Goforge is the version of goforge the release job installs
	// ("v1.2.3", or "latest" for a development build).
	Goforge string
}

// DefaultOSes are the GitHub runner labels of the OS rows.
var DefaultOSes = []string{"ubuntu-latest", "macos-latest", "windows-latest"}

// lintConfigs are golangci-lint's configuration file names.
var lintConfigs = []string{".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"}

// Inspect reads the module at dir: go.mod, a linter configuration and the
// main packages.
func Inspect(dir string) (Project, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if errors.Is(err, os.ErrNotExist) {
		return Project{}, fmt.Errorf("no go.mod in %s: ci generates workflows for a module", dir)
	}
	if err != nil {
		return Project{}, fmt.Errorf("reading go.mod: %w", err)
	}
	mf, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return Project{}, fmt.Errorf("reading go.mod: %w", err)
	}
	if mf.Module == nil || mf.Go == nil {
		return Project{}, errors.New("reading go.mod: it needs a module and a go line")
	}
	p := Project{Module: mf.Module.Mod.Path, GoLine: mf.Go.Version, OSes: DefaultOSes}
	for _, name := range lintConfigs {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			p.Lint = name
			break
		}
	}
	p.Mains, err = mainPackages(dir)
	return p, err
}

// mainPackages finds the directories of the module holding package main.
func mainPackages(root string) ([]string, error) {
	var mains []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			n := d.Name()
			if path != root && (n == "testdata" || n == "vendor" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); path != root && err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if isMain(path) {
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			pkg := "./" + filepath.ToSlash(rel)
			if rel == "." {
				pkg = "."
			}
			if len(mains) == 0 || mains[len(mains)-1] != pkg {
				mains = append(mains, pkg)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("finding main packages: %w", err)
	}
	return mains, nil
}

// isMain reports whether the Go file at path says "package main".
func isMain(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "package" {
			return f[1] == "main"
		}
	}
	return false
}

// VersionRange returns the Go language versions from the go line's to
// newest ("go1.26.8" or "1.26"), oldest first: ["1.21", ..., "1.26"].
func VersionRange(goLine, newest string) ([]string, error) {
	from, to := lang(goLine), lang(newest)
	if from == "" {
		return nil, fmt.Errorf("go line %q is not a Go version", goLine)
	}
	if to == "" || version.Compare(to, from) < 0 {
		to = from
	}
	a, b := minor(from), minor(to)
	var out []string
	for m := a; m <= b; m++ {
		out = append(out, fmt.Sprintf("1.%d", m))
	}
	return out, nil
}

// ParseVersions checks and normalizes a --go list: "1.22,go1.23" gives
// ["1.22", "1.23"].
func ParseVersions(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, errors.New("empty version list")
	}
	var out []string
	for _, f := range strings.Split(list, ",") {
		l := lang(strings.TrimSpace(f))
		if l == "" {
			return nil, fmt.Errorf("%q is not a Go version", strings.TrimSpace(f))
		}
		out = append(out, strings.TrimPrefix(l, "go"))
	}
	return out, nil
}

// lang returns the language version of v ("1.21.5" -> "go1.21"), or "".
func lang(v string) string {
	v = "go" + strings.TrimPrefix(strings.TrimSpace(v), "go")
	if !version.IsValid(v) {
		return ""
	}
	return version.Lang(v)
}

func minor(lang string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(lang, "go1."))
	return n
}
