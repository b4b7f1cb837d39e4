package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"

	gomatrix "github.com/goforge/goforge/internal/matrix"
	"github.com/goforge/goforge/internal/toolchain"
	"golang.org/x/mod/modfile"
)

// matrixFlags are the flags of 'goforge matrix'.
type matrixFlags struct {
	versions, targets string
	json              bool
	junit             string
	rerunFails        int
	jobs              int
	min               bool
	noInstall         bool
	noCache           bool
	cacheDir          string
	goGiven           bool // --go was on the command line
}

func newMatrixCmd() *Command {
	var f matrixFlags
	c := NewCommand("matrix", "[flags] [packages] [-- go test flags]",
		"run a module's tests across Go versions and targets", `
Matrix runs 'go test -json' for every Go version × target, concurrently
(one cell per core, fewer when memory is short), each with that toolchain's
own environment (GOROOT, PATH, GOTOOLCHAIN=local) and its own build cache,
and prints a grid: pass/fail/skip counts, duration, the first failing test
with its output, and a build failure's first compiler error.

--go takes a comma-separated list of: versions (1.19, 1.22.5), go.mod (the
go line's release, newest patch), go.mod..latest (every release from the go
line to the newest), supported (the two newest releases), installed.
Versions that are not installed are installed with the verified installer
(--no-install refuses instead).

--targets takes GOOS/GOARCH pairs. Foreign Linux architectures run under
qemu-<arch>-static, js/wasm under node and wasip1/wasm under wasmtime,
wazero or wasmedge, through the toolchain's exec wrappers; a target without
a runner is skipped and said so.

A passing cell's result is cached: re-running with the same toolchain,
flags, environment (GO* and CGO_*) and module files reuses it (-count or
--no-cache turn that off).

--min finds the oldest release (installed, or installable: go.mod's go line
and the releases the code's standard library API uses point at) on which
the packages build and pass, and checks go.mod's go line against it,
naming the API that breaks the older release. With --go, the releases of
that list are the candidates instead.

Packages come before '--'; everything from the first argument that starts
with '-' on goes to go test. Exit status 1 when any cell fails (flaky tests
alone do not count), 130 after Ctrl-C.`)
	fl := c.Flags
	fl.StringVar(&f.versions, "go", "installed", "Go versions: `LIST` of versions, go.mod, go.mod..latest, supported, installed")
	fl.StringVar(&f.targets, "targets", "", "GOOS/GOARCH `LIST` (default: this machine's)")
	fl.BoolVar(&f.json, "json", false, "print the results as JSON")
	fl.StringVar(&f.junit, "junit", "", "also write JUnit XML to `FILE`")
	fl.IntVar(&f.rerunFails, "rerun-fails", 0, "rerun failed tests up to `N` times; those that pass are flaky")
	fl.IntVar(&f.jobs, "jobs", 0, "cells to run at once (default: from cores and memory)")
	fl.BoolVar(&f.min, "min", false, "find the oldest Go release the packages build and pass on")
	fl.BoolVar(&f.noInstall, "no-install", false, "fail instead of installing missing versions")
	fl.BoolVar(&f.noCache, "no-cache", false, "do not reuse cached passing results")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "per-toolchain build caches and cached results go in `DIR` (default: the user cache directory's goforge/matrix)")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if f.rerunFails < 0 || f.jobs < 0 {
			return c.Usagef("--rerun-fails and --jobs take a number ≥ 0")
		}
		f.goGiven = flagSet(c, "go")
		entries, err := gomatrix.ParseVersionList(f.versions)
		if err != nil {
			return c.Usagef("--go: %v", err)
		}
		targets, err := gomatrix.ParseTargets(f.targets)
		if err != nil {
			return c.Usagef("--targets: %v", err)
		}
		return withSignals(ctx, st, func(ctx context.Context) error {
			return runMatrix(ctx, st, &f, entries, targets, args)
		})
	}
	return c
}

