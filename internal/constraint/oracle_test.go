package constraint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/depgraph"
	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/platform"
)

type goEnv struct {
	GOROOT, GOVERSION, GOEXPERIMENT, GOMODCACHE string
}

func readEnv(t *testing.T) goEnv {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	out, err := exec.Command("go", "env", "-json", "GOROOT", "GOVERSION", "GOEXPERIMENT", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var e goEnv
	if err := json.Unmarshal(out, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// listStd runs 'go list -e -json std' for one configuration and returns
// GoFiles+CgoFiles per package, and the toolchain's tool tags.
func listStd(ctx context.Context, goos, goarch string, cgo bool, tags ...string) (map[string][]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-e", "-tags="+strings.Join(tags, ","), "-json=ImportPath,GoFiles,CgoFiles", "std")
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED="+map[bool]string{true: "1", false: "0"}[cgo],
		"GOFLAGS=", "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s/%s cgo=%v: go list: %v: %s", goos, goarch, cgo, err, stderr.String())
	}
	files := make(map[string][]string)
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath        string
			GoFiles, CgoFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		all := append(p.GoFiles, p.CgoFiles...)
		slices.Sort(all)
		files[p.ImportPath] = nonNil(all)
	}
	return files, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestMatrixMatchesGoList compares the files chosen for every std
// package, on every target of 'go tool dist list' with cgo on and off,
// with what 'go list -e -json std' says for that configuration. The ~100
// go list runs go through a small worker pool.
func TestMatrixMatchesGoList(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list once per target and cgo setting")
	}
	env := readEnv(t)
	ctx := context.Background()
	table, err := platform.Load(ctx, &gocmd.Runner{Go: "go"})
	if err != nil {
		t.Fatal(err)
	}
	l := &depgraph.Loader{Env: depgraph.Env{GOROOT: env.GOROOT}}
	pkgs, err := l.Packages([]string{"std"})
	if err != nil {
		t.Fatal(err)
	}
	var cfgs []*constraint.Config
	for _, tg := range table.Ports {
		for _, cgo := range []bool{false, true} {
			c, err := constraint.NewConfig(env.GOVERSION, tg.GOOS, tg.GOARCH, cgo, env.GOEXPERIMENT, nil)
			if err != nil {
				t.Fatal(err)
			}
			cfgs = append(cfgs, c)
		}
	}
	results := constraint.Evaluate(pkgs, cfgs)
	want := make([]map[string][]string, len(cfgs))
	errs := make([]error, len(cfgs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, c := range cfgs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			want[i], errs[i] = listStd(ctx, c.GOOS, c.GOARCH, c.Cgo)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if errs[i] != nil {
			t.Error(errs[i])
			continue
		}
		compareResult(t, cfgs[i].String(), r, want[i])
	}
	t.Logf("compared %d configurations over %d std directories", len(cfgs), len(pkgs))
}

func compareResult(t *testing.T, name string, r constraint.Result, want map[string][]string) {
	t.Helper()
	got := make(map[string][]string)
	for _, p := range r.Packages {
		got[p.ImportPath] = slices.Sorted(slices.Values(p.Included))
	}
	bad := 0
	for path, w := range want {
		g, ok := got[path]
		switch {
		case !ok:
			t.Errorf("%s: go list has package %s, we do not", name, path)
		case !slices.Equal(g, w):
			t.Errorf("%s: %s: files\n got %v\nwant %v", name, path, g, w)
		default:
			continue
		}
		if bad++; bad > 5 {
			t.Fatalf("%s: too many differences", name)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("%s: we list package %s, go list does not", name, path)
		}
	}
}

// TestToolTagsMatchGoCommand compares our tool and release tags with the
// go command's context for a sample of targets with different rules.
func TestToolTagsMatchGoCommand(t *testing.T) {
	env := readEnv(t)
	for _, tg := range []string{"linux/amd64", "linux/arm", "darwin/arm64", "aix/ppc64", "js/wasm", "linux/riscv64", "linux/mips64le", "windows/386", "linux/s390x", "android/arm"} {
		goos, goarch, _ := strings.Cut(tg, "/")
		cmd := exec.Command("go", "list", "-f", "{{context.ToolTags}}", "unsafe")
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "GOFLAGS=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: go list: %v", tg, err)
		}
		want := strings.Fields(strings.Trim(strings.TrimSpace(string(out)), "[]"))
		got, _ := constraint.ToolTags(env.GOVERSION, goos, goarch, env.GOEXPERIMENT)
		slices.Sort(want)
		got = slices.Sorted(slices.Values(got))
		if !slices.Equal(got, want) {
			t.Errorf("%s: tool tags\n got %v\nwant %v", tg, got, want)
		}
	}
}

// TestMatrixTagsMatchGoList: user tags (-tags) select files as in go list.
func TestMatrixTagsMatchGoList(t *testing.T) {
	env := readEnv(t)
	l := &depgraph.Loader{Env: depgraph.Env{GOROOT: env.GOROOT}}
	pkgs, err := l.Packages([]string{"std"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		goos, goarch string
		cgo          bool
		tags         []string
	}{
		{"linux", "amd64", true, []string{"netgo", "osusergo", "purego"}},
		{"darwin", "arm64", false, []string{"purego", "math_big_pure_go"}},
	} {
		c, err := constraint.NewConfig(env.GOVERSION, tc.goos, tc.goarch, tc.cgo, env.GOEXPERIMENT, tc.tags)
		if err != nil {
			t.Fatal(err)
		}
		want, err := listStd(context.Background(), tc.goos, tc.goarch, tc.cgo, tc.tags...)
		if err != nil {
			t.Fatal(err)
		}
		compareResult(t, c.String(), constraint.Evaluate(pkgs, []*constraint.Config{c})[0], want)
	}
}

// TestArchLevelsMatchGoCommand: GOAMD64=v3, GOARM64=v9.1, GOARM=6 and
// GOPPC64=power10 give the go command's architecture tags.
func TestArchLevelsMatchGoCommand(t *testing.T) {
	readEnv(t)
	for _, tc := range []struct{ goarch, key, val string }{
		{"amd64", "GOAMD64", "v3"}, {"arm64", "GOARM64", "v9.1"}, {"arm", "GOARM", "6"}, {"ppc64le", "GOPPC64", "power10"},
	} {
		cmd := exec.Command("go", "list", "-f", "{{context.ToolTags}}", "unsafe")
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+tc.goarch, tc.key+"="+tc.val, "GOFLAGS=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s=%s: go list: %v", tc.key, tc.val, err)
		}
		var want []string
		for _, tag := range strings.Fields(strings.Trim(strings.TrimSpace(string(out)), "[]")) {
			if !strings.HasPrefix(tag, "goexperiment.") {
				want = append(want, tag)
			}
		}
		got := constraint.ArchTags(tc.goarch, map[string]string{tc.key: tc.val})
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s=%s: got %v, want %v", tc.key, tc.val, got, want)
		}
	}
}
