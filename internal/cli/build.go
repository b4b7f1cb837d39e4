package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goforge/goforge/internal/platform"
	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/units"
	"github.com/goforge/goforge/internal/xbuild"
)

// listFlag is a string flag that may be repeated; each value may itself
// be a comma-separated list.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// compareOnly and buildOnly are the flags of 'goforge build' that apply in
// one mode only; using one in the other mode is a usage error.
var (
	compareOnly = []string{"set", "target", "startup-runs", "warm"}
	buildOnly   = []string{"targets", "exclude", "config", "dist", "o", "name", "version", "ldflags", "cgo", "musl",
		"run", "expect", "no-verify", "no-archive", "reproducible", "force", "strict", "clean", "cache", "jobs", "j", "extra"}
)

func newBuildCmd() *Command {
	var req xbuild.Request
	var cmp xbuild.CompareRequest
	var targets, exclude, tags, extra, sets listFlag
	var ldflags string
	var jsonOut, compare, verbose bool
	c := NewCommand("build", "[flags] [packages]", "build, verify and package a program for many platforms", buildLong)
	fs := c.Flags
	fs.Var(&targets, "targets", "targets to build: "+platform.Grammar)
	fs.Var(&exclude, "exclude", "targets to leave out (os/arch[/level] globs)")
	fs.StringVar(&req.Config, "config", "", "config file (default: goforge.toml in the current directory or module root)")
	fs.StringVar(&req.Dist, "dist", "", "output directory (default \"dist\")")
	fs.StringVar(&req.Dist, "o", "", "output directory (same as --dist)")
	fs.StringVar(&req.Name, "name", "", "base name of the outputs (default: the package's last path element)")
	fs.StringVar(&req.Version, "version", "", "version to stamp (default: git describe)")
	fs.StringVar(&ldflags, "ldflags", "", "linker flags replacing the default \"-s -w\" (version stamping is added)")
	fs.Var(&tags, "tags", "build tags")
	fs.Var(&extra, "extra", "a file to put in every archive, repeatable (replaces extra_files and the README/LICENSE found)")
	fs.BoolVar(&req.Cgo, "cgo", false, "build with cgo (needs a C compiler for each target)")
	fs.BoolVar(&req.Musl, "musl", false, "static cgo builds against musl with musl-gcc for linux targets")
	fs.BoolVar(&req.Run, "run", false, "run each output (natively, qemu-user, node, wazero) and check its output")
	fs.StringVar(&req.RunArgs, "run-args", "", "arguments for --run (default \"--version\")")
	fs.StringVar(&req.Expect, "expect", "", "regexp the --run output must match (default: the stamped version)")
	fs.BoolVar(&req.NoVerify, "no-verify", false, "do not check the outputs' format, architecture and linkage")
	fs.BoolVar(&req.NoArchive, "no-archive", false, "do not write .tar.gz/.zip archives")
	fs.BoolVar(&req.Reproducible, "reproducible", false, "build each changed target twice (the second time with -a) and compare")
	fs.BoolVar(&req.Force, "force", false, "rebuild every target even when its inputs are unchanged")
	fs.BoolVar(&req.Strict, "strict", false, "publish nothing when a target fails (default: publish the others)")
	fs.BoolVar(&req.Clean, "clean", false, "rebuild everything and keep nothing else in the output directory")
	fs.StringVar(&req.Cache, "cache", "", "share the build cache through the HTTP cache server at `URL` (GOCACHEPROG=goforge cacheprog)")
	fs.BoolVar(&jsonOut, "json", false, "print the report as JSON")
	fs.BoolVar(&verbose, "v", false, "print a line per finished target (with --compare, flag set) to stderr when it is not a terminal (a terminal gets one status line)")
	fs.IntVar(&req.Jobs, "jobs", 0, "builds to run at once (default: from cores and memory)")
	fs.IntVar(&req.Jobs, "j", 0, "same as --jobs")
	fs.BoolVar(&compare, "compare", false, "same as 'goforge compare': compare flag sets for one target")
	addCompareFlags(fs, &cmp, &sets)
	tcfg := telemetryFlags(c)
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		set := setFlags(fs)
		if compare {
			if err := onlyIn(c, set, buildOnly, "build without --compare"); err != nil {
				return err
			}
			cmp.Tags, cmp.Sets, cmp.RunArgs = tags, sets, req.RunArgs
			return runCompare(ctx, c, st, cmp, jsonOut, verbose, args)
		}
		if err := onlyIn(c, set, compareOnly, "'goforge compare'"); err != nil {
			return err
		}
		req.Packages, req.Targets, req.Exclude, req.Tags, req.Extra = args, targets, exclude, tags, extra
		if set["ldflags"] {
			req.Ldflags = &ldflags
		}
		ctx, tel, err := startTelemetry(ctx, c, st, tcfg)
		if err != nil {
			return err
		}
		err = runBuild(ctx, c, st, req, jsonOut, verbose, tel)
		tel.End(err)
		return err
	}
	return c
}

// setFlags is the set of flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// onlyIn rejects the first flag of names that was set: it applies only to
// mode.
func onlyIn(c *Command, set map[string]bool, names []string, mode string) error {
	for _, n := range names {
		if set[n] {
			return c.Usagef("--%s applies only to %s", n, mode)
		}
	}
	return nil
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
toolchain, flags, environment) are unchanged is not built again; one
built before into another directory is copied from the output cache
(status "reused"; GOFORGE_OUTPUT_CACHE=off turns that off).
--targets takes the patterns 'goforge targets' takes; a port the
toolchain marks broken is refused. The go command is the one the
directory pins (as 'goforge which' shows), else $GOFORGE_GO, else PATH's.

