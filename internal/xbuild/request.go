package xbuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/platform"
	"github.com/goforge/goforge/internal/release"
)

// Request is a build as the user asked for it, before the config file is
// read: the flags of 'goforge build' (and of the commands built on it).
// Prepare turns it into a Builder.
type Request struct {
	// Dir is where the go command runs and relative paths start.
	Dir string
	// Getenv reads the environment (SOURCE_DATE_EPOCH, CC_FOR_*).
	Getenv func(string) string
	// Packages are the main packages; empty means the config's, or ".".
	Packages []string
	// Config names the config file; "" looks for goforge.toml in Dir and
	// the main module's root.
	Config           string
	Targets, Exclude []string
	Tags             []string
	// Extra are files for every archive named on the command line; they
	// may lie anywhere (the config file's extra_files may not).
	Extra               []string
	Name, Dist, Version string
	// Ldflags replaces the configured linker flags when not nil.
	Ldflags   *string
	Cgo, Musl bool
	// Run executes each output; RunArgs and Expect override the config.
	Run             bool
	RunArgs, Expect string
	NoVerify        bool
	NoArchive       bool
	Reproducible    bool
	Force           bool
	// Strict publishes nothing when a target fails; Clean rebuilds
	// everything and keeps nothing else in Dist (see Builder).
	Strict, Clean bool
	// Jobs bounds concurrent builds; 0 chooses from cores and memory.
	Jobs int
	// DefaultTargets replaces DefaultTargets when neither Targets nor the
	// config file name any (images build linux/amd64 and linux/arm64).
	DefaultTargets []string
	// Cache is the URL of a team build cache (--cache; the config's
	// cache when empty), served to the go command by Exe's cacheprog.
	Cache string
	// Exe is goforge's own executable, the GOCACHEPROG program.
	Exe string
}

// Prepare reads the toolchain, the config file, the packages, the target
// table and the version stamp, and plans the build. Errors in what the
// user asked for (targets, flags, config values) are *BadInputError.
func Prepare(ctx context.Context, r *gocmd.Runner, req Request) (*Builder, error) {
	if req.Jobs < 0 {
		return nil, &BadInputError{Msg: fmt.Sprintf("--jobs wants a number of builds at once (0: from cores and memory), not %d", req.Jobs)}
	}
	// The go command and git are asked at once; the target table and the
	// package list come from goforge's cache when nothing they depend on
	// changed: on a no-op rebuild these calls are most of the time goforge
	// takes.
	if req.Getenv == nil {
		req.Getenv = os.Getenv
	}
	cacheDir := goforgeCacheDir(req.Getenv)
	var (
		wg     sync.WaitGroup
		table  *platform.Table
		stamp  Stamp
		e2, e3 error
	)
	wg.Add(2)
	go func() { defer wg.Done(); table, e2 = platform.LoadCached(ctx, r, cacheDir) }()
	go func() {
		defer wg.Done()
		stamp, e3 = ReadStamp(ctx, req.Dir, req.Version, req.Getenv("SOURCE_DATE_EPOCH"))
	}()
	tc, err := LoadToolchain(ctx, r, req.Dir)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	cfg, err := findConfig(req.Config, req.Dir, tc)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	opts, err := mergeOptions(req, cfg)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	patterns := opts.Packages
	if len(req.Packages) > 0 {
		patterns = req.Packages
	}
	pkgs, e1 := resolvePackagesCached(ctx, tc, req.Dir, cacheDir, patterns)
	wg.Wait()
	if err := errors.Join(e1, e2, e3); err != nil {
		return nil, err
	}
	if req.Name != "" && len(pkgs) > 1 {
		return nil, &BadInputError{Msg: fmt.Sprintf("--name names one program, but %d main packages are built (%s): drop --name, or build them in separate runs", len(pkgs), patternList(pkgs))}
	}
	if opts.Targets, err = pickTargets(req, cfg, opts.Musl, table); err != nil {
		return nil, err
	}
	return plan(req, tc, opts, pkgs, stamp, cacheDir)
}

