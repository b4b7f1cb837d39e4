package ciconf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/goforge/goforge/internal/buildinfo"
	"github.com/goforge/goforge/internal/matrix"
	"github.com/goforge/goforge/internal/release"
	"github.com/goforge/goforge/internal/toolchain"
)

// Request is one 'goforge ci': which file to write or check, for the
// module above WorkDir.
type Request struct {
	WorkDir  string
	Kind     string   // github or gitlab
	Versions []string // Go versions to test; empty: go.mod's go line to the newest release
	Check    bool     // compare with the existing file instead of writing it
	Force    bool     // replace a file goforge did not write, or one edited since
	// Home and Installer answer "what is the newest release" (the module
	// proxy, then what is installed); either may be nil.
	Home      *toolchain.Home
	Installer *toolchain.Installer
}

// Result is what Write did: the file, relative to the module root, and
// with Check, how it differs from what would be generated ("" when it is
// up to date).
type Result struct {
	Path string
	Diff string
}

// Write generates the workflow file of req.Kind for the module above
// req.WorkDir and writes it, or with req.Check compares the existing file
// with it.
func Write(ctx context.Context, req Request) (Result, error) {
	root, _, err := matrix.FindModule(req.WorkDir)
	if err != nil {
		return Result{}, fmt.Errorf("%w: ci generates workflows for a module", err)
	}
	p, err := Inspect(root)
	if err != nil {
		return Result{}, err
	}
	p.Goforge = goforgeVersion()
	p.Versions = req.Versions
	if len(p.Versions) == 0 {
		if p.Versions, err = VersionRange(p.GoLine, newestRelease(ctx, req)); err != nil {
			return Result{}, err
		}
	}
	gen, rel := GitHub(p), GitHubPath
	if req.Kind == "gitlab" {
		gen, rel = GitLab(p), GitLabPath
	}
	res := Result{Path: rel}
	path := filepath.Join(root, filepath.FromSlash(rel))
	if req.Check {
		old, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return res, fmt.Errorf("%s does not exist (run 'goforge ci %s')", rel, req.Kind)
		}
		if err != nil {
			return res, fmt.Errorf("reading %s: %w", rel, err)
		}
		res.Diff = Diff(rel, old, "goforge ci "+req.Kind, gen)
		return res, nil
	}
	return res, writeOwned(path, rel, gen, req.Force)
}

// writeOwned writes gen to path unless a file there is the user's or was
// edited since goforge wrote it (and force is not set): such a file is
// left byte for byte as it was. The write goes through a temporary file
// and a rename.
func writeOwned(path, rel string, gen []byte, force bool) error {
	have, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("reading %s: %w", rel, err)
	case bytes.Equal(have, gen):
		return nil
	case !force:
		if o := Owner(have, gen); o != Unchanged {
			return refusal(rel, o)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	return release.WriteFileAtomic(path, gen, 0o644)
}

// goforgeVersion is the version the release job installs: this binary's
// module version, or latest for a development build.
func goforgeVersion() string {
	if v := buildinfo.Read().Version; v != "(devel)" && v != "" {
		return v
	}
	return "latest"
}

// newestRelease is the newest Go release known: from the module proxy when
// it answers, else the newest installed, else the Go that built goforge.
func newestRelease(ctx context.Context, req Request) string {
	best := runtime.Version()
	if req.Home == nil {
		return best
	}
	return matrix.Newest(ctx, &matrix.HomeSource{Home: req.Home, Installer: req.Installer}, best)
}
