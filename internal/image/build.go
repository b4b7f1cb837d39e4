package image

// This file is the one adapter between images and the release engine
// (internal/xbuild): an image's programs are built by the same validated
// request 'goforge build' uses, with the image's defaults.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/xbuild"
)

// DefaultTargets are the platforms built when neither flags nor
// goforge.toml name any.
var DefaultTargets = []string{"linux/amd64", "linux/arm64"}

// BuildRequest is what to build for an image.
type BuildRequest struct {
	// Runner is the go command to build with (the directory's pin).
	Runner  *gocmd.Runner
	Dir     string   // the user's working directory
	Package string   // one main package pattern (default ".")
	Targets []string // the --targets grammar of 'goforge build'
	Dist    string   // where the binaries go
	Version string   // overrides the stamped version
	Config  string   // goforge.toml to use ("" looks for one)
	Getenv  func(string) string
	// Progress, when set, is told how the work goes (see Event); Make
	// reports its own steps through it too.
	Progress func(Event)
	// Tel receives the build's spans and metrics (nil: none).
	Tel *telemetry.Session
	// Cache is a team build cache's URL; Exe is goforge's executable,
	// which serves it to the go command (see xbuild.Request).
	Cache, Exe string
}

// An Event reports progress: a target's build starting or ending (Build),
// the number of targets to build once known (Targets), or another step of
// the image starting or done (Step: "opening the base", "assembling",
// "writing the layout", "writing the tarball", "pushing").
type Event struct {
	Build   *xbuild.Event
	Targets int
	Step    string
	Done    bool
}

func (req BuildRequest) progress(ev Event) {
	if req.Progress != nil {
		req.Progress(ev)
	}
}

// step runs fn as the step name, reported before and after.
func (req BuildRequest) step(name string, fn func() error) error {
	req.progress(Event{Step: name})
	err := fn()
	req.progress(Event{Step: name, Done: true})
	return err
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
	b, err := prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	req.progress(Event{Targets: len(b.Jobs)})
	b.Progress = func(ev xbuild.Event) { req.progress(Event{Build: &ev}) }
	results, err := b.Build(ctx)
	if err != nil {
		return nil, err
	}
	out, err := collect(results, b.Jobs, req.Dist, b.Stamp, b.TC)
	if err != nil {
		return nil, err
	}
	out.PackageDir = b.Packages[0].Dir
	if gomod := b.TC.Env["GOMOD"]; gomod != "" && gomod != os.DevNull {
		out.ModuleDir = filepath.Dir(gomod)
	}
	return out, nil
}

// prepare plans the build with xbuild's request and checks what an image
// needs: one main package, linux targets, static programs.
func prepare(ctx context.Context, req BuildRequest) (*xbuild.Builder, error) {
	xr := xbuild.Request{
		Dir: req.Dir, Getenv: req.Getenv, Config: req.Config, Targets: req.Targets,
		DefaultTargets: DefaultTargets, Dist: req.Dist, Version: req.Version, NoArchive: true,
		Cache: req.Cache, Exe: req.Exe,
	}
	if req.Package != "" {
		xr.Packages = []string{req.Package}
	}
	b, err := xbuild.PrepareTraced(ctx, req.Runner, xr, req.Tel)
	var bad *xbuild.BadInputError
	if errors.As(err, &bad) {
		return nil, badInput("%s", bad.Msg)
	} else if err != nil {
		return nil, err
	}
	pkgs := map[string]bool{}
	for _, j := range b.Jobs {
		pkgs[j.Package] = true
		if j.Target.GOOS != "linux" {
			return nil, badInput("target %s is not linux: images here hold linux programs", j.Target)
		}
		if !j.Static {
			return nil, badInput("target %s would not be static (cgo without musl): an image from scratch needs a static program", j.Target)
		}
	}
	if len(pkgs) != 1 {
		return nil, badInput("an image holds one program; %s matches %d main packages", orDot(req.Package), len(pkgs))
	}
	return b, nil
}

func orDot(p string) string {
	if p == "" {
		return "."
	}
	return p
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
