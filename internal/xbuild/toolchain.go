// Package xbuild builds a main package for a matrix of GOOS/GOARCH targets:
// it turns flags and the goforge.toml config into a validated request,
// plans one go build per target, stamps versions, runs the builds
// concurrently under a bound chosen from cores and memory, skips targets
// whose inputs did not change, verifies and packages the outputs, and
// compares the cost of build flags.
package xbuild

import (
	"context"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/platform"
)

// Target is a build target; see platform.Target.
type Target = platform.Target

// Toolchain is the go command and the settings of it that builds depend
// on. Every go command a build runs goes through its Runner.
type Toolchain struct {
	*gocmd.Runner
	// Env holds the values of envKeys as the go command reports them.
	Env map[string]string
}

// envKeys are read with one 'go env -json' call. Those that change what a
// build produces are part of every target's build key.
var envKeys = []string{
	"GOROOT", "GOVERSION", "GOCACHE", "GOMODCACHE", "GOMOD", "GOWORK",
	"GOHOSTOS", "GOHOSTARCH", "GOFLAGS", "GOEXPERIMENT", "GOTOOLCHAIN",
	"CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS",
	"GOINSECURE", "GOPROXY", "GONOSUMDB", "GOPRIVATE", "GOFIPS140",
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
}

// keyEnvKeys are the envKeys that change the bytes a build produces.
var keyEnvKeys = []string{
	"GOROOT", "GOVERSION", "GOFLAGS", "GOEXPERIMENT", "GOWORK",
	"CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS", "GOFIPS140",
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
}

// LoadToolchain asks r's go command for its settings, running in dir (the
// module whose packages will be built).
func LoadToolchain(ctx context.Context, r *gocmd.Runner, dir string) (*Toolchain, error) {
	env, err := r.GoEnv(ctx, dir, envKeys...)
	if err != nil {
		return nil, err
	}
	return &Toolchain{Runner: r, Env: env}, nil
}

// Version is the toolchain's Go version, e.g. "go1.26.8".
func (tc *Toolchain) Version() string { return tc.Env["GOVERSION"] }

// Host is the toolchain's host target.
func (tc *Toolchain) Host() Target {
	return Target{GOOS: tc.Env["GOHOSTOS"], GOARCH: tc.Env["GOHOSTARCH"]}
}
