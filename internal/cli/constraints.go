package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/depgraph"
	"github.com/goforge/goforge/internal/platform"
)

// tagSets is a repeatable --tags flag: each use is one set of tags.
type tagSets [][]string

func (t *tagSets) String() string {
	if t == nil || len(*t) == 0 {
		return ""
	}
	return fmt.Sprint(*t)
}
func (t *tagSets) Set(s string) error {
	*t = append(*t, platform.SplitList([]string{s}))
	return nil
}

type constraintsFlags struct {
	targets, cgo string
	tags         tagSets
	jsonOut      bool
}

func newConstraintsCmd() *Command {
	var f constraintsFlags
	c := NewCommand("constraints", "[--targets LIST] [--cgo off|on|both] [--tags T,..] [--json] [dir|packages]",
		"show which files each GOOS/GOARCH, cgo setting and tag set compiles", constraintsLong)
	c.Flags.StringVar(&f.targets, "targets", "all", "comma-separated `LIST` of GOOS/GOARCH patterns, all or first-class")
	c.Flags.StringVar(&f.cgo, "cgo", "default", "cgo `setting`: off, on, both, or default (the go command's per target)")
	c.Flags.Var(&f.tags, "tags", "comma-separated build tags; repeat for several tag sets")
	c.Flags.BoolVar(&f.jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		return runConstraints(ctx, c, st, &f, args)
	}
	return c
}

const constraintsLong = `
Constraints shows, for every build configuration (target x cgo x tag set),
which .go files of each package the go command compiles (GoFiles and
CgoFiles) and why each other file is left out: its file-name suffix, its
//go:build expression, a // +build line, cgo being off, a _ or . prefix,
package documentation, or being a test file. Each target gets its own
tool tags (goexperiment.*, amd64.v1, arm64.v8.0, ...), not the host's.
It also lists packages that are empty on some configuration and files
that no configuration compiles (dead files).

Every file header is parsed once and all configurations are evaluated in
memory; the target list comes from the active toolchain.

Examples:
  goforge constraints ./...
  goforge constraints --targets linux/amd64,windows/amd64 --cgo both net
  goforge constraints --json --targets all --cgo both std`

func runConstraints(ctx context.Context, c *Command, st *Stdio, f *constraintsFlags, args []string) error {
	// A one-shot batch over thousands of small files: trade memory for
	// fewer collections.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if !slices.Contains([]string{"off", "on", "both", "default"}, f.cgo) {
		return c.Usagef("--cgo wants off, on, both or default, not %q", f.cgo)
	}
	env, wd, err := readGoEnv(ctx, st)
	if err != nil {
		return err
	}
	table, err := platform.Load(ctx, env.runner)
	if err != nil {
		return err
	}
	ts, err := table.Select([]string{f.targets}, false)
	if err != nil {
		return c.Usagef("%s", err)
	}
	cfgs, err := buildConfigs(env, ts, f)
	if err != nil {
		return err
	}
	l := &depgraph.Loader{
		Env: depgraph.Env{GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE, GOMOD: env.GOMOD, GOFLAGS: env.GOFLAGS},
		Dir: wd, Warn: func(msg string) { fmt.Fprintf(st.Err, "goforge: %s\n", msg) },
	}
	pkgs, err := l.Packages(args)
	if err != nil {
		return err
	}
	m := newMatrix(pkgs, constraint.Evaluate(pkgs, cfgs))
	if f.jsonOut {
		// Compact: std over every target is tens of megabytes, and
		// indenting it would cost more than computing it.
		enc := json.NewEncoder(st.Out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(m); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		return nil
	}
	return m.write(st.Out)
}

// buildConfigs crosses targets, cgo settings and tag sets.
func buildConfigs(env *goEnvInfo, ts []platform.Target, f *constraintsFlags) ([]*constraint.Config, error) {
	sets := f.tags
	if len(sets) == 0 {
		sets = tagSets{nil}
	}
	var cfgs []*constraint.Config
	levels := env.archLevels()
	for _, t := range ts {
		for _, cgo := range cgoSettings(env, t, f.cgo) {
			for _, tags := range sets {
				c, err := constraint.NewConfig(env.GOVERSION, t.GOOS, t.GOARCH, cgo, env.GOEXPERIMENT, tags)
				if err != nil {
					return nil, err
				}
				cfgs = append(cfgs, c.WithArchLevels(levels))
			}
		}
	}
	return cfgs, nil
}

// cgoSettings: "default" is the go command's choice for the target: an
// explicit CGO_ENABLED wins, else cgo is on only for the host target when
// 'go env' says it is on (a C compiler was found).
func cgoSettings(env *goEnvInfo, t platform.Target, mode string) []bool {
	switch mode {
	case "on":
		return []bool{true}
	case "off":
		return []bool{false}
	case "both":
		return []bool{false, true}
	}
	if v := env.runner.Getenv("CGO_ENABLED"); v == "0" || v == "1" {
		return []bool{v == "1"}
	}
	host := t.GOOS == env.GOHOSTOS && t.GOARCH == env.GOHOSTARCH
	return []bool{host && env.CGO_ENABLED == "1"}
}

