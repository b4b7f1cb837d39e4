package insight

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/depgraph"
	"github.com/goforge/goforge/internal/platform"
)

// A GraphRequest is what 'goforge graph' loads.
type GraphRequest struct {
	Patterns []string
	// Target is GOOS/GOARCH; "" means go env's.
	Target string
	Tags   string
	Tests  bool
}

// Graph builds the configuration and loads the import graph.
func (env *Env) Graph(req GraphRequest, warn func(string)) (*depgraph.Graph, error) {
	goos, goarch, cgo := env.GOOS, env.GOARCH, env.CGO_ENABLED == "1"
	if req.Target != "" {
		var err error
		if goos, goarch, err = constraint.ParseTarget(req.Target); err != nil {
			return nil, err
		}
		cgo = cgo && goos == env.GOHOSTOS && goarch == env.GOHOSTARCH
	}
	cfg, err := constraint.NewConfig(env.GOVERSION, goos, goarch, cgo, env.GOEXPERIMENT, platform.SplitList([]string{req.Tags}))
	if err != nil {
		return nil, err
	}
	return env.Loader(cfg.WithArchLevels(env.ArchLevels()), req.Tests, warn).Load(req.Patterns)
}

// A View narrows a graph.
type View struct {
	NoStd, ModuleOnly, Reverse bool
	Focus, Group               string
	// Depth keeps packages at most Depth imports away; -1 keeps all.
	Depth int
}

// Apply applies the view in a fixed order: std/module filters, focus,
// reverse, depth (so --reverse --depth 1 means direct importers), grouping.
func (f View) Apply(g *depgraph.Graph) (*depgraph.Graph, error) {
	if f.NoStd {
		g = g.FilterStd()
	}
	if f.ModuleOnly {
		mod := ""
		for _, n := range g.Nodes {
			if n.Root {
				mod = n.Module
				break
			}
		}
		g = g.FilterModule(mod)
	}
	if f.Focus != "" {
		if g.Node(f.Focus) == nil {
			return nil, fmt.Errorf("--focus %q: no such package in the graph", f.Focus)
		}
		g = g.Focus(f.Focus)
	}
	if f.Reverse {
		g = g.Reverse()
	}
	if f.Depth >= 0 {
		g = g.Depth(f.Depth)
	}
	if f.Group != "" {
		g = g.Group(f.Group)
	}
	return g, nil
}

// FindDot returns the path of Graphviz's dot (or of the program named
// dot when not ""), or an error naming it and the package that has it.
func FindDot(dot string) (string, error) {
	name := "dot"
	if dot != "" {
		name = dot
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("svg output needs Graphviz's %s, which is not installed (Debian: apt-get install graphviz; "+
			"or use --html for a page drawn without it)", name)
	}
	return p, nil
}

// SVG pipes DOT through Graphviz's dot (or the program named dot); it
// fails, writing nothing, without it.
func SVG(ctx context.Context, g *depgraph.Graph, w io.Writer, dot string) error {
	dotBin, err := FindDot(dot)
	if err != nil {
		return err
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

// Output says how to render a graph: Format is text, mermaid, dot, json,
// svg or html; Why ("A,B") renders the shortest import paths from A to
// B, Cycles the import cycles, instead of the graph. Dot names the
// Graphviz program for svg ("" for dot). Depth (-1: none) stops the
// text tree that many levels below the roots, as View.Depth cut the
// node set.
type Output struct {
	Format, Why, Dot string
	Cycles           bool
	Depth            int
}

// Render writes g as out says; notes for people go to warn.
func Render(ctx context.Context, g *depgraph.Graph, out Output, w io.Writer, warn func(string)) error {
	format := out.Format
	if out.Why != "" {
		return renderWhy(g, out.Why, format, w)
	}
	if out.Cycles {
		comps := g.Cycles()
		if format == "json" {
			return writeJSON(w, map[string]any{"cycles": nonNil(comps)})
		}
		if len(comps) == 0 {
			warn("no import cycles")
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
		return SVG(ctx, g, w, out.Dot)
	case "html":
		return g.HTML(w)
	}
	return g.Tree(w, nil, out.Depth)
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

// writeJSON writes v as indented JSON followed by a newline.
// (Import paths hold no HTML special characters, so the escaping that
// MarshalIndent does changes nothing.)
func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
