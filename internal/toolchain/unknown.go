package toolchain

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/goforge/goforge/internal/goproxy"
)

// An UnknownVersionError says that no source offers a toolchain for the
// version or query asked for, on that platform. It follows the go
// command, which says "download go1.99.99 for linux/amd64: toolchain not
// available" for a version the proxy does not have (404 or 410) and
// "no matching versions for query" for a query nothing matches; both are
// failures (exit 1), not usage errors.
type UnknownVersionError struct {
	Query        string // what was asked for: "go1.99.99", "9.9", "latest"
	Exact        bool   // Query is one version, not a query
	GOOS, GOARCH string
	Err          error // what the sources said, when they said something
}

func (e *UnknownVersionError) Error() string {
	const hint = "run 'goforge list --remote' to see the versions there are"
	if e.Query == "" {
		return fmt.Sprintf("no toolchain is published for %s/%s", e.GOOS, e.GOARCH)
	}
	if e.Exact {
		return fmt.Sprintf("%s for %s/%s: toolchain not available (%s)", e.Query, e.GOOS, e.GOARCH, hint)
	}
	return fmt.Sprintf("no toolchain matches %q for %s/%s (%s)", e.Query, e.GOOS, e.GOARCH, hint)
}

func (e *UnknownVersionError) Unwrap() error { return e.Err }

// proxyLacks reports whether err, from fetching Go version v from the
// module proxy, means the proxy does not have that toolchain: a 404 or
// 410 (as the go command reads them), or any other refusal (such as a
// 403 "not available") of a version that the proxy's own version list
// does not name. GOPROXY=off and verification failures say nothing
// about the version.
func (in *Installer) proxyLacks(ctx context.Context, err error, v, goos, goarch string) bool {
	if errors.Is(err, goproxy.ErrProxyOff) || isVerifyError(err) || ctx.Err() != nil {
		return false
	}
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	list, lerr := in.Proxy.Versions(ctx, goproxy.ToolchainModule)
	return lerr == nil && len(list) > 0 && !slices.Contains(list, ModuleVersion(v, goos, goarch))
}

// errNotInIndex marks a version (or platform) the mirror's index lacks.
var errNotInIndex = fmt.Errorf("not in the mirror's index: %w", fs.ErrNotExist)
