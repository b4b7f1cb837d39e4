// Package constraint decides which Go files a build configuration
// compiles, the way go/build and the go command do, for many
// configurations at once: each file's header (package clause, imports,
// //go:build and // +build lines) is parsed once, and every target is then
// evaluated in memory. For every file left out it says why.
package constraint

import (
	"bytes"
	"errors"
	"fmt"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
)

// A Header is what the build needs from the top of one Go file.
type Header struct {
	// Package is the package clause's name ("" when the file has none).
	Package string
	// GoBuild is the //go:build line, as written, or "".
	GoBuild string
	// PlusBuild holds the // +build lines of the leading comment block;
	// they count only when GoBuild is empty.
	PlusBuild []string
	// Imports are the imported paths, in source order, with their lines.
	Imports []Import
	// Cgo reports whether the file imports "C".
	Cgo bool
	// Invalid is set when the go command would reject the file outright
	// (several //go:build lines, an unparsable //go:build expression).
	Invalid error
	// SyntaxErrors are parse errors in the header ("file:line:col: msg").
	// The go command still compiles such a file, and fails later.
	SyntaxErrors []string

	expr  constraint.Expr   // parsed GoBuild
	pexpr []constraint.Expr // parsed PlusBuild lines
	// headerEnd is the offset just past the package clause and imports
	// when they parsed without error, else 0.
	headerEnd int
}

// An Import is one import spec of a file.
type Import struct {
	Path string
	Line int
}

var (
	slashSlash     = []byte("//")
	slashStar      = []byte("/*")
	starSlash      = []byte("*/")
	goBuildComment = []byte("//go:build")
)

// errMultipleGoBuild matches go/build's message for a file with two
// //go:build lines.
var errMultipleGoBuild = errors.New("multiple //go:build comments")

// ParseHeader parses the header of the Go file called name (used in error
// positions) whose content is src. It never fails: problems are recorded
// in Invalid and SyntaxErrors so that callers can report them and go on.
func ParseHeader(name string, src []byte) *Header {
	h := &Header{}
	h.parseConstraints(src)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
	if err != nil {
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				h.SyntaxErrors = append(h.SyntaxErrors, e.Error())
			}
		} else {
			h.SyntaxErrors = append(h.SyntaxErrors, err.Error())
		}
	}
	if f == nil {
		return h
	}
	if f.Name != nil && f.Name.Name != "_" {
		h.Package = f.Name.Name
	}
	if err == nil && f.Name != nil {
		end := f.Name.End()
		for _, d := range f.Decls {
			end = max(end, d.End())
		}
		h.headerEnd = fset.Position(end).Offset
	}
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		h.Imports = append(h.Imports, Import{Path: p, Line: fset.Position(spec.Pos()).Line})
		if p == "C" {
			h.Cgo = true
		}
	}
	return h
}

// parseConstraints finds the //go:build and // +build lines in the
// leading block of comments, with go/build's rules: //go:build lines
// count anywhere in that block, // +build lines only before the last
// blank line that precedes the first non-comment text.
func (h *Header) parseConstraints(src []byte) {
	trimmed, goBuild, err := leadingComments(src)
	if err != nil {
		h.Invalid = err
		return
	}
	if goBuild != nil {
		h.GoBuild = string(goBuild)
		x, err := constraint.Parse(h.GoBuild)
		if err != nil {
			h.Invalid = fmt.Errorf("parsing //go:build line: %v", err)
			return
		}
		h.expr = x
	}
	for p := trimmed; len(p) > 0; {
		line := p
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, p = line[:i], p[i+1:]
		} else {
			p = nil
		}
		text := string(bytes.TrimSpace(line))
		if !constraint.IsPlusBuild(text) {
			continue
		}
		if x, err := constraint.Parse(text); err == nil {
			h.PlusBuild = append(h.PlusBuild, text)
			h.pexpr = append(h.pexpr, x)
		}
	}
}

// leadingComments returns the part of content where // +build lines may
// appear and the //go:build line, following go/build's parseFileHeader.
func leadingComments(content []byte) (trimmed, goBuild []byte, err error) {
	end := 0
	p := content
	ended := false
	inSlashStar := false
Lines:
	for len(p) > 0 {
		line := p
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, p = line[:i], p[i+1:]
		} else {
			p = p[len(p):]
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 && !ended {
			end = len(content) - len(p)
			continue Lines
		}
		if !bytes.HasPrefix(line, slashSlash) {
			ended = true
		}
		if !inSlashStar && isGoBuildComment(line) {
			if goBuild != nil {
				return nil, nil, errMultipleGoBuild
			}
			goBuild = line
		}
		for len(line) > 0 {
			if inSlashStar {
				i := bytes.Index(line, starSlash)
				if i < 0 {
					continue Lines
				}
				inSlashStar = false
				line = bytes.TrimSpace(line[i+len(starSlash):])
				continue
			}
			if bytes.HasPrefix(line, slashSlash) {
				continue Lines
			}
			if bytes.HasPrefix(line, slashStar) {
				inSlashStar = true
				line = bytes.TrimSpace(line[len(slashStar):])
				continue
			}
			break Lines
		}
	}
	return content[:end], goBuild, nil
}

func isGoBuildComment(line []byte) bool {
	if !bytes.HasPrefix(line, goBuildComment) {
		return false
	}
	rest := line[len(goBuildComment):]
	return len(rest) == 0 || len(bytes.TrimSpace(rest)) < len(rest)
}
