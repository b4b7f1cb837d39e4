package pin

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// Kinds of pin, in the order they are consulted in each directory
// (GOFORGE_VERSION before any directory, the global default after all).
const (
	KindEnv          = "env"           // GOFORGE_VERSION
	KindGoenv        = "goenv"         // GO_VERSION in .goenv
	KindGoVersion    = "go-version"    // .go-version
	KindToolVersions = "tool-versions" // golang/go entry of .tool-versions
	KindToolchain    = "toolchain"     // toolchain line of go.work/go.mod
	KindGoLine       = "go-line"       // go line of go.work/go.mod (a minimum)
	KindGlobal       = "global"        // no pin: the global 'current' version
)

// PinFiles are the file names consulted in each directory, in order.
var PinFiles = []string{GoenvName, ".go-version", ".tool-versions", "go.work", "go.mod"}

// A Pin is the version a directory asks for and what decided it.
type Pin struct {
	Kind    string // one of the Kind constants
	Query   string // as written: "1.22.5", "go1.22", "latest"
	Version string // normalized: "go1.22.5", "go1.22", "latest"
	Minimum bool   // any installed version >= Version will do (a go line)
	File    string // the file that decided ("" for env and global)
	Line    int    // its line (0 when not known)
}

// Source describes where p came from, for people: "/p/.goenv:2".
func (p Pin) Source() string {
	switch {
	case p.Kind == KindEnv:
		return "GOFORGE_VERSION"
	case p.File == "":
		return p.Kind
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}

// A Resolution is the result of Find: the pin and the nearest .goenv,
// whose variables apply whichever file pinned the version.
type Resolution struct {
	Pin   Pin
	Goenv *GoenvFile // nil when no .goenv is at or above the directory
}

// Find walks from dir up to the root, nearest directory first, and returns
// the first pin: GOFORGE_VERSION > .goenv's GO_VERSION > .go-version >
// .tool-versions > the toolchain line, then the go line, of the go.work
// or go.mod that governs the directory (a go.work above the nearest go.mod
// governs, as for the go command, unless GOWORK=off). Without a pin the
// result is KindGlobal. dir must be absolute.
func Find(dir string, getenv func(string) string) (Resolution, error) {
	var r Resolution
	if q := getenv("GOFORGE_VERSION"); q != "" {
		v, ok := NormalizeQuery(q)
		if !ok {
			return r, fmt.Errorf("GOFORGE_VERSION: %q is not a Go version (want 1.22.5, 1.22 or latest)", clip(q))
		}
		r.Pin = Pin{Kind: KindEnv, Query: q, Version: v}
	}
	modDone := getenv("GOFORGE_VERSION") != ""
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if err := r.visit(d, getenv, &modDone); err != nil {
			return r, err
		}
		if filepath.Dir(d) == d || r.Pin.Kind != "" && r.Goenv != nil {
			break
		}
	}
	if r.Pin.Kind == "" {
		r.Pin = Pin{Kind: KindGlobal}
	}
	return r, nil
}

// visit checks the pin files of one directory.
func (r *Resolution) visit(d string, getenv func(string) string, modDone *bool) error {
	if r.Goenv == nil {
		f, err := readGoenv(filepath.Join(d, GoenvName))
		if err != nil {
			return err
		}
		r.Goenv = f
		if v, ok := f.Get("GO_VERSION"); ok && r.Pin.Kind == "" {
			n, _ := NormalizeQuery(v.Value)
			r.Pin = Pin{Kind: KindGoenv, Query: v.Value, Version: n, File: f.Path, Line: v.Line}
		}
	}
	if r.Pin.Kind != "" {
		return nil
	}
	for _, step := range []func(string) (Pin, bool, error){readGoVersion, readToolVersions} {
		p, ok, err := step(d)
		if ok || err != nil {
			r.Pin = p
			return err
		}
	}
	if *modDone {
		return nil
	}
	file := modFileIn(d, getenv("GOWORK") == "off")
	if file == "" {
		return nil
	}
	*modDone = true
	if filepath.Base(file) == "go.mod" && getenv("GOWORK") != "off" {
		if w := findUp(filepath.Dir(d), "go.work"); w != "" {
			file = w
		}
	}
	p, ok, err := readModFile(file)
	if ok || err != nil {
		r.Pin = p
	}
	return err
}

// readGoenv parses the .goenv at path; (nil, nil) when there is none.
func readGoenv(path string) (*GoenvFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err != nil && isDir(path) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return ParseGoenv(path, data)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func modFileIn(d string, noWork bool) string {
	names := []string{"go.work", "go.mod"}
	if noWork {
		names = names[1:]
	}
	for _, n := range names {
		if fi, err := os.Stat(filepath.Join(d, n)); err == nil && !fi.IsDir() {
			return filepath.Join(d, n)
		}
	}
	return ""
}

func findUp(d, name string) string {
	for ; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, name)); err == nil && !fi.IsDir() {
			return filepath.Join(d, name)
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func readOptional(path string) ([]byte, bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", path, err)
	}
	return data, true, nil
}

func readGoVersion(d string) (Pin, bool, error) {
	path := filepath.Join(d, ".go-version")
	data, ok, err := readOptional(path)
	if !ok {
		return Pin{}, false, err
	}
	q, line, err := ParseGoVersion(data)
	if err != nil {
		return Pin{}, false, fmt.Errorf("%s:%d: %v", path, line, err)
	}
	if q == "" {
		return Pin{}, false, nil
	}
	v, _ := NormalizeQuery(q)
	return Pin{Kind: KindGoVersion, Query: q, Version: v, File: path, Line: line}, true, nil
}

