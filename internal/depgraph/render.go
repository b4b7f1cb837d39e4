package depgraph

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Limits above which a format stops being readable (Mermaid refuses more
// than 500 edges by default; a drawing of thousands of nodes is a blur).
var Limits = map[string]struct{ Nodes, Edges int }{
	"mermaid": {Nodes: 300, Edges: 500},
	"dot":     {Nodes: 3000, Edges: 20000},
	"svg":     {Nodes: 1500, Edges: 8000},
	"html":    {Nodes: 1500, Edges: 8000},
}

// TooLarge returns an error naming the size and suggesting filters when
// g is too large to be readable in format.
func (g *Graph) TooLarge(format string) error {
	lim, ok := Limits[format]
	if !ok || len(g.Nodes) <= lim.Nodes && len(g.Edges) <= lim.Edges {
		return nil
	}
	return fmt.Errorf("graph has %d nodes and %d edges, too many for %s output (limit %d nodes, %d edges); "+
		"narrow it with --nostd, --module-only, --depth N, --focus PKG or --group module|dir, or use --json",
		len(g.Nodes), len(g.Edges), format, lim.Nodes, lim.Edges)
}

// Mermaid writes g as a Mermaid flowchart, the seed's format: one line
// per node with its import path as label, one per edge with its weight
// when it is more than one.
func (g *Graph) Mermaid(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("graph LR\n")
	ids := g.shortIDs()
	for _, n := range g.Nodes {
		label := n.ID
		if n.Missing {
			label += " (missing)"
		}
		shape := `["%s"]`
		if n.Missing {
			shape = `{{"%s"}}`
		} else if n.Root {
			shape = `(["%s"])`
		}
		ew.printf("  %s"+shape+"\n", ids[n.ID], strings.ReplaceAll(label, `"`, "#quot;"))
	}
	for _, e := range g.Edges {
		if e.Weight > 1 {
			ew.printf("  %s -->|%d| %s\n", ids[e.From], e.Weight, ids[e.To])
		} else {
			ew.printf("  %s --> %s\n", ids[e.From], ids[e.To])
		}
	}
	return ew.err
}

// shortIDs numbers the nodes n0, n1, ... (import paths are not valid
// Mermaid or DOT identifiers).
func (g *Graph) shortIDs() map[string]string {
	ids := make(map[string]string, len(g.Nodes))
	for i, n := range g.Nodes {
		ids[n.ID] = "n" + strconv.Itoa(i)
	}
	return ids
}

// DOT writes g for Graphviz: nodes clustered by module, edge pen width
// growing with the logarithm of the weight, missing nodes dashed red.
func (g *Graph) DOT(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("digraph imports {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6fa\", fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#5a6b8c80\", arrowsize=0.6];\n")
	ids := g.shortIDs()
	byMod := make(map[string][]*Node)
	for _, n := range g.Nodes {
		byMod[n.Module] = append(byMod[n.Module], n)
	}
	mods := sortedKeys(byMod)
	for i, m := range mods {
		indent := "  "
		if m != "" && len(mods) > 1 {
			ew.printf("  subgraph cluster_%d {\n    label=%s; style=\"rounded\"; color=\"#9aa5b8\"; fontname=\"Helvetica\";\n", i, strconv.Quote(m))
			indent = "    "
		}
		for _, n := range byMod[m] {
			ew.printf("%s%s [label=%s, tooltip=%s%s];\n", indent, ids[n.ID], strconv.Quote(shortLabel(n, indent != "  ")),
				strconv.Quote(n.ID), nodeStyle(n, i))
		}
		if indent != "  " {
			ew.printf("  }\n")
		}
	}
	for _, e := range g.Edges {
		ew.printf("  %s -> %s [penwidth=%.2f%s];\n", ids[e.From], ids[e.To], penWidth(e.Weight), edgeLabel(e))
	}
	ew.printf("}\n")
	return ew.err
}

var palette = []string{"#dbe9f6", "#fde2c8", "#d9f0d3", "#f3d6e4", "#e5dcf2", "#fff2b3", "#d3eeee", "#eadbcb"}

func nodeStyle(n *Node, cluster int) string {
	switch {
	case n.Missing:
		return `, style="dashed", color="#c0392b", fontcolor="#c0392b"`
	case n.Root:
		return fmt.Sprintf(`, fillcolor=%q, penwidth=2`, palette[cluster%len(palette)])
	}
	return fmt.Sprintf(`, fillcolor=%q`, palette[cluster%len(palette)])
}

// penWidth scales an edge's width with log2 of its weight.
func penWidth(w int) float64 {
	return 0.6 + math.Log2(float64(max(w, 1)))*0.8
}

func edgeLabel(e Edge) string {
	if e.Weight < 2 {
		return ""
	}
	return fmt.Sprintf(`, tooltip="%d files"`, e.Weight)
}

// Tree writes g as an indented tree from its roots (or from roots when
// given): each package once in full, later occurrences marked "(seen)".
// With maxDepth >= 0 the tree stops maxDepth levels below the roots
// (the --depth of the view), however the kept nodes import each other.
func (g *Graph) Tree(w io.Writer, roots []string, maxDepth int) error {
	ew := &errWriter{w: w}
	if len(roots) == 0 {
		roots = g.Roots()
	}
	succ := g.succ()
	weight := make(map[[2]string]int, len(g.Edges))
	for _, e := range g.Edges {
		weight[[2]string{e.From, e.To}] = e.Weight
	}
	done := make(map[string]bool)
	var visit func(id string, depth int, w int)
	visit = func(id string, depth, wt int) {
		line := strings.Repeat("  ", depth) + id
		if wt > 1 {
			line += fmt.Sprintf(" [%d]", wt)
		}
		if n := g.Node(id); n != nil && n.Missing {
			line += " (missing)"
		}
		if done[id] && len(succ[id]) > 0 {
			ew.printf("%s (seen)\n", line)
			return
		}
		ew.printf("%s\n", line)
		if maxDepth >= 0 && depth >= maxDepth {
			// Not expanded here: a shallower occurrence may still be.
			return
		}
		done[id] = true
		for _, c := range succ[id] {
			visit(c, depth+1, weight[[2]string{id, c}])
		}
	}
	for _, r := range roots {
		visit(r, 0, 0)
	}
	return ew.err
}

// Paths writes import paths, one per line, as "a -> b -> c".
func Paths(w io.Writer, paths [][]string) error {
	ew := &errWriter{w: w}
	for _, p := range paths {
		ew.printf("%s\n", strings.Join(p, " -> "))
	}
	return ew.err
}

// Components writes strongly connected components, one per line.
func Components(w io.Writer, comps [][]string) error {
	ew := &errWriter{w: w}
	for _, c := range comps {
		ew.printf("%d: %s\n", len(c), strings.Join(slices.Clone(c), " "))
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// shortLabel drops the module path from a node inside its module's
// cluster (the cluster is labelled with it), keeping big graphs legible.
func shortLabel(n *Node, clustered bool) string {
	if !clustered || n.Module == "" || n.Module == "std" || n.Module == "cmd" || n.ID == n.Module {
		return n.ID
	}
	if rest, ok := strings.CutPrefix(n.ID, n.Module+"/"); ok {
		return "…/" + rest
	}
	return n.ID
}
