// Package srcinstall builds Go from a source tree and installs it as a
// managed version: it picks the bootstrap toolchain, copies the tree to a
// staging directory under a lock, runs make.bash (and run.bash), tidies
// the result into the binary distribution's layout, installs it, and can
// compare it file by file with the binary distribution of the same
// version. The pure parts (requirements, phases, layout, comparison) are
// in fromsource; this package is the one that runs programs.
package srcinstall

import (
	"context"
	"errors"
	"fmt"
	goversion "go/version"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/goforge/goforge/internal/fromsource"
	"github.com/goforge/goforge/internal/fromsource/srcexec"
	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/toolchain"
)

// Options are the flags of 'goforge install --from-source'.
type Options struct {
	Arg                string // VERSION or DIR (may be empty: the active version)
	Bootstrap          string // --bootstrap VERSION|DIR
	VerifyReproducible bool   // --verify-reproducible
	RunTests           bool   // --run-tests
	TestRun            string // --run-tests-run REGEXP: subset for 'go tool dist test -run'
	GOOS, GOARCH       string // --os/--arch: build a cross toolchain
	Experiment         string // --experiment: GOEXPERIMENT
	JSON               bool   // --json summary
	CGOEnabled         string // CGO_ENABLED for make.bash ("" = its default)
	Force              bool   // --force: replace an installed build of the same name
	Use                bool   // --use: make the build the global default
}

// Result is what was built and installed; it is also the schema of
// 'goforge install --from-source --json'.
type Result struct {
	Name         string                 `json:"name"`
	Version      string                 `json:"version"`
	GOOS         string                 `json:"goos"`
	GOARCH       string                 `json:"goarch"`
	Source       string                 `json:"source"` // the tree that was built (copied)
	Dir          string                 `json:"dir"`    // the installed GOROOT
	Requirement  fromsource.Requirement `json:"bootstrap_requirement"`
	Bootstrap    fromsource.Candidate   `json:"bootstrap"`
	Phases       []fromsource.PhaseTime `json:"phases"`
	TotalSeconds float64                `json:"total_seconds"`
	Tests        *TestsResult           `json:"tests,omitempty"`
	Reproducible *ReproResult           `json:"reproducible,omitempty"`
}

type TestsResult struct {
	Run     string  `json:"run,omitempty"` // the -run subset, if any
	Passed  bool    `json:"passed"`
	Seconds float64 `json:"seconds"`
}

type ReproResult struct {
	ComparedWith string                      `json:"compared_with"` // name or GOROOT of the binary distribution
	Dir          string                      `json:"dir"`
	Equal        int                         `json:"equal"`
	Total        int                         `json:"total"`
	Files        []fromsource.FileComparison `json:"files"`
}

// sourceBuild is one 'install --from-source' in progress.
type sourceBuild struct {
	opts     Options
	home     *toolchain.Home
	tree     *fromsource.Tree
	name     string
	goos     string
	goarch   string
	cross    bool
	stage    string // the copy being built, under the home's tmp/
	logPath  string
	distName string // with --verify-reproducible, the binary distribution
	distDir  string // and its GOROOT
	res      Result
	st       *Env // for fetching the binary distribution
}

// Env is what an install needs from its caller.
type Env struct {
	Home *toolchain.Home
	// Env is the environment the build starts from.
	Env []string
	// Err receives diagnostics: make.bash's warnings, a failed script's
	// last lines, run.bash's output.
	Err io.Writer
	// Notef, when set, reports steps ("building go1.23.4-src from ...").
	Notef func(format string, args ...any)
	// Phase, when set, is told as make.bash enters each phase and as the
	// build ends.
	Phase func(PhaseEvent)
	// Install installs a binary distribution, for comparing with it.
	Install func(ctx context.Context, req toolchain.Request) (toolchain.Result, error)
}

