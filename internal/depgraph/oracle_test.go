package depgraph_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/depgraph"
)

type goEnv struct {
	GOROOT, GOVERSION, GOEXPERIMENT, GOMODCACHE, GOMOD, GOFLAGS, GOOS, GOARCH, CGO_ENABLED string
}

func readEnv(t *testing.T, dir string) goEnv {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	cmd := exec.Command("go", "env", "-json", "GOROOT", "GOVERSION", "GOEXPERIMENT", "GOMODCACHE", "GOMOD", "GOFLAGS", "GOOS", "GOARCH", "CGO_ENABLED")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var e goEnv
	if err := json.Unmarshal(out, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func loader(t *testing.T, dir string) *depgraph.Loader {
	t.Helper()
	e := readEnv(t, dir)
	cfg, err := constraint.NewConfig(e.GOVERSION, e.GOOS, e.GOARCH, e.CGO_ENABLED == "1", e.GOEXPERIMENT, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &depgraph.Loader{
		Env:    depgraph.Env{GOROOT: e.GOROOT, GOMODCACHE: e.GOMODCACHE, GOMOD: e.GOMOD, GOFLAGS: e.GOFLAGS},
		Config: cfg, Dir: dir,
	}
}

// pgoSuffix is the " [cmd/compile]" go list appends to packages built
// with a command's profile; the import graph is the same.
var pgoSuffix = regexp.MustCompile(` \[[^]]*\]$`)

// goListGraph runs 'go list -deps -json' and returns its nodes and its
// edges from Imports ("C" is cgo, not a package).
func goListGraph(t *testing.T, dir string, args ...string) (nodes, edges map[string]bool) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-e", "-deps", "-json=ImportPath,Imports"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.String())
	}
	nodes, edges = map[string]bool{}, map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		from := pgoSuffix.ReplaceAllString(p.ImportPath, "")
		nodes[from] = true
		for _, imp := range p.Imports {
			if imp != "C" {
				edges[from+" -> "+pgoSuffix.ReplaceAllString(imp, "")] = true
			}
		}
	}
	return nodes, edges
}

func compareGraphs(t *testing.T, g *depgraph.Graph, wantNodes, wantEdges map[string]bool) {
	t.Helper()
	gotEdges := map[string]bool{}
	for _, e := range g.Edges {
		gotEdges[e.From+" -> "+e.To] = true
		if e.Weight < 1 {
			t.Errorf("edge %s -> %s has weight %d", e.From, e.To, e.Weight)
		}
	}
	gotNodes := map[string]bool{}
	for _, n := range g.Nodes {
		gotNodes[n.ID] = true
	}
	diff(t, "edge", gotEdges, wantEdges)
	diff(t, "node", gotNodes, wantNodes)
	t.Logf("%d nodes, %d edges match go list", len(gotNodes), len(gotEdges))
}

func diff(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	var missing, extra []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("%d %ss from go list missing, first: %v", len(missing), what, missing[:min(10, len(missing))])
	}
	if len(extra) > 0 {
		t.Errorf("%d %ss not in go list, first: %v", len(extra), what, extra[:min(10, len(extra))])
	}
}

// TestGraphStdCmdMatchesGoList: the import graph of std and cmd (with
// std's vendor/golang.org/x/... and cmd's cmd/vendor/... packages, cgo,
// unsafe) equals 'go list -deps -json std cmd'.
func TestGraphStdCmdMatchesGoList(t *testing.T) {
	dir := t.TempDir() // outside any module, like a user in GOROOT mode
	l := loader(t, dir)
	g, err := l.Load([]string{"std", "cmd"})
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := goListGraph(t, dir, "std", "cmd")
	compareGraphs(t, g, nodes, edges)
}

// TestGraphOwnModuleMatchesGoList: the same for this repository's module
// (its dependencies come from the module cache).
func TestGraphOwnModuleMatchesGoList(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Skip("not in the goforge checkout")
	}
	l := loader(t, root)
	g, err := l.Load([]string{"./..."})
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := goListGraph(t, root, "./...")
	compareGraphs(t, g, nodes, edges)
	for _, n := range g.Nodes {
		if n.Missing {
			t.Errorf("unexpected missing node %s: %s", n.ID, n.Error)
		}
		if strings.HasPrefix(n.ID, "github.com/goforge/goforge") != (n.Module == "github.com/goforge/goforge") {
			t.Errorf("node %s has module %q", n.ID, n.Module)
		}
	}
}

// TestGraphDepthsMatchGoListBFS: loading goforge's own main package, each
// node's depth is its breadth-first distance over the Imports 'go list
// -deps' reports: the linker's implicit runtime dependency adds no
// shortcut (it used to put runtime, and what only it reaches, at 1).
func TestGraphDepthsMatchGoListBFS(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "goforge")); err != nil {
		t.Skip("not in the goforge checkout")
	}
	g, err := loader(t, root).Load([]string{"./cmd/goforge"})
	if err != nil {
		t.Fatal(err)
	}
	_, edges := goListGraph(t, root, "./cmd/goforge")
	adj := map[string][]string{}
	for e := range edges {
		from, to, _ := strings.Cut(e, " -> ")
		adj[from] = append(adj[from], to)
	}
	start := "github.com/goforge/goforge/cmd/goforge"
	dist := map[string]int{start: 0}
	for queue := []string{start}; len(queue) > 0; queue = queue[1:] {
		for _, to := range adj[queue[0]] {
			if _, ok := dist[to]; !ok {
				dist[to] = dist[queue[0]] + 1
				queue = append(queue, to)
			}
		}
	}
	checked := 0
	for _, n := range g.Nodes {
		if d, ok := dist[n.ID]; ok {
			checked++
			if n.Depth != d {
				t.Errorf("%s: depth %d, want %d (BFS over go list's Imports)", n.ID, n.Depth, d)
			}
		}
	}
	if checked < 100 || dist["runtime"] < 2 {
		t.Errorf("checked %d nodes, runtime at %d: the test graph is not what it should be", checked, dist["runtime"])
	}
}
