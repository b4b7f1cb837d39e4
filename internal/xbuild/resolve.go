package xbuild

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/release"
)

// ResolvePackages lists the main packages named by patterns, in the host
// configuration, with one go list call. A pattern that names a non-main
// package is an error; a wildcard pattern keeps only the main packages.
func ResolvePackages(ctx context.Context, tc *Toolchain, dir string, patterns []string) ([]MainPackage, error) {
	args := append([]string{"list", "-e", "-json=ImportPath,Name,Dir,Match,Error"}, patterns...)
	out, err := tc.Run(ctx, gocmd.Invocation{Args: args, Dir: dir})
	if err != nil {
		return nil, fmt.Errorf("listing packages %s: %s", strings.Join(patterns, " "), gocmd.Output(err))
	}
	var pkgs []MainPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Name, Dir string
			Match                 []string
			Error                 *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %w", err)
		}
		wild := len(p.Match) > 0 && strings.Contains(p.Match[0], "...")
		switch {
		case p.Error != nil && p.Name == "":
			return nil, fmt.Errorf("package %s: %s", p.ImportPath, p.Error.Err)
		case p.Name != "main" && wild:
			continue
		case p.Name != "main":
			return nil, fmt.Errorf("%s is not a main package (it is package %s): goforge build builds programs", p.ImportPath, p.Name)
		}
		pattern := p.ImportPath
		if len(p.Match) > 0 && !wild {
			pattern = p.Match[0]
		}
		pkgs = append(pkgs, MainPackage{Pattern: pattern, ImportPath: p.ImportPath, Dir: p.Dir})
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no main packages match %s", strings.Join(patterns, " "))
	}
	return pkgs, nil
}

// FindCC returns a function for Plan that finds a C compiler for a target:
// the named one on PATH, else $CC_FOR_goos_goarch, else $CC (or cc) for
// the host target only; "" when there is none.
func FindCC(getenv func(string) string, host Target) func(Target, string) string {
	return func(t Target, name string) string {
		look := func(c string) string {
			fields := strings.Fields(c)
			if len(fields) == 0 {
				return ""
			}
			if _, err := exec.LookPath(fields[0]); err != nil {
				return ""
			}
			return c
		}
		if name == "musl-gcc" && (t.GOOS != host.GOOS || t.GOARCH != host.GOARCH) {
			return "" // Debian's musl-gcc wraps the host's gcc: host only
		}
		if name != "" {
			return look(name)
		}
		if c := getenv("CC_FOR_" + t.GOOS + "_" + t.GOARCH); c != "" {
			return look(c)
		}
		if t.GOOS == host.GOOS && t.GOARCH == host.GOARCH {
			if c := getenv("CC"); c != "" {
				return look(c)
			}
			for _, c := range []string{"gcc", "clang", "cc"} {
				if look(c) != "" {
					return c
				}
			}
		}
		if c, ok := CrossCCFor(t); ok {
			return look(c.Compiler())
		}
		return ""
	}
}

// ExtraFiles finds the files every archive carries besides the program:
// the configured ones, else README*, LICENSE*, COPYING* and NOTICE* from
// the first of dirs (package directory, then module root) that has any.
func ExtraFiles(configured []string, base string, dirs []string) ([]release.Entry, error) {
	var out []release.Entry
	if configured != nil {
		for _, c := range configured {
			p := c
			if !filepath.IsAbs(p) {
				p = filepath.Join(base, c)
			}
			if _, err := os.Stat(p); err != nil {
				return nil, fmt.Errorf("extra file %q: %w", c, err)
			}
			out = append(out, release.Entry{Name: filepath.Base(p), Source: p})
		}
		return out, nil
	}
	for _, d := range dirs {
		for _, pat := range []string{"README*", "LICENSE*", "COPYING*", "NOTICE*"} {
			ms, _ := filepath.Glob(filepath.Join(d, pat))
			for _, m := range ms {
				if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
					out = append(out, release.Entry{Name: filepath.Base(m), Source: m})
				}
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, nil
}
