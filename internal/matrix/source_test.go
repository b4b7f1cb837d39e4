package matrix

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/toolchain"
)

// TestPrepareEnvFromCaller: a cell's environment is the caller's (the
// command's, not the process's) with the toolchain's GOROOT, PATH, GOBIN
// and GOTOOLCHAIN=local on top, as 'goforge exec' gives it.
func TestPrepareEnvFromCaller(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell for the fake go command")
	}
	goroot := t.TempDir()
	script := "#!/bin/sh\necho go1.99.1; echo " + runtime.GOOS + "; echo " + runtime.GOARCH + "\n"
	if err := os.MkdirAll(filepath.Join(goroot, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(goroot, "bin", "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(goroot, "VERSION"), []byte("go1.99.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := toolchain.OpenHomeAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Adopt(context.Background(), goroot, ""); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOFORGE_MATRIX_PROCESS_ONLY", "leaked")
	environ := []string{"PATH=/caller/bin", "GOTOOLCHAIN=auto", "CALLER_ONLY=1", "HOME=/caller"}
	src := &HomeSource{Home: h, Environ: environ, NoInstall: true}
	tc, err := src.Prepare(context.Background(), "go1.99.1")
	if err != nil {
		t.Fatal(err)
	}
	get := func(k string) string { return gocmd.Getenv(tc.Env, k) }
	inst, err := h.Find("go1.99.1")
	if err != nil {
		t.Fatal(err)
	}
	if get("GOROOT") != inst.Dir || get("GOTOOLCHAIN") != "local" || get("GOBIN") != h.BinDir() || get("CALLER_ONLY") != "1" {
		t.Errorf("GOROOT=%q GOTOOLCHAIN=%q GOBIN=%q CALLER_ONLY=%q; want %s, local, %s and the caller's 1",
			get("GOROOT"), get("GOTOOLCHAIN"), get("GOBIN"), get("CALLER_ONLY"), inst.Dir, h.BinDir())
	}
	path := filepath.SplitList(get("PATH"))
	if len(path) == 0 || path[0] != filepath.Join(inst.Dir, "bin") || !slices.Contains(path, "/caller/bin") {
		t.Errorf("PATH = %q; want the toolchain's bin first and the caller's PATH after", get("PATH"))
	}
	for _, kv := range tc.Env {
		if strings.HasPrefix(kv, "GOFORGE_MATRIX_PROCESS_ONLY=") {
			t.Errorf("the process's environment leaked into the cell: %s", kv)
		}
	}
	if _, err := src.Prepare(context.Background(), "go1.98.0"); err == nil || !strings.Contains(err.Error(), "--no-install") {
		t.Errorf("Prepare(missing) with NoInstall = %v, want a --no-install error", err)
	}
}
