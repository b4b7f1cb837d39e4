package toolchain

import (
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Installed is one installed version.
type Installed struct {
	Name string // directory name under versions/
	// Dir is the GOROOT: versions/<name>, or the target of an adopted link.
	Dir  string
	Meta Meta
}

// Version returns the Go version of inst ("go1.22.5").
func (inst Installed) Version() string { return inst.Meta.Version }

// Platform returns "goos/goarch" of inst.
func (inst Installed) Platform() string { return inst.Meta.GOOS + "/" + inst.Meta.GOARCH }

// Host reports whether inst runs on this machine's platform.
func (inst Installed) Host() bool {
	return inst.Meta.GOOS == runtime.GOOS && inst.Meta.GOARCH == runtime.GOARCH
}

// ErrNotInstalled is returned (wrapped) by Find when nothing matches.
var ErrNotInstalled = errors.New("not installed")

// List returns the installed versions, newest first.
func (h *Home) List() ([]Installed, error) {
	entries, err := os.ReadDir(h.VersionsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing installed versions: %w", err)
	}
	var out []Installed
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		inst, err := h.load(e.Name())
		if err != nil {
			continue // not a version (or a dangling adopted link)
		}
		out = append(out, inst)
	}
	sortInstalled(out)
	return out, nil
}

// sortInstalled orders newest version first; for equal versions the
// host's binary release before source builds and foreign platforms.
func sortInstalled(list []Installed) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if c := version.Compare(a.Meta.Version, b.Meta.Version); c != 0 {
			return c > 0
		}
		if a.Host() != b.Host() {
			return a.Host()
		}
		return a.Name < b.Name
	})
}

// load reads versions/<name> and its meta, synthesizing the meta from the
// GOROOT's VERSION file when meta/<name>.json is missing.
func (h *Home) load(name string) (Installed, error) {
	n, err := ParseName(name)
	if err != nil {
		return Installed{}, err
	}
	dir := h.VersionDir(name)
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return Installed{}, err
	}
	if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
		return Installed{}, fmt.Errorf("%s is not a directory", dir)
	}
	m, err := h.readMeta(name)
	if err != nil {
		m = Meta{Name: name, Version: n.Version, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}
		if goos, goarch, ok := strings.Cut(n.Platform, "-"); ok {
			m.GOOS, m.GOARCH = goos, goarch
		}
		if n.Variant == "src" {
			m.Origin = OriginSource
		}
	}
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		dir = real
	}
	return Installed{Name: name, Dir: dir, Meta: m}, nil
}

// Find returns the installed version matching query:
//   - an exact directory name: "go1.22.5", "go1.26.8-src", "devel-abc";
//   - a version: "1.22.5", "go1.22.5";
//   - a language version prefix: "1.19" or "go1.19" is the newest 1.19.x;
//   - "latest": the newest installed version.
//
// Versions for other platforms match only by exact name.
func (h *Home) Find(query string) (Installed, error) {
	if query == "" {
		return Installed{}, errors.New("empty version")
	}
	if inst, err := h.load(query); err == nil {
		return inst, nil
	}
	list, err := h.List()
	if err != nil {
		return Installed{}, err
	}
	for _, inst := range list {
		if inst.Host() && Matches(query, inst.Meta.Version) {
			return inst, nil
		}
	}
	return Installed{}, fmt.Errorf("version %q: %w", query, ErrNotInstalled)
}

// Matches reports whether the Go version v (go1.22.5) matches query
// ("latest", "1.22", "go1.22", "1.22.5", "go1.22rc1").
func Matches(query, v string) bool {
	if query == "latest" {
		return version.IsValid(v)
	}
	q := NormalizeVersion(query)
	if q == "" || !version.IsValid(v) {
		return false
	}
	if IsLang(q) {
		return version.Lang(v) == q
	}
	return q == v
}

// Current returns the version the 'current' link points at. The bool is
// false when no version is active (no link, or a link to a version that
// has since been removed).
func (h *Home) Current() (Installed, bool, error) {
	target, err := os.Readlink(h.CurrentLink())
	if errors.Is(err, fs.ErrNotExist) {
		return Installed{}, false, nil
	}
	if err != nil {
		return Installed{}, false, fmt.Errorf("reading the current version: %w", err)
	}
	inst, err := h.load(filepath.Base(target))
	if err != nil {
		return Installed{}, false, nil
	}
	return inst, true, nil
}

// FindWithHint is Find for a VERSION a person typed: when nothing
// installed matches, the error says how to see and install versions.
func (h *Home) FindWithHint(query string) (Installed, error) {
	inst, err := h.Find(query)
	if errors.Is(err, ErrNotInstalled) {
		return inst, fmt.Errorf("%w (see 'goforge list'; install it with 'goforge install %s')", err, query)
	}
	return inst, err
}
