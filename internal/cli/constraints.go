package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"github.com/goforge/goforge/internal/insight"
	"github.com/goforge/goforge/internal/platform"
	"github.com/goforge/goforge/internal/units"
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
	verbose      bool
}

func newConstraintsCmd() *Command {
	var f constraintsFlags
	c := NewCommand("constraints", "[--targets LIST] [--cgo off|on|both] [--tags T,..] [--json] [dir|packages]",
		"show which files each GOOS/GOARCH, cgo setting and tag set compiles", constraintsLong)
	c.Flags.StringVar(&f.targets, "targets", "all", "comma-separated `LIST` of GOOS/GOARCH patterns, all or first-class")
	c.Flags.StringVar(&f.cgo, "cgo", "default", "cgo `setting`: off, on, both, or default (the go command's per target)")
	c.Flags.Var(&f.tags, "tags", "comma-separated build tags; repeat for several tag sets")
	c.Flags.BoolVar(&f.jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&f.verbose, "v", false, "say on stderr how long listing and evaluating took (on a terminal, a status line while go list runs)")
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
	env, err := loadInsightEnv(ctx, st, f.jsonOut)
	if err != nil {
		return err
	}
	table, err := platform.Load(ctx, env.Runner)
	if err != nil {
		return err
	}
	ts, err := table.Select([]string{f.targets}, false)
	if err != nil {
		return c.Usagef("%s", err)
	}
	p := startProgress(st, progressOpts{verb: "listing packages", verbose: f.verbose})
	defer p.close()
	start := time.Now()
	p.begin(units.Count(len(ts), "target"))
	m, err := env.Constraints(insight.MatrixRequest{Targets: ts, Cgo: f.cgo, TagSets: f.tags, Patterns: args},
		func(msg string) { p.say("%s", msg) })
	if err != nil {
		return err
	}
	p.end(units.Count(len(ts), "target"), false, fmt.Sprintf("listed and evaluated %s in %s",
		units.Count(len(ts), "target"), elapsed(time.Since(start))))
	p.close()
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
	return m.Write(st.Out)
}
