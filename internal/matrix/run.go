// Package matrix runs a module's tests across Go versions and targets on
// one machine: one 'go test -json' per (toolchain, target) cell, run
// concurrently, each with its toolchain's own environment and build cache,
// summarised as a grid, with reruns of failed tests, JUnit output, a
// per-cell result cache and the search for the oldest Go release the module
// really works with (--min).
package matrix

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/goforge/goforge/internal/telemetry"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/goforge/goforge/internal/platform"
	"github.com/goforge/goforge/internal/toolchain"
)

// A Toolchain is one installed Go to test with.
type Toolchain struct {
	Name    string   // directory name in the goforge home: go1.22.5
	Version string   // go1.22.5
	GOROOT  string   // its GOROOT
	Env     []string // complete environment for its go command (pinenv.ToolchainEnv)
	// Ports is its target table; nil when not read (no target is then
	// skipped for want of a port).
	Ports *platform.Table
}

// Request says what to run.
type Request struct {
	Dir        string   // the module root, where go test runs
	Packages   []string // package patterns; ./... when empty
	TestFlags  []string // passed to go test before the packages
	Toolchains []Toolchain
	Targets    []Target
	RerunFails int // rerun failed tests up to this many times
	Jobs       int // cells run at once; Jobs() when 0
	// CacheDir holds the per-toolchain build caches (go-build/<name>) and,
	// unless NoResultCache, the cell result cache (results/).
	CacheDir      string
	NoResultCache bool
	LookPath      func(string) (string, error)
	// Started, when set, is called as each cell starts to run (Go,
	// Toolchain and Target set), and Finished as each cell ends (both
	// from several goroutines, never at once).
	Started  func(c Cell)
	Finished func(c Cell)
	// Tel receives a span per cell, its packages and tests (nil: none).
	Tel *telemetry.Session
	// ExtraEnv is added to every cell's environment.
	ExtraEnv []string
}

// Failure is the first failing test of a cell.
type Failure struct {
	Package string `json:"package"`
	Test    string `json:"test,omitempty"`
	Output  string `json:"output"`
}

// A Cell is the outcome of one toolchain on one target.
type Cell struct {
	Go           string          `json:"go"`
	Toolchain    string          `json:"toolchain"`
	Target       string          `json:"target"`
	Status       string          `json:"status"`
	Passed       int             `json:"passed"`
	Failed       int             `json:"failed"`
	Skipped      int             `json:"skipped"`
	Flaky        int             `json:"flaky"`
	Duration     float64         `json:"duration_seconds"`
	Cached       bool            `json:"cached"`
	SkipReason   string          `json:"skip_reason"`
	BuildError   string          `json:"build_error"`
	FirstFailure *Failure        `json:"first_failure,omitempty"`
	FlakyTests   []string        `json:"flaky_tests,omitempty"`
	Packages     []PackageResult `json:"packages"`
	Tests        []TestResult    `json:"tests"`
}

// MarshalJSON writes c as docs/matrix.md shows it: packages and tests
// are lists, [] when there are none (a skipped cell, a cached result
// stored before this), never null.
func (c Cell) MarshalJSON() ([]byte, error) {
	type plain Cell // without this method
	p := plain(c)
	if p.Packages == nil {
		p.Packages = []PackageResult{}
	}
	if p.Tests == nil {
		p.Tests = []TestResult{}
	}
	return json.Marshal(p)
}

// Bad reports whether the cell is a real failure (not flaky, not skipped).
func (c Cell) Bad() bool { return c.Status == StatusFail || c.Status == StatusBuildFail }

