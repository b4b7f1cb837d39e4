package goenv

import (
	"debug/buildinfo"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// A GoBinary is one go command found on PATH.
type GoBinary struct {
	Path     string `json:"path"`               // as found on PATH
	Resolved string `json:"resolved,omitempty"` // after following symlinks
	GOROOT   string `json:"goroot,omitempty"`   // the GOROOT it belongs to, if it is in one
	Version  string `json:"version,omitempty"`  // from its build info; empty for scripts and wrappers
	GOOS     string `json:"goos,omitempty"`     // from its object file header
	GOARCH   string `json:"goarch,omitempty"`
	Active   bool   `json:"active"` // the first on PATH: the one a shell runs
}

// exeName is the go command's file name on the running OS.
func exeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// FindOnPath lists every executable named go (go.exe) in the PATH list,
// in PATH order, once per distinct directory.
func FindOnPath(pathList string) []GoBinary {
	var found []GoBinary
	seen := map[string]bool{}
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, exeName("go"))
		if seen[p] || !isExecutable(p) {
			continue
		}
		seen[p] = true
		found = append(found, describe(p))
	}
	if len(found) > 0 {
		found[0].Active = true
	}
	return found
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() {
		return false
	}
	return runtime.GOOS == "windows" || fi.Mode()&0o111 != 0
}

// describe reads what can be learned about a go binary without running it.
func describe(p string) GoBinary {
	b := GoBinary{Path: p, Resolved: p}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		b.Resolved = r
	}
	b.GOROOT = GorootOf(p)
	if bi, err := buildinfo.ReadFile(b.Resolved); err == nil {
		b.Version = bi.GoVersion
	}
	b.GOOS, b.GOARCH, _ = ObjectTarget(b.Resolved)
	return b
}

// GorootOf reports the GOROOT that the go binary at exe derives for itself
// when GOROOT is not set, by cmd/go's rules: exe/../.. or exe/../../..
// holding pkg/tool, first as found and then with symlinks resolved.
// It returns "" when exe is not inside a GOROOT (a wrapper script, say).
func GorootOf(exe string) string {
	try := func(exe string) string {
		for _, up := range []string{"../..", "../../.."} {
			dir := filepath.Join(exe, up)
			if IsGOROOT(dir) {
				return dir
			}
		}
		return ""
	}
	abs, err := filepath.Abs(exe)
	if err != nil {
		return ""
	}
	if dir := try(abs); dir != "" {
		return dir
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return try(r)
	}
	return ""
}

// IsGOROOT reports whether dir looks like a Go root to the go command:
// it has a pkg/tool directory.
func IsGOROOT(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "pkg", "tool"))
	return err == nil && fi.IsDir()
}

// SameDir reports whether a and b name the same directory.
func SameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// InPathList reports whether dir is one of the directories in pathList.
func InPathList(dir, pathList string) bool {
	if dir == "" {
		return false
	}
	for _, p := range filepath.SplitList(pathList) {
		if p != "" && SameDir(strings.TrimRight(p, string(filepath.Separator)), dir) {
			return true
		}
	}
	return false
}
