package xbuild

import (
	"context"
	"github.com/goforge/goforge/internal/gocmd"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The listing cache answers without the go command while nothing
// structural changed, and asks it again after an edit, a new source file
// or a go.mod change. A go command that cannot run proves which is which.
func TestListCache(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command")
	}
	cacheDir := t.TempDir()
	dir := t.TempDir()
	write := func(name, s string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\ngo 1.22\n")
	write("main.go", "package main\nimport _ \"example.com/m/lib\"\nfunc main() {}\n")
	write("lib/lib.go", "package lib\n")
	ctx := context.Background()
	tc, err := LoadToolchain(ctx, &gocmd.Runner{Go: goCmd}, dir)
	if err != nil {
		t.Fatal(err)
	}
	j := &Job{Package: ".", Env: []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}}
	newBuilder := func(mode string) *Builder {
		// "broken": the same key (it is made from tc, not the process
		// environment), but every go command fails.
		flags := ""
		if mode == "broken" {
			flags = "-no-such-flag"
		}
		t.Setenv("GOFLAGS", flags)
		return &Builder{TC: tc, Dir: dir, cacheDir: cacheDir, work: &workDir{gotmp: t.TempDir()}}
	}
	first, err := newBuilder("").listInputs(ctx, j)
	if err != nil || len(first.Dirs) != 2 {
		t.Fatalf("first listing: %+v, %v", first, err)
	}
	cached, err := newBuilder("broken").listInputs(ctx, j)
	if err != nil {
		t.Fatalf("second listing ran the go command: %v", err)
	}
	if len(cached.Files) != len(first.Files) {
		t.Errorf("cached inputs differ: %+v vs %+v", cached, first)
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"edit", func() { write("lib/lib.go", "package lib\n// edit\n") }},
		{"new file", func() { write("lib/lib_linux.go", "package lib\n") }},
		{"go.mod", func() { write("go.mod", "module example.com/m\ngo 1.23\n") }},
	}
	for _, s := range steps {
		time.Sleep(10 * time.Millisecond) // a distinct mtime
		s.do()
		if _, err := newBuilder("broken").listInputs(ctx, j); err == nil {
			t.Errorf("%s: the cache answered without asking the go command", s.name)
		}
		if _, err := newBuilder("").listInputs(ctx, j); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
}
