package image

// This file is the one adapter between images and the release engine
// (internal/xbuild): it turns an image request into xbuild's public API
// as it stands, so that a later request type replaces only this file.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/goforge/goforge/internal/xbuild"
)

// DefaultTargets are the platforms built when neither flags nor
// goforge.toml name any.
var DefaultTargets = []string{"linux/amd64", "linux/arm64"}

// BuildRequest is what to build for an image.
type BuildRequest struct {
	Dir      string   // the user's working directory
	Package  string   // one main package pattern (default ".")
	Targets  []string // the --targets grammar of 'goforge build'
	Dist     string   // where the binaries go
	Version  string   // overrides the stamped version
	Config   string   // goforge.toml to use ("" looks for one)
	Getenv   func(string) string
	Progress func(target string, err error)
}

// BuildResult is the built programs and what the build knew.
type BuildResult struct {
	Programs  []Program
	Stamp     xbuild.Stamp
	GoVersion string
	GOROOT    string
	// PackageDir and ModuleDir are the main package's directory and its
	// module's root.
	PackageDir, ModuleDir string
}

// Build compiles the program for every target with the release engine
// (static, -trimpath, -s -w, stamped, verified) and reads what each binary
// needs.
func Build(ctx context.Context, req BuildRequest) (*BuildResult, error) {
	goCmd, err := xbuild.GoCommand(req.Getenv)
	if err != nil {
		return nil, err
	}
	tc, err := xbuild.LoadToolchain(ctx, goCmd, req.Dir)
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(req, tc)
	if err != nil {
		return nil, err
	}
	opts, err := buildOptions(ctx, req, tc, cfg)
	if err != nil {
		return nil, err
	}
	stamp, err := xbuild.ReadStamp(ctx, req.Dir, req.Version, req.Getenv("SOURCE_DATE_EPOCH"))
	var bad *xbuild.BadInputError
	if errors.As(err, &bad) {
		return nil, badInput("%s", bad.Msg)
	} else if err != nil {
		return nil, err
	}
	pkgs, err := xbuild.ResolvePackages(ctx, tc, req.Dir, opts.Packages)
	if err != nil {
		return nil, err
	}
	if len(pkgs) != 1 {
		return nil, badInput("an image holds one program; %s matches %d main packages", req.Package, len(pkgs))
	}
	jobs, err := xbuild.Plan(opts, pkgs, stamp, xbuild.FindCC(req.Getenv, tc.Host()))
	if err != nil {
		return nil, err
	}
	b := &xbuild.Builder{TC: tc, Dir: req.Dir, Dist: req.Dist, Jobs: jobs, Stamp: stamp, Workers: xbuild.DefaultWorkers(), Verify: true}
	b.Progress = func(ev xbuild.Event) {
		if ev.Phase == "done" && req.Progress != nil {
			var err error
			if ev.Result.Failed() {
				err = errors.New(ev.Result.Error)
			}
			req.Progress(ev.Job.Target.String(), err)
		}
	}
	results, err := b.Build(ctx)
	if err != nil {
		return nil, err
	}
	out, err := collect(results, jobs, req.Dist, stamp, tc)
	if err != nil {
		return nil, err
	}
	out.PackageDir = pkgs[0].Dir
	if gomod := tc.Env["GOMOD"]; gomod != "" && gomod != os.DevNull {
		out.ModuleDir = filepath.Dir(gomod)
	}
	return out, nil
}

func loadConfig(req BuildRequest, tc *xbuild.Toolchain) (*xbuild.Config, error) {
	if req.Config != "" {
		return xbuild.LoadConfig(req.Config)
	}
	cands := []string{filepath.Join(req.Dir, xbuild.ConfigName)}
	if gomod := tc.Env["GOMOD"]; gomod != "" && gomod != os.DevNull {
		cands = append(cands, filepath.Join(filepath.Dir(gomod), xbuild.ConfigName))
	}
	for _, p := range cands {
		if _, err := os.Stat(p); err == nil {
			return xbuild.LoadConfig(p)
		}
	}
	return nil, nil
}

// buildOptions merges the request with goforge.toml the way 'goforge
// build' does, minus archives and cgo: an image's program is static.
func buildOptions(ctx context.Context, req BuildRequest, tc *xbuild.Toolchain, cfg *xbuild.Config) (*xbuild.Options, error) {
	o := &xbuild.Options{
		Packages: []string{"."}, Ldflags: "-s -w", Flags: []string{"-trimpath"},
		Stamp: xbuild.DefaultStampVars, Dist: req.Dist, Config: cfg,
	}
	targets := DefaultTargets
	if cfg != nil {
		o.Name, o.Tags, o.Env, o.Musl = cfg.Name, cfg.Tags, cfg.Env, cfg.Musl
		if cfg.Ldflags != nil {
			o.Ldflags = *cfg.Ldflags
		}
		if cfg.Flags != nil {
			o.Flags = cfg.Flags
		}
		if cfg.Stamp != nil {
			o.Stamp = *cfg.Stamp
		}
	}
	if req.Package != "" {
		o.Packages = []string{req.Package}
	}
	if len(req.Targets) > 0 {
		targets = req.Targets
	}
	ps, err := tc.Platforms(ctx)
	if err != nil {
		return nil, err
	}
	ts, err := xbuild.ParseTargets(targets, ps, tc.Host())
	if err != nil {
		return nil, badInput("%v", err)
	}
	for _, t := range ts {
		if t.GOOS != "linux" {
			return nil, badInput("target %s is not linux: images here hold linux programs", t)
		}
	}
	o.Targets = ts
	return o, nil
}

func collect(results []*xbuild.Result, jobs []*xbuild.Job, dist string, stamp xbuild.Stamp, tc *xbuild.Toolchain) (*BuildResult, error) {
	var errs []string
	out := &BuildResult{Stamp: stamp, GoVersion: tc.Version(), GOROOT: tc.Env["GOROOT"]}
	for i, r := range results {
		if r.Failed() {
			errs = append(errs, fmt.Sprintf("%s: %s", r.Target, r.Error))
			continue
		}
		j := jobs[i]
		path := filepath.Join(dist, j.File)
		n, err := ReadNeeds(path)
		if err != nil {
			return nil, err
		}
		plat := v1.Platform{OS: j.Target.GOOS, Architecture: j.Target.GOARCH, Variant: ociVariant(j.Target)}
		out.Programs = append(out.Programs, Program{Name: j.Name, Path: path, Platform: plat, Needs: n})
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("building: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// ociVariant maps a Go architecture level to the OCI platform variant:
// GOARM=7 is "v7"; amd64 and arm64 levels already read "v3", "v8.2".
func ociVariant(t xbuild.Target) string {
	if t.Variant == "" {
		return ""
	}
	if t.GOARCH == "arm" {
		return "v" + strings.TrimSuffix(strings.TrimSuffix(t.Variant, ",softfloat"), ",hardfloat")
	}
	return t.Variant
}
