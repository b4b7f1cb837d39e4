package matrix

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/telemetry/otlptest"
)

// TestMatrixSpans runs the fixture on the test's Go with its trace sent
// to a real OTLP receiver: one span per cell, a lane of its own, with its
// packages under it and the tests under their packages.
func TestMatrixSpans(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		t.Skipf("needs the go command: %v", err)
	}
	f := strings.Fields(string(out))
	env := append(os.Environ(), "GOROOT="+f[0], "GOFLAGS=", "MATRIX_BAD=1")
	tc := Toolchain{Name: f[1], Version: f[1], GOROOT: f[0], Env: env}
	rcv := otlptest.New()
	defer rcv.Close()
	ctx, tel, err := telemetry.Start(context.Background(), telemetry.Config{Command: "matrix", OTLP: rcv.URL,
		Getenv: func(string) string { return "" }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := ParseTargets("")
	cells, err := Run(ctx, Request{
		Dir: writeTree(t, fixtureFiles), Toolchains: []Toolchain{tc}, Targets: host, NoResultCache: true,
		CacheDir: filepath.Join(os.TempDir(), "goforge-matrix-unittest"), LookPath: exec.LookPath, Tel: tel,
	})
	tel.End(err)
	if err != nil || len(cells) != 1 {
		t.Fatalf("%v %v", cells, err)
	}
	byID := map[string]otlptest.Span{}
	for _, s := range rcv.Spans() {
		byID[s.SpanID] = s
	}
	var cell, bad otlptest.Span
	for _, s := range rcv.Spans() {
		switch {
		case strings.HasPrefix(s.Name, "cell "):
			cell = s
		case s.Name == "TestBad":
			bad = s
		}
	}
	if cell.Attrs["goforge.lane"] != f[1]+" "+host[0].String() || !cell.Error || byID[cell.ParentID].Name != "goforge matrix" {
		t.Fatalf("cell span %+v", cell)
	}
	pkg := byID[bad.ParentID]
	if pkg.Name != "test example.com/fx/ok" || pkg.ParentID != cell.SpanID || !bad.Error || bad.Attrs["goforge.test.result"] != "fail" {
		t.Errorf("TestBad %+v under %+v", bad, pkg)
	}
}
