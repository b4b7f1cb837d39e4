package xbuild

import (
	"os"
	"path/filepath"
	"testing"
)

// A js/wasm archive carries the toolchain's wasm_exec.js and an index.html;
// a toolchain without one (the golang.org/toolchain zips before go1.24)
// gives an archive with the module alone, not a failed target: the glue
// must match the Go that built the module, so none is taken from elsewhere.
func TestWasmWebFiles(t *testing.T) {
	goroot, jobs := t.TempDir(), t.TempDir()
	b := &Builder{TC: &Toolchain{Env: map[string]string{"GOROOT": goroot}}, work: &workDir{jobs: jobs}}
	j := &Job{Name: "app", Target: Target{GOOS: "js", GOARCH: "wasm"}}
	os.MkdirAll(b.jobDir(j), 0o755)
	web, err := b.wasmWebFiles(j, "app.wasm")
	if err != nil || web != nil {
		t.Fatalf("without wasm_exec.js: %v, %v; want no files, no error", web, err)
	}
	js := filepath.Join(goroot, "misc", "wasm", "wasm_exec.js")
	os.MkdirAll(filepath.Dir(js), 0o755)
	os.WriteFile(js, []byte("// glue"), 0o644)
	web, err = b.wasmWebFiles(j, "app.wasm")
	if err != nil || len(web) != 2 || web[0].Name != "wasm_exec.js" || web[0].Source != js || web[1].Name != "index.html" {
		t.Fatalf("with misc/wasm/wasm_exec.js: %+v, %v", web, err)
	}
}
