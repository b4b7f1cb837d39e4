package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/goforge/goforge/internal/cacheprog"
	gomatrix "github.com/goforge/goforge/internal/matrix"
	"github.com/goforge/goforge/internal/telemetry"
)

// matrixFlags are the flags of 'goforge matrix'.
type matrixFlags struct {
	versions, targets string
	json              bool
	verbose           bool
	junit             string
	rerunFails        int
	jobs              int
	min               bool
	noInstall         bool
	noCache           bool
	cacheDir          string
	cache             string // a team build cache's URL
	goGiven           bool   // --go was on the command line
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

--targets takes GOOS/GOARCH pairs, each a port of one of the toolchains
('goforge targets'); an unknown one is a usage error. Foreign Linux architectures run under
qemu-<arch>-static, js/wasm under node and wasip1/wasm under wasmtime,
wazero or wasmedge, through the toolchain's exec wrappers; a target without
a runner is skipped and said so.

A passing cell's result is cached: re-running with the same toolchain,
flags, environment (GO* and CGO_*) and module files reuses it (-count or
--no-cache turn that off).

--min finds the oldest release (installed, or installable: go.mod's go line
and the releases the code's standard library API uses point at) on which
the packages build and pass, and checks go.mod's go line against it,
naming the API that breaks the older release (dated by the api/ files of
any Go it can see: toolchains from the module proxy have none, so adopt a
full installation such as /usr/local/go if none has them). With --go, the
releases of that list are the candidates instead.

Packages come before '--'; everything from the first argument that starts
with '-' on goes to go test (-v is goforge's, a line per finished cell;
go test's is 'goforge matrix ./... -- -v'). Exit status 1 when any cell fails (flaky tests
alone do not count), 130 after Ctrl-C.`)
	fl := c.Flags
	fl.StringVar(&f.versions, "go", "installed", "Go versions: `LIST` of versions, go.mod, go.mod..latest, supported, installed")
	fl.StringVar(&f.targets, "targets", "", "GOOS/GOARCH `LIST` (default: this machine's)")
	fl.BoolVar(&f.json, "json", false, "print the results as JSON")
	fl.BoolVar(&f.verbose, "v", false, "print a line per finished cell to stderr when it is not a terminal (a terminal gets one status line)")
	fl.StringVar(&f.junit, "junit", "", "also write JUnit XML to `FILE`")
	fl.IntVar(&f.rerunFails, "rerun-fails", 0, "rerun failed tests up to `N` times; those that pass are flaky")
	fl.IntVar(&f.jobs, "jobs", 0, "cells to run at once (default: from cores and memory)")
	fl.BoolVar(&f.min, "min", false, "find the oldest Go release the packages build and pass on")
	fl.BoolVar(&f.noInstall, "no-install", false, "fail instead of installing missing versions")
	fl.BoolVar(&f.noCache, "no-cache", false, "do not reuse cached passing results")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "per-toolchain build caches and cached results go in `DIR` (default: the user cache directory's goforge/matrix)")
	fl.StringVar(&f.cache, "cache", "", "share build caches through the HTTP cache server at `URL` (GOCACHEPROG=goforge cacheprog)")
	tcfg := telemetryFlags(c)
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		return f.run(ctx, c, st, tcfg, args)
	}
	return c
}

// run checks the flags, then runs the matrix; a --targets entry no
// toolchain knows is a usage error, as in 'goforge build'.
func (f *matrixFlags) run(ctx context.Context, c *Command, st *Stdio, tcfg *telemetry.Config, args []string) error {
	if f.rerunFails < 0 || f.jobs < 0 {
		return c.Usagef("--rerun-fails and --jobs take a number ≥ 0")
	}
	if flagSet(c, "junit") && f.junit == "" {
		return c.Usagef("--junit wants a file name")
	}
	if f.junit != "" && f.min {
		return c.Usagef("--junit does not go with --min, which runs no grid")
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
	extra, warnings, err := matrixTeamCache(c, st, f.cache)
	if err != nil {
		return err
	}
	ctx, tel, err := startTelemetry(ctx, c, st, tcfg)
	if err != nil {
		sayCacheWarnings(st, warnings) // removes the file
		return err
	}
	err = runMatrix(ctx, st, f, entries, targets, args, tel, extra)
	sayCacheWarnings(st, warnings)
	tel.End(err)
	var bad *gomatrix.BadTargetError
	if errors.As(err, &bad) {
		return c.Usagef("%s", bad.Msg)
	}
	return err
}

func runMatrix(ctx context.Context, st *Stdio, f *matrixFlags, entries []string, targets []gomatrix.Target, args []string,
	tel *telemetry.Session, extraEnv []string) error {
	wd, err := st.WorkDir()
	if err != nil {
		return err
	}
	h, err := st.Home()
	if err != nil {
		return err
	}
	in, err := newInstaller(h, st, "")
	if err != nil {
		return err
	}
	verb := "testing"
	if f.min {
		verb = "finding the oldest release"
	}
	p := startProgress(st, progressOpts{verb: verb, verbose: f.verbose, quiet: tel.StructuredLogs()})
	defer p.close()
	installEvents(in, p, false)
	res, err := gomatrix.Test(ctx, gomatrix.TestRequest{
		WorkDir: wd, Environ: st.Environ(), Home: h, Installer: in,
		Versions: entries, GoGiven: f.goGiven, Targets: targets, Args: args,
		RerunFails: f.rerunFails, Jobs: f.jobs, Min: f.min,
		NoInstall: f.noInstall, NoCache: f.noCache, CacheDir: f.cacheDir, JUnit: f.junit,
		Tel: tel, ExtraEnv: extraEnv,
		Planned: p.setTotal,
		Started: func(c gomatrix.Cell) { p.begin(cellName(c, f.min)) },
		Finished: func(c gomatrix.Cell) {
			p.end(cellName(c, false), c.Bad(), fmt.Sprintf("%s %s: %s", c.Toolchain, c.Target, cellText(c)))
		},
		Tried:    func(a gomatrix.Attempt) { p.end(a.Go, a.Status != gomatrix.StatusPass, a.Go+": "+a.Status) },
		Skipping: func(e error) { p.say("not trying: %v", e) },
		Note:     func(s string) { p.say("%s", s) },
	})
	p.close()
	if err != nil {
		return err
	}
	switch {
	case f.json && res.Min != nil:
		err = writeJSON(st.Out, res.Min)
	case f.json:
		err = writeJSON(st.Out, matrixJSON{Cells: res.Cells, Failed: res.Failed()})
	case res.Min != nil:
		printMin(st.Out, res.Min)
	default:
		printGrid(st.Out, res.Cells)
	}
	if err != nil {
		return err
	}
	if res.JUnitErr != nil {
		return res.JUnitErr // after the results, which it must not lose
	}
	if res.Failed() {
		return &ExitError{Code: 1}
	}
	return nil
}

// cellName names a running cell on the status line: its toolchain and
// target, or with --min, where cells run one release at a time, the
// release.
func cellName(c gomatrix.Cell, min bool) string {
	if min {
		return c.Go
	}
	return c.Toolchain + " " + c.Target
}

// matrixJSON is the schema of 'goforge matrix --json'.
type matrixJSON struct {
	Cells  []gomatrix.Cell `json:"cells"`
	Failed bool            `json:"failed"`
}

// matrixTeamCache is the environment for --cache URL and the file its
// cache programs append warnings to ("" without --cache).
func matrixTeamCache(c *Command, st *Stdio, url string) ([]string, string, error) {
	if url == "" {
		return nil, "", nil
	}
	f, err := os.CreateTemp("", "goforge-cache-warnings-*")
	if err != nil {
		return nil, "", fmt.Errorf("using the team cache: %w", err)
	}
	f.Close()
	env, err := cacheprog.TeamEnv(selfExe(), url, f.Name(), st.Getenv)
	var bad *cacheprog.URLError
	if errors.As(err, &bad) {
		os.Remove(f.Name())
		return nil, "", c.Usagef("--cache: %v", err)
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, "", err
	}
	return env, f.Name(), nil
}

// sayCacheWarnings prints each distinct warning of the team cache's
// programs once, and removes their file.
func sayCacheWarnings(st *Stdio, file string) {
	if file == "" {
		return
	}
	ws, err := cacheprog.ReadWarnings(file)
	os.Remove(file)
	if err != nil {
		ws = append(ws, err.Error())
	}
	for _, w := range ws {
		st.say("%s", w)
	}
}
