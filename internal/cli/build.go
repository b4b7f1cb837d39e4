package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/goforge/goforge/internal/xbuild"
)

// buildFlags are the flags of 'goforge build'.
type buildFlags struct {
	targets, exclude    listFlag
	config, dist, name  string
	version, ldflags    string
	tags                listFlag
	cgo, musl           bool
	run                 bool
	runArgs, expect     string
	noVerify, noArchive bool
	reproducible, force bool
	strict, clean       bool
	jsonOut             bool
	jobs                int
	compare             bool
	sets                listFlag
	compareTarget       string
	startupRuns         int
	warm                bool
	ldflagsSet          bool
}

// listFlag is a string flag that may be repeated; each value may itself
// be a comma-separated list.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func newBuildCmd() *Command {
	f := &buildFlags{}
	c := NewCommand("build", "[flags] [packages]", "build, verify and package a program for many platforms", buildLong)
	fs := c.Flags
	fs.Var(&f.targets, "targets", "targets to build: os/arch[/level], patterns (linux/*), all, first-class, default, host")
	fs.Var(&f.exclude, "exclude", "targets to leave out (same syntax, patterns allowed)")
	fs.StringVar(&f.config, "config", "", "config file (default: goforge.toml in the current directory or module root)")
	fs.StringVar(&f.dist, "dist", "", "output directory (default \"dist\")")
	fs.StringVar(&f.dist, "o", "", "output directory (same as --dist)")
	fs.StringVar(&f.name, "name", "", "base name of the outputs (default: the package's last path element)")
	fs.StringVar(&f.version, "version", "", "version to stamp (default: git describe)")
	fs.StringVar(&f.ldflags, "ldflags", "", "linker flags replacing the default \"-s -w\" (version stamping is added)")
	fs.Var(&f.tags, "tags", "build tags")
	fs.BoolVar(&f.cgo, "cgo", false, "build with cgo (needs a C compiler for each target)")
	fs.BoolVar(&f.musl, "musl", false, "static cgo builds against musl with musl-gcc for linux targets")
	fs.BoolVar(&f.run, "run", false, "run each output (natively, qemu-user, node, wazero) and check its output")
	fs.StringVar(&f.runArgs, "run-args", "", "arguments for --run (default \"--version\")")
	fs.StringVar(&f.expect, "expect", "", "regexp the --run output must match (default: the stamped version)")
	fs.BoolVar(&f.noVerify, "no-verify", false, "do not check the outputs' format, architecture and linkage")
	fs.BoolVar(&f.noArchive, "no-archive", false, "do not write .tar.gz/.zip archives")
	fs.BoolVar(&f.reproducible, "reproducible", false, "build each changed target twice (the second time with -a) and compare")
	fs.BoolVar(&f.force, "force", false, "rebuild every target even when its inputs are unchanged")
	fs.BoolVar(&f.strict, "strict", false, "publish nothing when a target fails (default: publish the others)")
	fs.BoolVar(&f.clean, "clean", false, "rebuild everything and keep nothing else in the output directory")
	fs.BoolVar(&f.jsonOut, "json", false, "print the report as JSON")
	fs.IntVar(&f.jobs, "jobs", 0, "builds to run at once (default: from cores and memory)")
	fs.IntVar(&f.jobs, "j", 0, "same as --jobs")
	fs.BoolVar(&f.compare, "compare", false, "compare flag sets for one target: size, build time, start-up time")
	fs.Var(&f.sets, "set", "with --compare: a flag set NAME=FLAGS, repeatable (replaces the standard sets)")
	fs.StringVar(&f.compareTarget, "target", "", "with --compare: the target (default: this machine)")
	fs.IntVar(&f.startupRuns, "startup-runs", 20, "with --compare: runs to time the start-up")
	fs.BoolVar(&f.warm, "warm", false, "with --compare: time builds with the build cache instead of from scratch (-a)")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		fs.Visit(func(fl *flag.Flag) { f.ldflagsSet = f.ldflagsSet || fl.Name == "ldflags" })
		if f.compare {
			return runCompare(ctx, c, st, f, args)
		}
		return runBuild(ctx, c, st, f, args)
	}
	return c
}

