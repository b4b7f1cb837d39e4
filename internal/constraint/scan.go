package constraint

import (
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ScanDir reads the header of every .go file in dir (not in
// subdirectories), sorted by name. A file that cannot be read is reported
// in the error but the others are still returned.
func ScanDir(dir string) ([]*File, error) { return scanDir(dir, true) }

// ScanDirNoTests is ScanDir without the _test.go files, for callers that
// only build packages (a graph without tests reads far fewer files).
func ScanDirNoTests(dir string) ([]*File, error) { return scanDir(dir, false) }

func scanDir(dir string, tests bool) ([]*File, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading directory: %w", err)
	}
	var files []*File
	var errs []string
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || e.IsDir() || !tests && strings.HasSuffix(name, "_test.go") {
			continue
		}
		if !e.Type().IsRegular() {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
		}
		path := filepath.Join(dir, name)
		h, err := parseFile(path)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		files = append(files, NewFile(name, h))
	}
	slices.SortFunc(files, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
	if len(errs) > 0 {
		return files, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return files, nil
}

// headerChunk is how much of a file readFile reads first; most files'
// package clause and imports end well before it.
const headerChunk = 8 << 10

// parseFile parses the header of the file at path, reading only a prefix
// of it when that prefix provably holds the whole header.
func parseFile(path string) (*Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, headerChunk)
	n, err := io.ReadFull(f, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return ParseHeader(path, buf[:n]), nil
	}
	if err != nil {
		return nil, err
	}
	if h := ParseHeader(path, buf); h.headerEnd > 0 && headerComplete(buf[h.headerEnd:]) {
		return h, nil
	}
	rest, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return ParseHeader(path, append(buf, rest...)), nil
}

// headerComplete reports whether tail, what follows the imports in a
// truncated file, starts with a complete token that is neither "import"
// nor the cut-off end: then the header read so far is all of it.
func headerComplete(tail []byte) bool {
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(tail)), tail, nil, 0)
	for {
		pos, tok, _ := s.Scan()
		switch tok {
		case token.SEMICOLON:
			continue
		case token.EOF, token.IMPORT, token.ILLEGAL:
			return false
		}
		// The token must end well before the cut (an identifier could go on).
		return fset.Position(pos).Offset+64 < len(tail)
	}
}

// An Excluded file is one that a configuration leaves out, with why.
type Excluded struct {
	File   string `json:"file"`
	Kind   Kind   `json:"kind"`
	Reason string `json:"reason"`
}

// Select splits files into those configuration c compiles (GoFiles and
// CgoFiles in go list's terms; test files too when tests is set) and
// those it leaves out.
func (c *Config) Select(files []*File, tests bool) (included []*File, excluded []Excluded) {
	for _, f := range files {
		if ok, r := c.Match(f, tests); ok {
			included = append(included, f)
		} else {
			excluded = append(excluded, Excluded{File: f.Name, Kind: r.Kind, Reason: r.Detail})
		}
	}
	return included, excluded
}

// IsPackageDir reports whether files make a package for the go command
// under some tag set (see AnyTags).
func IsPackageDir(files []*File) bool {
	return slices.ContainsFunc(files, AnyTags)
}

// HasPackage reports whether the go command's pattern matching ("std",
// "./...") counts files as a package in configuration c: some file, test
// files included, passes the file-name rules and build constraints and
// does not import "C" with cgo off.
func (c *Config) HasPackage(files []*File) bool {
	for _, f := range files {
		if ok, _ := c.Match(f, true); ok {
			return true
		}
		if !strings.HasPrefix(f.Name, "_") && !strings.HasPrefix(f.Name, ".") && f.Package == "documentation" {
			if ok, _ := c.matchNameTags(nameTags(f.Name)); ok && f.Invalid == nil && !(f.Cgo && !c.Cgo) {
				if ok, _ := c.shouldBuild(f.Header); ok {
					return true
				}
			}
		}
	}
	return false
}