// A PhaseEvent reports that make.bash entered phase Name, the Index-th of
// Total (Name is "" when the build ended), and how long the phase before
// it, Prev, took (nil for the first).
type PhaseEvent struct {
	Index, Total int
	Name         string
	Prev         *fromsource.PhaseTime
}

func (e *Env) notef(format string, args ...any) {
	if e.Notef != nil {
		e.Notef(format, args...)
	}
}

func (e *Env) phase(ev PhaseEvent) {
	if e.Phase != nil {
		e.Phase(ev)
	}
}

// Environ is the environment the build starts from.
func (e *Env) Environ() []string { return e.Env }

// Getenv reads the environment the build starts from.
func (e *Env) Getenv(key string) string { return gocmd.Getenv(e.Env, key) }

// Install builds Go from source and installs it as a managed version.
// A reproducibility check that finds differences is not an error: the
// result says so.
func Install(ctx context.Context, st *Env, opts Options) (*Result, error) {
	if !srcexec.Supported {
		return nil, errors.New("building Go from source needs make.bash and a Unix shell: on Windows run src\\make.bat (on Plan 9 src/make.rc) yourself, then 'goforge adopt DIR'")
	}
	home := st.Home
	home.CleanStale()
	b, err := planSourceBuild(ctx, st, home, opts)
	if err != nil {
		return nil, err
	}
	if err := b.buildLocked(ctx, st); err != nil {
		return nil, err
	}
	if err := b.install(); err != nil {
		return nil, err
	}
	if opts.VerifyReproducible {
		if err := b.verify(); err != nil {
			return nil, fmt.Errorf("%s is installed, but checking it: %w", b.name, err)
		}
	}
	return &b.res, nil
}

// planSourceBuild finds the tree, names the build and picks its bootstrap
// toolchain: everything that can fail before minutes of building.
func planSourceBuild(ctx context.Context, st *Env, home *toolchain.Home, opts Options) (*sourceBuild, error) {
	b := &sourceBuild{opts: opts, home: home, goos: runtime.GOOS, goarch: runtime.GOARCH, st: st}
	if opts.GOOS != "" {
		b.goos = opts.GOOS
	}
	if opts.GOARCH != "" {
		b.goarch = opts.GOARCH
	}
	b.cross = b.goos != runtime.GOOS || b.goarch != runtime.GOARCH
	b.opts.RunTests = opts.RunTests || opts.TestRun != ""
	if b.cross && b.opts.RunTests {
		return nil, fmt.Errorf("--run-tests needs a toolchain for this machine (%s/%s), not %s/%s", runtime.GOOS, runtime.GOARCH, b.goos, b.goarch)
	}
	var err error
	if b.tree, err = resolveSourceTree(home, opts.Arg); err != nil {
		return nil, err
	}
	if b.name, err = b.buildName(ctx); err != nil {
		return nil, err
	}
	if opts.VerifyReproducible {
		if b.distName, b.distDir, err = b.findBinaryDist(ctx, b.tree.Version); err != nil {
			return nil, fmt.Errorf("--verify-reproducible: %w", err)
		}
	}
	if err := b.checkNotInstalled(); err != nil {
		return nil, err
	}
	boot, err := selectBootstrap(ctx, home, b.tree.Need, opts.Bootstrap)
	if err != nil {
		return nil, err
	}
	b.res = Result{
		Name: b.name, GOOS: b.goos, GOARCH: b.goarch, Source: b.tree.Root,
		Dir: home.VersionDir(b.name), Requirement: b.tree.Need, Bootstrap: boot,
	}
	return b, nil
}

