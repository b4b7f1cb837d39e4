package fromsource

import (
	"path/filepath"
	"sort"
	"strings"
)

// BuildEnv is what a make.bash run is told through its environment.
type BuildEnv struct {
	Bootstrap   string // GOROOT_BOOTSTRAP
	GOOS        string // target GOOS for a cross toolchain ("" = host)
	GOARCH      string // target GOARCH for a cross toolchain ("" = host)
	Experiment  string // GOEXPERIMENT
	CGOEnabled  string // CGO_ENABLED ("" = make.bash's default)
	GOROOTFinal string // GOROOT_FINAL, for versions whose cmd/dist reads it
}

// Environ returns parent without any GO* or CGO_* variable (a user's GOFLAGS,
// GOAMD64, GOROOT or CGO_CFLAGS would otherwise leak into the toolchain),
// plus the variables of e that are set. GOENV=off keeps the user's
// 'go env -w' settings out too, and GOTOOLCHAIN=local stops the bootstrap
// go command from switching to a downloaded toolchain.
func (e BuildEnv) Environ(parent []string) []string {
	var out []string
	for _, kv := range parent {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GO") || strings.HasPrefix(k, "CGO_") {
			continue
		}
		out = append(out, kv)
	}
	set := map[string]string{
		"GOROOT_BOOTSTRAP": e.Bootstrap,
		"GOOS":             e.GOOS,
		"GOARCH":           e.GOARCH,
		"GOEXPERIMENT":     e.Experiment,
		"CGO_ENABLED":      e.CGOEnabled,
		"GOROOT_FINAL":     e.GOROOTFinal,
		"GOENV":            "off",
		"GOTOOLCHAIN":      "local",
	}
	keys := make([]string, 0, len(set))
	for k, v := range set {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+set[k])
	}
	return out
}

// skipInCopy reports whether the top-level entry rel of a source tree is
// left out of the build copy: earlier build output (bin, pkg) and the git
// directory, which the copy links to instead.
func skipInCopy(rel string) bool {
	switch filepath.ToSlash(rel) {
	case "bin", "pkg", ".git":
		return true
	}
	return false
}