func plan(req Request, tc *Toolchain, opts *Options, pkgs []MainPackage, stamp Stamp, cacheDir string) (*Builder, error) {
	jobs, err := Plan(opts, pkgs, stamp, FindCC(req.Getenv, tc.Host()))
	if err != nil {
		return nil, err
	}
	extra, err := extraFiles(req, tc, opts, pkgs)
	if err != nil {
		return nil, err
	}
	dist := opts.Dist
	if !filepath.IsAbs(dist) {
		dist = filepath.Join(req.Dir, dist)
	}
	if err := checkDist(dist, req.Clean, protectedDirs(req, tc, pkgs)); err != nil {
		return nil, err
	}
	b := &Builder{
		TC: tc, Dir: req.Dir, Dist: dist, Jobs: jobs, Packages: pkgs, Stamp: stamp, Extra: extra,
		Archives: opts.Archives, Workers: req.Jobs, Verify: !req.NoVerify,
		Reproducible: req.Reproducible, Force: req.Force, Strict: req.Strict, Clean: req.Clean,
	}
	if b.Workers <= 0 {
		b.Workers = DefaultWorkers()
	}
	if req.Run {
		if b.Run, err = runSpec(req, opts, stamp); err != nil {
			return nil, err
		}
	}
	if b.cacheEnv, b.cacheWarnings, err = teamCache(req, opts.Config, dist); err != nil {
		return nil, err
	}
	b.cacheDir = cacheDir
	if b.outputs, err = openOutputCache(req.Getenv, cacheDir); err != nil {
		return nil, &BadInputError{Msg: err.Error()}
	}
	return b, nil
}

// protectedDirs are the directories a dist must not be or hold: the
// project (module, workspace, packages, where goforge runs), the working
// directory and the home directory.
func protectedDirs(req Request, tc *Toolchain, pkgs []MainPackage) []protected {
	g := []protected{{req.Dir, "the directory being built"}, {moduleRoot(tc), "the module"}}
	if w := tc.Env["GOWORK"]; w != "" && w != "off" {
		g = append(g, protected{filepath.Dir(w), "the workspace"})
	}
	for _, p := range pkgs {
		g = append(g, protected{p.Dir, "package " + p.Pattern})
	}
	if wd, err := os.Getwd(); err == nil {
		g = append(g, protected{wd, "the working directory"})
	}
	return append(g, protected{req.Getenv("HOME"), "the home directory"})
}

// moduleRoot is the main module's directory, or "" outside a module.
func moduleRoot(tc *Toolchain) string {
	if gomod := tc.Env["GOMOD"]; gomod != "" && gomod != os.DevNull {
		return filepath.Dir(gomod)
	}
	return ""
}

// extraFiles are the files put beside each program: those named on the
// command line, or the config's extra_files (which must stay inside the
// project), or README/LICENSE/... found in the package or module root.
func extraFiles(req Request, tc *Toolchain, opts *Options, pkgs []MainPackage) ([]release.Entry, error) {
	dirs := []string{pkgs[0].Dir}
	if root := moduleRoot(tc); root != "" {
		dirs = append(dirs, root)
	}
	if len(req.Extra) > 0 {
		return ExtraFiles(req.Extra, req.Dir, dirs)
	}
	if opts.Config != nil && opts.Extra != nil {
		root := moduleRoot(tc)
		if root == "" {
			root = opts.Config.dir
		}
		if err := opts.Config.checkExtraInside(root); err != nil {
			return nil, err
		}
		return ExtraFiles(opts.Extra, opts.Config.dir, dirs)
	}
	return ExtraFiles(nil, req.Dir, dirs)
}

func runSpec(req Request, opts *Options, stamp Stamp) (*RunSpec, error) {
	spec := &RunSpec{Args: []string{"--version"}}
	rc := RunConfig{}
	if opts.Config != nil {
		rc = opts.Config.Run
	}
	if len(rc.Args) > 0 {
		spec.Args = rc.Args
	}
	if req.RunArgs != "" {
		spec.Args = strings.Fields(req.RunArgs)
	}
	expect := rc.Expect
	if req.Expect != "" {
		expect = req.Expect
	}
	switch {
	case expect != "":
		re, err := regexp.Compile(expect)
		if err != nil {
			return nil, &BadInputError{Msg: fmt.Sprintf("bad --expect regexp: %v", err)}
		}
		spec.Expect = re
	case len(spec.Args) == 1 && spec.Args[0] == "--version" && opts.Stamp.Version != "":
		spec.Expect = DefaultExpect(stamp.Version)
	}
	return spec, nil
}

