package toolchain

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Use makes the installed version name the global default by replacing
// the 'current' link atomically: a new link is created under tmp/ and
// renamed over 'current', so a reader sees the old or the new version,
// never none. It refuses a version built for another platform.
func (h *Home) Use(name string) error {
	inst, err := h.load(name)
	if err != nil {
		return fmt.Errorf("using %q: %w", name, ErrNotInstalled)
	}
	if !inst.Host() {
		return fmt.Errorf("using %s: built for %s, this machine is %s/%s", name, inst.Platform(), runtime.GOOS, runtime.GOARCH)
	}
	tmp, err := h.tempEntry("link", false)
	if err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join("versions", name), tmp); err != nil {
		return fmt.Errorf("using %s: %w", name, err)
	}
	if err := os.Rename(tmp, h.CurrentLink()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("using %s: %w", name, err)
	}
	return nil
}

// Env returns the environment for running inst's tools: the process
// environment with GOROOT=inst.Dir, GOROOT/bin then the shared GOBIN first
// on PATH, GOBIN=<home>/bin and GOTOOLCHAIN=local (so the go command does
// not switch to yet another toolchain behind goforge's back).
func (h *Home) Env(inst Installed) []string {
	return MergeEnv(os.Environ(), h.EnvVars(inst))
}

// EnvVars returns only the variables Env sets, as KEY=VALUE.
func (h *Home) EnvVars(inst Installed) []string {
	path := filepath.Join(inst.Dir, "bin") + string(os.PathListSeparator) + h.BinDir()
	if old := os.Getenv("PATH"); old != "" {
		path += string(os.PathListSeparator) + old
	}
	return []string{
		"GOROOT=" + inst.Dir,
		"PATH=" + path,
		"GOBIN=" + h.BinDir(),
		"GOTOOLCHAIN=local",
	}
}

// MergeEnv returns base with the KEY=VALUE entries of set replacing any
// earlier value of the same key.
func MergeEnv(base, set []string) []string {
	keys := map[string]bool{}
	for _, kv := range set {
		k, _, _ := strings.Cut(kv, "=")
		keys[envKey(k)] = true
	}
	var out []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if !keys[envKey(k)] {
			out = append(out, kv)
		}
	}
	return append(out, set...)
}

func envKey(k string) string {
	if runtime.GOOS == "windows" {
		return strings.ToUpper(k)
	}
	return k
}
