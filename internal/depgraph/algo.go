package depgraph

import (
	"path"
	"slices"
	"strings"
)

// MaxWhyPaths bounds how many shortest paths Why returns.
const MaxWhyPaths = 1000

// Why returns every shortest import path from a to b (each a list of
// package paths from a to b), sorted, at most MaxWhyPaths of them, and
// whether the list was cut. It returns nil when b is not reachable.
func (g *Graph) Why(a, b string) (paths [][]string, truncated bool) {
	succ := g.succ()
	dist := bfs([]string{a}, succ)
	if _, ok := dist[b]; !ok {
		return nil, false
	}
	// Walk back from b along edges that step one level closer to a.
	pred := g.pred()
	var walk func(n string, suffix []string)
	walk = func(n string, suffix []string) {
		if len(paths) >= MaxWhyPaths {
			truncated = true
			return
		}
		suffix = append([]string{n}, suffix...)
		if n == a {
			paths = append(paths, suffix)
			return
		}
		for _, p := range pred[n] {
			if d, ok := dist[p]; ok && d == dist[n]-1 {
				walk(p, suffix)
			}
		}
	}
	walk(b, nil)
	slices.SortFunc(paths, func(x, y []string) int { return slices.Compare(x, y) })
	return paths, truncated
}

// Cycles returns the strongly connected components that contain a cycle
// (more than one node, or a node importing itself), each sorted, largest
// first. Go forbids import cycles among packages, so these appear with
// test imports folded in or after grouping by module or directory.
func (g *Graph) Cycles() [][]string {
	succ := g.succ()
	index := make(map[string]int)
	low := make(map[string]int)
	onStack := make(map[string]bool)
	var stack []string
	var sccs [][]string
	next := 0
	var strong func(v string)
	strong = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range succ[v] {
			if _, seen := index[w]; !seen {
				strong(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		if len(comp) > 1 || slices.Contains(succ[v], v) {
			slices.Sort(comp)
			sccs = append(sccs, comp)
		}
	}
	for _, n := range g.Nodes {
		if _, seen := index[n.ID]; !seen {
			strong(n.ID)
		}
	}
	slices.SortFunc(sccs, func(a, b []string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a[0], b[0])
	})
	return sccs
}

// Group collapses nodes by key: "module" (module path; std and cmd are
// one node each) or "dir" (the parent directory of the import path; a
// top-level package such as fmt stays itself).
// Edge weights add up; edges inside a group disappear.
func (g *Graph) Group(by string) *Graph {
	key := func(n *Node) string {
		if by == "module" {
			if n.Module != "" {
				return n.Module
			}
			return n.ID
		}
		if d := path.Dir(n.ID); d != "." {
			return d
		}
		return n.ID // a top-level package is its own group
	}
	groups := make(map[string]*Node)
	of := make(map[string]string)
	for _, n := range g.Nodes {
		k := key(n)
		of[n.ID] = k
		gn, ok := groups[k]
		if !ok {
			gn = &Node{ID: k, Module: n.Module, Standard: n.Standard, Depth: n.Depth}
			groups[k] = gn
		}
		gn.Root = gn.Root || n.Root
		gn.Missing = gn.Missing || n.Missing
		gn.Cgo = gn.Cgo || n.Cgo
		gn.Depth = min(gn.Depth, n.Depth)
		gn.Files += n.Files
	}
	weights := make(map[[2]string]int)
	for _, e := range g.Edges {
		f, t := of[e.From], of[e.To]
		if f != t {
			weights[[2]string{f, t}] += e.Weight
		}
	}
	out := &Graph{}
	for _, n := range groups {
		out.Nodes = append(out.Nodes, n)
	}
	for k, w := range weights {
		out.Edges = append(out.Edges, Edge{From: k[0], To: k[1], Weight: w})
	}
	out.sort()
	return out
}
