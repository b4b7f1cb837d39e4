package doctor

import (
	"fmt"
	"go/version"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/toolchain"
)

// PinFacts is the Go version the directory pins (goforge's pin files, see
// package pin) and what goforge has installed for it.
type PinFacts struct {
	Pin       pin.Pin
	Err       error          // a malformed pin file
	Chosen    pin.Candidate  // the installed version that satisfies Pin
	Installed bool           // Chosen is set
	Managed   int            // how many versions goforge has installed
	Goenv     *pin.GoenvFile // the .goenv that applies, if any
	ChosenDir string         // Chosen's GOROOT
	// Current is the global default ('goforge use'), CurrentDir its
	// GOROOT; CurrentBin is $GOFORGE_HOME/current/bin, the directory
	// 'goforge shell-init' puts on PATH.
	Current, CurrentDir, CurrentBin string
	Hook                            string // the shell-init command for the user's shell
}

// gatherPin resolves dir's pin against the goforge home named by env. It
// reads a few small files and a directory listing; it runs nothing.
func gatherPin(env map[string]string, dir string) *PinFacts {
	getenv := func(k string) string { return env[k] }
	pf := &PinFacts{Hook: hookCommand(env["SHELL"])}
	res, findErr := pin.Find(dir, getenv)
	pf.Pin, pf.Goenv, pf.Err = res.Pin, res.Goenv, findErr
	home, err := toolchain.HomeDir(getenv)
	if err != nil {
		return pf
	}
	h, err := toolchain.OpenHomeAt(home)
	if err != nil {
		return pf
	}
	list, _ := h.List()
	var cs []pin.Candidate
	dirs := map[string]string{}
	for _, inst := range list {
		if inst.Host() {
			cs = append(cs, pin.Candidate{Name: inst.Name, Version: inst.Meta.Version})
			dirs[inst.Name] = inst.Dir
		}
	}
	pf.Managed = len(cs)
	pf.CurrentBin = filepath.Join(h.CurrentLink(), "bin")
	cur, hasCur, _ := h.Current()
	if hasCur {
		pf.Current, pf.CurrentDir = cur.Name, cur.Dir
	}
	switch {
	case findErr != nil:
	case res.Pin.Kind == pin.KindGlobal:
		if hasCur {
			pf.Chosen, pf.ChosenDir, pf.Installed = pin.Candidate{Name: cur.Name, Version: cur.Meta.Version}, cur.Dir, true
		}
	default:
		pf.Chosen, pf.Installed = pin.Choose(res.Pin, cs)
		pf.ChosenDir = dirs[pf.Chosen.Name]
	}
	return pf
}

// checkPin warns when the directory's pin is broken, pins a version that
// is not installed, or pins one older than the go.mod's go line requires.
func checkPin(f *Facts) Result {
	p := f.Pin
	if p == nil {
		return Result{ID: "pin", Status: Skip, Summary: "pin not resolved"}
	}
	if p.Err != nil {
		return Result{ID: "pin", Status: Warn, Summary: "bad pin file: " + p.Err.Error(),
			Fix: "fix the file; 'goforge help env' describes the formats"}
	}
	explicit := p.Pin.Kind != pin.KindGoLine && p.Pin.Kind != pin.KindToolchain
	if p.Pin.Kind == pin.KindGlobal {
		if p.Installed {
			return Result{ID: "pin", Status: Pass, Summary: "no project pin here; goforge's global default is " + p.Chosen.Name + " (pin-active says which go runs)"}
		}
		return Result{ID: "pin", Status: Pass, Summary: "no project pin here and no global default"}
	}
	if !p.Installed {
		if !explicit && p.Managed == 0 {
			return Result{ID: "pin", Status: Pass, Summary: fmt.Sprintf("%s asks for go %s; goforge manages no versions (see gotoolchain)", p.Pin.Source(), p.Pin.Query)}
		}
		return Result{ID: "pin", Status: Warn,
			Summary: fmt.Sprintf("%s pins go %s, which no installed version satisfies", p.Pin.Source(), strings.TrimPrefix(p.Pin.Query, "go")),
			Fix:     "goforge install " + pin.InstallQuery(p.Pin)}
	}
	if need := "go" + f.GoLine; f.GoLine != "" && version.Compare(p.Chosen.Version, need) < 0 {
		return Result{ID: "pin", Status: Warn,
			Summary: fmt.Sprintf("%s pins %s, older than go %s that %s requires: go commands will refuse to build", p.Pin.Source(), p.Chosen.Name, f.GoLine, f.ModFile),
			Fix:     fmt.Sprintf("goforge use --local %s (after 'goforge install %s' if needed)", f.GoLine, f.GoLine)}
	}
	return Result{ID: "pin", Status: Pass, Summary: fmt.Sprintf("%s pins go %s: %s is installed", p.Pin.Source(), strings.TrimPrefix(p.Pin.Query, "go"), p.Chosen.Name)}
}
