package xbuild

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goforge/goforge/internal/gocmd"

	"github.com/goforge/goforge/internal/release"
	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/verify"
)

// Builder runs a planned matrix: build, verify, run, package, record.
type Builder struct {
	TC   *Toolchain
	Dir  string // where the go command runs (the user's module)
	Dist string // output directory
	Jobs []*Job
	// Packages are the main packages the jobs build.
	Packages []MainPackage
	Stamp    Stamp
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
	// Strict refuses to publish a release when any target failed: dist
	// then keeps the previous release whole. Without it, the release is
	// published without the failed targets (see publish).
	Strict bool
	// Clean publishes only this run's outputs: no recorded state is
	// reused, and no other file in dist is kept.
	Clean bool
	// Progress, when set, is told as each target starts and ends.
	Progress func(Event)
	// Waiting, when set, is called once if another goforge build holds
	// the output directory (see lockDist) and this one waits for it.
	Waiting func(dir string)
	// Tel receives the run's spans and metrics (nil: none).
	Tel *telemetry.Session
	// Kept names the files in dist that are not goforge's and were kept
	// (set by Build; Clean drops them).
	Kept []string
	// Published is set by Build: "published", "unchanged" (dist already
	// held exactly this release) or "refused" (Strict and a target failed).
	Published string

	// cacheEnv points the go command at the team build cache (see
	// teamCache); empty without one. cacheWarnings is the file its cache
	// programs write warnings to.
	cacheEnv      []string
	cacheWarnings string
	// cacheDir is goforge's cache directory ($GOFORGE_CACHE, else in the
	// user cache directory; "": none), which holds the listing cache.
	cacheDir string
	// outputs is the output cache (nil: off); see outcache.go.
	outputs *outputCache

	stored atomic.Bool // something went into the output cache
	memo   hashMemo
	state  *state
	work   *workDir
}

// RunSpec says how --run executes outputs.
type RunSpec struct {
	Args   []string
	Expect *regexp.Regexp
}

// Event is a progress report for one job.
type Event struct {
	Job    *Job
	Phase  string // "start", "done", or "warning" (no Job)
	Result *Result
	// Warning is a problem of the run that did not fail it, such as a
	// team cache that could not be used: say it once, on stderr.
	Warning string
}

// Result is what happened to one job. It is the row of the report and of
// 'goforge build --json'.
type Result struct {
	Target  string `json:"target"`
	Package string `json:"package"`
	// Env and Flags are the go build's environment and flags.
	Env   []string `json:"env"`
	Flags []string `json:"flags"`
	// Status is "built", "reused" (outputs of the same inputs taken from
	// the output cache), "cached" (inputs unchanged, nothing redone) or
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
	// Notes are things the user should know about a target that did not
	// fail (an archive missing a file the toolchain lacks).
	Notes []string `json:"notes,omitempty"`
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
func (r *Result) Failed() bool { return r.Status == StatusFailed }

// Build runs every job and publishes the release. It returns one result
// per job, in job order; a target that fails does not stop the others.
// The error is for failures of the whole run (an unwritable output
// directory, an interrupt), not of single targets.
//
// Everything is built into a work directory inside dist/.goforge and
// published as one step (see publish), so dist/ always holds one whole
// release: the previous one until the new one replaces it.
func (b *Builder) Build(ctx context.Context) ([]*Result, error) {
	unlock, err := b.lockDist(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	w, err := b.prepare()
	if err != nil {
		return nil, err
	}
	b.work = w
	defer os.RemoveAll(w.root)
	b.state = loadState(b.Dist)
	if b.Clean {
		b.state.Jobs = map[string]*jobState{}
	}
	results, next := b.runJobs(ctx)
	b.reportCacheWarnings()
	if b.stored.Load() {
		defer b.outputs.trim()
	}
	if ctx.Err() != nil {
		return results, fmt.Errorf("stopped before publishing, %s keeps its previous release: %w", b.Dist, context.Cause(ctx))
	}
	return results, b.phase(ctx, "publish", func(ctx context.Context) error { return b.publish(ctx, results, next) })
}

// workDir is one run's scratch space: outputs waiting to be published,
// per-job files, and the GOTMPDIR of every go command the run starts.
type workDir struct{ root, out, jobs, gotmp string }

// runJobs runs every job, at most Workers builds at once; packaging runs
// beside the builds under its own bound. next holds the state to record:
// only this run's jobs, so a removed target's record goes with its files.
func (b *Builder) runJobs(ctx context.Context) ([]*Result, map[string]*jobState) {
	next := map[string]*jobState{}
	results := make([]*Result, len(b.Jobs))
	slots := jobSlots{build: make(chan struct{}, max(1, b.Workers)), pack: make(chan struct{}, max(1, b.Workers))}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, j := range b.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, js := b.tracedJob(ctx, j, slots)
			mu.Lock()
			results[i] = r
			if js != nil {
				next[j.Key()] = js
			}
			mu.Unlock()
			if !r.Failed() || ctx.Err() == nil {
				// A target stopped by an interrupt is not reported as failed:
				// the command says once that it was interrupted.
				b.progress(Event{Job: j, Phase: "done", Result: r})
			}
		}()
	}
	wg.Wait()
	return results, next
}

