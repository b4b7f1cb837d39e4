package pin

import (
	"go/version"
	"strings"
)

// maxQuery bounds a version as written; real ones are under 20 bytes.
const maxQuery = 64

// NormalizeQuery turns a version as written in a pin file ("1.22.5",
// "go1.22.5", "v1.22", "1.23rc1", "latest") into goforge's form
// ("go1.22.5", "go1.22", "latest"). ok is false for anything else.
func NormalizeQuery(q string) (string, bool) {
	q = strings.TrimSpace(q)
	if len(q) > maxQuery {
		return "", false
	}
	if q == "latest" {
		return q, true
	}
	v := "go" + strings.TrimPrefix(strings.TrimPrefix(q, "v"), "go")
	if !version.IsValid(v) {
		return "", false
	}
	return v, true
}

// isLang reports whether v (normalized) is a language version such as
// go1.22, which as a query means the newest installed 1.22.x.
func isLang(v string) bool {
	return version.Lang(v) == v && strings.Count(v, ".") == 1
}

// toolchainVersion extracts the Go version of a toolchain line:
// "go1.22.5" and "go1.22.5-custom" give "go1.22.5"; "" when there is none.
func toolchainVersion(name string) string {
	if i := strings.Index(name, "-go1"); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexAny(name, " -+"); i >= 0 {
		name = name[:i]
	}
	if !strings.HasPrefix(name, "go1") || !version.IsValid(name) {
		return ""
	}
	return name
}

// A Candidate is an installed version offered to Choose.
type Candidate struct {
	Name    string // directory name: go1.22.5, go1.26.8-src
	Version string // Go version: go1.22.5
}

// Choose picks the installed version for p among list (the host's
// installed versions, newest first):
//
//   - an exact version (go1.22.5) needs that version; an installed
//     directory name (go1.26.8-src) also matches;
//   - a language version (go1.22) and "latest" take the newest match;
//   - a minimum (a go line "go 1.22.3") takes the newest installed patch
//     of the same language version that is at least the minimum, else the
//     newest installed version above it (Go is backward compatible, so a
//     newer release builds the module too).
//
// ok is false when nothing installed satisfies p.
func Choose(p Pin, list []Candidate) (Candidate, bool) {
	if p.Minimum {
		for _, c := range list {
			if version.Lang(c.Version) == version.Lang(p.Version) && version.Compare(c.Version, p.Version) >= 0 {
				return c, true
			}
		}
		for _, c := range list {
			if version.Compare(c.Version, p.Version) >= 0 {
				return c, true
			}
		}
		return Candidate{}, false
	}
	for _, c := range list {
		if c.Name == p.Query || c.Name == p.Version {
			return c, true
		}
	}
	for _, c := range list {
		if !version.IsValid(c.Version) {
			continue
		}
		switch {
		case p.Version == "latest",
			isLang(p.Version) && version.Lang(c.Version) == p.Version,
			c.Version == p.Version:
			return c, true
		}
	}
	return Candidate{}, false
}

// InstallQuery is what 'goforge install' needs to satisfy p: the version
// itself, or for a minimum, its language version (the newest patch).
func InstallQuery(p Pin) string {
	v := strings.TrimPrefix(p.Version, "go")
	if p.Minimum {
		return strings.TrimPrefix(version.Lang(p.Version), "go")
	}
	return v
}
