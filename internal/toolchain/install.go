package toolchain

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"

	"github.com/goforge/goforge/internal/goproxy"
	"github.com/goforge/goforge/internal/telemetry"
)

// An Installer fetches, verifies and installs toolchains into a Home.
type Installer struct {
	Home  *Home
	Proxy *goproxy.Client // the module proxy source; nil disables it
	// Mirror is the base URL of a go.dev/dl-style mirror ("" for none).
	// With MirrorOnly it is the only source; otherwise it is tried when
	// the proxy fails.
	Mirror     string
	MirrorOnly bool
	HTTP       *http.Client
	// Progress, when set, is called while downloading with the bytes so
	// far and the total (-1 when unknown).
	Progress func(n, total int64)
	// Logf reports warnings and, unless Note is set, steps (plain lines,
	// to stderr).
	Logf func(format string, args ...any)
	// Note, when set, reports steps ("downloading go1.22.5 ... from the
	// module proxy"), which a caller may show only when asked.
	Note func(format string, args ...any)
	// Step, when set, is told as each phase of an install (resolve,
	// download, unpack, verify) starts and ends (done, with its error).
	Step func(phase string, done bool, err error)
	// Tel receives the install's spans and metrics (nil: none).
	Tel *telemetry.Session
}

// Request says what to install.
type Request struct {
	Query        string // 1.22, 1.22.5, go1.22.5, latest; with File, what the archive must hold
	GOOS, GOARCH string // target platform; the host's when empty
	Force        bool   // reinstall an installed version
	File         string // install from this local archive instead
	SHA256       string // expected SHA-256 of File
}

// Result is what Install did.
type Result struct {
	Installed
	AlreadyInstalled bool `json:"already_installed"`
}

func (in *Installer) logf(format string, args ...any) {
	if in.Logf != nil {
		in.Logf(format, args...)
	}
}

// notef reports a step through Note, or Logf without one.
func (in *Installer) notef(format string, args ...any) {
	if in.Note != nil {
		in.Note(format, args...)
		return
	}
	in.logf(format, args...)
}

// Install installs what req asks for and returns the installed version.
func (in *Installer) Install(ctx context.Context, req Request) (Result, error) {
	if req.GOOS == "" {
		req.GOOS = runtime.GOOS
	}
	if req.GOARCH == "" {
		req.GOARCH = runtime.GOARCH
	}
	if !validPart(req.GOOS) || !validPart(req.GOARCH) {
		return Result{}, fmt.Errorf("invalid platform %q", req.GOOS+"/"+req.GOARCH)
	}
	if err := CheckSHA256(req.SHA256, req.File); err != nil {
		return Result{}, err
	}
	if req.File != "" {
		return in.installFile(ctx, req)
	}
	var v string
	err := in.phase(ctx, "resolve", func(ctx context.Context) (err error) {
		v, err = in.resolve(ctx, req.Query, req.GOOS, req.GOARCH)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	name := nameFor(v, req.GOOS, req.GOARCH)
	res, err := in.locked(name, req.Force, func(string) (string, Meta, error) {
		stage, err := in.Home.StagingDir()
		if err != nil {
			return "", Meta{}, err
		}
		m, err := in.fetch(ctx, v, req.GOOS, req.GOARCH, stage)
		return stage, m, err
	})
	var uv *UnknownVersionError
	if errors.As(err, &uv) {
		return Result{}, uv // it names the version; "installing go1.99.99" adds nothing
	}
	return res, err
}

// nameFor is the version directory name of Go version v for a platform.
func nameFor(v, goos, goarch string) string {
	if goos == runtime.GOOS && goarch == runtime.GOARCH {
		return v
	}
	return v + "." + goos + "-" + goarch
}

// fetch tries the proxy, then the mirror, filling stage.
func (in *Installer) fetch(ctx context.Context, v, goos, goarch, stage string) (Meta, error) {
	var errs []error
	if in.Proxy != nil && !in.MirrorOnly {
		m, err := in.fromProxy(ctx, v, goos, goarch, stage)
		if isVerifyError(err) {
			in.Tel.InstallVerifyFailed(OriginProxy)
		}
		if err == nil || in.Mirror == "" || isVerifyError(err) {
			return m, err
		}
		errs = append(errs, err)
		if err := emptyDir(stage); err != nil {
			return Meta{}, err
		}
		in.logf("%v; trying the mirror", err)
	}
	if in.Mirror != "" {
		var m Meta
		err := in.phase(ctx, "download", func(ctx context.Context) (err error) {
			m, err = in.fromMirror(ctx, v, goos, goarch, stage)
			return err
		})
		if err == nil {
			return m, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return Meta{}, errors.New("no source: GOPROXY is off and no mirror is set (--mirror or GOFORGE_DL_MIRROR)")
	}
	if unknownEverywhere(errs) {
		return Meta{}, &UnknownVersionError{Query: v, Exact: true, GOOS: goos, GOARCH: goarch, Err: errors.Join(errs...)}
	}
	return Meta{}, errors.Join(errs...)
}

// unknownEverywhere reports whether every source said it lacks the
// version: the proxy with an UnknownVersionError, the mirror by its index.
func unknownEverywhere(errs []error) bool {
	for _, err := range errs {
		var uv *UnknownVersionError
		if !errors.As(err, &uv) && !errors.Is(err, errNotInIndex) {
			return false
		}
	}
	return true
}

// isVerifyError reports whether err is a verification failure, after
// which goforge does not quietly try another source.
func isVerifyError(err error) bool {
	var mm *goproxy.HashMismatchError
	var ve *goproxy.VerifyError
	return errors.As(err, &mm) || errors.As(err, &ve)
}

// locked runs fill under the version lock to prepare a staging directory
// and moves it into place, unless the version is installed already.
func (in *Installer) locked(name string, force bool, fill func(string) (string, Meta, error)) (Result, error) {
	h := in.Home
	unlock, err := h.Lock(name)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	if inst, err := h.load(name); err == nil && !force {
		return Result{Installed: inst, AlreadyInstalled: true}, nil
	}
	if removed, err := h.CleanStale(); err != nil {
		return Result{}, fmt.Errorf("cleaning up: %w", err)
	} else if len(removed) > 0 {
		in.logf("removed %d leftovers of interrupted installs", len(removed))
	}
	stage, m, err := fill(name)
	if stage != "" {
		defer removeAll(stage) // a no-op once it has been renamed into place
	}
	if err != nil {
		return Result{}, fmt.Errorf("installing %s: %w", name, err)
	}
	if err := validateGOROOT(stage, m); err != nil {
		return Result{}, fmt.Errorf("installing %s: %w", name, err)
	}
	if err := h.installDirLocked(name, stage, m, force); err != nil {
		return Result{}, err
	}
	inst, err := h.load(name)
	return Result{Installed: inst}, err
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := removeAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// NewInstaller configures an installer's sources from the environment
// getenv reads: GOPROXY and its companions for the module proxy (checksum
// database state under the home's sumdb/), mirror (--mirror) or
// GOFORGE_DL_MIRROR for a go.dev/dl-style mirror. A mirror given as an
// argument is the only source.
func NewInstaller(h *Home, getenv func(string) string, mirror string) (*Installer, error) {
	proxy, err := goproxy.FromEnv(getenv, filepath.Join(h.Dir(), "sumdb"))
	if err != nil {
		return nil, err
	}
	in := &Installer{Home: h, Proxy: proxy, Mirror: mirror, MirrorOnly: mirror != ""}
	if in.Mirror == "" {
		in.Mirror = getenv("GOFORGE_DL_MIRROR")
	}
	return in, nil
}