const buildLong = `
Build compiles main packages for a matrix of GOOS/GOARCH targets at once,
checks that every output is what was asked for, and packages a release:

  dist/NAME_VERSION_OS_ARCH[.exe|.wasm]   the programs
  dist/NAME_VERSION_OS_ARCH.tar.gz|.zip   archives (program, README, LICENSE;
                                          wasm_exec.js and index.html for js/wasm)
  dist/SHA256SUMS                         for 'sha256sum -c'
  dist/manifest.json                      targets, files, sizes, hashes, flags

Defaults: CGO_ENABLED=0, -trimpath, -ldflags "-s -w" plus
-X main.version/commit/date from git (the date is the commit time, or
SOURCE_DATE_EPOCH), so two builds of one commit are byte-identical.
Builds run concurrently (bounded by cores and memory) and share the go
build cache. A target whose inputs (source contents, go.mod/go.sum,
toolchain, flags, environment) are unchanged is not built again.

Every output's object format, architecture and static linkage are read
from the file. With --run each one is executed: natively, under
qemu-<arch>-static, under node (js/wasm) or wazero (wasip1/wasm); a target
whose runner is not installed is reported as skipped.

Settings can live in goforge.toml ([build] table; see docs/build.md).

Examples:
  goforge build --run ./examples/hello
  goforge build --targets linux/amd64,linux/arm64,windows/amd64 ./cmd/app
  goforge build --targets 'linux/*' --exclude linux/mips* --json .
  goforge build --musl --targets linux/amd64 ./cmd/app
  goforge build --compare --set 'small=-ldflags=-s -w -trimpath' ./cmd/app`

func runBuild(ctx context.Context, c *Command, st *Stdio, f *buildFlags, args []string) error {
	start := time.Now()
	env, err := loadBuildEnv(ctx, c, f, args)
	if err != nil {
		return err
	}
	b := env.builder
	if !f.jsonOut {
		fmt.Fprintf(st.Err, "goforge: building %d target(s) of %s %s with %s, %d at a time\n",
			len(b.Jobs), jobNames(b.Jobs), b.Stamp.Version, b.TC.Version(), b.Workers)
	}
	b.Progress = buildProgress(st, len(b.Jobs))
	results, err := b.Build(ctx)
	if err != nil {
		return err
	}
	rep := buildReport{
		Version: b.Stamp.Version, Commit: b.Stamp.Commit, Date: b.Stamp.Date, GoVersion: b.TC.Version(),
		Dist: b.Dist, Workers: b.Workers, Seconds: time.Since(start).Seconds(), Results: results,
		Published: b.Published,
	}
	for _, k := range b.Kept {
		fmt.Fprintf(st.Err, "goforge: kept %s in %s: not part of the release (--clean removes it)\n", k, b.Dist)
	}
	for _, r := range results {
		rep.count(r)
	}
	if f.jsonOut {
		if err := writeJSON(st.Out, rep); err != nil {
			return err
		}
	} else {
		printBuildTable(st, rep)
	}
	if rep.Failed > 0 {
		if !f.jsonOut {
			for _, r := range results {
				if r.Failed() {
					fmt.Fprintf(st.Err, "goforge: %s: %s\n", r.Target, r.Error)
				}
			}
		}
		return fmt.Errorf("%d of %d targets failed", rep.Failed, len(results))
	}
	return nil
}

func jobNames(jobs []*xbuild.Job) string {
	seen := map[string]bool{}
	var names []string
	for _, j := range jobs {
		if !seen[j.Name] {
			seen[j.Name] = true
			names = append(names, j.Name)
		}
	}
	return strings.Join(names, ", ")
}

