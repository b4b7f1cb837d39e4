package xbuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/goforge/goforge/internal/gocmd"

	"github.com/goforge/goforge/internal/release"
	"github.com/goforge/goforge/internal/verify"
)

// Builder runs a planned matrix: build, verify, run, package, record.
type Builder struct {
	TC    *Toolchain
	Dir   string // where the go command runs (the user's module)
	Dist  string // output directory
	Jobs  []*Job
	Stamp Stamp
	// Extra are files put in every archive beside the program.
	Extra    []release.Entry
	Archives bool
	// Workers bounds concurrent builds; see Workers.
	Workers int
	// Verify checks each output's format, architecture and linkage.
	Verify bool
	// Run, when set, executes each output that this machine can run.
	Run *RunSpec
	// Reproducible builds every changed target a second time, from
	// scratch (-a), and compares the outputs byte for byte.
	Reproducible bool
	// Force ignores the recorded state and rebuilds everything.
	Force bool
	// Progress, when set, is told as each target starts and ends.
	Progress func(Event)

	memo  hashMemo
	state *state
}

// RunSpec says how --run executes outputs.
type RunSpec struct {
	Args   []string
	Expect *regexp.Regexp
}

// Event is a progress report for one job.
type Event struct {
	Job    *Job
	Phase  string // "start" or "done"
	Result *Result
}

// Result is what happened to one job. It is the row of the report and of
// 'goforge build --json'.
type Result struct {
	Target  string `json:"target"`
	Package string `json:"package"`
	// Env and Flags are the go build's environment and flags.
	Env   []string `json:"env"`
	Flags []string `json:"flags"`
	// Status is "built", "cached" (inputs unchanged, nothing redone) or
	// "failed".
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// BuildSeconds is the go build's wall time (0 when cached).
	BuildSeconds float64       `json:"build_seconds"`
	Binary       *release.File `json:"binary,omitempty"`
	Archive      *release.File `json:"archive,omitempty"`
	// Info is what the binary says it is.
	Info *verify.Info `json:"info,omitempty"`
	// Static is whether the binary needs no loader; WantStatic whether
	// it was meant to.
	Static     bool `json:"static"`
	WantStatic bool `json:"want_static"`
	// Verified is "ok", "failed" or "off".
	Verified string   `json:"verified"`
	Problems []string `json:"problems,omitempty"`
	// Ran is "ok", "failed", "skipped" or "" when --run was not given.
	Ran       string `json:"ran,omitempty"`
	RanWith   string `json:"ran_with,omitempty"`
	RunOutput string `json:"run_output,omitempty"`
	// SkipReason says why a run was skipped ("needs qemu-riscv64-static").
	SkipReason string `json:"skip_reason,omitempty"`
	// Reproducible is "ok" or "differs" with --reproducible.
	Reproducible string `json:"reproducible,omitempty"`
	// ChangedInput names the first input that made a rebuild necessary.
	ChangedInput string `json:"changed_input,omitempty"`
}

// Failed reports whether the job did not produce a verified output.
func (r *Result) Failed() bool { return r.Status == "failed" }

// Build runs every job and writes the release files. It returns one
// result per job, in job order; a target that fails does not stop the
// others. The error is for failures of the whole run (an unwritable
// output directory), not of single targets.
func (b *Builder) Build(ctx context.Context) ([]*Result, error) {
	if err := prepareDist(b.Dist); err != nil {
		return nil, err
	}
	b.state = loadState(b.Dist)
	// Goroutines read the loaded state (b.state, never written while they
	// run) and record into next.
	next := make(map[string]*jobState, len(b.state.Jobs))
	for k, v := range b.state.Jobs {
		next[k] = v
	}
	results := make([]*Result, len(b.Jobs))
	sem := make(chan struct{}, max(1, b.Workers))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, j := range b.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			b.progress(Event{Job: j, Phase: "start"})
			r, js := b.runJob(ctx, j)
			mu.Lock()
			results[i] = r
			if js != nil {
				next[j.Key()] = js
			} else {
				delete(next, j.Key())
			}
			mu.Unlock()
			b.progress(Event{Job: j, Phase: "done", Result: r})
		}()
	}
	wg.Wait()
	b.state.Jobs = next
	if err := b.writeRelease(results); err != nil {
		return results, err
	}
	os.RemoveAll(filepath.Join(b.Dist, stateDir, "tmp"))
	for _, r := range results {
		if r.Status != "cached" {
			return results, b.state.save(b.Dist)
		}
	}
	return results, nil // nothing changed: the state on disk is current
}

func (b *Builder) progress(ev Event) {
	if b.Progress != nil {
		b.Progress(ev)
	}
}

// prepareDist creates the output directory and proves it writable before
// any build starts, and keeps it out of 'git status' (the go command's
// VCS stamping would otherwise call every later build "modified").
func prepareDist(dist string) error {
	if err := os.MkdirAll(filepath.Join(dist, stateDir, "tmp"), 0o755); err != nil {
		return fmt.Errorf("output directory %q is not writable: %w", dist, err)
	}
	f, err := os.CreateTemp(dist, ".probe*")
	if err != nil {
		return fmt.Errorf("output directory %q is not writable: %w", dist, err)
	}
	f.Close()
	os.Remove(f.Name())
	gi := filepath.Join(dist, ".gitignore")
	if _, err := os.Stat(gi); errors.Is(err, os.ErrNotExist) {
		os.WriteFile(gi, []byte("# written by goforge build: keep release outputs out of git\n*\n"), 0o644)
	}
	return nil
}

