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
//
// Adopting a directory again under the name it already has changes
// nothing and reports AlreadyInstalled; a different directory under an
// existing name is an error wrapping ErrExists.
func (h *Home) Adopt(ctx context.Context, dir, name string) (Result, error) {
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return Result{}, fmt.Errorf("adopting %q: %w", dir, err)
	}
	m, err := probeGOROOT(ctx, abs)
	if err != nil {
		return Result{}, fmt.Errorf("adopting %q: %w", dir, err)
	}
	if name == "" {
		name = nameFor(m.Version, m.GOOS, m.GOARCH)
	}
	if _, err := ParseName(name); err != nil {
		return Result{}, fmt.Errorf("adopting %q: %w (choose one with --name)", dir, err)
	}
	m.Name, m.Origin, m.Source = name, OriginAdopted, abs
	m.InstalledAt = time.Now().UTC().Truncate(time.Second)
	unlock, err := h.Lock(name)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	if _, err := os.Lstat(h.VersionDir(name)); err == nil {
		if inst, ok := h.adoptedFrom(name, abs); ok {
			return Result{Installed: inst, AlreadyInstalled: true}, nil
		}
		return Result{}, fmt.Errorf("adopting %q as %s: %w (choose another name with --name)", dir, name, ErrExists)
	}
	if err := os.MkdirAll(h.VersionsDir(), 0o755); err != nil {
		return Result{}, err
	}
	if err := h.writeMeta(m); err != nil {
		return Result{}, err
	}
	if err := os.Symlink(abs, h.VersionDir(name)); err != nil {
		os.Remove(h.metaPath(name))
		return Result{}, fmt.Errorf("adopting %q: %w", dir, err)
	}
	inst, err := h.load(name)
	return Result{Installed: inst}, err
}

// adoptedFrom returns the version name when it is an adoption of the
// directory abs (a link whose target resolves to abs).
func (h *Home) adoptedFrom(name, abs string) (Installed, bool) {
	fi, err := os.Lstat(h.VersionDir(name))
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return Installed{}, false
	}
	inst, err := h.load(name)
	if err != nil || inst.Meta.Origin != OriginAdopted || inst.Dir != abs {
		return Installed{}, false
	}
	return inst, true
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
