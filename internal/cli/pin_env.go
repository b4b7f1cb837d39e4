package cli

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/shellhook"
	"github.com/goforge/goforge/internal/toolchain"
)

// A pinSetup is what a directory's pin asks the environment to be.
type pinSetup struct {
	Res     pin.Resolution
	Inst    toolchain.Installed
	HasInst bool
	// Project is set when a pin file, GOFORGE_VERSION or a .goenv applies
	// (not just the global default).
	Project bool
	Prepend []string       // PATH entries to put in front
	Vars    []shellhook.KV // variables to set, in order
}

// errPinNotInstalled says that the pinned version is not installed.
type errPinNotInstalled struct{ Pin pin.Pin }

func (e *errPinNotInstalled) Error() string {
	p := e.Pin
	hint := fmt.Sprintf("run 'goforge install %s', or set GOFORGE_AUTO_INSTALL=1", pin.InstallQuery(p))
	if p.Minimum {
		return fmt.Sprintf("%s requires go >= %s and no installed version satisfies it (%s)", p.Source(), strings.TrimPrefix(p.Version, "go"), hint)
	}
	return fmt.Sprintf("%s pins go %s, which is not installed (%s)", p.Source(), strings.TrimPrefix(p.Query, "go"), hint)
}

// hostCandidates lists the installed versions runnable here, newest first.
func hostCandidates(h *toolchain.Home) ([]pin.Candidate, map[string]toolchain.Installed, error) {
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

// resolvePin finds dir's pin and the installed version that satisfies it
// (installing it first when GOFORGE_AUTO_INSTALL=1). Without a pin it
// falls back to the global default. A pin that nothing installed
// satisfies gives an *errPinNotInstalled along with the setup.
func resolvePin(ctx context.Context, st *Stdio, h *toolchain.Home, dir string, getenv func(string) string) (pinSetup, error) {
	var s pinSetup
	res, err := pin.Find(dir, getenv)
	if err != nil {
		return s, err
	}
	s.Res = res
	s.Project = res.Pin.Kind != pin.KindGlobal || res.Goenv != nil
	if res.Pin.Kind == pin.KindGlobal {
		s.Inst, s.HasInst, err = h.Current()
		return s, err
	}
	cs, byName, err := hostCandidates(h)
	if err != nil {
		return s, err
	}
	c, ok := pin.Choose(res.Pin, cs)
	if !ok && getenv("GOFORGE_AUTO_INSTALL") == "1" {
		if err := autoInstall(ctx, st, h, res.Pin); err != nil {
			return s, err
		}
		if cs, byName, err = hostCandidates(h); err != nil {
			return s, err
		}
		c, ok = pin.Choose(res.Pin, cs)
	}
	if !ok {
		return s, &errPinNotInstalled{Pin: res.Pin}
	}
	s.Inst, s.HasInst = byName[c.Name], true
	return s, nil
}

// autoInstall installs what p needs with the installer 'goforge install'
// uses.
func autoInstall(ctx context.Context, st *Stdio, h *toolchain.Home, p pin.Pin) error {
	q := pin.InstallQuery(p)
	fmt.Fprintf(st.Err, "goforge: %s asks for go %s; installing it (GOFORGE_AUTO_INSTALL=1)\n", p.Source(), q)
	in, err := newInstaller(h, st, "")
	if err != nil {
		return err
	}
	if _, err := in.Install(ctx, toolchain.Request{Query: q}); err != nil {
		return fmt.Errorf("installing go %s for %s: %w", q, p.Source(), err)
	}
	return nil
}

// fillEnv computes the variables of s: for the selected toolchain GOROOT,
// GOBIN, GOTOOLCHAIN=local and its bin directories in front of PATH (only
// for a project pin unless global is set), then the .goenv's variables,
// with GO_BUILD_TAGS added to GOFLAGS as -tags. base is the environment
// the variables are set on.
func (s *pinSetup) fillEnv(h *toolchain.Home, base map[string]string, global bool) {
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

// pinReport is the "pin" object of 'goforge env --json'.
type pinReport struct {
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

func newPinReport(h *toolchain.Home, s pinSetup, err error) *pinReport {
	p := s.Res.Pin
	r := &pinReport{Query: p.Query, Kind: p.Kind, Source: p.File, Line: p.Line, Installed: s.HasInst}
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

// describePin is the one-line account of a pin for people.
func describePin(r *pinReport) string {
	v := r.Version
	if v == "" {
		v = "(none)"
	}
	src := r.Source
	if r.Line > 0 {
		src = fmt.Sprintf("%s:%d", src, r.Line)
	}
	s := fmt.Sprintf("pin: %s from %s (%s, %s)", v, src, r.Kind, r.Rule)
	if r.Goenv != "" {
		s += "; variables from " + r.Goenv
	}
	if r.Error != "" {
		s += "\n  " + r.Error
	}
	return s
}

// workDir is the directory the user is in: $PWD when it names the
// current directory (it keeps symlinks, as the shell shows them), else
// the physical one.
func workDir(getenv func(string) string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the current directory: %w", err)
	}
	if p := getenv("PWD"); filepath.IsAbs(p) {
		a, errA := os.Stat(p)
		b, errB := os.Stat(wd)
		if errA == nil && errB == nil && os.SameFile(a, b) {
			return filepath.Clean(p), nil
		}
	}
	return wd, nil
}

// isNotInstalled reports whether err says the pin is not installed.
func isNotInstalled(err error) bool {
	var e *errPinNotInstalled
	return errors.As(err, &e)
}
