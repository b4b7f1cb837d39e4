package constraint

import (
	"go/build/constraint"
	"strings"
	"unicode"
)

// A Kind names why a file is left out of a build.
type Kind string

// The reasons a file is excluded.
const (
	KindIgnoredName   Kind = "ignored-name"  // name starts with _ or .
	KindTest          Kind = "test"          // _test.go: only for go test
	KindFilename      Kind = "filename"      // _GOOS / _GOARCH suffix
	KindGoBuild       Kind = "go:build"      // //go:build expression is false
	KindPlusBuild     Kind = "+build"        // a // +build line is false
	KindCgo           Kind = "cgo"           // imports "C" with cgo off
	KindDocumentation Kind = "documentation" // package documentation
	KindInvalid       Kind = "invalid"       // bad or duplicate //go:build
)

// A Reason says why a file is not compiled in a configuration.
type Reason struct {
	Kind   Kind   `json:"kind"`
	Detail string `json:"detail"`
}

// String is the reason for people.
func (r Reason) String() string { return r.Detail }

// A File is one .go file of a directory with its parsed header.
type File struct {
	Name string
	*Header

	// nameOS and nameArch are the GOOS and GOARCH of the file-name
	// suffix, set by NewFile so that configurations need not split the
	// name again; fromName reports that they were.
	nameOS, nameArch string
	fromName         bool
}

// NewFile returns the File for name with header h, with its file-name
// constraint worked out once.
func NewFile(name string, h *Header) *File {
	f := &File{Name: name, Header: h, fromName: true}
	f.nameOS, f.nameArch = nameTags(name)
	return f
}

// nameTags returns the GOOS and GOARCH that a file name's suffix
// (_GOOS, _GOARCH, _GOOS_GOARCH, each optionally before _test) names.
// Everything up to the first underscore is ignored, so "linux.go" names
// nothing.
func nameTags(name string) (goos, goarch string) {
	name, _, _ = strings.Cut(name, ".")
	i := strings.Index(name, "_")
	if i < 0 {
		return "", ""
	}
	l := strings.Split(name[i:], "_")
	if n := len(l); n > 0 && l[n-1] == "test" {
		l = l[:n-1]
	}
	n := len(l)
	if n >= 2 && knownOS[l[n-2]] && knownArch[l[n-1]] {
		return l[n-2], l[n-1]
	}
	if n >= 1 && knownOS[l[n-1]] {
		return l[n-1], ""
	}
	if n >= 1 && knownArch[l[n-1]] {
		return "", l[n-1]
	}
	return "", ""
}

// IsTest reports whether the file is a _test.go file.
func (f *File) IsTest() bool { return strings.HasSuffix(f.Name, "_test.go") }

// Match reports whether the go command compiles f (as part of GoFiles or
// CgoFiles, or as a test file if tests is set) in configuration c, and
// if not, why. The checks run in go/build's order.
func (c *Config) Match(f *File, tests bool) (bool, Reason) {
	if strings.HasPrefix(f.Name, "_") || strings.HasPrefix(f.Name, ".") {
		return false, Reason{KindIgnoredName, "name starts with " + f.Name[:1]}
	}
	goos, goarch := f.nameOS, f.nameArch
	if !f.fromName {
		goos, goarch = nameTags(f.Name)
	}
	if ok, r := c.matchNameTags(goos, goarch); !ok {
		return false, r
	}
	if f.Invalid != nil {
		return false, Reason{KindInvalid, f.Invalid.Error()}
	}
	if ok, r := c.shouldBuild(f.Header); !ok {
		return false, r
	}
	if f.Package == "documentation" {
		return false, Reason{KindDocumentation, "package documentation"}
	}
	if f.IsTest() && !tests {
		return false, Reason{KindTest, "test file"}
	}
	if f.Cgo && !c.Cgo {
		return false, Reason{KindCgo, `imports "C" and cgo is off`}
	}
	return true, Reason{}
}

// goodOSArchFile applies the file-name rules: name_GOOS, name_GOARCH,
// name_GOOS_GOARCH, each optionally followed by _test.
func (c *Config) goodOSArchFile(name string) (bool, Reason) {
	goos, goarch := nameTags(name)
	return c.matchNameTags(goos, goarch)
}

func (c *Config) matchNameTags(goos, goarch string) (bool, Reason) {
	switch {
	case goos == "" && goarch == "":
		return true, Reason{}
	case goos != "" && goarch != "":
		if c.MatchTag(goarch) && c.MatchTag(goos) {
			return true, Reason{}
		}
		return false, Reason{KindFilename, "file name suffix _" + goos + "_" + goarch}
	}
	tag := goos + goarch
	if c.MatchTag(tag) {
		return true, Reason{}
	}
	return false, Reason{KindFilename, "file name suffix _" + tag}
}

// shouldBuild evaluates the //go:build line, or when there is none, every
// // +build line (all must hold).
func (c *Config) shouldBuild(h *Header) (bool, Reason) {
	if h.expr != nil {
		if h.expr.Eval(c.MatchTag) {
			return true, Reason{}
		}
		return false, Reason{KindGoBuild, h.GoBuild}
	}
	for i, x := range h.pexpr {
		if !x.Eval(c.MatchTag) {
			return false, Reason{KindPlusBuild, h.PlusBuild[i]}
		}
	}
	return true, Reason{}
}

// AnyTags reports whether f could build under some tag set, the go
// command's test for whether a directory holds a package at all: every
// tag except "ignore" may be true or false, whichever satisfies the
// expression, and file-name suffixes do not count.
func AnyTags(f *File) bool {
	if strings.HasPrefix(f.Name, "_") || strings.HasPrefix(f.Name, ".") || f.Invalid != nil {
		return false
	}
	if f.expr != nil {
		return evalAny(f.expr, true)
	}
	for _, x := range f.pexpr {
		if !evalAny(x, true) {
			return false
		}
	}
	return true
}

// evalAny is cmd/go/internal/imports' eval with the "*" tag: a tag other
// than "ignore" takes the value that the enclosing negations prefer.
func evalAny(x constraint.Expr, prefer bool) bool {
	switch x := x.(type) {
	case *constraint.TagExpr:
		if x.Tag == "ignore" || !validTag(x.Tag) {
			return false
		}
		return prefer
	case *constraint.NotExpr:
		return !evalAny(x.X, !prefer)
	case *constraint.AndExpr:
		return evalAny(x.X, prefer) && evalAny(x.Y, prefer)
	case *constraint.OrExpr:
		return evalAny(x.X, prefer) || evalAny(x.Y, prefer)
	}
	return false
}

func validTag(name string) bool {
	for _, c := range name {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '_' && c != '.' {
			return false
		}
	}
	return true
}
