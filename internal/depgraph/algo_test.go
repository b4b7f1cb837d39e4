package depgraph

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/constraint"
)

// g builds a graph from "a->b" specs; the first node is the root.
func g(specs ...string) *Graph {
	var nodes []*Node
	seen := map[string]bool{}
	var edges []Edge
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			nodes = append(nodes, &Node{ID: id, Root: len(nodes) == 0, Module: strings.SplitN(id, "/", 2)[0]})
		}
	}
	for _, s := range specs {
		from, to, _ := strings.Cut(s, "->")
		add(from)
		add(to)
		edges = append(edges, Edge{From: from, To: to, Weight: 1})
	}
	return New(nodes, edges)
}

func ids(g *Graph) []string {
	var out []string
	for _, n := range g.Nodes {
		out = append(out, n.ID)
	}
	return out
}

func TestWhyAllShortestPaths(t *testing.T) {
	gr := g("a->b", "a->c", "b->d", "c->d", "d->e", "a->x", "x->y", "y->e")
	paths, trunc := gr.Why("a", "e")
	want := [][]string{{"a", "b", "d", "e"}, {"a", "c", "d", "e"}, {"a", "x", "y", "e"}}
	if !reflect.DeepEqual(paths, want) || trunc {
		t.Errorf("Why(a, e) = %v %v, want %v", paths, trunc, want)
	}
	if p, _ := gr.Why("e", "a"); p != nil {
		t.Errorf("Why(e, a) = %v, want none", p)
	}
}

func TestDepthIsBreadthFirst(t *testing.T) {
	// A long way and a short way to d: depth 1 must include d whatever
	// order the edges are walked in.
	gr := g("a->b", "b->c", "c->d", "a->d", "d->e")
	if got := ids(gr.Depth(1)); !reflect.DeepEqual(got, []string{"a", "b", "d"}) {
		t.Errorf("Depth(1) = %v", got)
	}
}

func TestFocusReverse(t *testing.T) {
	gr := g("a->b", "b->c", "x->b", "c->d", "a->z")
	f := gr.Focus("b")
	if got := ids(f); !reflect.DeepEqual(got, []string{"a", "b", "c", "d", "x"}) {
		t.Errorf("Focus(b) = %v", got)
	}
	var buf bytes.Buffer
	f.Reverse().Tree(&buf, nil, -1)
	if got := buf.String(); got != "b\n  a\n  x\n" {
		t.Errorf("reverse tree from b:\n%s", got)
	}
}

func TestTreeDepth(t *testing.T) {
	// r imports a and b directly, and a imports b: at depth 1 the node
	// set is {r, a, b}, and the tree must not nest b under a.
	gr := g("r->a", "r->b", "a->b", "b->c", "c->d")
	for _, tt := range []struct {
		depth int
		want  string
	}{
		{-1, "r\n  a\n    b\n      c\n        d\n  b (seen)\n"},
		{0, "r\n"},
		{1, "r\n  a\n  b\n"},
		{2, "r\n  a\n    b\n  b\n    c\n"},
	} {
		var buf bytes.Buffer
		sub := gr
		if tt.depth >= 0 {
			sub = gr.Depth(tt.depth)
		}
		if err := sub.Tree(&buf, nil, tt.depth); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tt.want {
			t.Errorf("depth %d: tree\n%s\nwant\n%s", tt.depth, got, tt.want)
		}
	}
}

func TestCyclesAndGroup(t *testing.T) {
	gr := g("m1/a->m2/b", "m2/b->m1/c", "m1/c->m3/d")
	if c := gr.Cycles(); len(c) != 0 {
		t.Errorf("package graph has cycles %v", c)
	}
	mods := gr.Group("module")
	if got := mods.Cycles(); !reflect.DeepEqual(got, [][]string{{"m1", "m2"}}) {
		t.Errorf("module cycles = %v", got)
	}
	if len(mods.Edges) != 3 {
		t.Errorf("module edges = %v", mods.Edges)
	}
}

