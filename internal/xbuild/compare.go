package xbuild

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/platform"
)

// FlagSet is one build variant for --compare: go build flags plus
// environment settings.
type FlagSet struct {
	Name  string   `json:"name"`
	Flags []string `json:"flags"`
	Env   []string `json:"env,omitempty"`
}

// DefaultFlagSets are the variants worth comparing for most programs:
// the plain build, stripping symbols and DWARF, trimming paths, no
// inlining, PIE, and the amd64 micro-architecture levels.
func DefaultFlagSets(goarch string) []FlagSet {
	sets := []FlagSet{
		{Name: "default"},
		{Name: "-ldflags=-s -w", Flags: []string{"-ldflags=-s -w"}},
		{Name: "-trimpath", Flags: []string{"-trimpath"}},
		{Name: "-gcflags=all=-l", Flags: []string{"-gcflags=all=-l"}},
		{Name: "-buildmode=pie", Flags: []string{"-buildmode=pie"}},
	}
	if goarch == "amd64" {
		for _, v := range []string{"v2", "v3", "v4"} {
			sets = append(sets, FlagSet{Name: "GOAMD64=" + v, Env: []string{"GOAMD64=" + v}})
		}
	}
	return sets
}

// ParseFlagSet reads "NAME=FLAGS" (or just "FLAGS", named after itself).
// FLAGS is split like a shell would split it, with ' and " quoting;
// words of the form UPPER_CASE=value are environment settings.
func ParseFlagSet(s string) (FlagSet, error) {
	name, rest := "", s
	if i := strings.Index(s, "="); i > 0 && !strings.HasPrefix(s, "-") && !isEnvWord(s) {
		name, rest = s[:i], s[i+1:]
	}
	words, err := splitWords(rest)
	if err != nil {
		return FlagSet{}, fmt.Errorf("flag set %q: %w", s, err)
	}
	fs := FlagSet{Name: name}
	if fs.Name == "" {
		fs.Name = strings.TrimSpace(rest)
	}
	for i, w := range words {
		if err := unquotedValue(words, i); err != nil {
			return FlagSet{}, fmt.Errorf("flag set %q: %w", s, err)
		}
		if isEnvWord(w) {
			fs.Env = append(fs.Env, w)
		} else {
			fs.Flags = append(fs.Flags, w)
		}
	}
	return fs, nil
}

// goBuildFlags are the flags 'go build' takes (go help build).
var goBuildFlags = map[string]bool{"C": true, "a": true, "n": true, "p": true, "race": true, "msan": true,
	"asan": true, "cover": true, "covermode": true, "coverpkg": true, "v": true, "work": true, "x": true,
	"asmflags": true, "buildmode": true, "buildvcs": true, "compiler": true, "gccgoflags": true,
	"gcflags": true, "installsuffix": true, "json": true, "ldflags": true, "linkshared": true, "mod": true,
	"modcacherw": true, "modfile": true, "overlay": true, "pgo": true, "pkgdir": true, "tags": true,
	"trimpath": true, "toolexec": true, "o": true}

// unquotedValue catches the usual slip of a tool-flags value with a
// space left unquoted ("-ldflags=-s -w"): words[i] is a flag go build
// does not have, right after a -ldflags=/-gcflags=/... word.
func unquotedValue(words []string, i int) error {
	w := words[i]
	name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
	if i == 0 || !strings.HasPrefix(w, "-") || goBuildFlags[name] {
		return nil
	}
	prev := words[i-1]
	tool, value, ok := strings.Cut(strings.TrimLeft(prev, "-"), "=")
	if !ok || !strings.HasPrefix(prev, "-") || !strings.HasSuffix(tool, "flags") || strings.ContainsAny(value, " \t") {
		// (A value quoted with its spaces is not the slip: go build
		// reports the stray flag itself.)
		return nil
	}
	return fmt.Errorf("%s is not a go build flag; quote a value with spaces: -%s=\"%s %s\"", w, tool, value, w)
}