Every output's object format, architecture and static linkage are read
from the file. With --run each one is executed: natively, under
qemu-<arch>-static, under node (js/wasm) or wazero (wasip1/wasm); a target
whose runner is not installed is reported as skipped.

Settings can live in goforge.toml ([build] table; see docs/build.md).
--compare is 'goforge compare'; the flags of one mode are refused in the
other.

Examples:
  goforge build --run ./examples/hello
  goforge build --targets linux/amd64,linux/arm64,windows/amd64 ./cmd/app
  goforge build --targets 'linux/*' --exclude linux/mips* --json .
  goforge build --musl --targets linux/amd64 ./cmd/app
  goforge build --compare --warm --set 'small=-ldflags="-s -w" -trimpath' ./cmd/app`

func runBuild(ctx context.Context, c *Command, st *Stdio, req xbuild.Request, jsonOut, verbose bool, tel *telemetry.Session) error {
	start := time.Now()
	r, dir, err := st.goRunner(ctx)
	if err != nil {
		return err
	}
	req.Dir, req.Getenv, req.Exe = dir, st.Getenv, selfExe()
	b, err := xbuild.PrepareTraced(ctx, r, req, tel)
	if err != nil {
		return usageIfBad(c, err)
	}
	shown := showProgress(st, jsonOut, verbose) && !tel.StructuredLogs()
	if shown || !jsonOut {
		st.sayToolchain(r, b.TC.Version())
	}
	if shown {
		st.say("building %s of %s %s with %s, %d at a time",
			units.Count(len(b.Jobs), "target"), jobNames(b.Jobs), b.Stamp.Version, b.TC.Version(), b.Workers)
	}
	p := startProgress(st, progressOpts{verb: "building", total: len(b.Jobs), verbose: verbose, quiet: tel.StructuredLogs()})
	defer p.close()
	b.Progress = func(ev xbuild.Event) { buildEvent(p, ev) }
	b.Waiting = func(dist string) {
		const msg = "waiting for another goforge build publishing beside %s to finish"
		if p != nil {
			p.say(msg, dist)
		} else {
			st.say(msg, dist)
		}
	}
	results, err := b.Build(ctx)
	p.close()
	if err != nil {
		return err
	}
	rep := xbuild.Report{
		Version: b.Stamp.Version, Commit: b.Stamp.Commit, Date: b.Stamp.Date, GoVersion: b.TC.Version(),
		Dist: b.Dist, Workers: b.Workers, Seconds: time.Since(start).Seconds(), Results: results,
		Published: b.Published,
	}
	for _, k := range b.Kept {
		fmt.Fprintf(st.Err, "goforge: kept %s in %s: not part of the release (--clean removes it)\n", k, b.Dist)
	}
	for _, r := range results {
		rep.Count(r)
	}
	if jsonOut {
		err = writeJSON(st.Out, rep)
	} else {
		rep.WriteText(st.Out)
	}
	if !jsonOut {
		for _, r := range results {
			for _, n := range r.Notes {
				st.say("%s: %s", r.Target, n)
			}
		}
	}
	if err != nil || rep.Failed == 0 {
		return err
	}
	if !jsonOut {
		for _, r := range results {
			if r.Failed() {
				st.say("%s: %s", r.Target, r.Error)
			}
		}
	}
	return fmt.Errorf("%d of %d targets failed", rep.Failed, len(results))
}

// selfExe is the path goforge was started as, for programs that run
// goforge again (GOCACHEPROG): the name as invoked, found on PATH, keeps
// what a test harness or a symlink farm relies on.
func selfExe() string {
	if p, err := exec.LookPath(os.Args[0]); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
	}
	p, _ := os.Executable()
	return p
}

// usageIfBad turns an error in what the user asked for into a usage
// error (exit 2).
func usageIfBad(c *Command, err error) error {
	var bad *xbuild.BadInputError
	if errors.As(err, &bad) {
		return c.Usagef("%s", bad.Msg)
	}
	return err
}

func jobNames(jobs []*xbuild.Job) string {
	var names []string
	for _, j := range jobs {
		if !slices.Contains(names, j.Name) {
			names = append(names, j.Name)
		}
	}
	return strings.Join(names, ", ")
}

// showProgress reports whether a long command prints progress (a header
// and a line per finished item) to stderr. As the go command prints
// nothing on success, it does so only when asked (-v) or when stderr is a
// terminal someone watches; with --json, only when asked.
func showProgress(st *Stdio, jsonOut, verbose bool) bool {
	if verbose {
		return true
	}
	return !jsonOut && isTerminal(st.Err) && st.Getenv("TERM") != "dumb"
}

// pinnedGo reports whether the go command was chosen by a pin or the
// global default rather than by PATH or $GOFORGE_GO: then goforge says
// which it uses, since it is not the go a shell would run.
func pinnedGo(source string) bool {
	return source != "PATH" && source != "$GOFORGE_GO"
}

// buildEvent reports a target's start and end to p.
func buildEvent(p *progress, ev xbuild.Event) {
	if ev.Phase == "warning" {
		p.say("%s", ev.Warning)
		return
	}
	name := ev.Job.Target.String()
	if ev.Phase == "start" {
		p.begin(name)
	} else if ev.Phase == "done" {
		p.end(name, ev.Result.Failed(), ev.Result.Summary())
	}
}
