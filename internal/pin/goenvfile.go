// Package pin finds the Go version a directory asks for: the per-project
// pin files (.goenv, .go-version, .tool-versions, go.work and go.mod) and
// the GOFORGE_VERSION override. It reads files but runs nothing and knows
// nothing about how toolchains are installed: the caller passes the
// installed versions to Choose.
package pin

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// GoenvName is the file name of a project's goforge environment file.
const GoenvName = ".goenv"

// A GoenvFile is a parsed .goenv file: KEY="value" lines, comments and
// blank lines (the format of the seed's template, which a POSIX shell can
// also source).
type GoenvFile struct {
	Path string // the file's path
	Vars []Var  // in file order; paths are already resolved
}

// A Var is one assignment of a .goenv file.
type Var struct {
	Key, Value string
	Line       int
}

// Get returns the value of key and whether the file sets it.
func (f *GoenvFile) Get(key string) (Var, bool) {
	if f == nil {
		return Var{}, false
	}
	for _, v := range f.Vars {
		if v.Key == key {
			return v, true
		}
	}
	return Var{}, false
}

// pathVars are the variables holding paths (or, for GOPATH, a path list)
// that are resolved against the .goenv file's directory when relative.
var pathVars = map[string]bool{
	"GOCACHE": true, "GOMODCACHE": true, "GOPATH": true, "GOBIN": true, "GOTMPDIR": true,
	"GOCOVERDIR": true, "GOENV": true, "GOWORK": true, "GOTELEMETRYDIR": true,
}

// ParseGoenv parses the contents of the .goenv file at path. Errors name
// the file and line: "path:3: ...".
func ParseGoenv(path string, data []byte) (*GoenvFile, error) {
	f := &GoenvFile{Path: path}
	seen := map[string]int{}
	dir := filepath.Dir(path)
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		key, val, ok, err := parseAssignment(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if !ok {
			continue
		}
		if err := checkKey(key, val); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s:%d: %s is set twice (first on line %d)", path, n, key, first)
		}
		seen[key] = n
		if pathVars[key] {
			val = resolvePaths(dir, val)
		}
		f.Vars = append(f.Vars, Var{Key: key, Value: val, Line: n})
	}
	return f, nil
}

// parseAssignment parses one line. ok is false for blank and comment lines.
func parseAssignment(line string) (key, val string, ok bool, err error) {
	s := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
	if s == "" || s[0] == '#' {
		return "", "", false, nil
	}
	s = strings.TrimPrefix(s, "export ")
	s = strings.TrimLeft(s, " \t")
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		return "", "", false, fmt.Errorf("want KEY=\"value\", have %q", clip(s))
	}
	key = s[:eq]
	if !validKey(key) {
		return "", "", false, fmt.Errorf("invalid variable name %q (want KEY=\"value\" with no spaces around '=')", clip(key))
	}
	val, rest, err := parseValue(s[eq+1:])
	if err != nil {
		return "", "", false, fmt.Errorf("%s: %v", key, err)
	}
	if i := strings.IndexFunc(val, isControl); i >= 0 {
		// A value reaches shell code and the environment: a NUL or an
		// escape sequence there is never what the user meant.
		return "", "", false, fmt.Errorf("%s: control byte %q in the value", key, val[i])
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest != "" && rest[0] != '#' {
		return "", "", false, fmt.Errorf("%s: unexpected %q after the value (quote values with spaces)", key, clip(rest))
	}
	return key, val, true, nil
}

// parseValue parses a double-quoted, single-quoted or bare value and
// returns it with the rest of the line.
func parseValue(s string) (val, rest string, err error) {
	if s == "" {
		return "", "", nil
	}
	switch s[0] {
	case '"':
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; c {
			case '"':
				return b.String(), s[i+1:], nil
			case '\\':
				if i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					b.WriteByte(s[i+1])
					i++
					continue
				}
				b.WriteByte(c)
			case '$', '`':
				return "", "", fmt.Errorf("%q: variable expansion and command substitution are not supported (relative paths are resolved against the .goenv's directory; escape a literal %c as \\%c)", clip(s), c, c)
			default:
				b.WriteByte(c)
			}
		}
		return "", "", fmt.Errorf("unterminated double quote in %q", clip(s))
	case '\'':
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", "", fmt.Errorf("unterminated single quote in %q", clip(s))
		}
		return s[1 : 1+end], s[2+end:], nil
	}
	end := strings.IndexAny(s, " \t")
	if end < 0 {
		end = len(s)
	}
	val, rest = s[:end], s[end:]
	if strings.ContainsAny(val, "\"'\\$`;&|<>(){}") {
		return "", "", fmt.Errorf("%q: quote the value (KEY=\"value\")", clip(val))
	}
	return val, rest, nil
}

// isControl reports whether r is a control character other than tab.
func isControl(r rune) bool {
	return r < ' ' && r != '\t' || r == 0x7f
}

func validKey(k string) bool {
	for i, c := range k {
		if !(c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return k != ""
}

// checkKey accepts GO_VERSION (a valid version), GO_BUILD_TAGS and the
// GO*/CGO_* variables of the go command, except the ones goforge sets
// itself.
func checkKey(key, val string) error {
	switch {
	case key == "GO_VERSION":
		if _, ok := NormalizeQuery(val); !ok {
			return fmt.Errorf("GO_VERSION: %q is not a Go version (want 1.22.5, 1.22 or latest)", clip(val))
		}
		return nil
	case key == "GOROOT":
		return fmt.Errorf("GOROOT follows GO_VERSION; set GO_VERSION instead")
	case strings.HasPrefix(key, "GOFORGE_"):
		return fmt.Errorf("%s is goforge's own setting, not a project variable", key)
	case strings.HasPrefix(key, "GO") || strings.HasPrefix(key, "CGO_"):
		return nil
	}
	return fmt.Errorf("unknown variable %q: a .goenv sets GO_VERSION, GO_BUILD_TAGS and GO*/CGO_* variables", key)
}

// resolvePaths resolves the relative entries of a path list against dir.
func resolvePaths(dir, val string) string {
	if val == "" || val == "off" {
		return val
	}
	parts := filepath.SplitList(val)
	for i, p := range parts {
		if p != "" && !filepath.IsAbs(p) {
			parts[i] = filepath.Join(dir, p)
		}
	}
	return strings.Join(parts, string(filepath.ListSeparator))
}

// BuildTags returns GO_BUILD_TAGS as a comma-separated list for -tags
// (the file may separate tags by commas or spaces); "" when unset.
func (f *GoenvFile) BuildTags() string {
	v, ok := f.Get("GO_BUILD_TAGS")
	if !ok {
		return ""
	}
	tags := strings.FieldsFunc(v.Value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	return strings.Join(tags, ",")
}

// Keys returns the variable names the file sets, sorted.
func (f *GoenvFile) Keys() []string {
	var ks []string
	for _, v := range f.Vars {
		ks = append(ks, v.Key)
	}
	sort.Strings(ks)
	return ks
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
