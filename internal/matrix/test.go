package matrix

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/toolchain"
	"golang.org/x/mod/modfile"
)

// TestRequest is one 'goforge matrix': what to test, where, and with what
// the caller's process state (environment, working directory, goforge
// home), which Test never reads from the process itself.
type TestRequest struct {
	WorkDir   string   // where the user is; the module is found above it
	Environ   []string // the caller's environment, base of every toolchain's
	Home      *toolchain.Home
	Installer *toolchain.Installer // nil: install nothing, list no releases

	Versions   []string // parsed --go entries (ParseVersionList)
	GoGiven    bool     // --go was on the command line (--min tries only those)
	Targets    []Target
	Args       []string // package patterns, then go test flags from the first '-'
	RerunFails int
	Jobs       int
	Min        bool // find the oldest release that works instead of a grid
	NoInstall  bool
	NoCache    bool
	CacheDir   string // "" means the user cache directory's goforge/matrix
	JUnit      string // also write JUnit XML to this file (relative to WorkDir); not with Min

	// Tel receives a span per cell with its packages and tests, and the
	// test metrics (nil: none).
	Tel *telemetry.Session
	// ExtraEnv is added to every cell's environment (a team build
	// cache's GOCACHEPROG).
	ExtraEnv []string

	Planned  func(cells int) // the grid will run this many cells
	Started  func(Cell)      // a cell started (--min too)
	Finished func(Cell)      // a grid cell ended
	Tried    func(Attempt)   // --min tried a release
	Skipping func(error)     // --min will not try a release, and why
	Note     func(string)    // something the user should know (a diagnostic)
}

// Outcome is what Test found: the grid's cells, or --min's answer.
type Outcome struct {
	Cells []Cell     // without Min
	Min   *MinResult // with Min
	// JUnitErr is why the JUnit file could not be written after the
	// cells ran: the results are still here, to be shown before it.
	JUnitErr error
}

// Failed reports whether the command should exit 1: a cell failed (flaky
// tests alone do not count), or --min's verdict is not OK.
func (r *Outcome) Failed() bool {
	if r.Min != nil {
		return !r.Min.OK
	}
	for _, c := range r.Cells {
		if c.Bad() {
			return true
		}
	}
	return false
}

// Test finds the module above req.WorkDir, prepares the toolchains of the
// requested versions (installing missing ones unless NoInstall), and runs
// the grid, or with Min searches for the oldest release that works.
func Test(ctx context.Context, req TestRequest) (*Outcome, error) {
	root, goLine, err := FindModule(req.WorkDir)
	if err != nil {
		return nil, fmt.Errorf("%w: matrix runs a module's tests", err)
	}
	if req.JUnit != "" {
		if !filepath.IsAbs(req.JUnit) {
			req.JUnit = filepath.Join(req.WorkDir, req.JUnit)
		}
		if err := CheckJUnitPath(req.JUnit); err != nil {
			return nil, err
		}
	}
	if req.CacheDir == "" {
		if req.CacheDir, err = defaultCacheDir(req.Environ); err != nil {
			return nil, err
		}
	}
	src := &HomeSource{Home: req.Home, Installer: req.Installer, NoInstall: req.NoInstall, Environ: req.Environ}
	pkgs, testFlags := SplitPackages(req.Args)
	path := gocmd.Getenv(req.Environ, "PATH")
	base := Request{
		Dir: root, Packages: pkgs, TestFlags: testFlags, Targets: req.Targets,
		RerunFails: req.RerunFails, Jobs: req.Jobs, NoResultCache: req.NoCache,
		CacheDir: req.CacheDir, Started: req.Started, Finished: req.Finished, Tel: req.Tel, ExtraEnv: req.ExtraEnv,
		LookPath: func(name string) (string, error) { return gocmd.LookPath(name, path) },
	}
	if req.Min {
		res, err := testMin(ctx, req, src, base, goLine)
		if err != nil {
			return nil, err
		}
		return &Outcome{Min: res}, nil
	}
	cells, err := testGrid(ctx, req, src, base, goLine)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Cells: cells}
	if req.JUnit != "" {
		out.JUnitErr = WriteJUnitFile(req.JUnit, cells)
	}
	return out, nil
}

