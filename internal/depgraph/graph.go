package depgraph

import (
	"cmp"
	"slices"
	"strings"
)

// A Node is one package of the graph.
type Node struct {
	ID       string `json:"id"`
	Module   string `json:"module,omitempty"`
	Dir      string `json:"dir,omitempty"`
	Standard bool   `json:"std,omitempty"`
	Root     bool   `json:"root,omitempty"`
	Missing  bool   `json:"missing,omitempty"`
	Error    string `json:"error,omitempty"`
	Depth    int    `json:"depth"`
	Cgo      bool   `json:"cgo,omitempty"`
	// Files counts the compiled files (after grouping, of all members).
	Files int `json:"files"`
}

// An Edge says From imports To in Weight of From's files.
type Edge struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Weight int    `json:"weight"`
}

// A Graph is a set of nodes and weighted edges, sorted by ID and by
// (From, To). Filters return new graphs.
type Graph struct {
	Nodes []*Node `json:"nodes"`
	Edges []Edge  `json:"edges"`

	index map[string]*Node
}

func newGraph(pkgs []*Package) *Graph {
	g := &Graph{}
	for _, p := range pkgs {
		g.Nodes = append(g.Nodes, &Node{ID: p.ImportPath, Module: p.Module, Dir: p.Dir,
			Standard: p.Standard, Root: p.Root, Missing: p.Missing, Error: p.Error,
			Depth: p.Depth, Cgo: p.Cgo, Files: len(p.Files)})
		for to, w := range p.Imports {
			g.Edges = append(g.Edges, Edge{From: p.ImportPath, To: to, Weight: w})
		}
	}
	g.sort()
	return g
}

// New returns a graph of the given nodes and edges (tests, callers that
// build graphs by hand).
func New(nodes []*Node, edges []Edge) *Graph {
	g := &Graph{Nodes: nodes, Edges: edges}
	g.sort()
	return g
}

func (g *Graph) sort() {
	// Empty lists print as [] in JSON, not null.
	if g.Nodes == nil {
		g.Nodes = []*Node{}
	}
	if g.Edges == nil {
		g.Edges = []Edge{}
	}
	slices.SortFunc(g.Nodes, func(a, b *Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Edges, func(a, b Edge) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	g.index = make(map[string]*Node, len(g.Nodes))
	for _, n := range g.Nodes {
		g.index[n.ID] = n
	}
}

// Node returns the node called id, or nil.
func (g *Graph) Node(id string) *Node {
	if g.index == nil {
		g.sort()
	}
	return g.index[id]
}

// succ returns the adjacency lists (From → To, in order).
func (g *Graph) succ() map[string][]string {
	adj := make(map[string][]string, len(g.Nodes))
	for _, e := range g.Edges {
		adj[e.From] = append(adj[e.From], e.To)
	}
	return adj
}

// pred returns the reverse adjacency lists.
func (g *Graph) pred() map[string][]string {
	adj := make(map[string][]string, len(g.Nodes))
	for _, e := range g.Edges {
		adj[e.To] = append(adj[e.To], e.From)
	}
	return adj
}

// Subgraph keeps the nodes for which keep is true and the edges between
// them.
func (g *Graph) Subgraph(keep func(n *Node) bool) *Graph {
	out := &Graph{}
	ids := make(map[string]bool)
	for _, n := range g.Nodes {
		if keep(n) {
			c := *n
			out.Nodes = append(out.Nodes, &c)
			ids[n.ID] = true
		}
	}
	for _, e := range g.Edges {
		if ids[e.From] && ids[e.To] {
			out.Edges = append(out.Edges, e)
		}
	}
	out.sort()
	return out
}

// Roots returns the IDs of the root nodes.
func (g *Graph) Roots() []string {
	var r []string
	for _, n := range g.Nodes {
		if n.Root {
			r = append(r, n.ID)
		}
	}
	return r
}

// bfs returns the breadth-first distance of every node reachable from
// starts along adj.
func bfs(starts []string, adj map[string][]string) map[string]int {
	dist := make(map[string]int)
	queue := slices.Clone(starts)
	for _, s := range starts {
		dist[s] = 0
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, m := range adj[n] {
			if _, ok := dist[m]; !ok {
				dist[m] = dist[n] + 1
				queue = append(queue, m)
			}
		}
	}
	return dist
}

// Depth keeps the nodes at most n imports away from the roots (true
// breadth-first distance, independent of traversal order).
func (g *Graph) Depth(n int) *Graph {
	dist := bfs(g.Roots(), g.succ())
	return g.Subgraph(func(x *Node) bool {
		d, ok := dist[x.ID]
		return ok && d <= n
	})
}

// Focus keeps pkg, everything it imports (directly or not) and everything
// that imports it.
func (g *Graph) Focus(pkg string) *Graph {
	down := bfs([]string{pkg}, g.succ())
	up := bfs([]string{pkg}, g.pred())
	out := g.Subgraph(func(x *Node) bool {
		_, d := down[x.ID]
		_, u := up[x.ID]
		return d || u
	})
	for _, n := range out.Nodes {
		n.Root = n.ID == pkg
		if d, ok := down[n.ID]; ok {
			n.Depth = d
		} else {
			n.Depth = -up[n.ID]
		}
	}
	return out
}

// Reverse flips every edge, so that an edge points from a package to
// its importers. Root flags are kept: after Focus, the focused package is
// the root and a tree drawn from it lists who imports it.
func (g *Graph) Reverse() *Graph {
	out := &Graph{}
	for _, n := range g.Nodes {
		c := *n
		out.Nodes = append(out.Nodes, &c)
	}
	for _, e := range g.Edges {
		out.Edges = append(out.Edges, Edge{From: e.To, To: e.From, Weight: e.Weight})
	}
	out.sort()
	return out
}

// FilterStd drops standard-library packages (and cmd's own packages).
func (g *Graph) FilterStd() *Graph {
	return g.Subgraph(func(n *Node) bool { return n.Module != "std" && n.Module != "cmd" })
}

// FilterModule keeps only the packages of module mod.
func (g *Graph) FilterModule(mod string) *Graph {
	return g.Subgraph(func(n *Node) bool { return n.Module == mod })
}