// jobSlots bound the builds (go build, verify, run) and, separately, the
// packaging (archive, checksum), so a gzip never holds up the next build.
type jobSlots struct{ build, pack chan struct{} }

func (b *Builder) progress(ev Event) {
	if b.Progress != nil {
		b.Progress(ev)
	}
}

// runJob builds one job unless its recorded state shows nothing changed,
// or takes its outputs from the output cache when it was built before.
// It returns the result and the state to record (nil when failed).
func (b *Builder) runJob(ctx context.Context, j *Job, slots jobSlots) (*Result, *jobState) {
	key := BuildKey(b.TC, j, b.runKey(), fmt.Sprint(b.Archives, b.Verify, extraNames(b.Extra), b.Stamp.Epoch), b.Stamp.VCS)
	changed := ""
	if old := b.state.Jobs[j.Key()]; old != nil && !b.Force && old.Key == key && old.Result != nil && !old.Result.Failed() {
		if changed = old.Inputs.Changed(&b.memo); changed == "" && old.intact(b.Dist) {
			r := *old.Result
			r.Status, r.BuildSeconds = StatusCached, 0
			return &r, old
		}
	}
	r := &Result{Target: j.Target.String(), Package: j.Package, Env: j.Env, Flags: j.Args,
		WantStatic: j.Static, Verified: "off", ChangedInput: changed}
	fail := func(err error) (*Result, *jobState) {
		r.Status, r.Error = StatusFailed, err.Error()
		return r, nil
	}
	// Waiting for a build slot is a phase of its own, so a timeline shows
	// queueing apart from work.
	if err := b.phase(ctx, "wait for a build slot", func(ctx context.Context) error { return acquire(ctx, slots.build) }); err != nil {
		return fail(err)
	}
	b.progress(Event{Job: j, Phase: "start"})
	// Inputs are recorded before the build: a file edited during the build
	// then looks changed next time, which costs a rebuild, never a stale
	// output.
	inputs, listErr := b.jobInputs(ctx, j)
	if listErr == nil {
		if reused := b.reuse(ctx, key, inputs); reused != nil {
			<-slots.build
			reused.ChangedInput = changed
			return reused, b.record(key, inputs, reused)
		}
	}
	bin, err := b.buildVerify(ctx, j, r)
	<-slots.build
	if err == nil && b.Archives {
		if err = acquire(ctx, slots.pack); err == nil {
			err = b.phase(ctx, "archive", func(context.Context) error { return b.archive(j, bin, r) })
			<-slots.pack
		}
	}
	if err != nil {
		return fail(err)
	}
	r.Status = StatusBuilt
	if listErr != nil {
		return r, nil // built, but nothing to key a later skip on
	}
	// An input edited while the build ran may or may not be in the output:
	// such a build is published but not recorded or cached, so the next
	// run builds again (even when the edit was undone by then).
	if inputs.Changed(nil) != "" {
		return r, nil
	}
	if b.outputs != nil && b.outputs.store(outputKey(key, inputs), r, b.work.out) == nil {
		b.stored.Store(true)
	}
	return r, b.record(key, inputs, r)
}

