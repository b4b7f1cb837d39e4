package depgraph_test

import (
	"os"
	"testing"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/depgraph"
	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/platform"
)

// BenchmarkLoadStdCmd loads the import graph of std and cmd.
func BenchmarkLoadStdCmd(b *testing.B) {
	proto := loader(&testing.T{}, os.TempDir())
	for b.Loop() {
		l := &depgraph.Loader{Env: proto.Env, Config: proto.Config, Dir: proto.Dir}
		if _, err := l.Load([]string{"std", "cmd"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatrixStd parses std's headers and evaluates every target of
// the toolchain with cgo on and off.
func BenchmarkMatrixStd(b *testing.B) {
	t := &testing.T{}
	env := readEnv(t, os.TempDir())
	table, err := platform.Load(b.Context(), &gocmd.Runner{Go: "go"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var cfgs []*constraint.Config
		for _, tg := range table.Ports {
			for _, cgo := range []bool{false, true} {
				c, _ := constraint.NewConfig(env.GOVERSION, tg.GOOS, tg.GOARCH, cgo, env.GOEXPERIMENT, nil)
				cfgs = append(cfgs, c)
			}
		}
		l := &depgraph.Loader{Env: depgraph.Env{GOROOT: env.GOROOT}}
		pkgs, err := l.Packages([]string{"std"})
		if err != nil {
			b.Fatal(err)
		}
		constraint.Evaluate(pkgs, cfgs)
	}
}
