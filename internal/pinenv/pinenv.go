// Package pinenv resolves a directory's Go pin to an installed toolchain
// and computes the environment that selects it. It is the one place that
// does so: 'goforge env --shell', the shell hooks, direnv, exec, which
// and the go runner (GoRunner) all call it.
package pinenv

import (
	"context"
	"fmt"
	"go/version"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/shellhook"
	"github.com/goforge/goforge/internal/toolchain"
)

// A Request says where to resolve a pin.
type Request struct {
	Home *toolchain.Home
	// Dir is the directory whose pin applies.
	Dir string
	// Getenv reads the environment (GOFORGE_VERSION, GOFORGE_AUTO_INSTALL).
	Getenv func(string) string
	// Install installs the version query names, for GOFORGE_AUTO_INSTALL=1;
	// nil never installs.
	Install func(ctx context.Context, query string) error
	// Notify receives one-line messages for people ("installing ...").
	Notify func(msg string)
}

// A Setup is what a directory's pin asks the environment to be.
type Setup struct {
	Res     pin.Resolution
	Inst    toolchain.Installed
	HasInst bool
	// Project is set when a pin file, GOFORGE_VERSION or a .goenv applies
	// (not just the global default).
	Project bool
	Prepend []string       // PATH entries to put in front
	Vars    []shellhook.KV // variables to set, in order
}

// A NotInstalledError says that the pinned version is not installed.
type NotInstalledError struct{ Pin pin.Pin }

func (e *NotInstalledError) Error() string {
	p := e.Pin
	hint := fmt.Sprintf("run 'goforge install %s', or set GOFORGE_AUTO_INSTALL=1", pin.InstallQuery(p))
	if p.Minimum {
		return fmt.Sprintf("%s requires go >= %s and no installed version satisfies it (%s)", p.Source(), strings.TrimPrefix(p.Version, "go"), hint)
	}
	return fmt.Sprintf("%s pins go %s, which is not installed (%s)", p.Source(), strings.TrimPrefix(p.Query, "go"), hint)
}

// Candidates lists the installed versions runnable here, newest first.
func Candidates(h *toolchain.Home) ([]pin.Candidate, map[string]toolchain.Installed, error) {
	list, err := h.List()
	if err != nil {
		return nil, nil, err
	}
	var cs []pin.Candidate
	byName := map[string]toolchain.Installed{}
	for _, inst := range list {
		if inst.Host() {
			cs = append(cs, pin.Candidate{Name: inst.Name, Version: inst.Meta.Version})
			byName[inst.Name] = inst
		}
	}
	return cs, byName, nil
}

// Resolve finds r.Dir's pin and the installed version that satisfies it
// (installing it first when GOFORGE_AUTO_INSTALL=1). Without a pin it
// falls back to the global default. A pin that nothing installed
// satisfies gives a *NotInstalledError along with the setup.
func Resolve(ctx context.Context, r Request) (Setup, error) {
	var s Setup
	res, err := pin.Find(r.Dir, r.Getenv)
	if err != nil {
		return s, err
	}
	s.Res = res
	s.Project = res.Pin.Kind != pin.KindGlobal || res.Goenv != nil
	if res.Pin.Kind == pin.KindGlobal {
		s.Inst, s.HasInst, err = r.Home.Current()
		return s, err
	}
	cs, byName, err := Candidates(r.Home)
	if err != nil {
		return s, err
	}
	c, ok := pin.Choose(res.Pin, cs)
	if !ok && r.Getenv("GOFORGE_AUTO_INSTALL") == "1" && r.Install != nil {
		q := pin.InstallQuery(res.Pin)
		if r.Notify != nil {
			r.Notify(fmt.Sprintf("%s asks for go %s; installing it (GOFORGE_AUTO_INSTALL=1)", res.Pin.Source(), q))
		}
		if err := r.Install(ctx, q); err != nil {
			return s, fmt.Errorf("installing go %s for %s: %w", q, res.Pin.Source(), err)
		}
		if cs, byName, err = Candidates(r.Home); err != nil {
			return s, err
		}
		c, ok = pin.Choose(res.Pin, cs)
	}
	if !ok {
		return s, &NotInstalledError{Pin: res.Pin}
	}
	s.Inst, s.HasInst = byName[c.Name], true
	return s, nil
}