// jobInputs lists j's inputs and adds the extra files its archive holds,
// whose contents decide the archive as much as the sources decide the
// binary.
func (b *Builder) jobInputs(ctx context.Context, j *Job) (*Inputs, error) {
	var inputs *Inputs
	err := b.phase(ctx, "list inputs", func(ctx context.Context) (err error) {
		inputs, err = b.listInputs(ctx, j)
		return err
	})
	if err != nil || !b.Archives {
		return inputs, err
	}
	for _, e := range b.Extra {
		src := e.Source
		if !filepath.IsAbs(src) {
			src = filepath.Join(b.Dir, src)
		}
		sum, err := b.memo.file(src)
		if err != nil {
			return nil, err
		}
		inputs.Files[src] = sum
	}
	return inputs, nil
}

// reuse takes the job's outputs from the output cache into the work
// directory; nil when they are not there (or the cache is off, or
// --force or --reproducible asks for a real build).
func (b *Builder) reuse(ctx context.Context, key string, inputs *Inputs) *Result {
	if b.outputs == nil || b.Force || b.Reproducible {
		return nil
	}
	var r *Result
	b.phase(ctx, "reuse outputs", func(context.Context) error {
		r = b.outputs.load(outputKey(key, inputs), b.work.out)
		return nil
	})
	if r != nil {
		r.Status, r.BuildSeconds, r.Error = StatusReused, 0, ""
	}
	return r
}

// record is the state to keep for a job whose outputs are in the work
// directory.
func (b *Builder) record(key string, inputs *Inputs, r *Result) *jobState {
	js := &jobState{Key: key, Inputs: inputs, Result: r}
	for _, f := range []*release.File{r.Binary, r.Archive} {
		if f != nil {
			js.Outputs = append(js.Outputs, recordOutput(b.work.out, *f))
		}
	}
	return js
}

func acquire(ctx context.Context, slot chan struct{}) error {
	select {
	case slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("not started: %w", context.Cause(ctx))
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

// buildVerify builds j into the work directory, checks the output and
// runs it, and returns its path there.
func (b *Builder) buildVerify(ctx context.Context, j *Job, r *Result) (string, error) {
	if err := os.MkdirAll(b.jobDir(j), 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(b.work.out, j.File)
	start := time.Now()
	if err := b.phase(ctx, "compile", func(ctx context.Context) error { return b.goBuild(ctx, j, out, false) }); err != nil {
		return "", err
	}
	r.BuildSeconds = time.Since(start).Seconds()
	if err := b.phase(ctx, "verify", func(context.Context) error { return b.check(j, out, r) }); err != nil {
		return "", err
	}
	if b.Reproducible {
		if err := b.phase(ctx, "reproduce", func(ctx context.Context) error { return b.rebuildAndCompare(ctx, j, out, r) }); err != nil {
			return "", err
		}
	}
	if b.Run != nil {
		err := b.phase(ctx, "run", func(ctx context.Context) error {
			if b.runOutput(ctx, j, out, r); r.Ran == "failed" {
				return fmt.Errorf("running %s: %s", j.File, r.RunOutput)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	bin, err := release.Describe(out)
	if err != nil {
		return "", err
	}
	r.Binary = &bin
	return out, nil
}

// jobDir is j's scratch directory in the work directory.
func (b *Builder) jobDir(j *Job) string { return filepath.Join(b.work.jobs, j.Key()) }

// goBuild runs go build for j, writing out. The compiler's own output is
// the error when the build fails.
func (b *Builder) goBuild(ctx context.Context, j *Job, out string, all bool) error {
	args := []string{"build"}
	if all {
		args = append(args, "-a")
	}
	args = append(args, j.Args...)
	traceArgs, traced := b.goTraceArgs(ctx, j)
	args = append(args, traceArgs...)
	args = append(args, "-o", out, j.Package)
	var stdout bytes.Buffer
	_, err := b.TC.Run(ctx, gocmd.Invocation{Args: args, Dir: b.Dir, Env: b.goEnv(j), Stdout: &stdout})
	traced()
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("go build: %w", context.Cause(ctx))
		}
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
	r.Problems = append(r.Problems, crossLinkage(j, info, b.TC.Host().GOARCH)...)
	if len(r.Problems) > 0 {
		r.Verified = "failed"
		return fmt.Errorf("verification: %s", strings.Join(r.Problems, "; "))
	}
	r.Verified = "ok"
	return nil
}

func (b *Builder) rebuildAndCompare(ctx context.Context, j *Job, first string, r *Result) error {
	second := filepath.Join(b.jobDir(j), "again")
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