// runJob builds one job unless its recorded state shows nothing changed.
// It returns the result and the state to record (nil when failed).
func (b *Builder) runJob(ctx context.Context, j *Job) (*Result, *jobState) {
	key := BuildKey(b.TC, j, b.runKey(), fmt.Sprint(b.Archives, b.Verify, extraNames(b.Extra)))
	changed := ""
	if old := b.state.Jobs[j.Key()]; old != nil && !b.Force && old.Key == key && old.Result != nil && !old.Result.Failed() {
		if changed = old.Inputs.Changed(&b.memo); changed == "" && old.intact(b.Dist) {
			r := *old.Result
			r.Status, r.BuildSeconds = "cached", 0
			return &r, old
		}
	}
	r := &Result{Target: j.Target.String(), Package: j.Package, Env: j.Env, Flags: j.Args,
		WantStatic: j.Static, Verified: "off", ChangedInput: changed}
	// Inputs are recorded before the build: a file edited during the build
	// then looks changed next time, which costs a rebuild, never a stale
	// output.
	inputs, listErr := ListInputs(ctx, b.TC, b.Dir, j)
	if err := b.buildVerifyPackage(ctx, j, r); err != nil {
		r.Status, r.Error = "failed", err.Error()
		return r, nil
	}
	r.Status = "built"
	b.removeSuperseded(j, r)
	if listErr != nil {
		return r, nil // built, but nothing to key a later skip on
	}
	js := &jobState{Key: key, Inputs: inputs, Result: r}
	for _, f := range []*release.File{r.Binary, r.Archive} {
		if f != nil {
			js.Outputs = append(js.Outputs, recordOutput(b.Dist, *f))
		}
	}
	return r, js
}

// removeSuperseded deletes the files an earlier run wrote for the same
// package and target under other names (an older version), so dist holds
// one release, not a history of them.
func (b *Builder) removeSuperseded(j *Job, r *Result) {
	old := b.state.Jobs[j.Key()]
	if old == nil {
		return
	}
	for _, o := range old.Outputs {
		if (r.Binary == nil || o.Name != r.Binary.Name) && (r.Archive == nil || o.Name != r.Archive.Name) {
			os.Remove(filepath.Join(b.Dist, o.Name))
		}
	}
}

func (b *Builder) runKey() string {
	if b.Run == nil {
		return "norun"
	}
	exp := ""
	if b.Run.Expect != nil {
		exp = b.Run.Expect.String()
	}
	return fmt.Sprintf("run %q %q", b.Run.Args, exp)
}

func extraNames(es []release.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name+"="+e.Source)
	}
	return out
}

func (b *Builder) buildVerifyPackage(ctx context.Context, j *Job, r *Result) error {
	tmpDir := filepath.Join(b.Dist, stateDir, "tmp", j.Key())
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(tmpDir, j.File)
	start := time.Now()
	if err := b.goBuild(ctx, j, tmp, false); err != nil {
		return err
	}
	r.BuildSeconds = time.Since(start).Seconds()
	if err := b.check(j, tmp, r); err != nil {
		return err
	}
	if b.Reproducible {
		if err := b.rebuildAndCompare(ctx, j, tmp, r); err != nil {
			return err
		}
	}
	if b.Run != nil {
		if b.runOutput(ctx, j, tmp, r); r.Ran == "failed" {
			return fmt.Errorf("running %s: %s", j.File, r.RunOutput)
		}
	}
	final := filepath.Join(b.Dist, j.File)
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("moving output into place: %w", err)
	}
	bin, err := release.Describe(final)
	if err != nil {
		return err
	}
	r.Binary = &bin
	if b.Archives {
		if err := b.archive(j, final, r); err != nil {
			return err
		}
	}
	return nil
}

// goBuild runs go build for j, writing out. The compiler's own output is
// the error when the build fails.
func (b *Builder) goBuild(ctx context.Context, j *Job, out string, all bool) error {
	args := []string{"build"}
	if all {
		args = append(args, "-a")
	}
	args = append(args, j.Args...)
	args = append(args, "-o", out, j.Package)
	var stdout bytes.Buffer
	if _, err := b.TC.Run(ctx, gocmd.Invocation{Args: args, Dir: b.Dir, Env: j.Env, Stdout: &stdout}); err != nil {
		return fmt.Errorf("go build: %s", strings.TrimSpace(stdout.String()+"\n"+gocmd.Output(err)))
	}
	return nil
}

// check reads the output and compares it with the target.
func (b *Builder) check(j *Job, path string, r *Result) error {
	info, err := verify.Inspect(path)
	if err != nil {
		if b.Verify {
			return fmt.Errorf("verifying: %w", err)
		}
		return nil
	}
	r.Info, r.Static = info, info.Static
	if !b.Verify {
		return nil
	}
	r.Problems = verify.Check(info, j.Target.GOOS, j.Target.GOARCH, j.Static)
	if len(r.Problems) > 0 {
		r.Verified = "failed"
		return fmt.Errorf("verification: %s", strings.Join(r.Problems, "; "))
	}
	r.Verified = "ok"
	return nil
}

func (b *Builder) rebuildAndCompare(ctx context.Context, j *Job, first string, r *Result) error {
	second := first + ".again"
	defer os.Remove(second)
	if err := b.goBuild(ctx, j, second, true); err != nil {
		return fmt.Errorf("second build for --reproducible: %w", err)
	}
	a, err := release.Describe(first)
	if err != nil {
		return err
	}
	c, err := release.Describe(second)
	if err != nil {
		return err
	}
	if a.SHA256 != c.SHA256 {
		r.Reproducible = "differs"
		return fmt.Errorf("not reproducible: two builds differ (sha256 %s vs %s)", a.SHA256[:12], c.SHA256[:12])
	}
	r.Reproducible = "ok"
	return nil
}
