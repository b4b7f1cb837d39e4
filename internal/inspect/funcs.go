package inspect

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goforge/goforge/internal/pclntab"
)

// Func is one row of 'inspect funcs --json'.
type Func struct {
	Name    string `json:"name"`
	Entry   uint64 `json:"entry"`
	End     uint64 `json:"end"`
	Size    uint64 `json:"size"`
	Package string `json:"package"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

// FuncFilter selects functions: by package (exact, or a prefix ending in
// "/..."), and by a regular expression on the name.
type FuncFilter struct {
	Package string
	Match   *regexp.Regexp
}

func (ff FuncFilter) keep(name, pkg string) bool {
	if ff.Package != "" {
		if p, ok := strings.CutSuffix(ff.Package, "/..."); ok {
			if pkg != p && !strings.HasPrefix(pkg, p+"/") {
				return false
			}
		} else if pkg != ff.Package {
			return false
		}
	}
	return ff.Match == nil || ff.Match.MatchString(name)
}

// Funcs returns the functions that pass the filter, with the file and
// line of their entry PC (what go tool addr2line reports; a function
// without line information, such as go:textfipsstart, has file "" and line
// -1, as addr2line prints ":-1" and debug/gosym returns -1).
func (b *Binary) Funcs(ff FuncFilter) ([]Func, error) {
	if err := b.needTab(); err != nil {
		return nil, err
	}
	t := b.Tab.Table
	out := make([]Func, 0, t.NumFuncs())
	for i := 0; i < t.NumFuncs(); i++ {
		fn, err := t.Func(i)
		if err != nil {
			return out, fmt.Errorf("reading the function table: %w", err)
		}
		pkg := PackageOf(fn.Name)
		if !ff.keep(fn.Name, pkg) {
			continue
		}
		file, line, err := t.PCLine(fn, fn.Entry)
		if err != nil {
			file, line = "", -1
		}
		out = append(out, Func{Name: fn.Name, Entry: fn.Entry, End: fn.End, Size: fn.End - fn.Entry, Package: pkg, File: file, Line: line})
	}
	return out, nil
}

// PCResult is the answer for one address of 'inspect pc'.
type PCResult struct {
	PC     uint64          `json:"pc"`
	Func   string          `json:"func,omitempty"`
	Entry  uint64          `json:"entry,omitempty"`
	Offset uint64          `json:"offset,omitempty"`
	Frames []pclntab.Frame `json:"frames"`
	Error  string          `json:"error,omitempty"`
}

// ParseAddr parses an address in hex, with or without "0x", as addr2line
// and nm print them.
func ParseAddr(s string) (uint64, error) {
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"), 16, 64)
	if err != nil {
		return 0, fmt.Errorf("bad address %q (want hex, e.g. 0x401000)", s)
	}
	return v, nil
}

// PC resolves pc to its function and full inlined call stack.
func (b *Binary) PC(pc uint64) PCResult {
	r := PCResult{PC: pc, Frames: []pclntab.Frame{}}
	if err := b.needTab(); err != nil {
		r.Error = err.Error()
		return r
	}
	fn, err := b.Tab.Table.FuncAt(pc)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Func, r.Entry, r.Offset = fn.Name, fn.Entry, pc-fn.Entry
	frames, err := b.Tab.Table.Frames(pc)
	if frames != nil {
		r.Frames = frames
	}
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

// LineMatch is one run of instructions compiled from the line asked for.
type LineMatch struct {
	File   string          `json:"file"`
	Line   int             `json:"line"`
	Start  uint64          `json:"start"`
	End    uint64          `json:"end"`
	Func   string          `json:"func"`
	Frames []pclntab.Frame `json:"frames"`
}

// Line returns the instruction ranges whose innermost position is
// FILE:LINE; file matches a full path or a suffix after "/" ("main.go",
// "cmd/go/main.go").
func (b *Binary) Line(file string, line int) ([]LineMatch, error) {
	if err := b.needTab(); err != nil {
		return nil, err
	}
	t := b.Tab.Table
	out := []LineMatch{}
	for i := 0; i < t.NumFuncs(); i++ {
		fn, err := t.Func(i)
		if err != nil {
			return out, err
		}
		rs, err := t.LineRanges(fn)
		if err != nil {
			continue
		}
		for _, r := range rs {
			if r.Line != line || !fileMatches(r.File, file) {
				continue
			}
			frames, _ := t.Frames(r.Start)
			out = append(out, LineMatch{File: r.File, Line: r.Line, Start: r.Start, End: r.End, Func: fn.Name, Frames: frames})
		}
	}
	return out, nil
}

func fileMatches(full, want string) bool {
	return full == want || strings.HasSuffix(full, "/"+strings.TrimPrefix(want, "/"))
}

// ParseFileLine splits "FILE:LINE".
func ParseFileLine(s string) (string, int, error) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, fmt.Errorf("bad position %q (want FILE:LINE)", s)
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n <= 0 {
		return "", 0, fmt.Errorf("bad line number in %q", s)
	}
	return s[:i], n, nil
}

// FilesView is the schema of 'inspect files --json'.
type FilesView struct {
	Files []string `json:"files"`
	// Trimpath reports a build with -trimpath: no absolute file name.
	Trimpath bool `json:"trimpath"`
	// GOROOT is where the standard library was compiled from, when the
	// file names show it ("" with -trimpath).
	GOROOT string `json:"goroot,omitempty"`
}

// Files returns the file table, sorted.
func (b *Binary) Files() (*FilesView, error) {
	if err := b.needTab(); err != nil {
		return nil, err
	}
	files, err := b.Tab.Table.Files()
	if err != nil {
		return nil, fmt.Errorf("reading the file table: %w", err)
	}
	seen := map[string]bool{}
	v := &FilesView{Files: []string{}, Trimpath: true}
	for _, f := range files {
		if seen[f] || f == "" {
			continue
		}
		seen[f] = true
		v.Files = append(v.Files, f)
		if isAbs(f) {
			v.Trimpath = false
		}
		if g, ok := strings.CutSuffix(f, "/src/runtime/proc.go"); ok && v.GOROOT == "" {
			v.GOROOT = g
		}
	}
	sort.Strings(v.Files)
	return v, nil
}

func isAbs(f string) bool {
	return path.IsAbs(f) || len(f) > 2 && f[1] == ':' && (f[2] == '/' || f[2] == '\\')
}
