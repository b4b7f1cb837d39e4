package xbuild

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goforge/goforge/internal/platform"
)

// Options is a whole build request: the config file merged with flags.
type Options struct {
	Packages []string
	Name     string
	Targets  []Target
	Dist     string
	Ldflags  string
	Flags    []string
	Tags     []string
	Env      []string
	Cgo      bool
	Musl     bool
	Stamp    StampVars
	Archives bool
	Extra    []string
	Config   *Config
}

// Job is one go build: one main package for one target.
type Job struct {
	Package string `json:"package"`
	Name    string `json:"name"`
	Target  Target `json:"target"`
	// Env is the environment the go command runs with, on top of the
	// process's: GOOS, GOARCH, CGO_ENABLED, levels, CC, config env.
	Env []string `json:"env"`
	// Args are the go build arguments before "-o OUT PACKAGE".
	Args []string `json:"args"`
	// File is the output's file name inside the dist directory.
	File string `json:"file"`
	// Static is whether the output must need no dynamic loader.
	Static bool `json:"static"`
	Cgo    bool `json:"cgo"`
}

// Key is the job's output slug, unique in a build: "hello_linux_amd64".
func (j *Job) Key() string { return j.Name + "_" + j.Target.Slug() }

// MainPackage is what planning needs to know about a main package.
type MainPackage struct {
	Pattern    string // as given ("./cmd/hello")
	ImportPath string
	Dir        string
}

// Plan turns options into one job per package and target. stamp holds the
// -X values (version, commit, date); cc finds a C compiler for a target
// and reports "" when it has none.
func Plan(o *Options, pkgs []MainPackage, stamp Stamp, cc func(Target, string) string) ([]*Job, error) {
	var jobs []*Job
	var errs []string
	if err := checkNames(pkgs); err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		name := o.Name
		if name == "" || len(pkgs) > 1 {
			name = path.Base(p.ImportPath)
		}
		for _, t := range o.Targets {
			j, err := planJob(o, p, name, t, stamp, cc)
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			jobs = append(jobs, j)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return jobs, nil
}

func planJob(o *Options, p MainPackage, name string, t Target, stamp Stamp, cc func(Target, string) string) (*Job, error) {
	ov := TargetOverride(o.Config, t)
	j := &Job{Package: p.ImportPath, Name: name, Target: t}
	j.Cgo = o.Cgo || o.Musl
	if ov.Cgo != nil {
		j.Cgo = *ov.Cgo
	}
	j.Env = []string{"GOOS=" + t.GOOS, "GOARCH=" + t.GOARCH, "CGO_ENABLED=" + boolDigit(j.Cgo)}
	level := t.VariantEnv()
	if ov.Level != "" && t.Variant == "" {
		level = platform.LevelVar(t.GOARCH) + "=" + ov.Level
	}
	if level != "" {
		j.Env = append(j.Env, level)
	}
	j.Env = append(j.Env, o.Env...)
	j.Env = append(j.Env, ov.Env...)
	ldflags := o.Ldflags
	if ov.Ldflags != nil {
		ldflags = *ov.Ldflags
	}
	musl := j.Cgo && o.Musl && t.GOOS == "linux"
	if j.Cgo {
		compiler, err := pickCC(o, t, ov.CC, musl, cc)
		if err != nil {
			return nil, err
		}
		j.Env = append(j.Env, "CC="+compiler)
	}
	if musl {
		ldflags = strings.TrimSpace(ldflags + " -linkmode external -extldflags -static")
	}
	j.Static = (!j.Cgo || musl) && staticOS(t.GOOS)
	ldflags = strings.TrimSpace(ldflags + " " + stamp.LinkFlags(o.Stamp))
	j.Args = append(slices.Clone(o.Flags), ov.Flags...)
	if ldflags != "" {
		j.Args = append(j.Args, "-ldflags="+ldflags)
	}
	if tags := append(slices.Clone(o.Tags), ov.Tags...); len(tags) > 0 {
		j.Args = append(j.Args, "-tags="+strings.Join(tags, ","))
	}
	j.File = OutputName(name, stamp.Version, t)
	return j, nil
}

// pickCC chooses the C compiler for a cgo build of t: the per-target cc
// from the config, musl-gcc for --musl on the host architecture, or what
// cc finds (CC_FOR_goos_goarch, or CC for the host target).
func pickCC(o *Options, t Target, configured string, musl bool, cc func(Target, string) string) (string, error) {
	switch {
	case configured != "":
		if cc(t, configured) == "" {
			return "", fmt.Errorf("%s: C compiler %q (cc in [build.target.%q]) is not installed", t, configured, t.GOOS+"/"+t.GOARCH)
		}
		return configured, nil
	case musl:
		if c := cc(t, "musl-gcc"); c != "" {
			return c, nil
		}
		return "", fmt.Errorf("%s: --musl needs musl-gcc for %s (install musl-tools; it builds for the host's architecture only: for another, set cc in [build.target.%q] to a musl cross compiler)", t, t.GOARCH, t.GOOS+"/"+t.GOARCH)
	}
	if c := cc(t, ""); c != "" {
		return c, nil
	}
	if err := missingCrossCC(t); err != nil {
		return "", err
	}
	return "", fmt.Errorf("%s: cgo needs a C cross compiler for %s (set CC_FOR_%s_%s or cc in [build.target.%q], or build it without cgo)",
		t, t, t.GOOS, t.GOARCH, t.GOOS+"/"+t.GOARCH)
}

// staticOS reports whether CGO_ENABLED=0 programs for goos are static
// executables (see verify.CanBeStatic, which this mirrors).
func staticOS(goos string) bool {
	switch goos {
	case "linux", "freebsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// OutputName is the file name of a target's binary:
// NAME_VERSION_OS_ARCH[_LEVEL] plus ".exe" for Windows and ".wasm" for
// WebAssembly.
func OutputName(name, version string, t Target) string {
	s := name
	if version != "" {
		s += "_" + sanitize(version)
	}
	return s + "_" + t.Slug() + exeSuffix(t)
}

// exeSuffix is ".exe" for Windows, ".wasm" for WebAssembly, else "".
func exeSuffix(t Target) string {
	switch {
	case t.GOOS == "windows":
		return ".exe"
	case t.GOARCH == "wasm":
		return ".wasm"
	}
	return ""
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == filepath.Separator {
			return '-'
		}
		return r
	}, s)
}

// TargetOverride is c.TargetOverride, safe on a nil config.
func TargetOverride(c *Config, t Target) TargetConfig {
	if c == nil {
		return TargetConfig{}
	}
	return c.TargetOverride(t)
}

// DefaultTargets is the matrix built when neither flags nor a config file
// name one.
var DefaultTargets = platform.DefaultTargets

// checkNames refuses two main packages whose programs would have the same
// name (./cmd/a and ./tools/a): their outputs would overwrite each other.
func checkNames(pkgs []MainPackage) error {
	seen := map[string]string{}
	for _, p := range pkgs {
		name := path.Base(p.ImportPath)
		if first, ok := seen[name]; ok {
			return &BadInputError{Msg: fmt.Sprintf("%s and %s both build a program named %q, whose outputs would overwrite each other: build them in separate runs (each with its own --dist)",
				first, p.ImportPath, name)}
		}
		seen[name] = p.ImportPath
	}
	return nil
}
