package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/depgraph"
	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/platform"
)

// goEnvInfo is what graph and constraints read from 'go env' (once).
type goEnvInfo struct {
	GOROOT, GOMODCACHE, GOMOD, GOFLAGS, GOVERSION, GOEXPERIMENT string
	GOOS, GOARCH, CGO_ENABLED, GOHOSTOS, GOHOSTARCH             string
	// Architecture levels; each applies to its own GOARCH only.
	GOAMD64, GOARM, GOARM64, GO386, GOMIPS, GOMIPS64, GOPPC64, GORISCV64 string

	runner *gocmd.Runner
}

// archLevels returns the architecture-level variables for
// constraint.ArchTags.
func (e *goEnvInfo) archLevels() map[string]string {
	return map[string]string{"GOAMD64": e.GOAMD64, "GOARM": e.GOARM, "GOARM64": e.GOARM64,
		"GO386": e.GO386, "GOMIPS": e.GOMIPS, "GOMIPS64": e.GOMIPS64, "GOPPC64": e.GOPPC64,
		"GORISCV64": e.GORISCV64}
}

// readGoEnv chooses the go command for the working directory, says which
// it is, and reads the variables the insight commands need with one
// 'go env -json'.
func readGoEnv(ctx context.Context, st *Stdio) (*goEnvInfo, string, error) {
	r, dir, err := st.goRunner(ctx)
	if err != nil {
		return nil, "", err
	}
	vals, err := r.GoEnv(ctx, dir, "GOROOT", "GOMODCACHE", "GOMOD", "GOFLAGS",
		"GOVERSION", "GOEXPERIMENT", "GOOS", "GOARCH", "CGO_ENABLED", "GOHOSTOS", "GOHOSTARCH",
		"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64")
	if err != nil {
		return nil, "", err
	}
	st.sayToolchain(r, vals["GOVERSION"])
	data, _ := json.Marshal(vals)
	var e goEnvInfo
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, "", fmt.Errorf("decoding go env output: %w", err)
	}
	e.runner = r
	return &e, dir, nil
}

type graphFlags struct {
	format, out, tags, focus, why, group, target string
	jsonOut, dot, mermaid, svg, html, text       bool
	tests, std, nostd, moduleOnly, reverse, cycl bool
	depth                                        int
}

func newGraphCmd() *Command {
	var f graphFlags
	c := NewCommand("graph", "[flags] [packages]", "draw the package import graph", graphLong)
	fl := c.Flags
	fl.StringVar(&f.format, "format", "text", "output: text, mermaid, dot, json, svg, html")
	fl.BoolVar(&f.jsonOut, "json", false, "same as --format json")
	fl.BoolVar(&f.mermaid, "mermaid", false, "same as --format mermaid")
	fl.BoolVar(&f.dot, "dot", false, "same as --format dot")
	fl.BoolVar(&f.svg, "svg", false, "same as --format svg (HTML page when Graphviz's dot is missing)")
	fl.BoolVar(&f.html, "html", false, "same as --format html")
	fl.BoolVar(&f.text, "text", false, "same as --format text")
	fl.StringVar(&f.out, "o", "", "write the output to `FILE` instead of stdout")
	fl.BoolVar(&f.tests, "tests", false, "fold the test imports of the named packages into the graph")
	fl.BoolVar(&f.std, "std", true, "include standard-library packages")
	fl.BoolVar(&f.nostd, "nostd", false, "leave out standard-library packages")
	fl.BoolVar(&f.moduleOnly, "module-only", false, "keep only the main module's packages")
	fl.IntVar(&f.depth, "depth", -1, "keep packages at most `N` imports from the named ones")
	fl.StringVar(&f.focus, "focus", "", "keep `PKG`, what it imports and what imports it")
	fl.BoolVar(&f.reverse, "reverse", false, "point edges from a package to its importers")
	fl.StringVar(&f.why, "why", "", "print all shortest import paths from `A,B` (A imports ... B)")
	fl.BoolVar(&f.cycl, "cycles", false, "print strongly connected components (import cycles)")
	fl.StringVar(&f.group, "group", "", "collapse nodes by `module|dir`")
	fl.StringVar(&f.tags, "tags", "", "comma-separated build tags")
	fl.StringVar(&f.target, "target", "", "GOOS/GOARCH to evaluate build constraints for (default: go env)")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		return runGraph(ctx, c, st, &f, args)
	}
	return c
}