// matrix is the JSON schema of 'goforge constraints --json'.
type matrix struct {
	Configurations []constraint.Result   `json:"configurations"`
	Empty          []emptyPackage        `json:"empty"`
	DeadFiles      []constraint.DeadFile `json:"dead_files"`

	pkgs []*constraint.Package
}

// emptyPackage is a package that some configurations compile nothing of.
type emptyPackage struct {
	ImportPath     string   `json:"import_path"`
	Configurations []string `json:"configurations"`
}

func newMatrix(pkgs []*constraint.Package, results []constraint.Result) *matrix {
	m := &matrix{Configurations: results, pkgs: pkgs, Empty: []emptyPackage{},
		DeadFiles: nonNil(constraint.DeadFiles(pkgs, results))}
	empty := make(map[string][]string)
	for _, r := range results {
		name := r.Config().String()
		got := make(map[string]bool)
		for _, p := range r.Packages {
			got[p.ImportPath] = true
			if p.Empty() {
				empty[p.ImportPath] = append(empty[p.ImportPath], name)
			}
		}
		for _, p := range pkgs {
			if !got[p.ImportPath] {
				empty[p.ImportPath] = append(empty[p.ImportPath], name)
			}
		}
	}
	for _, p := range pkgs {
		if cs := empty[p.ImportPath]; len(cs) > 0 {
			m.Empty = append(m.Empty, emptyPackage{p.ImportPath, cs})
		}
	}
	for i := range m.Configurations {
		m.Configurations[i].Packages = nonNil(m.Configurations[i].Packages)
	}
	return m
}

// write prints, per package and non-test file, on how many
// configurations the file is compiled and why it is left out elsewhere;
// then the empty packages and dead files.
func (m *matrix) write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	n := len(m.Configurations)
	fmt.Fprintf(tw, "%d configurations: %s\n", n, configNames(m.Configurations, 6))
	sums := m.fileSummaries()
	for _, p := range m.pkgs {
		fmt.Fprintf(tw, "\n%s\t(%s)\n", p.ImportPath, p.Dir)
		for _, f := range p.Files {
			if f.IsTest() {
				continue
			}
			s := sums[[2]string{p.ImportPath, f.Name}]
			if s == nil {
				s = &fileSummary{}
			}
			line := fmt.Sprintf("  %s\t%d/%d", f.Name, s.built, n)
			if len(s.order) > 0 {
				var why []string
				for _, r := range s.order {
					why = append(why, fmt.Sprintf("%s (%d)", r, s.counts[r]))
				}
				line += "\t" + strings.Join(why, "; ")
			}
			fmt.Fprintln(tw, line)
		}
	}
	if len(m.Empty) > 0 {
		fmt.Fprintf(tw, "\nEmpty packages (no file compiled):\n")
		for _, e := range m.Empty {
			fmt.Fprintf(tw, "  %s\t%d/%d\t%s\n", e.ImportPath, len(e.Configurations), n, shortList(e.Configurations, 4))
		}
	}
	if len(m.DeadFiles) > 0 {
		fmt.Fprintf(tw, "\nDead files (compiled by no configuration):\n")
		for _, d := range m.DeadFiles {
			fmt.Fprintf(tw, "  %s/%s\t%s\n", d.ImportPath, d.File, strings.Join(d.Reasons, "; "))
		}
	}
	return tw.Flush()
}

// fileSummary is how one file fares over all configurations.
type fileSummary struct {
	built  int
	counts map[string]int
	order  []string
}

// fileSummaries counts, per file, the configurations compiling it and
// the distinct reasons it is excluded elsewhere.
func (m *matrix) fileSummaries() map[[2]string]*fileSummary {
	sums := make(map[[2]string]*fileSummary)
	get := func(k [2]string) *fileSummary {
		s := sums[k]
		if s == nil {
			s = &fileSummary{counts: map[string]int{}}
			sums[k] = s
		}
		return s
	}
	for _, r := range m.Configurations {
		for _, p := range slices.Concat(r.Packages, r.Absent) {
			for _, f := range p.Included {
				get([2]string{p.ImportPath, f}).built++
			}
			for _, e := range p.Excluded {
				s := get([2]string{p.ImportPath, e.File})
				if s.counts[e.Reason] == 0 {
					s.order = append(s.order, e.Reason)
				}
				s.counts[e.Reason]++
			}
		}
	}
	return sums
}

func configNames(rs []constraint.Result, limit int) string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Config().String())
	}
	return shortList(names, limit)
}

func shortList(s []string, limit int) string {
	if len(s) <= limit {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:limit], ", ") + fmt.Sprintf(", ... (%d more)", len(s)-limit)
}