// withSignals runs fn with a context that SIGINT and SIGTERM cancel; fn
// stops its children when that happens, and the command exits 130 or 143.
func withSignals(ctx context.Context, st *Stdio, fn func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)
	var got atomic.Value
	go func() {
		select {
		case s := <-sigc:
			got.Store(s)
			cancel()
		case <-ctx.Done():
		}
	}()
	err := fn(ctx)
	if s, ok := got.Load().(os.Signal); ok || (err != nil && ctx.Err() != nil) {
		fmt.Fprintf(st.Err, "goforge: interrupted; stopped every go test\n")
		if s == syscall.SIGTERM {
			return &ExitError{Code: 143}
		}
		return &ExitError{Code: 130}
	}
	return err
}

func runMatrix(ctx context.Context, st *Stdio, f *matrixFlags, entries []string, targets []gomatrix.Target, args []string) error {
	root, goLine, err := findModule()
	if err != nil {
		return err
	}
	h, err := toolchain.OpenHome()
	if err != nil {
		return err
	}
	in, err := newInstaller(h, st, "")
	if err != nil {
		return err
	}
	src := &gomatrix.HomeSource{Home: h, Installer: in, NoInstall: f.noInstall}
	pkgs, testFlags := splitPackages(args)
	if f.cacheDir == "" {
		uc, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("finding the cache directory (or pass --cache-dir): %w", err)
		}
		f.cacheDir = filepath.Join(uc, "goforge", "matrix")
	}
	req := gomatrix.Request{
		Dir: root, Packages: pkgs, TestFlags: testFlags, Targets: targets,
		RerunFails: f.rerunFails, Jobs: f.jobs, NoResultCache: f.noCache,
		CacheDir: f.cacheDir, LookPath: exec.LookPath,
		Finished: func(c gomatrix.Cell) { fmt.Fprintf(st.Err, "goforge: %s %s: %s\n", c.Toolchain, c.Target, cellText(c)) },
	}
	if f.min {
		return runMatrixMin(ctx, st, f, src, req, goLine, entries)
	}
	res, err := gomatrix.Resolve(ctx, entries, goLine, src)
	if err != nil {
		return fmt.Errorf("choosing Go versions: %w", err)
	}
	if len(res.Missing) > 0 && f.noInstall {
		return fmt.Errorf("%s not installed (--no-install)", strings.Join(res.Missing, ", "))
	}
	for _, v := range res.Versions {
		tc, err := src.Prepare(ctx, v)
		if err != nil {
			return err
		}
		req.Toolchains = append(req.Toolchains, tc)
	}
	cells, err := gomatrix.Run(ctx, req)
	if err != nil {
		return err
	}
	return renderMatrix(st, f, cells)
}

// findModule finds the module root above the working directory and its go
// line.
func findModule() (root, goLine string, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			mf, err := modfile.ParseLax(filepath.Join(dir, "go.mod"), data, nil)
			if err != nil {
				return "", "", fmt.Errorf("reading go.mod: %w", err)
			}
			if mf.Go != nil {
				goLine = mf.Go.Version
			}
			return dir, goLine, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", "", fmt.Errorf("reading go.mod: %w", err)
		}
		if filepath.Dir(dir) == dir {
			return "", "", fmt.Errorf("no go.mod in %s or any parent directory: matrix runs a module's tests", wd)
		}
	}
}

// splitPackages separates package patterns from go test flags: everything
// from the first argument that starts with '-' on is a flag.
func splitPackages(args []string) (pkgs, flags []string) {
	for i, a := range args {
		if strings.HasPrefix(a, "-") {
			return args[:i], args[i:]
		}
	}
	return args, nil
}

func renderMatrix(st *Stdio, f *matrixFlags, cells []gomatrix.Cell) error {
	if f.junit != "" {
		if err := writeFileAtomic(f.junit, func(w io.Writer) error { return gomatrix.WriteJUnit(w, cells) }); err != nil {
			return err
		}
	}
	bad := false
	for _, c := range cells {
		bad = bad || c.Bad()
	}
	if f.json {
		if err := writeJSON(st.Out, matrixJSON{Cells: cells, Failed: bad}); err != nil {
			return err
		}
	} else {
		printGrid(st.Out, cells)
	}
	if bad {
		return &ExitError{Code: 1}
	}
	return nil
}

// matrixJSON is the schema of 'goforge matrix --json'.
type matrixJSON struct {
	Cells  []gomatrix.Cell `json:"cells"`
	Failed bool            `json:"failed"`
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, so a reader never sees half of it.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