const graphLong = `
Graph draws the import graph of packages and all their dependencies,
read straight from the source files (no 'go list' per package).
Patterns are the go command's: ./..., std, cmd, net/http, module paths,
import/path/... . Nodes are import paths spelled as 'go list' spells them
(std's vendored packages as vendor/golang.org/x/...); an edge A -> B means
A imports B, and its weight is the number of A's compiled files that do.
GOOS, GOARCH, CGO_ENABLED (from the environment or --target) and --tags
choose the files. Imports that resolve nowhere become missing nodes.

Formats: text (a tree, default), mermaid, dot, json
({"nodes":[...],"edges":[{"from","to","weight"}]}), svg (rendered with
Graphviz's dot, or the binary named by $GOFORGE_DOT; without it, an HTML
page), html (a page with its own layout). --why A,B lists every shortest path from A to B; --cycles
lists strongly connected components (useful with --tests or --group).

Examples:
  goforge graph ./...
  goforge graph --nostd --mermaid ./...
  goforge graph --why net/http,unsafe net/http
  goforge graph --group module --svg -o deps.svg ./...`

func runGraph(ctx context.Context, c *Command, st *Stdio, f *graphFlags, args []string) error {
	// A one-shot batch over thousands of small files: trade memory for
	// fewer collections.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	format, err := f.resolveFormat(c)
	if err != nil {
		return err
	}
	g, err := loadGraph(ctx, st, f, args)
	if err != nil {
		return err
	}
	g, err = f.filter(g)
	if err != nil {
		return err
	}
	out, closeOut, err := openOutput(st, f.out)
	if err != nil {
		return err
	}
	err = f.render(ctx, st, g, format, out)
	return errors.Join(err, closeOut())
}

func (f *graphFlags) resolveFormat(c *Command) (string, error) {
	format := f.format
	for name, on := range map[string]bool{"json": f.jsonOut, "dot": f.dot, "mermaid": f.mermaid,
		"svg": f.svg, "html": f.html, "text": f.text} {
		if on {
			format = name
		}
	}
	switch format {
	case "text", "mermaid", "dot", "json", "svg", "html":
	default:
		return "", c.Usagef("unknown format %q (want text, mermaid, dot, json, svg or html)", format)
	}
	if f.why != "" && !strings.Contains(f.why, ",") {
		return "", c.Usagef("--why wants two packages, A,B")
	}
	if f.group != "" && f.group != "module" && f.group != "dir" {
		return "", c.Usagef("--group wants module or dir, not %q", f.group)
	}
	return format, nil
}

// loadGraph reads go env once, builds the configuration and loads.
func loadGraph(ctx context.Context, st *Stdio, f *graphFlags, args []string) (*depgraph.Graph, error) {
	env, wd, err := readGoEnv(ctx, st)
	if err != nil {
		return nil, err
	}
	goos, goarch, cgo := env.GOOS, env.GOARCH, env.CGO_ENABLED == "1"
	if f.target != "" {
		if goos, goarch, err = constraint.ParseTarget(f.target); err != nil {
			return nil, err
		}
		cgo = cgo && goos == env.GOHOSTOS && goarch == env.GOHOSTARCH
	}
	cfg, err := constraint.NewConfig(env.GOVERSION, goos, goarch, cgo, env.GOEXPERIMENT, platform.SplitList([]string{f.tags}))
	if err != nil {
		return nil, err
	}
	cfg = cfg.WithArchLevels(env.archLevels())
	l := &depgraph.Loader{
		Env:    depgraph.Env{GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE, GOMOD: env.GOMOD, GOFLAGS: env.GOFLAGS},
		Config: cfg, Tests: f.tests, Dir: wd,
		Warn: func(msg string) { fmt.Fprintf(st.Err, "goforge: %s\n", msg) },
	}
	return l.Load(args)
}

