package toolchain

import (
	"fmt"
	"go/version"
	"strings"
)

// Name is a parsed version directory name such as go1.22.5,
// go1.22.5.linux-arm64, go1.26.8-src or devel-abc123.
type Name struct {
	Version  string // Go version, "go1.22.5"; "" for devel builds
	Platform string // "linux-arm64" when not the host's; "" otherwise
	Variant  string // "src" for source builds; "" otherwise
	Devel    string // the hash of a devel-<hash> build
}

// ParseName parses a version directory name.
func ParseName(s string) (Name, error) {
	if h, ok := strings.CutPrefix(s, "devel-"); ok && validPart(h) {
		return Name{Devel: h}, nil
	}
	var n Name
	rest := s
	if v, ok := strings.CutSuffix(rest, "-src"); ok {
		n.Variant, rest = "src", v
	}
	if i := strings.LastIndexByte(rest, '.'); i >= 0 && strings.Contains(rest[i:], "-") {
		n.Platform, rest = rest[i+1:], rest[:i]
		if !validPlatform(n.Platform) {
			return Name{}, fmt.Errorf("invalid platform %q in version name %q", n.Platform, s)
		}
	}
	if !version.IsValid(rest) {
		return Name{}, fmt.Errorf("invalid version name %q", s)
	}
	n.Version = rest
	return n, nil
}

// String returns the directory name of n.
func (n Name) String() string {
	if n.Devel != "" {
		return "devel-" + n.Devel
	}
	s := n.Version
	if n.Platform != "" {
		s += "." + n.Platform
	}
	if n.Variant != "" {
		s += "-" + n.Variant
	}
	return s
}

func validPlatform(p string) bool {
	goos, goarch, ok := strings.Cut(p, "-")
	return ok && validPart(goos) && validPart(goarch)
}

// validPart reports whether s is a safe, non-empty name component
// (lower-case letters and digits only).
func validPart(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// NormalizeVersion turns "1.22.5", "go1.22.5" or "v1.22.5" into "go1.22.5".
// It returns "" for anything that is not a Go version or language version.
func NormalizeVersion(q string) string {
	q = strings.TrimPrefix(strings.TrimPrefix(q, "v"), "go")
	v := "go" + q
	if !version.IsValid(v) {
		return ""
	}
	return v
}

// IsLang reports whether v (normalized) names a language version such as
// go1.22, which as a query means "the newest 1.22.x".
func IsLang(v string) bool {
	return v != "" && version.Lang(v) == v && strings.Count(v, ".") == 1
}
