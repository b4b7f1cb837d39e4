package cacheprog

import (
	"os"
	"path/filepath"
)

// DefaultDir is the local tier's directory when --dir is not given:
// $GOFORGE_CACHE_DIR, else goforge/cacheprog in the user cache directory
// ($XDG_CACHE_HOME, else ~/.cache), as getenv reports them.
func DefaultDir(getenv func(string) string) string {
	if d := getenv("GOFORGE_CACHE_DIR"); d != "" {
		return d
	}
	if d := getenv("XDG_CACHE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "goforge", "cacheprog")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "goforge", "cacheprog")
	}
	return filepath.Join(os.TempDir(), "goforge-cacheprog")
}

// DefaultNetrc is the netrc file read for remote credentials when
// --netrc is not given: $NETRC, else ~/.netrc.
func DefaultNetrc(getenv func(string) string) string {
	if f := getenv("NETRC"); f != "" {
		return f
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".netrc")
	}
	return ""
}
