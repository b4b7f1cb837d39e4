package toolchain

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/goproxy"
	"golang.org/x/mod/module"
)

// Remote is a version a source offers for a platform.
type Remote struct {
	Version string `json:"version"` // go1.22.5
	GOOS    string `json:"goos"`
	GOARCH  string `json:"goarch"`
	Source  string `json:"source"` // "proxy" or "mirror"
}

const toolchainPrefix = "v0.0.1-"

// ModuleVersion returns the golang.org/toolchain module version of Go
// version v for goos/goarch: v0.0.1-go1.22.5.linux-amd64.
func ModuleVersion(v, goos, goarch string) string {
	return toolchainPrefix + v + "." + goos + "-" + goarch
}

// parseModuleVersion is the inverse of ModuleVersion.
func parseModuleVersion(mv string) (v, goos, goarch string, ok bool) {
	rest, ok := strings.CutPrefix(mv, toolchainPrefix)
	if !ok {
		return "", "", "", false
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return "", "", "", false
	}
	goos, goarch, ok = strings.Cut(rest[i+1:], "-")
	v = rest[:i]
	return v, goos, goarch, ok && version.IsValid(v)
}

// RemoteVersions lists what the sources offer for goos/goarch matching
// query, newest first: the module proxy, else the mirror. The query is
// "" (all), "latest" (the newest release, or the newest pre-release when
// there is no release), a language version such as "1.22" (all 1.22.x)
// or a version. When nothing matches the error is an
// *UnknownVersionError.
func (in *Installer) RemoteVersions(ctx context.Context, query, goos, goarch string) ([]Remote, error) {
	if query != "" && query != "latest" && NormalizeVersion(query) == "" {
		return nil, invalidQuery(query)
	}
	out, err := in.remoteAll(ctx, goos, goarch)
	if err != nil {
		return nil, err
	}
	var keep []Remote
	for _, r := range out {
		if query == "" || Matches(query, r.Version) {
			keep = append(keep, r)
		}
	}
	sort.SliceStable(keep, func(i, j int) bool { return version.Compare(keep[i].Version, keep[j].Version) > 0 })
	if query == "latest" && len(keep) > 0 {
		keep = []Remote{newestRelease(keep)}
	}
	exact := query != "" && query != "latest" && !IsLang(NormalizeVersion(query))
	if len(keep) == 0 && exact {
		has, err := in.proxyHas(ctx, NormalizeVersion(query), goos, goarch)
		if err != nil {
			return nil, err
		}
		if has {
			keep = []Remote{{Version: NormalizeVersion(query), GOOS: goos, GOARCH: goarch, Source: OriginProxy}}
		}
	}
	if len(keep) == 0 {
		return nil, &UnknownVersionError{Query: query, GOOS: goos, GOARCH: goarch, Exact: exact}
	}
	return keep, nil
}

// proxyHas asks the module proxy about Go version v alone (its .info),
// as install reaches a version by fetching it directly: a proxy may serve
// a toolchain that its @v/list does not name.
func (in *Installer) proxyHas(ctx context.Context, v, goos, goarch string) (bool, error) {
	if in.Proxy == nil || in.MirrorOnly {
		return false, nil
	}
	mod := module.Version{Path: goproxy.ToolchainModule, Version: ModuleVersion(v, goos, goarch)}
	_, err := in.Proxy.Info(ctx, mod)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, goproxy.ErrProxyOff) || in.proxyLacks(ctx, err, v, goos, goarch):
		return false, nil
	}
	return false, fmt.Errorf("asking the module proxy about %s: %w", v, err)
}

func invalidQuery(query string) error {
	return fmt.Errorf("invalid version %q (want 1.22, 1.22.5, go1.22.5, 1.23rc1 or latest)", query)
}

// newestRelease returns the first release of list (newest first), not a
// release candidate or beta, else the newest entry: "1.22" and "latest"
// mean releases.
func newestRelease(list []Remote) Remote {
	for _, r := range list {
		if !strings.Contains(r.Version, "rc") && !strings.Contains(r.Version, "beta") {
			return r
		}
	}
	return list[0]
}

// remoteAll lists every version the sources offer for goos/goarch.
func (in *Installer) remoteAll(ctx context.Context, goos, goarch string) ([]Remote, error) {
	var out []Remote
	var err error
	if in.Mirror == "" || !in.MirrorOnly {
		out, err = in.proxyVersions(ctx, goos, goarch)
	}
	if in.Mirror != "" && (in.MirrorOnly || err != nil || len(out) == 0) {
		out, err = in.mirrorVersions(ctx, goos, goarch)
	}
	return out, err
}

func (in *Installer) proxyVersions(ctx context.Context, goos, goarch string) ([]Remote, error) {
	if in.Proxy == nil {
		return nil, fmt.Errorf("no module proxy configured")
	}
	list, err := in.Proxy.Versions(ctx, goproxy.ToolchainModule)
	if err != nil {
		return nil, fmt.Errorf("listing %s versions: %w", goproxy.ToolchainModule, err)
	}
	var out []Remote
	for _, mv := range list {
		v, o, a, ok := parseModuleVersion(mv)
		if ok && o == goos && a == goarch {
			out = append(out, Remote{Version: v, GOOS: o, GOARCH: a, Source: OriginProxy})
		}
	}
	return out, nil
}

func (in *Installer) mirrorVersions(ctx context.Context, goos, goarch string) ([]Remote, error) {
	rels, err := in.mirrorIndex(ctx)
	if err != nil {
		return nil, err
	}
	var out []Remote
	for _, r := range rels {
		if _, err := r.Archive(goos, goarch); err == nil {
			out = append(out, Remote{Version: r.Version, GOOS: goos, GOARCH: goarch, Source: OriginMirror})
		}
	}
	return out, nil
}

// resolve turns a query into an exact Go version offered for goos/goarch.
// An exact version ("1.22.5") needs no listing.
func (in *Installer) resolve(ctx context.Context, query, goos, goarch string) (string, error) {
	q := NormalizeVersion(query)
	if query != "latest" && q == "" {
		return "", invalidQuery(query)
	}
	if query != "latest" && !IsLang(q) {
		return q, nil
	}
	list, err := in.RemoteVersions(ctx, query, goos, goarch)
	var uv *UnknownVersionError
	if errors.As(err, &uv) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("resolving %q: %w", query, err)
	}
	return newestRelease(list).Version, nil
}
