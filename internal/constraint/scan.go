package constraint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ScanDir reads the header of every .go file in dir (not in
// subdirectories), sorted by name. A file that cannot be read is reported
// in the error but the others are still returned.
func ScanDir(dir string) ([]*File, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading directory: %w", err)
	}
	var files []*File
	var errs []string
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || e.IsDir() {
			continue
		}
		if !e.Type().IsRegular() {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
		}
		path := filepath.Join(dir, name)
		src, err := readHeader(path)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		files = append(files, &File{Name: name, Header: ParseHeader(path, src)})
	}
	slices.SortFunc(files, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
	if len(errs) > 0 {
		return files, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return files, nil
}

// readHeader returns the file's content. (Go files are small; reading
// all of one costs less than a second system call to read more.)
func readHeader(path string) ([]byte, error) {
	return os.ReadFile(path)
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
			if ok, _ := c.goodOSArchFile(f.Name); ok && f.Invalid == nil && !(f.Cgo && !c.Cgo) {
				if ok, _ := c.shouldBuild(f.Header); ok {
					return true
				}
			}
		}
	}
	return false
}
