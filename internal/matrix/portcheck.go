package matrix

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/platform"
)

// A BadTargetError is a --targets entry no toolchain of the run knows: a
// usage error, found before any cell runs.
type BadTargetError struct{ Msg string }

func (e *BadTargetError) Error() string { return e.Msg }

// loadPorts reads the port table of each toolchain ('go tool dist list',
// the table 'goforge build' and 'goforge targets' read, kept under
// cacheDir between runs) into its Ports. A toolchain that cannot list its
// ports keeps Ports nil: it is not consulted, and its cells say what is
// wrong with it when its go command runs.
func loadPorts(ctx context.Context, tcs []Toolchain, cacheDir string) {
	for i := range tcs {
		r := &gocmd.Runner{Go: filepath.Join(tcs[i].GOROOT, "bin", "go"), Env: tcs[i].Env}
		if tb, err := platform.LoadCached(ctx, r, cacheDir); err == nil {
			tcs[i].Ports = tb
		}
	}
}

// CheckTargets returns a *BadTargetError when a target is a port of none
// of tcs (or a broken port of all that have it), saying it as 'goforge
// build' does, with the close names. A target that only some toolchains
// have is fine: the others skip it. Toolchains without a table are not
// consulted.
func CheckTargets(tcs []Toolchain, targets []Target) error {
	for _, t := range targets {
		var why error
		for _, tc := range tcs {
			if tc.Ports == nil {
				continue
			}
			if _, why = tc.Ports.Select([]string{t.String()}, false); why == nil {
				break
			}
		}
		if why != nil {
			return &BadTargetError{Msg: fmt.Sprintf("--targets: %v", why)}
		}
	}
	return nil
}

// lacksPort says why tc cannot test t when its table has no such port,
// or "".
func lacksPort(tc Toolchain, t Target) string {
	if tc.Ports == nil {
		return ""
	}
	if p, ok := tc.Ports.Port(platform.Target{GOOS: t.GOOS, GOARCH: t.GOARCH}); !ok || p.Broken {
		return fmt.Sprintf("%s has no port %s", tc.Version, t)
	}
	return ""
}