func readToolVersions(d string) (Pin, bool, error) {
	path := filepath.Join(d, ".tool-versions")
	data, ok, err := readOptional(path)
	if !ok {
		return Pin{}, false, err
	}
	q, line, err := ParseToolVersions(data)
	if err != nil {
		return Pin{}, false, fmt.Errorf("%s:%d: %v", path, line, err)
	}
	if q == "" {
		return Pin{}, false, nil
	}
	v, _ := NormalizeQuery(q)
	return Pin{Kind: KindToolVersions, Query: q, Version: v, File: path, Line: line}, true, nil
}

func readModFile(path string) (Pin, bool, error) {
	data, ok, err := readOptional(path)
	if !ok {
		return Pin{}, false, err
	}
	ml, err := ParseModLines(path, data)
	if err != nil {
		return Pin{}, false, err
	}
	if ml.Toolchain != "" && ml.Toolchain != "default" {
		v := toolchainVersion(ml.Toolchain)
		if v == "" {
			return Pin{}, false, fmt.Errorf("%s:%d: invalid toolchain %q", path, ml.ToolchainLine, clip(ml.Toolchain))
		}
		return Pin{Kind: KindToolchain, Query: ml.Toolchain, Version: v, File: path, Line: ml.ToolchainLine}, true, nil
	}
	if ml.Go != "" {
		return Pin{Kind: KindGoLine, Query: ml.Go, Version: "go" + ml.Go, Minimum: true, File: path, Line: ml.GoLine}, true, nil
	}
	return Pin{}, false, nil
}

// ParseGoVersion reads a .go-version file: the first line that is not
// blank or a comment holds the version. It returns "" for an empty file.
func ParseGoVersion(data []byte) (q string, line int, err error) {
	for _, text := range strings.Split(string(data), "\n") {
		line++
		s := strings.TrimSpace(text)
		if s == "" || s[0] == '#' {
			continue
		}
		if _, ok := NormalizeQuery(s); !ok {
			return "", line, fmt.Errorf("%q is not a Go version (want 1.22.5, 1.22 or latest)", clip(s))
		}
		return s, line, nil
	}
	return "", line, nil
}

// ParseToolVersions reads an asdf/mise .tool-versions file and returns the
// first version of its golang (or go) entry; "" when it has none. Later
// versions on the line are asdf's fallbacks and are not used.
func ParseToolVersions(data []byte) (q string, line int, err error) {
	for _, text := range strings.Split(string(data), "\n") {
		line++
		s, _, _ := strings.Cut(text, "#")
		f := strings.Fields(s)
		if len(f) == 0 || f[0] != "golang" && f[0] != "go" {
			continue
		}
		if len(f) < 2 {
			return "", line, fmt.Errorf("%s entry without a version", f[0])
		}
		if _, ok := NormalizeQuery(f[1]); !ok {
			return "", line, fmt.Errorf("%q is not a Go version (want 1.22.5, 1.22 or latest)", clip(f[1]))
		}
		return f[1], line, nil
	}
	return "", line, nil
}

// ModLines are the go and toolchain directives of a go.mod or go.work.
type ModLines struct {
	Go, Toolchain         string
	GoLine, ToolchainLine int
}

// ParseModLines reads the go and toolchain directives of the go.mod or
// go.work file at path (a name ending in go.work is read as a workspace)
// with golang.org/x/mod/modfile, as strictly as the go command reads it:
// a file it cannot parse, a repeated directive, a toolchain line with
// more than one word and an invalid go version are errors ("path:3:
// ..."), never a pin taken from some other line. Versions in require and
// replace lines are not resolved, only parsed.
func ParseModLines(path string, data []byte) (ModLines, error) {
	var ml ModLines
	keep := func(_, v string) (string, error) { return v, nil }
	var goDir *modfile.Go
	var tc *modfile.Toolchain
	if filepath.Base(path) == "go.work" {
		f, err := modfile.ParseWork(path, data, keep)
		if err != nil {
			return ml, clipLines(err)
		}
		goDir, tc = f.Go, f.Toolchain
	} else {
		f, err := modfile.Parse(path, data, keep)
		if err != nil {
			return ml, clipLines(err)
		}
		goDir, tc = f.Go, f.Toolchain
	}
	if goDir != nil {
		ml.Go, ml.GoLine = goDir.Version, goDir.Syntax.Start.Line
		if _, ok := NormalizeQuery(ml.Go); !ok {
			return ml, fmt.Errorf("%s:%d: invalid go version %q", path, ml.GoLine, clip(ml.Go))
		}
	}
	if tc != nil {
		ml.Toolchain, ml.ToolchainLine = tc.Name, tc.Syntax.Start.Line
	}
	return ml, nil
}

// clipLines bounds each line of err's message.
func clipLines(err error) error {
	lines := strings.Split(err.Error(), "\n")
	if len(lines) > 5 {
		lines = append(lines[:5], fmt.Sprintf("(and %d more errors)", len(lines)-5))
	}
	for i, l := range lines {
		if len(l) > 200 {
			lines[i] = l[:200] + "…"
		}
	}
	return errors.New(strings.Join(lines, "\n"))
}

// WatchList returns every path whose creation, removal or change can
// change Find's answer for dir: each pin file name in dir and in each of
// its parents.
func WatchList(dir string) []string {
	var out []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		for _, n := range PinFiles {
			out = append(out, filepath.Join(d, n))
		}
		if filepath.Dir(d) == d {
			return out
		}
	}
}