// filter applies the flags in a fixed order: std/module filters, focus,
// reverse, depth (so --reverse --depth 1 means direct importers), grouping.
func (f *graphFlags) filter(g *depgraph.Graph) (*depgraph.Graph, error) {
	if f.nostd || !f.std {
		g = g.FilterStd()
	}
	if f.moduleOnly {
		mod := ""
		for _, n := range g.Nodes {
			if n.Root {
				mod = n.Module
				break
			}
		}
		g = g.FilterModule(mod)
	}
	if f.focus != "" {
		if g.Node(f.focus) == nil {
			return nil, fmt.Errorf("--focus %q: no such package in the graph", f.focus)
		}
		g = g.Focus(f.focus)
	}
	if f.reverse {
		g = g.Reverse()
	}
	if f.depth >= 0 {
		g = g.Depth(f.depth)
	}
	if f.group != "" {
		g = g.Group(f.group)
	}
	return g, nil
}

func (f *graphFlags) render(ctx context.Context, st *Stdio, g *depgraph.Graph, format string, w io.Writer) error {
	if f.why != "" {
		return renderWhy(g, f.why, format, w)
	}
	if f.cycl {
		comps := g.Cycles()
		if format == "json" {
			return writeJSON(w, map[string]any{"cycles": nonNil(comps)})
		}
		if len(comps) == 0 {
			fmt.Fprintln(st.Err, "goforge: no import cycles")
		}
		return depgraph.Components(w, comps)
	}
	if err := g.TooLarge(format); err != nil {
		return err
	}
	switch format {
	case "json":
		return writeJSON(w, g)
	case "mermaid":
		return g.Mermaid(w)
	case "dot":
		return g.DOT(w)
	case "svg":
		return renderSVG(ctx, st, g, w)
	case "html":
		return g.HTML(w)
	}
	return g.Tree(w, nil)
}

func renderWhy(g *depgraph.Graph, why, format string, w io.Writer) error {
	a, b, _ := strings.Cut(why, ",")
	for _, p := range []string{a, b} {
		if g.Node(p) == nil {
			return fmt.Errorf("--why: package %q is not in the graph", p)
		}
	}
	paths, truncated := g.Why(a, b)
	if format == "json" {
		return writeJSON(w, map[string]any{"from": a, "to": b, "paths": nonNil(paths), "truncated": truncated})
	}
	if len(paths) == 0 {
		return fmt.Errorf("%s does not import %s, directly or not", a, b)
	}
	return depgraph.Paths(w, paths)
}

// renderSVG pipes DOT through Graphviz; without dot it writes the HTML
// page instead and says so.
func renderSVG(ctx context.Context, st *Stdio, g *depgraph.Graph, w io.Writer) error {
	name := "dot"
	if v := st.Getenv("GOFORGE_DOT"); v != "" {
		name = v // another Graphviz binary; tests use a missing one
	}
	dotBin, err := exec.LookPath(name)
	if err != nil {
		fmt.Fprintln(st.Err, "goforge: Graphviz's dot is not installed; writing an HTML page instead of SVG")
		return g.HTML(w)
	}
	var in bytes.Buffer
	if err := g.DOT(&in); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, dotBin, "-Tsvg")
	cmd.Stdin = &in
	cmd.Stdout = w
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("running dot -Tsvg: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// openOutput returns stdout or the named file.
func openOutput(st *Stdio, name string) (io.Writer, func() error, error) {
	if name == "" || name == "-" {
		return st.Out, func() error { return nil }, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, fmt.Errorf("creating output: %w", err)
	}
	return f, f.Close, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
