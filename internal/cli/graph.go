package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/goforge/goforge/internal/depgraph"
	"github.com/goforge/goforge/internal/insight"
	"github.com/goforge/goforge/internal/platform"
	"github.com/goforge/goforge/internal/units"
)

// loadInsightEnv chooses the go command for the working directory, says
// which it is (unless the output is JSON), and reads its environment once.
func loadInsightEnv(ctx context.Context, st *Stdio, jsonOut bool) (*insight.Env, error) {
	r, dir, err := st.goRunner(ctx)
	if err != nil {
		return nil, err
	}
	env, err := insight.LoadEnv(ctx, r, dir)
	if err != nil {
		return nil, err
	}
	if !jsonOut {
		st.sayToolchain(r, env.GOVERSION)
	}
	return env, nil
}

type graphFlags struct {
	format, out, tags, focus, why, group, target    string
	jsonOut, dot, mermaid, svg, html, text, verbose bool
	tests, std, nostd, moduleOnly, reverse, cycl    bool
	depth                                           int
}

func newGraphCmd() *Command {
	var f graphFlags
	c := NewCommand("graph", "[flags] [packages]", "draw the package import graph", graphLong)
	fl := c.Flags
	fl.StringVar(&f.format, "format", "text", "output: text, mermaid, dot, json, svg, html")
	fl.BoolVar(&f.jsonOut, "json", false, "same as --format json")
	fl.BoolVar(&f.mermaid, "mermaid", false, "same as --format mermaid")
	fl.BoolVar(&f.dot, "dot", false, "same as --format dot")
	fl.BoolVar(&f.svg, "svg", false, "same as --format svg (needs Graphviz's dot)")
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
	fl.BoolVar(&f.verbose, "v", false, "say on stderr how many packages were listed, and how long it took (on a terminal, a status line while go list runs)")
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
Graphviz's dot, or the binary named by $GOFORGE_DOT; an error without
it), html (a page with its own layout, no Graphviz needed). --why A,B lists every shortest path from A to B; --cycles
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
	if format == "svg" && f.why == "" && !f.cycl {
		// Before loading and before creating the output file.
		if _, err := insight.FindDot(st.Getenv("GOFORGE_DOT")); err != nil {
			return err
		}
	}
	g, err := loadGraph(ctx, c, st, f, args)
	if err != nil {
		return err
	}
	g, err = insight.View{NoStd: f.nostd || !f.std, ModuleOnly: f.moduleOnly, Focus: f.focus, Reverse: f.reverse,
		Depth: f.depth, Group: f.group}.Apply(g)
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

// loadGraph reads go env once, checks --target against the toolchain's
// ports, builds the configuration and loads.
func loadGraph(ctx context.Context, c *Command, st *Stdio, f *graphFlags, args []string) (*depgraph.Graph, error) {
	env, err := loadInsightEnv(ctx, st, f.jsonOut || f.format == "json")
	if err != nil {
		return nil, err
	}
	if f.target != "" {
		if err := checkGraphTarget(ctx, c, env, f.target); err != nil {
			return nil, err
		}
	}
	p := startProgress(st, progressOpts{verb: "listing packages", verbose: f.verbose})
	defer p.close()
	start := time.Now()
	p.begin("go list")
	g, err := env.Graph(insight.GraphRequest{Patterns: args, Target: f.target, Tags: f.tags, Tests: f.tests},
		func(msg string) { p.say("%s", msg) })
	if err == nil {
		p.end("go list", false, fmt.Sprintf("listed %s in %s", units.Count(len(g.Nodes), "package"), elapsed(time.Since(start))))
	}
	return g, err
}

// checkGraphTarget refuses a --target that is not one port of the
// toolchain (broken ports are fine: nothing is built), naming close ones.
func checkGraphTarget(ctx context.Context, c *Command, env *insight.Env, target string) error {
	table, err := platform.Load(ctx, env.Runner)
	if err != nil {
		return err
	}
	if strings.Count(target, "/") != 1 || strings.ContainsAny(target, "*?[ ,") {
		return c.Usagef("--target wants one GOOS/GOARCH, not %q", target)
	}
	if _, err := table.Select([]string{target}, true); err != nil {
		return c.Usagef("--target: %s", err)
	}
	return nil
}

func (f *graphFlags) render(ctx context.Context, st *Stdio, g *depgraph.Graph, format string, w io.Writer) error {
	warn := func(msg string) { st.say("%s", msg) }
	return insight.Render(ctx, g, insight.Output{Format: format, Why: f.why, Cycles: f.cycl,
		Dot: st.Getenv("GOFORGE_DOT"), Depth: f.depth}, w, warn)
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