func isEnvWord(w string) bool {
	k, _, ok := strings.Cut(w, "=")
	if !ok || k == "" {
		return false
	}
	for _, r := range k {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return true
}

// splitWords splits s at spaces outside quotes.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	var quote rune
	inWord := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// CompareResult is one row of the --compare report.
type CompareResult struct {
	FlagSet
	Size int64 `json:"size"`
	// SizeRatio is Size over the first set's size.
	SizeRatio    float64 `json:"size_ratio"`
	BuildSeconds float64 `json:"build_seconds"`
	// StartupSeconds is the median wall time of StartupRuns runs; zero
	// when the program could not be run here.
	StartupSeconds float64 `json:"startup_seconds"`
	StartupRuns    int     `json:"startup_runs"`
	Note           string  `json:"note,omitempty"`
	Error          string  `json:"error,omitempty"`
}

// Comparison describes a --compare run.
type Comparison struct {
	Package string
	Target  Target
	Sets    []FlagSet
	// Cold builds with -a, so build time includes compiling every package
	// (the standard library too) under the set's flags.
	Cold bool
	// Runs and Args say how start-up is timed (native targets only).
	Runs int
	Args []string
	// Progress, when set, is told as each set starts (r is nil) and ends.
	Progress func(set FlagSet, r *CompareResult)
}

// Compare builds the package once per flag set, one after another (so the
// timings do not disturb each other), and measures each result.
func Compare(ctx context.Context, tc *Toolchain, dir string, c Comparison) ([]CompareResult, error) {
	tmp, err := os.MkdirTemp("", "goforge-compare-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	native := c.Target == tc.Host() || c.Target.GOOS == tc.Host().GOOS && c.Target.GOARCH == tc.Host().GOARCH
	var out []CompareResult
	for i, set := range c.Sets {
		if ctx.Err() != nil {
			break
		}
		if c.Progress != nil {
			c.Progress(set, nil)
		}
		r := CompareResult{FlagSet: set}
		bin := filepath.Join(tmp, fmt.Sprintf("set%d%s", i, exeSuffix(c.Target)))
		secs, err := compareBuild(ctx, tc, dir, c, set, bin)
		if err != nil {
			r.Error = err.Error()
			out = append(out, r)
			c.progress(set, r)
			continue
		}
		r.BuildSeconds = secs
		if fi, err := os.Stat(bin); err == nil {
			r.Size = fi.Size()
		}
		if len(out) > 0 && out[0].Size > 0 {
			r.SizeRatio = float64(r.Size) / float64(out[0].Size)
		} else if i == 0 {
			r.SizeRatio = 1
		}
		switch {
		case c.Runs <= 0:
			r.Note = "start-up not timed (--startup-runs 0)"
		case native:
			r.StartupSeconds, r.StartupRuns, r.Note = timeStartup(ctx, bin, c.Args, c.Runs)
		default:
			r.Note = "start-up not timed: not a native target"
		}
		out = append(out, r)
		c.progress(set, r)
	}
	// An interrupt fails the builds and timings it cuts short: the
	// comparison is not a result then, whatever was measured before.
	if ctx.Err() != nil {
		return nil, fmt.Errorf("comparing flag sets: %w", context.Cause(ctx))
	}
	return out, nil
}

func (c Comparison) progress(set FlagSet, r CompareResult) {
	if c.Progress != nil {
		c.Progress(set, &r)
	}
}

func compareBuild(ctx context.Context, tc *Toolchain, dir string, c Comparison, set FlagSet, out string) (float64, error) {
	args := []string{"build"}
	if c.Cold {
		args = append(args, "-a")
	}
	args = append(append(args, set.Flags...), "-o", out, c.Package)
	env := []string{"GOOS=" + c.Target.GOOS, "GOARCH=" + c.Target.GOARCH, "CGO_ENABLED=0"}
	if v := c.Target.VariantEnv(); v != "" {
		env = append(env, v)
	}
	env = append(env, set.Env...)
	start := time.Now()
	var stdout bytes.Buffer
	if _, err := tc.Run(ctx, gocmd.Invocation{Args: args, Dir: dir, Env: env, Stdout: &stdout}); err != nil {
		return 0, fmt.Errorf("go build %s: %s", strings.Join(set.Flags, " "), strings.TrimSpace(stdout.String()+"\n"+gocmd.Output(err)))
	}
	return time.Since(start).Seconds(), nil
}

// timeStartup runs bin once to warm the page cache, then n times, and
// returns the median wall time. A program that fails (a GOAMD64 level
// this CPU lacks) is reported in note.
func timeStartup(ctx context.Context, bin string, args []string, n int) (float64, int, string) {
	var ds []time.Duration
	for i := range n + 1 {
		cmd := exec.CommandContext(ctx, bin, args...)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			return 0, 0, "does not run here: " + firstOf(strings.TrimSpace(string(out)), err.Error())
		}
		if i > 0 {
			ds = append(ds, time.Since(start))
		}
	}
	slices.Sort(ds)
	return ds[len(ds)/2].Seconds(), n, ""
}

func firstOf(a, b string) string {
	if a != "" {
		if i := strings.IndexByte(a, '\n'); i >= 0 {
			a = a[:i]
		}
		return a
	}
	return b
}

// CompareRequest is a comparison as the user asked for it.
type CompareRequest struct {
	Dir     string
	Package string // "" means "."
	// Target is one target pattern; "" means the toolchain's host.
	Target string
	// Sets are "NAME=FLAGS" (see ParseFlagSet); empty means the
	// standard sets.
	Sets []string
	// Tags are build tags for every set.
	Tags    []string
	Warm    bool
	Runs    int
	RunArgs string
}

// PrepareCompare reads the toolchain and the package and turns req into
// a Comparison. Errors in what the user asked for are *BadInputError.
func PrepareCompare(ctx context.Context, r *gocmd.Runner, req CompareRequest) (*Toolchain, Comparison, error) {
	var c Comparison
	tc, err := LoadToolchain(ctx, r, req.Dir)
	if err != nil {
		return nil, c, err
	}
	pkg := req.Package
	if pkg == "" {
		pkg = "."
	}
	pkgs, err := ResolvePackages(ctx, tc, req.Dir, []string{pkg})
	if err != nil {
		return nil, c, err
	}
	if req.Runs < 0 {
		return nil, c, &BadInputError{Msg: fmt.Sprintf("--startup-runs wants 0 (do not time start-up) or more, not %d", req.Runs)}
	}
	c = Comparison{Package: pkgs[0].ImportPath, Target: tc.Host(), Cold: !req.Warm, Runs: req.Runs, Args: []string{"--version"}}
	if req.Target != "" {
		table, err := platform.Load(ctx, r)
		if err != nil {
			return nil, c, err
		}
		ts, err := table.Select([]string{req.Target}, false)
		if err == nil && len(ts) != 1 {
			err = fmt.Errorf("%q names %d targets", req.Target, len(ts))
		}
		if err != nil {
			return nil, c, &BadInputError{Msg: "--target wants one target: " + err.Error()}
		}
		c.Target = ts[0]
	}
	if req.RunArgs != "" {
		c.Args = strings.Fields(req.RunArgs)
	}
	if c.Sets, err = compareSets(req, c.Target); err != nil {
		return nil, c, &BadInputError{Msg: err.Error()}
	}
	return tc, c, nil
}

func compareSets(req CompareRequest, target Target) ([]FlagSet, error) {
	sets := DefaultFlagSets(target.GOARCH)
	if len(req.Sets) > 0 {
		sets = []FlagSet{{Name: "default"}}
		for _, s := range req.Sets {
			fs, err := ParseFlagSet(s)
			if err != nil {
				return nil, err
			}
			if fs.Name == "default" && len(fs.Flags)+len(fs.Env) == 0 {
				continue
			}
			sets = append(sets, fs)
		}
	}
	if tags := platform.SplitList(req.Tags); len(tags) > 0 {
		for i := range sets {
			sets[i].Flags = append(slices.Clone(sets[i].Flags), "-tags="+strings.Join(tags, ","))
		}
	}
	return sets, nil
}
