package toolchain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/goforge/goforge/internal/gocmd"
)

// Adopt registers the existing GOROOT dir (such as /usr/local/go or
// Debian's /usr/lib/go-1.19) as a managed version without copying it:
// versions/<name> becomes a symlink to it. The name is the version the
// GOROOT's go command reports (plus the platform if it is not the
// host's) unless name is given. Uninstalling an adopted version removes
// only the link.
func (h *Home) Adopt(ctx context.Context, dir, name string) (Installed, error) {
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return Installed{}, fmt.Errorf("adopting %q: %w", dir, err)
	}
	m, err := probeGOROOT(ctx, abs)
	if err != nil {
		return Installed{}, fmt.Errorf("adopting %q: %w", dir, err)
	}
	if name == "" {
		name = nameFor(m.Version, m.GOOS, m.GOARCH)
	}
	if _, err := ParseName(name); err != nil {
		return Installed{}, fmt.Errorf("adopting %q: %w (choose one with --name)", dir, err)
	}
	m.Name, m.Origin, m.Source = name, OriginAdopted, abs
	m.InstalledAt = time.Now().UTC().Truncate(time.Second)
	unlock, err := h.Lock(name)
	if err != nil {
		return Installed{}, err
	}
	defer unlock()
	if _, err := os.Lstat(h.VersionDir(name)); err == nil {
		return Installed{}, fmt.Errorf("adopting %q as %s: %w (choose another name with --name)", dir, name, ErrExists)
	}
	if err := os.MkdirAll(h.VersionsDir(), 0o755); err != nil {
		return Installed{}, err
	}
	if err := h.writeMeta(m); err != nil {
		return Installed{}, err
	}
	if err := os.Symlink(abs, h.VersionDir(name)); err != nil {
		os.Remove(h.metaPath(name))
		return Installed{}, fmt.Errorf("adopting %q: %w", dir, err)
	}
	return h.load(name)
}

// probeGOROOT asks dir's go command for its version and platform; for a
// toolchain of another platform it falls back to the VERSION file and
// the pkg/tool directory.
func probeGOROOT(ctx context.Context, dir string) (Meta, error) {
	gobin := filepath.Join(dir, "bin", "go")
	if runtime.GOOS == "windows" {
		gobin += ".exe"
	}
	if _, err := os.Stat(gobin); err != nil {
		return Meta{}, errors.New("not a GOROOT: no bin/go")
	}
	r := &gocmd.Runner{Go: gobin, Env: MergeEnv(os.Environ(), []string{"GOROOT=" + dir, "GOFLAGS="})}
	out, err := r.Run(ctx, gocmd.Invocation{Args: []string{"env", "GOVERSION", "GOOS", "GOARCH"}})
	if f := strings.Fields(string(out)); err == nil && len(f) == 3 {
		v := f[0]
		if i := strings.IndexByte(v, ' '); i >= 0 {
			v = v[:i]
		}
		return Meta{Version: v, GOOS: f[1], GOARCH: f[2]}, nil
	}
	v, verr := readVersionFile(dir)
	if verr != nil {
		return Meta{}, fmt.Errorf("running %s env: %v; %w", gobin, err, verr)
	}
	tools, _ := filepath.Glob(filepath.Join(dir, "pkg", "tool", "*_*"))
	if len(tools) != 1 {
		return Meta{}, fmt.Errorf("cannot tell the platform of %s", dir)
	}
	goos, goarch, _ := strings.Cut(filepath.Base(tools[0]), "_")
	return Meta{Version: v, GOOS: goos, GOARCH: goarch}, nil
}