// FillEnv computes the variables of s: for the selected toolchain GOROOT,
// GOBIN, GOTOOLCHAIN=local and its bin directories in front of PATH (only
// for a project pin unless global is set), then the .goenv's variables,
// with GO_BUILD_TAGS added to GOFLAGS as -tags. base is the environment
// the variables are set on.
func (s *Setup) FillEnv(h *toolchain.Home, base map[string]string, global bool) {
	s.Prepend, s.Vars = nil, nil
	if s.HasInst && (global || s.Res.Pin.Kind != pin.KindGlobal) {
		s.Prepend = []string{filepath.Join(s.Inst.Dir, "bin"), h.BinDir()}
		s.Vars = append(s.Vars, shellhook.KV{Key: "GOROOT", Value: s.Inst.Dir},
			shellhook.KV{Key: "GOBIN", Value: h.BinDir()}, shellhook.KV{Key: "GOTOOLCHAIN", Value: "local"})
	}
	g := s.Res.Goenv
	if g == nil {
		return
	}
	goflags, setFlags := base["GOFLAGS"], false
	for _, v := range g.Vars {
		switch v.Key {
		case "GO_VERSION":
			continue
		case "GOFLAGS":
			goflags, setFlags = v.Value, true
			continue
		}
		s.Vars = append(s.Vars, shellhook.KV{Key: v.Key, Value: v.Value})
	}
	if tags := g.BuildTags(); tags != "" {
		goflags, setFlags = strings.TrimSpace(goflags+" -tags="+tags), true
	}
	if setFlags {
		s.Vars = append(s.Vars, shellhook.KV{Key: "GOFLAGS", Value: goflags})
	}
}

// Environ returns base with s's PATH entries and variables applied, as a
// sorted KEY=VALUE list.
func (s *Setup) Environ(base map[string]string) []string {
	final, _ := shellhook.Apply(base, s.Prepend, s.Vars)
	out := make([]string, 0, len(final))
	for k, v := range final {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// Source is where the selection came from, for people: the pin's file
// and line, or the global default's link.
func (s *Setup) Source(h *toolchain.Home) string {
	if s.Res.Pin.Kind == pin.KindGlobal {
		return "global default " + h.CurrentLink()
	}
	return s.Res.Pin.Source()
}

// Report is the "pin" object of 'goforge env --json'.
type Report struct {
	Version   string `json:"version"`         // the installed version chosen; "" when none
	Query     string `json:"query,omitempty"` // as written in the pin
	Kind      string `json:"kind"`            // env, goenv, go-version, tool-versions, toolchain, go-line, global
	Rule      string `json:"rule"`            // exact, prefix, minimum or global
	Source    string `json:"source"`          // the deciding file, GOFORGE_VERSION, or the current link
	Line      int    `json:"line,omitempty"`
	Installed bool   `json:"installed"`
	GOROOT    string `json:"goroot,omitempty"`
	Goenv     string `json:"goenv,omitempty"` // the .goenv whose variables apply
	Error     string `json:"error,omitempty"`
}

// NewReport describes s (and the error resolving it, if any).
func NewReport(h *toolchain.Home, s Setup, err error) *Report {
	p := s.Res.Pin
	r := &Report{Query: p.Query, Kind: p.Kind, Source: p.File, Line: p.Line, Installed: s.HasInst}
	switch {
	case p.Kind == pin.KindGlobal:
		r.Rule, r.Source = "global", h.CurrentLink()
	case p.Minimum:
		r.Rule = "minimum"
	case p.Version == "latest" || version.Lang(p.Version) == p.Version && strings.Count(p.Version, ".") == 1:
		r.Rule = "prefix"
	default:
		r.Rule = "exact"
	}
	if p.Kind == pin.KindEnv {
		r.Source = "GOFORGE_VERSION"
	}
	if s.HasInst {
		r.Version, r.GOROOT = s.Inst.Name, s.Inst.Dir
	}
	if s.Res.Goenv != nil {
		r.Goenv = s.Res.Goenv.Path
	}
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

// String is the one-line account of a pin for people.
func (r *Report) String() string {
	v := r.Version
	if v == "" {
		v = "(none)"
	}
	src := r.Source
	if r.Line > 0 {
		src = fmt.Sprintf("%s:%d", src, r.Line)
	}
	how := r.Kind + ", " + r.Rule
	if r.Kind == "global" {
		how = "global default"
	}
	s := fmt.Sprintf("pin: %s from %s (%s)", v, src, how)
	if r.Goenv != "" {
		s += "; variables from " + r.Goenv
	}
	if r.Error != "" {
		s += "\n  " + r.Error
	}
	return s
}

// ToolchainEnv is environ set up to run inst's tools: GOROOT=inst.Dir,
// GOROOT/bin then the shared GOBIN first on PATH, GOBIN and
// GOTOOLCHAIN=local (so the go command does not switch to yet another
// toolchain behind goforge's back).
func ToolchainEnv(h *toolchain.Home, inst toolchain.Installed, environ []string) []string {
	s := Setup{Inst: inst, HasInst: true}
	base := goenv.EnvironMap(environ)
	s.FillEnv(h, base, true)
	return s.Environ(base)
}
