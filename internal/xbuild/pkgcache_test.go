package xbuild

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/goforge/goforge/internal/gocmd"
)

// TestPackageCache: the second resolution of the same patterns runs no go
// command (a broken one proves it); an edit in a package directory, a
// go.mod change or a walking pattern asks again.
func TestPackageCache(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command")
	}
	cache, dir := t.TempDir(), t.TempDir()
	write := func(name, s string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\ngo 1.22\n")
	write("main.go", "package main\nfunc main() {}\n")
	write("cmd/x/main.go", "package main\nfunc main() {}\n")
	ctx := context.Background()
	tc, err := LoadToolchain(ctx, &gocmd.Runner{Go: goCmd}, dir)
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(broken bool, patterns ...string) ([]MainPackage, error) {
		flags := ""
		if broken {
			flags = "-no-such-flag"
		}
		t.Setenv("GOFLAGS", flags)
		return resolvePackagesCached(ctx, tc, dir, cache, patterns)
	}
	first, err := resolve(false, ".", "./cmd/x")
	if err != nil || len(first) != 2 || first[1].ImportPath != "example.com/m/cmd/x" {
		t.Fatalf("first resolution: %+v, %v", first, err)
	}
	if again, err := resolve(true, ".", "./cmd/x"); err != nil || len(again) != 2 {
		t.Fatalf("cached resolution ran the go command: %+v, %v", again, err)
	}
	if _, err := resolve(true, "./..."); err == nil {
		t.Error("a walking pattern was answered from the cache")
	}
	// A package clause edit (package main -> package lib) must be asked.
	time.Sleep(10 * time.Millisecond)
	write("cmd/x/main.go", "package lib\n")
	if _, err := resolve(true, ".", "./cmd/x"); err == nil {
		t.Error("an edited package directory was answered from the cache")
	}
	if _, err := resolve(false, ".", "./cmd/x"); err == nil {
		t.Error("a package that is no longer main resolved")
	}
	write("cmd/x/main.go", "package main\nfunc main() {}\n")
	if _, err := resolve(false, ".", "./cmd/x"); err != nil {
		t.Fatal(err)
	}
	write("go.mod", "module example.com/renamed\ngo 1.22\n")
	tc2, err := LoadToolchain(ctx, &gocmd.Runner{Go: goCmd}, dir)
	if err != nil {
		t.Fatal(err)
	}
	tc = tc2
	if _, err := resolve(true, ".", "./cmd/x"); err == nil {
		t.Error("a go.mod change was answered from the cache")
	}
}