// findConfig loads the named config, or goforge.toml from dir or the
// main module's root; nil when there is none.
func findConfig(name, dir string, tc *Toolchain) (*Config, error) {
	if name != "" {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return loadConfigRel(name, dir)
	}
	cands := []string{filepath.Join(dir, ConfigName)}
	if root := moduleRoot(tc); root != "" {
		cands = append(cands, filepath.Join(root, ConfigName))
	}
	for _, p := range cands {
		if _, err := os.Stat(p); err == nil {
			return loadConfigRel(p, dir)
		}
	}
	return nil, nil
}

// loadConfigRel loads the config at path, naming it relative to dir in
// errors, as the user would type it.
func loadConfigRel(path, dir string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name, err := filepath.Rel(dir, path)
	if err != nil {
		name = path
	}
	cfg, err := ParseConfig(name, data)
	if err != nil {
		return nil, &BadInputError{Msg: err.Error()}
	}
	cfg.dir = filepath.Dir(path)
	return cfg, nil
}

func mergeOptions(req Request, cfg *Config) (*Options, error) {
	o := &Options{
		Packages: []string{"."}, Dist: "dist", Ldflags: "-s -w", Flags: []string{"-trimpath"},
		Stamp: DefaultStampVars, Archives: true, Config: cfg,
	}
	if cfg != nil {
		cfg.applyTo(o)
	}
	if req.Name != "" {
		if err := checkName(req.Name); err != nil {
			return nil, &BadInputError{Msg: "--name: " + err.Error()}
		}
		o.Name = req.Name
	}
	if req.Dist != "" {
		o.Dist = req.Dist
	}
	if req.Ldflags != nil {
		o.Ldflags = *req.Ldflags
	}
	o.Tags = append(o.Tags, req.Tags...)
	o.Cgo = o.Cgo || req.Cgo
	o.Musl = o.Musl || req.Musl
	o.Archives = o.Archives && !req.NoArchive
	return o, nil
}

// applyTo sets the options c configures.
func (c *Config) applyTo(o *Options) {
	o.Name, o.Tags, o.Env, o.Cgo, o.Musl, o.Extra = c.Name, c.Tags, c.Env, c.Cgo, c.Musl, c.Extra
	if len(c.Packages) > 0 {
		o.Packages = c.Packages
	}
	if c.Dist != "" {
		o.Dist = c.Dist
	}
	if c.Ldflags != nil {
		o.Ldflags = *c.Ldflags
	}
	if c.Flags != nil {
		o.Flags = c.Flags
	}
	if c.Stamp != nil {
		o.Stamp = *c.Stamp
	}
	if c.Archives != nil {
		o.Archives = *c.Archives
	}
}

// pickTargets selects the targets from the flags, else the config, else
// the default matrix (the host alone for --musl), minus the exclusions.
func pickTargets(req Request, cfg *Config, musl bool, table *platform.Table) ([]Target, error) {
	items, excl := req.Targets, req.Exclude
	if cfg != nil {
		if len(items) == 0 {
			items = cfg.Targets
		}
		excl = append(excl, cfg.Exclude...)
	}
	if len(items) == 0 {
		items = DefaultTargets
		if len(req.DefaultTargets) > 0 {
			items = req.DefaultTargets
		}
		if musl {
			items = []string{"host"}
		}
	}
	ts, err := table.Select(items, false)
	if err != nil {
		return nil, &BadInputError{Msg: err.Error()}
	}
	if ts, err = platform.Exclude(ts, excl); err != nil {
		return nil, &BadInputError{Msg: err.Error()}
	}
	if len(ts) == 0 && len(excl) == 0 {
		return nil, &BadInputError{Msg: fmt.Sprintf("no targets to build: the target list %q names none", strings.Join(items, ","))}
	}
	if len(ts) == 0 {
		return nil, &BadInputError{Msg: "no targets left to build after --exclude"}
	}
	return ts, nil
}

func patternList(pkgs []MainPackage) string {
	var ps []string
	for _, p := range pkgs {
		ps = append(ps, p.ImportPath)
	}
	return strings.Join(ps, ", ")
}
