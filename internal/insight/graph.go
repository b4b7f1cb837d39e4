package insight

import (
	"bytes"
	"context"
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

// SVG pipes DOT through Graphviz's dot (or the program named dot);
// without it, it writes the HTML page instead and says so through warn.
func SVG(ctx context.Context, g *depgraph.Graph, w io.Writer, dot string, warn func(string)) error {
	name := "dot"
	if dot != "" {
		name = dot
	}
	dotBin, err := exec.LookPath(name)
	if err != nil {
		warn("Graphviz's dot is not installed; writing an HTML page instead of SVG")
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
