// Package xbuild builds a main package for a matrix of GOOS/GOARCH targets:
// it plans one go build per target from flags and the goforge.toml config,
// stamps versions, runs the builds concurrently under a bound chosen from
// cores and memory, skips targets whose inputs did not change, verifies and
// packages the outputs, and compares the cost of build flags.
package xbuild

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
)

// GoCommand returns the go command goforge builds with: $GOFORGE_GO when
// set, else the go found on PATH. It is the single place that chooses the
// toolchain, so a managed toolchain can be plugged in here later.
func GoCommand(getenv func(string) string) (string, error) {
	if p := getenv("GOFORGE_GO"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("finding the go command: %w (install Go or set GOFORGE_GO)", err)
	}
	return p, nil
}

// Toolchain is the go command and the settings of it that builds depend on.
type Toolchain struct {
	Go string
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

// LoadToolchain asks the go command at goPath for its settings, running in
// dir (the module whose packages will be built).
func LoadToolchain(ctx context.Context, goPath, dir string) (*Toolchain, error) {
	cmd := exec.CommandContext(ctx, goPath, append([]string{"env", "-json"}, envKeys...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running %s env: %w: %s", goPath, err, strings.TrimSpace(stderr.String()))
	}
	env := map[string]string{}
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, fmt.Errorf("reading go env output: %w", err)
	}
	return &Toolchain{Go: goPath, Env: env}, nil
}

// Version is the toolchain's Go version, e.g. "go1.26.8".
func (tc *Toolchain) Version() string { return tc.Env["GOVERSION"] }

// Host is the toolchain's host target.
func (tc *Toolchain) Host() Target {
	return Target{GOOS: tc.Env["GOHOSTOS"], GOARCH: tc.Env["GOHOSTARCH"]}
}

// Platform is one entry of 'go tool dist list -json'.
type Platform struct {
	GOOS         string
	GOARCH       string
	CgoSupported bool
	FirstClass   bool
	Broken       bool
}

var platformCache sync.Map // toolchain key → []Platform

// Platforms returns the targets the toolchain supports, from one
// 'go tool dist list -json' call per toolchain and process.
func (tc *Toolchain) Platforms(ctx context.Context) ([]Platform, error) {
	key := tc.Go + "\x00" + tc.Env["GOROOT"] + "\x00" + tc.Version()
	if v, ok := platformCache.Load(key); ok {
		return v.([]Platform), nil
	}
	cmd := exec.CommandContext(ctx, tc.Go, "tool", "dist", "list", "-json")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing targets with go tool dist list: %w", err)
	}
	var ps []Platform
	if err := json.Unmarshal(out, &ps); err != nil {
		return nil, fmt.Errorf("reading go tool dist list output: %w", err)
	}
	platformCache.Store(key, ps)
	return ps, nil
}