// buildProgress prints one line per finished target to stderr.
func buildProgress(st *Stdio, total int) func(xbuild.Event) {
	var mu sync.Mutex
	done := 0
	return func(ev xbuild.Event) {
		if ev.Phase != "done" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		r := ev.Result
		line := fmt.Sprintf("goforge: [%d/%d] %s %s", done, total, ev.Job.Target, r.Status)
		switch {
		case r.Failed():
			line += ": " + firstLine(r.Error)
		case r.Status == "built":
			line += fmt.Sprintf(" in %.1fs", r.BuildSeconds)
		}
		if r.Ran != "" && !r.Failed() {
			line += ", ran: " + r.Ran
			if r.SkipReason != "" {
				line += " (" + r.SkipReason + ")"
			}
		}
		fmt.Fprintln(st.Err, line)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// buildEnv is everything runBuild and runCompare need, resolved from
// flags, the config file and the go command.
type buildEnv struct {
	builder *xbuild.Builder
	opts    *xbuild.Options
	pkgs    []xbuild.MainPackage
	dir     string
}

func loadBuildEnv(ctx context.Context, c *Command, f *buildFlags, args []string) (*buildEnv, error) {
	goCmd, err := xbuild.GoCommand(os.Getenv)
	if err != nil {
		return nil, err
	}
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	// The go command, git and the package list are asked at once: on a
	// no-op rebuild these calls are most of the time goforge takes.
	var (
		wg         sync.WaitGroup
		pkgs       []xbuild.MainPackage
		ps         []xbuild.Platform
		stamp      xbuild.Stamp
		e1, e2, e3 error
	)
	early := &xbuild.Toolchain{Go: goCmd}
	wg.Add(2)
	go func() { defer wg.Done(); ps, e2 = early.Platforms(ctx) }()
	go func() {
		defer wg.Done()
		stamp, e3 = xbuild.ReadStamp(ctx, dir, f.version, os.Getenv("SOURCE_DATE_EPOCH"))
	}()
	if len(args) > 0 {
		wg.Add(1)
		go func() { defer wg.Done(); pkgs, e1 = xbuild.ResolvePackages(ctx, early, dir, args) }()
	}
	tc, err := xbuild.LoadToolchain(ctx, goCmd, dir)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	cfg, err := findConfig(f.config, dir, tc)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	opts := mergeOptions(f, cfg)
	if len(args) > 0 {
		opts.Packages = args
	} else {
		pkgs, e1 = xbuild.ResolvePackages(ctx, tc, dir, opts.Packages)
	}
	wg.Wait()
	var bad *xbuild.BadInputError
	if errors.As(e3, &bad) {
		return nil, c.Usagef("%s", bad.Msg)
	}
	if err := errors.Join(e1, e2, e3); err != nil {
		return nil, err
	}
	if err := pickTargets(c, f, cfg, opts, ps, tc.Host()); err != nil {
		return nil, err
	}
	return finishBuildEnv(f, tc, dir, opts, pkgs, stamp)
}

func finishBuildEnv(f *buildFlags, tc *xbuild.Toolchain, dir string, opts *xbuild.Options, pkgs []xbuild.MainPackage, stamp xbuild.Stamp) (*buildEnv, error) {
	jobs, err := xbuild.Plan(opts, pkgs, stamp, xbuild.FindCC(os.Getenv, tc.Host()))
	if err != nil {
		return nil, err
	}
	extraDirs := []string{pkgs[0].Dir}
	if gomod := tc.Env["GOMOD"]; gomod != "" && gomod != os.DevNull {
		extraDirs = append(extraDirs, filepath.Dir(gomod))
	}
	extra, err := xbuild.ExtraFiles(opts.Extra, dir, extraDirs)
	if err != nil {
		return nil, err
	}
	dist := opts.Dist
	if !filepath.IsAbs(dist) {
		dist = filepath.Join(dir, dist)
	}
	b := &xbuild.Builder{
		TC: tc, Dir: dir, Dist: dist, Jobs: jobs, Stamp: stamp, Extra: extra,
		Archives: opts.Archives, Workers: f.jobs, Verify: !f.noVerify,
		Reproducible: f.reproducible, Force: f.force, Strict: f.strict, Clean: f.clean,
	}
	if b.Workers <= 0 {
		b.Workers = xbuild.DefaultWorkers()
	}
	if f.run {
		spec, err := runSpec(f, opts, stamp)
		if err != nil {
			return nil, err
		}
		b.Run = spec
	}
	return &buildEnv{builder: b, opts: opts, pkgs: pkgs, dir: dir}, nil
}

func runSpec(f *buildFlags, opts *xbuild.Options, stamp xbuild.Stamp) (*xbuild.RunSpec, error) {
	spec := &xbuild.RunSpec{Args: []string{"--version"}}
	rc := xbuild.RunConfig{}
	if opts.Config != nil {
		rc = opts.Config.Run
	}
	if len(rc.Args) > 0 {
		spec.Args = rc.Args
	}
	if f.runArgs != "" {
		spec.Args = strings.Fields(f.runArgs)
	}
	expect := rc.Expect
	if f.expect != "" {
		expect = f.expect
	}
	switch {
	case expect != "":
		re, err := regexp.Compile(expect)
		if err != nil {
			return nil, fmt.Errorf("bad --expect regexp: %w", err)
		}
		spec.Expect = re
	case len(spec.Args) == 1 && spec.Args[0] == "--version" && opts.Stamp.Version != "":
		spec.Expect = xbuild.DefaultExpect(stamp.Version)
	}
	return spec, nil
}

// findConfig loads --config, or goforge.toml from the current directory
// or the main module's root; nil when there is none.
func findConfig(name, dir string, tc *xbuild.Toolchain) (*xbuild.Config, error) {
	if name != "" {
		return xbuild.LoadConfig(name)
	}
	cands := []string{filepath.Join(dir, xbuild.ConfigName)}
	if gomod := tc.Env["GOMOD"]; gomod != "" && gomod != os.DevNull {
		cands = append(cands, filepath.Join(filepath.Dir(gomod), xbuild.ConfigName))
	}
	for _, p := range cands {
		if _, err := os.Stat(p); err == nil {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				rel = p
			}
			return xbuild.LoadConfig(rel)
		}
	}
	return nil, nil
}

func mergeOptions(f *buildFlags, cfg *xbuild.Config) *xbuild.Options {
	o := &xbuild.Options{
		Packages: []string{"."}, Dist: "dist", Ldflags: "-s -w", Flags: []string{"-trimpath"},
		Stamp: xbuild.DefaultStampVars, Archives: true, Config: cfg,
	}
	if cfg != nil {
		o.Name, o.Tags, o.Env, o.Cgo, o.Musl, o.Extra = cfg.Name, cfg.Tags, cfg.Env, cfg.Cgo, cfg.Musl, cfg.Extra
		if len(cfg.Packages) > 0 {
			o.Packages = cfg.Packages
		}
		if cfg.Dist != "" {
			o.Dist = cfg.Dist
		}
		if cfg.Ldflags != nil {
			o.Ldflags = *cfg.Ldflags
		}
		if cfg.Flags != nil {
			o.Flags = cfg.Flags
		}
		if cfg.Stamp != nil {
			o.Stamp = *cfg.Stamp
		}
		if cfg.Archives != nil {
			o.Archives = *cfg.Archives
		}
	}
	if f.name != "" {
		o.Name = f.name
	}
	if f.dist != "" {
		o.Dist = f.dist
	}
	if f.ldflagsSet {
		o.Ldflags = f.ldflags
	}
	o.Tags = append(o.Tags, f.tags...)
	o.Cgo = o.Cgo || f.cgo
	o.Musl = o.Musl || f.musl
	o.Archives = o.Archives && !f.noArchive
	return o
}

func pickTargets(c *Command, f *buildFlags, cfg *xbuild.Config, o *xbuild.Options, ps []xbuild.Platform, host xbuild.Target) error {
	items, excl := []string(f.targets), []string(f.exclude)
	if cfg != nil {
		if len(items) == 0 {
			items = cfg.Targets
		}
		excl = append(excl, cfg.Exclude...)
	}
	if len(items) == 0 {
		items = xbuild.DefaultTargets
		if o.Musl {
			items = []string{"host"}
		}
	}
	ts, err := xbuild.ParseTargets(items, ps, host)
	if err != nil {
		return c.Usagef("%s", err)
	}
	if ts, err = xbuild.Exclude(ts, excl); err != nil {
		return c.Usagef("%s", err)
	}
	if len(ts) == 0 {
		return c.Usagef("no targets left to build after --exclude")
	}
	o.Targets = ts
	return nil
}
