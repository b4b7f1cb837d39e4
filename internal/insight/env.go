// Package insight answers questions about source code with the go
// command's view of it: the configuration matrix of 'goforge constraints'
// and the import graph of 'goforge graph'. It reads 'go env' once through
// a gocmd.Runner, builds constraint configurations, and draws graphs with
// Graphviz; the parsing and evaluation live in depgraph and constraint,
// which run nothing.
package insight

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/depgraph"
	"github.com/goforge/goforge/internal/gocmd"
)

// Env is what graph and constraints read from 'go env' (once).
type Env struct {
	GOROOT, GOMODCACHE, GOMOD, GOFLAGS, GOVERSION, GOEXPERIMENT string
	GOOS, GOARCH, CGO_ENABLED, GOHOSTOS, GOHOSTARCH             string
	// Architecture levels; each applies to its own GOARCH only.
	GOAMD64, GOARM, GOARM64, GO386, GOMIPS, GOMIPS64, GOPPC64, GORISCV64 string

	// Runner is the go command the values came from.
	Runner *gocmd.Runner `json:"-"`
	// Dir is the directory they were read in.
	Dir string `json:"-"`
}

// LoadEnv reads the variables with one 'go env -json' in dir.
func LoadEnv(ctx context.Context, r *gocmd.Runner, dir string) (*Env, error) {
	vals, err := r.GoEnv(ctx, dir, "GOROOT", "GOMODCACHE", "GOMOD", "GOFLAGS",
		"GOVERSION", "GOEXPERIMENT", "GOOS", "GOARCH", "CGO_ENABLED", "GOHOSTOS", "GOHOSTARCH",
		"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64")
	if err != nil {
		return nil, err
	}
	data, _ := json.Marshal(vals)
	e := &Env{Runner: r, Dir: dir}
	if err := json.Unmarshal(data, e); err != nil {
		return nil, fmt.Errorf("decoding go env output: %w", err)
	}
	return e, nil
}

// ArchLevels returns the architecture-level variables for
// constraint.ArchTags.
func (e *Env) ArchLevels() map[string]string {
	return map[string]string{"GOAMD64": e.GOAMD64, "GOARM": e.GOARM, "GOARM64": e.GOARM64,
		"GO386": e.GO386, "GOMIPS": e.GOMIPS, "GOMIPS64": e.GOMIPS64, "GOPPC64": e.GOPPC64,
		"GORISCV64": e.GORISCV64}
}

// Loader is a depgraph loader for e's toolchain and module, reporting
// problems to warn.
func (e *Env) Loader(cfg *constraint.Config, tests bool, warn func(string)) *depgraph.Loader {
	return &depgraph.Loader{
		Env:    depgraph.Env{GOROOT: e.GOROOT, GOMODCACHE: e.GOMODCACHE, GOMOD: e.GOMOD, GOFLAGS: e.GOFLAGS},
		Config: cfg, Tests: tests, Dir: e.Dir, Warn: warn,
	}
}