// Run runs every (toolchain, target) cell of req, at most req.Jobs at once,
// and returns the cells in request order (toolchains, then targets). It
// fails only when the work could not be done (ctx cancelled, go missing);
// failing tests are results.
func Run(ctx context.Context, req Request) ([]Cell, error) {
	if len(req.Packages) == 0 {
		req.Packages = []string{"./..."}
	}
	jobs := req.Jobs
	if jobs <= 0 {
		jobs = Jobs()
	}
	keyer, err := newKeyer(req)
	if err != nil {
		return nil, err
	}
	cells := make([]Cell, len(req.Toolchains)*len(req.Targets))
	errs := make([]error, len(cells))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, tc := range req.Toolchains {
		for j, t := range req.Targets {
			k := i*len(req.Targets) + j
			wg.Add(1)
			go func() {
				defer wg.Done()
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					errs[k] = ctx.Err()
					return
				}
				defer func() { <-sem }()
				if req.Started != nil {
					mu.Lock()
					req.Started(Cell{Go: tc.Version, Toolchain: tc.Name, Target: t.String()})
					mu.Unlock()
				}
				cells[k], errs[k] = tracedCell(ctx, &req, keyer, tc, t)
				if errs[k] == nil && req.Finished != nil {
					mu.Lock()
					req.Finished(cells[k])
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return cells, nil
}

func runCell(ctx context.Context, req *Request, keyer *keyer, tc Toolchain, t Target) (Cell, error) {
	c := Cell{Go: tc.Version, Toolchain: tc.Name, Target: t.String()}
	ex := ExecFor(t, tc.GOROOT, tc.Version, req.LookPath)
	if why := lacksPort(tc, t); why != "" {
		ex.Skip = why
	}
	if ex.Skip != "" {
		c.Status, c.SkipReason = StatusSkipped, ex.Skip
		return c, nil
	}
	start := time.Now()
	env := toolchain.MergeEnv(tc.Env, append(append([]string{
		"GOCACHE=" + filepath.Join(req.CacheDir, "go-build", tc.Name),
		"GOTOOLCHAIN=local",
	}, ex.Env...), req.ExtraEnv...))
	key := keyer.key(tc, t, env, ex.Args)
	if cached, ok := keyer.load(key); ok {
		cached.Cached, cached.Duration = true, time.Since(start).Seconds()
		return cached, nil
	}
	goBin := filepath.Join(tc.GOROOT, "bin", "go")
	args := append(append(append([]string{"test", "-json"}, ex.Args...), req.TestFlags...), req.Packages...)
	res, err := runGo(ctx, goBin, req.Dir, env, args)
	if err != nil {
		return c, fmt.Errorf("running %s test (%s, %s): %w", tc.Name, t, req.Dir, err)
	}
	fill(&c, parseTestJSON(res.Stdout), res)
	req.Tel.GoTest(ctx, res.Stdout)
	if c.Status == StatusFail && req.RerunFails > 0 {
		if err := rerunFails(ctx, req, &c, goBin, env, ex.Args); err != nil {
			return c, err
		}
	}
	c.Duration = time.Since(start).Seconds()
	if c.Status == StatusPass {
		keyer.store(key, c)
	}
	return c, nil
}

// fill summarises a parsed run into c.
func fill(c *Cell, tr testRun, res goRun) {
	c.Packages, c.Tests = tr.Packages, tr.Tests
	for i := range c.Tests {
		t := &c.Tests[i]
		switch t.Status {
		case StatusPass:
			c.Passed++
		case StatusFail, "":
			// A test that started and never ended died with its package
			// (a panic, a timeout): it failed.
			t.Status = StatusFail
			c.Failed++
		case StatusSkip:
			c.Skipped++
		}
	}
	summarise(c)
	if c.Status != StatusPass || res.ExitCode == 0 {
		return
	}
	// The go command failed but no package or test says why: a package
	// that did not load (older go commands say so only on stderr).
	c.Status = StatusBuildFail
	c.BuildError = firstError(string(res.Stderr) + tr.Stray)
	if c.BuildError == "" {
		c.BuildError = fmt.Sprintf("go test exited with status %d", res.ExitCode)
	}
}

// summarise sets c's status, first failure and build error from its
// packages and tests.
func summarise(c *Cell) {
	c.Status, c.FirstFailure = StatusPass, nil
	for i := range c.Packages {
		p := &c.Packages[i]
		if p.Status == StatusBuildFail {
			c.Status = StatusBuildFail
			if c.BuildError == "" {
				c.BuildError = p.BuildError
				if c.BuildError == "" {
					c.BuildError = firstError(p.Output)
				}
			}
		}
	}
	if c.Status == StatusBuildFail {
		return
	}
	for _, t := range c.Tests {
		if t.Status == StatusFail && !hasFailingSubtest(c.Tests, t) {
			c.Status = StatusFail
			c.FirstFailure = &Failure{Package: t.Package, Test: t.Name, Output: t.Output}
			return
		}
	}
	for _, p := range c.Packages {
		if p.Status == StatusFail {
			c.Status = StatusFail
			c.FirstFailure = &Failure{Package: p.Package, Output: p.Output}
			return
		}
	}
	if c.Flaky > 0 {
		c.Status = StatusFlaky
	}
}

// failedTops returns, per package, the top-level tests that failed.
func failedTops(tests []TestResult) map[string][]string {
	out := map[string][]string{}
	for _, t := range tests {
		if t.Status != StatusFail {
			continue
		}
		top, _, _ := strings.Cut(t.Name, "/")
		if !contains(out[t.Package], top) {
			out[t.Package] = append(out[t.Package], top)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// hasFailingSubtest reports whether a subtest of t failed: its output, not
// the parent's, says what went wrong.
func hasFailingSubtest(tests []TestResult, t TestResult) bool {
	for _, u := range tests {
		if u.Package == t.Package && u.Status == StatusFail && strings.HasPrefix(u.Name, t.Name+"/") {
			return true
		}
	}
	return false
}