// resolveSourceTree turns the argument of 'install --from-source' into a
// source tree: a directory, an installed version (its src/ is copied, never
// built in place), or with no argument the active version.
func resolveSourceTree(home *toolchain.Home, arg string) (*fromsource.Tree, error) {
	if arg == "" {
		cur, ok, err := home.Current()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errors.New("no source given and no active version: pass a Go source DIR or an installed VERSION")
		}
		return fromsource.OpenTree(cur.Dir)
	}
	if looksLikeDir(arg) {
		return fromsource.OpenTree(arg)
	}
	inst, err := home.Find(arg)
	if errors.Is(err, toolchain.ErrNotInstalled) {
		return nil, fmt.Errorf("%q is neither a directory nor an installed version: install it first with 'goforge install %s' (its GOROOT has src/), or pass a source DIR", arg, strings.TrimPrefix(arg, "go"))
	}
	if err != nil {
		return nil, err
	}
	return fromsource.OpenTree(inst.Dir)
}

func looksLikeDir(arg string) bool {
	if strings.ContainsAny(arg, `/\`) || arg == "." || arg == ".." {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir()
}

// buildName names the build go1.26.8-src (go1.26.8.linux-arm64-src for a
// cross toolchain) or devel-<hash> for a checkout.
func (b *sourceBuild) buildName(ctx context.Context) (string, error) {
	hash := ""
	if b.tree.Git {
		h, err := srcexec.GitHead(ctx, b.tree.Root)
		if err != nil && b.tree.Version == "" {
			return "", err
		}
		hash = h
	}
	name, err := fromsource.InstallName(b.tree.Version, hash)
	if err != nil {
		return "", fmt.Errorf("%s: %w", b.tree.Root, err)
	}
	if b.cross {
		base, ok := strings.CutSuffix(name, "-src")
		if !ok {
			return "", fmt.Errorf("cross builds of a development tree (%s) have no version name; build it for this machine, or check out a release", name)
		}
		name = base + "." + b.goos + "-" + b.goarch + "-src"
	}
	return name, nil
}

func (b *sourceBuild) checkNotInstalled() error {
	if b.opts.Force {
		return nil
	}
	if _, err := os.Lstat(b.home.VersionDir(b.name)); err == nil {
		return fmt.Errorf("%s is already installed: pass --force to rebuild it, or remove it with 'goforge uninstall %s'", b.name, b.name)
	}
	return nil
}

// selectBootstrap picks GOROOT_BOOTSTRAP: the toolchain --bootstrap names,
// else the newest installed version that is new enough, else the go on
// PATH if it is.
func selectBootstrap(ctx context.Context, home *toolchain.Home, need fromsource.Requirement, flag string) (fromsource.Candidate, error) {
	if flag != "" {
		c, err := namedBootstrap(ctx, home, flag)
		if err != nil {
			return c, err
		}
		if why := fromsource.Check(c, need); why != "" {
			return c, &fromsource.NoBootstrapError{Need: need, Rejected: []fromsource.Rejection{{Candidate: c, Reason: why}}}
		}
		return c, nil
	}
	var cands []fromsource.Candidate
	list, err := home.List()
	if err != nil {
		return fromsource.Candidate{}, err
	}
	for _, inst := range list {
		if inst.Host() {
			cands = append(cands, fromsource.Candidate{Name: inst.Name, GOROOT: inst.Dir, Version: inst.Meta.Version, Origin: "managed"})
		}
	}
	if goroot, v, err := srcexec.GoEnv(ctx, "go"); err == nil {
		cands = append(cands, fromsource.Candidate{Name: filepath.Join(goroot, "bin", "go"), GOROOT: goroot, Version: v, Origin: "path"})
	}
	return fromsource.Select(need, cands)
}

// namedBootstrap resolves --bootstrap: a GOROOT directory or an installed
// version.
func namedBootstrap(ctx context.Context, home *toolchain.Home, flag string) (fromsource.Candidate, error) {
	if looksLikeDir(flag) {
		goroot, v, err := srcexec.GoEnvOfRoot(ctx, flag)
		if err != nil {
			return fromsource.Candidate{}, fmt.Errorf("--bootstrap %q: not a usable GOROOT: %w", flag, err)
		}
		return fromsource.Candidate{Name: flag, GOROOT: goroot, Version: v, Origin: "flag"}, nil
	}
	inst, err := home.Find(flag)
	if errors.Is(err, toolchain.ErrNotInstalled) {
		return fromsource.Candidate{}, fmt.Errorf("--bootstrap %q is not installed: install it with 'goforge install %s', or pass a GOROOT DIR", flag, strings.TrimPrefix(flag, "go"))
	}
	if err != nil {
		return fromsource.Candidate{}, err
	}
	return fromsource.Candidate{Name: inst.Name, GOROOT: inst.Dir, Version: inst.Meta.Version, Origin: "flag"}, nil
}

// buildLocked holds the version's lock while it copies and builds, so two
// builds of one name do not race; a second one then finds it installed.
func (b *sourceBuild) buildLocked(ctx context.Context, st *Env) error {
	unlock, err := b.home.Lock(b.name)
	if err != nil {
		return err
	}
	defer unlock()
	if err := b.checkNotInstalled(); err != nil {
		return err
	}
	if b.stage, err = b.home.StagingDir(); err != nil {
		return err
	}
	err = b.build(ctx, st)
	if err != nil {
		os.RemoveAll(b.stage)
	}
	return err
}

func (b *sourceBuild) build(ctx context.Context, st *Env) error {
	st.notef("building %s from %s with %s (%s, needs %s or later)",
		b.name, b.tree.Root, b.res.Bootstrap.GOROOT, b.res.Bootstrap.Version, b.tree.Need.Version)
	if err := fromsource.CopyTree(b.tree, b.stage); err != nil {
		return err
	}
	if err := b.openLog(); err != nil {
		return err
	}
	env := b.buildEnv().Environ(st.Environ())
	if err := b.runMake(ctx, st, env); err != nil {
		return err
	}
	if b.opts.RunTests {
		if err := b.runTests(ctx, st, env); err != nil {
			return err
		}
	}
	os.Remove(b.logPath) // kept only when something failed
	return b.tidyStage()
}

func (b *sourceBuild) buildEnv() fromsource.BuildEnv {
	e := fromsource.BuildEnv{Bootstrap: b.res.Bootstrap.GOROOT, Experiment: b.opts.Experiment, CGOEnabled: b.opts.CGOEnabled}
	if b.cross {
		e.GOOS, e.GOARCH = b.goos, b.goarch
	}
	if b.tree.UsesGOROOTFinal {
		e.GOROOTFinal = b.home.VersionDir(b.name)
	}
	return e
}

// openLog creates the build log in the home's logs/ directory, where it
// survives a failed build.
func (b *sourceBuild) openLog() error {
	dir := filepath.Join(b.home.Dir(), "logs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the build log: %w", err)
	}
	b.logPath = filepath.Join(dir, fmt.Sprintf("%s-%s.log", b.name, time.Now().UTC().Format("20060102T150405Z")))
	return nil
}

// runMake runs make.bash with a progress display and times its phases.
func (b *sourceBuild) runMake(ctx context.Context, st *Env, env []string) error {
	logf, err := os.Create(b.logPath)
	if err != nil {
		return fmt.Errorf("creating the build log: %w", err)
	}
	defer logf.Close()
	start := time.Now()
	tr := fromsource.NewTracker(start)
	total := fromsource.PhaseCount(b.cross)
	var mu sync.Mutex
	script := &srcexec.Script{
		Path: filepath.Join(b.stage, "src", "make.bash"), Dir: filepath.Join(b.stage, "src"),
		Env: env, Log: logf, TailLines: 40,
		OnLine: func(line string, now time.Time) {
			mu.Lock()
			defer mu.Unlock()
			if tr.Line(line, now) {
				ph := tr.Phases()
				ev := PhaseEvent{Index: len(ph), Total: total, Name: ph[len(ph)-1].Name}
				if len(ph) > 1 {
					prev := ph[len(ph)-2]
					ev.Prev = &prev
				}
				st.phase(ev)
			} else if !makeBannerLine(line) {
				fmt.Fprintln(st.Err, line)
			}
		},
	}
	err = script.Run(ctx)
	end := time.Now()
	mu.Lock()
	tr.Finish(end, err == nil)
	if cur, i, ok := tr.Current(); ok {
		st.phase(PhaseEvent{Index: i, Total: total, Prev: &cur})
	}
	mu.Unlock()
	b.res.Phases, b.res.TotalSeconds = tr.Phases(), end.Sub(start).Seconds()
	if err != nil {
		return b.buildFailed(st, "make.bash", err, tr)
	}
	return nil
}

// makeBannerLine reports whether line is part of make.bash's closing
// banner, which names the staging directory and would mislead here (the
// log keeps it).
func makeBannerLine(line string) bool {
	for _, p := range []string{"Installed commands in ", "*** You need to add ", "The binaries expect "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return line == "---" || line == "" || fromsource.IsInstalledLine(line)
}

// buildFailed reports a failed or interrupted script run: nothing is
// installed; the log is kept and its last lines are shown.
func (b *sourceBuild) buildFailed(st *Env, script string, err error, tr *fromsource.Tracker) error {
	if errors.Is(err, srcexec.ErrInterrupted) {
		return fmt.Errorf("building %s: interrupted; the build was stopped and nothing was installed (log: %s)", b.name, b.logPath)
	}
	var exit *srcexec.ExitError
	if !errors.As(err, &exit) {
		return fmt.Errorf("building %s: %w", b.name, err)
	}
	where := ""
	if tr != nil {
		if cur, _, ok := tr.Current(); ok {
			where = " in phase " + cur.Name
		}
	}
	fmt.Fprintf(st.Err, "goforge: %s failed%s; its last %d lines:\n", script, where, len(exit.Tail))
	for _, l := range exit.Tail {
		fmt.Fprintf(st.Err, "\t%s\n", l)
	}
	return fmt.Errorf("building %s: %s exited with status %d%s; nothing was installed; log: %s", b.name, script, exit.Code, where, b.logPath)
}

// runTests runs run.bash --no-rebuild (with -run for a subset) in the
// build; a failure installs nothing.
func (b *sourceBuild) runTests(ctx context.Context, st *Env, env []string) error {
	logf, err := os.OpenFile(b.logPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("opening the build log: %w", err)
	}
	defer logf.Close()
	args := []string{"--no-rebuild"}
	if b.opts.TestRun != "" {
		args = append(args, "-run", b.opts.TestRun)
	}
	fmt.Fprintf(st.Err, "goforge: testing %s: run.bash %s\n", b.name, strings.Join(args, " "))
	script := &srcexec.Script{
		Path: filepath.Join(b.stage, "src", "run.bash"), Args: args, Dir: filepath.Join(b.stage, "src"),
		Env: env, Log: logf, TailLines: 40,
		OnLine: func(line string, now time.Time) { fmt.Fprintln(st.Err, line) },
	}
	start := time.Now()
	err = script.Run(ctx)
	b.res.Tests = &TestsResult{Run: b.opts.TestRun, Passed: err == nil, Seconds: time.Since(start).Seconds()}
	if err != nil {
		return b.buildFailed(st, "run.bash", err, nil)
	}
	return nil
}

// tidyStage removes what the build leaves that a binary distribution does
// not ship (see cmd/distpack): cmd/dist's private build cache pkg/obj
// (about 900 MB for Go 1.26), pkg/bootstrap, the dist binary, and the link
// to the checkout's .git; a cross toolchain gets the target's layout.
func (b *sourceBuild) tidyStage() error {
	for _, p := range []string{"pkg/obj", "pkg/bootstrap", "src/cmd/dist/dist"} {
		if err := os.RemoveAll(filepath.Join(b.stage, filepath.FromSlash(p))); err != nil {
			return fmt.Errorf("cleaning the build: %w", err)
		}
	}
	if b.tree.Git {
		os.Remove(filepath.Join(b.stage, ".git"))
	}
	b.res.Version = b.builtVersion()
	return fromsource.DistLayout(b.stage, b.goos, b.goarch, runtime.GOOS, runtime.GOARCH)
}

// builtVersion is the Go version of the build: VERSION, or for a checkout
// the VERSION.cache cmd/dist wrote from git.
func (b *sourceBuild) builtVersion() string {
	for _, f := range []string{"VERSION", "VERSION.cache"} {
		data, err := os.ReadFile(filepath.Join(b.stage, f))
		if err == nil {
			if first, _, _ := strings.Cut(string(data), "\n"); strings.TrimSpace(first) != "" {
				return strings.TrimSpace(first)
			}
		}
	}
	return b.name
}

// install moves the build into versions/<name> with meta origin "source".
func (b *sourceBuild) install() error {
	m := toolchain.Meta{Version: b.res.Version, GOOS: b.goos, GOARCH: b.goarch, Origin: toolchain.OriginSource, Source: b.tree.Root}
	install := b.home.InstallDir
	if b.opts.Force {
		install = b.home.ReplaceDir
	}
	if err := install(b.name, b.stage, m); err != nil {
		os.RemoveAll(b.stage)
		return err
	}
	if b.opts.Use {
		return b.home.Use(b.name)
	}
	return nil
}

// verify compares the installed build with the binary distribution of
// the same version.
func (b *sourceBuild) verify() error {
	name, dir := b.distName, b.distDir
	files, err := fromsource.ReproFiles(b.res.Dir, dir, b.goos, b.goarch)
	if err != nil {
		return err
	}
	cmp, err := fromsource.Compare(b.res.Dir, dir, files)
	if err != nil {
		return err
	}
	b.res.Reproducible = &ReproResult{ComparedWith: name, Dir: dir, Equal: fromsource.CountEqual(cmp), Total: len(cmp), Files: cmp}
	return nil
}

// findBinaryDist finds the binary distribution of version v: an installed
// (or adopted) version that was not built from source, else for a native
// build the go on PATH if it is that version, else one fetched from the
// module proxy. A development tree has none.
func (b *sourceBuild) findBinaryDist(ctx context.Context, v string) (name, dir string, err error) {
	if !goversion.IsValid(v) {
		return "", "", fmt.Errorf("%s is not a release, so there is no binary distribution to compare with", b.name)
	}
	list, err := b.home.List()
	if err != nil {
		return "", "", err
	}
	for _, inst := range list {
		if inst.Meta.Version == v && inst.Meta.Origin != toolchain.OriginSource &&
			inst.Meta.GOOS == b.goos && inst.Meta.GOARCH == b.goarch {
			return inst.Name, inst.Dir, nil
		}
	}
	if !b.cross {
		if goroot, pv, err := srcexec.GoEnv(ctx, "go"); err == nil && pv == v {
			return goroot, goroot, nil
		}
	}
	return b.fetchBinaryDist(ctx, v)
}

// fetchBinaryDist installs the binary distribution of v from the module
// proxy (verified against the checksum database, as 'goforge install'
// does), before minutes are spent building.
func (b *sourceBuild) fetchBinaryDist(ctx context.Context, v string) (name, dir string, err error) {
	q := strings.TrimPrefix(v, "go")
	if b.cross {
		q += " --os " + b.goos + " --arch " + b.goarch
	}
	hint := fmt.Sprintf("install it with 'goforge install %s' or register one with 'goforge adopt DIR'", q)
	if b.st.Getenv("GOPROXY") == "off" {
		return "", "", fmt.Errorf("no binary distribution of %s to compare with, and GOPROXY=off: %s", v, hint)
	}
	b.st.notef("fetching the binary distribution of %s to compare with", v)
	res, err := b.st.Install(ctx, toolchain.Request{Query: v, GOOS: b.goos, GOARCH: b.goarch})
	if err != nil {
		return "", "", fmt.Errorf("no binary distribution of %s to compare with (%s): fetching it: %w", v, hint, err)
	}
	return res.Name, res.Dir, nil
}