func testGrid(ctx context.Context, req TestRequest, src *HomeSource, base Request, goLine string) ([]Cell, error) {
	res, err := Resolve(ctx, req.Versions, goLine, src)
	if err != nil {
		return nil, fmt.Errorf("choosing Go versions: %w", err)
	}
	if len(res.Missing) > 0 && req.NoInstall {
		return nil, fmt.Errorf("%s not installed (--no-install)", strings.Join(res.Missing, ", "))
	}
	for _, v := range res.Versions {
		tc, err := src.Prepare(ctx, v)
		if err != nil {
			return nil, err
		}
		base.Toolchains = append(base.Toolchains, tc)
	}
	loadPorts(ctx, base.Toolchains, req.CacheDir)
	if err := CheckTargets(base.Toolchains, base.Targets); err != nil {
		return nil, err
	}
	if req.Planned != nil {
		req.Planned(len(base.Toolchains) * len(base.Targets))
	}
	return Run(ctx, base)
}

func testMin(ctx context.Context, req TestRequest, src *HomeSource, base Request, goLine string) (*MinResult, error) {
	installed, err := src.Installed()
	if err != nil {
		return nil, err
	}
	if len(installed) == 0 {
		return nil, fmt.Errorf("no Go versions are installed to read the standard library's API from (see 'goforge install')")
	}
	newest, err := src.Prepare(ctx, newestOf(installed))
	if err != nil {
		return nil, err
	}
	one := []Toolchain{newest}
	loadPorts(ctx, one, req.CacheDir)
	if err := CheckTargets(one, base.Targets); err != nil {
		return nil, err
	}
	api, from, err := FindAPI(apiRoots(newest.GOROOT, req.Home, req.Environ))
	if err != nil {
		return nil, err
	}
	if version.Compare(from.Level, version.Lang(newest.Version)) < 0 && req.Note != nil {
		req.Note(fmt.Sprintf("the newest standard library API files found (%s) stop at %s: uses of newer APIs are not dated", from.GOROOT, from.Level))
	}
	apiNeeds := ""
	if uses, err := UsedAPIs(base.Dir, api); err == nil && len(uses) > 0 {
		apiNeeds = uses[0].Since
	}
	cands, skipped, err := MinCandidates(ctx, src, goLine, apiNeeds, !req.NoInstall)
	if req.GoGiven {
		var res Resolution
		res, err = Resolve(ctx, req.Versions, goLine, src)
		cands, skipped = res.Versions, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range skipped {
		if req.Skipping != nil {
			req.Skipping(e)
		}
	}
	base.Finished = nil
	res, err := FindMin(ctx, MinRequest{
		Base: base, Candidates: cands, Prepare: src.Prepare, GoLine: goLine, API: api, Tried: req.Tried,
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// defaultCacheDir is the user cache directory's goforge/matrix, from the
// caller's environment (os.UserCacheDir's rules, without reading the
// process's).
func defaultCacheDir(environ []string) (string, error) {
	uc := goenv.UserCacheDir(func(k string) string { return gocmd.Getenv(environ, k) })
	if uc == "" {
		return "", errors.New("finding the cache directory (or pass --cache-dir): $HOME is not set")
	}
	return filepath.Join(uc, "goforge", "matrix"), nil
}

// FindModule finds the module root at or above dir and its go line.
func FindModule(dir string) (root, goLine string, err error) {
	for d := dir; ; d = filepath.Dir(d) {
		gomod := filepath.Join(d, "go.mod")
		data, err := os.ReadFile(gomod)
		if err == nil {
			mf, err := modfile.ParseLax(gomod, data, nil)
			if err != nil {
				return "", "", fmt.Errorf("reading go.mod: %w", err)
			}
			if mf.Go != nil {
				goLine = mf.Go.Version
			}
			return d, goLine, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", "", fmt.Errorf("reading go.mod: %w", err)
		}
		if filepath.Dir(d) == d {
			return "", "", fmt.Errorf("no go.mod in %s or any parent directory", dir)
		}
	}
}

// SplitPackages separates package patterns from go test flags: everything
// from the first argument that starts with '-' on is a flag.
func SplitPackages(args []string) (pkgs, flags []string) {
	for i, a := range args {
		if strings.HasPrefix(a, "-") {
			return args[:i], args[i:]
		}
	}
	return args, nil
}