func TestRenderers(t *testing.T) {
	gr := g("net/http->net/url", "net/url->strings")
	gr.Edges[0].Weight = 3
	var buf bytes.Buffer
	if err := gr.Mermaid(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"graph LR", `n0(["net/http"])`, `n0 -->|3| n1`, `n1 --> n2`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("mermaid lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	gr.DOT(&buf)
	if !strings.Contains(buf.String(), "subgraph cluster_") || !strings.Contains(buf.String(), "penwidth=") {
		t.Errorf("dot output:\n%s", buf.String())
	}
	buf.Reset()
	if err := gr.HTML(&buf); err != nil || !strings.Contains(buf.String(), "<svg") {
		t.Errorf("html output (%v):\n%.300s", err, buf.String())
	}
	big := &Graph{}
	for i := 0; i < 600; i++ {
		big.Edges = append(big.Edges, Edge{})
	}
	if err := big.TooLarge("mermaid"); err == nil || !strings.Contains(err.Error(), "--nostd") {
		t.Errorf("TooLarge = %v", err)
	}
}

// TestLoadBadInput: a syntax error is reported with file:line and the
// rest still loads; an import that resolves nowhere is a missing node;
// a file for another GOOS does not count; a replaced module resolves to
// its directory; test imports fold in with tests on.
func TestLoadBadInput(t *testing.T) {
	// The module with a syntax error is built in a temporary directory:
	// gofmt in CI would reject a checked-in broken file.
	tmp := t.TempDir()
	if err := os.CopyFS(tmp, os.DirFS("testdata")); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "mod")
	broken := "package b\n\nimport (\n\t\"fmt\"\n\t\"os\n)\n"
	if err := os.WriteFile(filepath.Join(root, "b", "broken.go"), []byte(broken), 0o666); err != nil {
		t.Fatal(err)
	}
	cfg, _ := constraint.NewConfig(runtime.Version(), "linux", "amd64", false, "", nil)
	var warnings []string
	l := &Loader{Env: Env{GOROOT: runtime.GOROOT(), GOMOD: filepath.Join(root, "go.mod")}, Config: cfg, Dir: root,
		Tests: true, Warn: func(s string) { warnings = append(warnings, s) }}
	gr, err := l.Load([]string{"./...", "./nothing/..."})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(warnings, "\n"), "broken.go:5:") {
		t.Errorf("warnings lack the syntax error position: %q", warnings)
	}
	if !strings.Contains(strings.Join(warnings, "\n"), `"./nothing/..." matched no packages`) {
		t.Errorf("warnings lack the empty pattern: %q", warnings)
	}
	if n := gr.Node("example.com/nowhere/x"); n == nil || !n.Missing {
		t.Errorf("missing import node = %+v", n)
	}
	if gr.Node("example.com/m/winonly") != nil {
		t.Errorf("a_windows.go counted on linux")
	}
	if n := gr.Node("example.com/dep/d"); n == nil || n.Module != "example.com/dep" || n.Missing {
		t.Errorf("replaced module package = %+v", n)
	}
	w := map[string]int{}
	for _, e := range gr.Edges {
		w[e.From+" "+e.To] = e.Weight
	}
	if w["example.com/m/a example.com/m/c"] != 2 {
		t.Errorf("weight a->c = %d, want 2 (a.go and a2.go)", w["example.com/m/a example.com/m/c"])
	}
	if got := gr.Cycles(); len(got) != 1 || len(got[0]) != 2 {
		t.Errorf("with tests, a and b form a cycle; got %v", got)
	}
	if _, err := l.Load([]string{"./nothing/..."}); err == nil {
		t.Errorf("a pattern list matching nothing is not an error")
	}
}

// TestLoadVendor: with vendor/modules.txt and go ≥ 1.14, imports resolve
// into vendor/, spelled without the vendor/ prefix, as go list does.
func TestLoadVendor(t *testing.T) {
	root, _ := filepath.Abs("testdata/vend")
	cfg, _ := constraint.NewConfig(runtime.Version(), "linux", "amd64", false, "", nil)
	l := &Loader{Env: Env{GOROOT: runtime.GOROOT(), GOMOD: filepath.Join(root, "go.mod")}, Config: cfg, Dir: root}
	gr, err := l.Load([]string{"./..."})
	if err != nil {
		t.Fatal(err)
	}
	n := gr.Node("example.com/v/p")
	if n == nil || n.Missing || n.Dir != filepath.Join(root, "vendor", "example.com", "v", "p") {
		t.Fatalf("vendored package = %+v", n)
	}
	if gr.Node("example.com/vend/vendor/example.com/v/p") != nil {
		t.Errorf("./... matched the vendor directory")
	}
}
