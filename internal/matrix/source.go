package matrix

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"runtime"
	"slices"

	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/toolchain"
)

// HomeSource answers version questions from a goforge home and installs
// into it with the verified installer.
type HomeSource struct {
	Home      *toolchain.Home
	Installer *toolchain.Installer // nil: nothing can be installed or listed
	NoInstall bool                 // refuse to install (--no-install)
	// Environ is the caller's environment, which each toolchain's
	// environment starts from.
	Environ []string
}

// Installed returns the home's installed versions for this machine.
func (s *HomeSource) Installed() ([]string, error) {
	list, err := s.Home.List()
	if err != nil {
		return nil, fmt.Errorf("listing installed Go versions: %w", err)
	}
	var out []string
	for _, inst := range list {
		if inst.Host() && !slices.Contains(out, inst.Version()) {
			out = append(out, inst.Version())
		}
	}
	return out, nil
}

// Remote lists the releases the installer's sources offer for this machine.
func (s *HomeSource) Remote(ctx context.Context) ([]string, error) {
	if s.Installer == nil {
		return nil, errors.New("no installer configured")
	}
	rs, err := s.Installer.RemoteVersions(ctx, "", runtime.GOOS, runtime.GOARCH)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.Version)
	}
	return out, nil
}

// Prepare returns the toolchain of release v, installing it first when it
// is missing (unless NoInstall).
func (s *HomeSource) Prepare(ctx context.Context, v string) (Toolchain, error) {
	inst, err := s.Home.Find(v)
	if errors.Is(err, toolchain.ErrNotInstalled) {
		if s.NoInstall || s.Installer == nil {
			return Toolchain{}, fmt.Errorf("%s is not installed (and --no-install forbids installing it)", v)
		}
		var res toolchain.Result
		res, err = s.Installer.Install(ctx, toolchain.Request{Query: v})
		inst = res.Installed
	}
	if err != nil {
		return Toolchain{}, fmt.Errorf("preparing %s: %w", v, err)
	}
	return Toolchain{Name: inst.Name, Version: inst.Version(), GOROOT: inst.Dir, Env: pinenv.ToolchainEnv(s.Home, inst, s.Environ)}, nil
}

// MinCandidates returns the releases --min tries: every installed one
// (newest patch per Go line) and, when installing is allowed, the newest
// patches of go.mod's go line and of the lines around apiNeeds, the newest
// Go version the code's std API uses need. Releases that cannot be had are
// reported in skipped, not as errors.
func MinCandidates(ctx context.Context, src VersionSource, goLine, apiNeeds string, remote bool) (cands []string, skipped []error, err error) {
	inst, err := src.Installed()
	if err != nil {
		return nil, nil, err
	}
	for _, l := range langsOf(releasesOnly(inst)) {
		cands = append(cands, newestIn(inst, l))
	}
	if !remote {
		return cands, nil, nil
	}
	r := resolver{ctx: ctx, src: src, installed: inst}
	var want []string
	if v := normalize(goLine); v != "" {
		want = append(want, version.Lang(v))
	}
	if apiNeeds != "" {
		want = append(want, apiNeeds)
		if m := minorOf(apiNeeds); m > 0 {
			want = append(want, fmt.Sprintf("go1.%d", m-1))
		}
	}
	for i, l := range want {
		if slices.Contains(want[:i], l) {
			continue
		}
		v, err := r.one(l)
		if err != nil {
			skipped = append(skipped, err)
			continue
		}
		if !slices.Contains(cands, v) {
			cands = append(cands, v)
		}
	}
	return cands, skipped, nil
}
