package doctor

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/pin"
)

// hookCommand is the command that installs goforge's shell hook for the
// user's login shell (bash when it cannot tell).
func hookCommand(shell string) string {
	name := filepath.Base(shell)
	switch name {
	case "zsh", "fish", "pwsh":
	default:
		name = "bash"
	}
	return "goforge shell-init " + name + " --install"
}

// checkPinActive compares the go a shell runs here (the first on PATH)
// with the toolchain goforge selects for the directory. A project pin
// file (.goenv, .go-version, .tool-versions) that the go on PATH ignores
// fails: every go command in the project silently uses another
// toolchain. A pin derived from go.mod, or the global default, only
// warns: go.mod's lines are minimums a newer go honours through
// GOTOOLCHAIN, and a global default is a preference.
func checkPinActive(f *Facts) Result {
	p := f.Pin
	switch {
	case p == nil:
		return Result{ID: "pin-active", Status: Skip, Summary: "pin not resolved"}
	case p.Err != nil || !p.Installed && p.Pin.Kind != pin.KindGlobal:
		return Result{ID: "pin-active", Status: Skip, Summary: "the pin selects no installed version (see pin)"}
	}
	active := f.Snap.Active()
	if !p.Installed {
		if active == nil {
			return Result{ID: "pin-active", Status: Skip, Summary: "no project pin, no global default and no go on PATH"}
		}
		return Result{ID: "pin-active", Status: Pass, Summary: "no project pin and no global default: " + runs(active) + " runs here"}
	}
	global := p.Pin.Kind == pin.KindGlobal
	want := p.Chosen.Name + " (" + p.ChosenDir + ")"
	what := fmt.Sprintf("%s pins go %s", p.Pin.Source(), strings.TrimPrefix(p.Pin.Query, "go"))
	if global {
		what = "no project pin here; the global default is " + p.Chosen.Name
	}
	if active != nil && (goenv.SameDir(active.GOROOT, p.ChosenDir) || active.Version != "" && active.Version == p.Chosen.Version) {
		return Result{ID: "pin-active", Status: Pass, Summary: fmt.Sprintf("%s, and %s runs here", what, runs(active))}
	}
	r := Result{ID: "pin-active", Status: Fail}
	if global || p.Pin.Kind == pin.KindGoLine || p.Pin.Kind == pin.KindToolchain {
		r.Status = Warn
	}
	if active == nil {
		r.Summary = fmt.Sprintf("%s, but a shell here runs no go at all: %s is not on PATH", what, want)
	} else {
		r.Summary = fmt.Sprintf("%s, but the go a shell runs here is %s, not %s", what, runs(active), want)
	}
	bin := filepath.Join(p.ChosenDir, "bin")
	if global {
		bin = p.CurrentBin
	}
	r.Fix = fmt.Sprintf("load the shell hook ('%s', then open a new shell), run go through 'goforge exec %s -- go ...', or put %s first on PATH", p.Hook, p.Chosen.Name, bin)
	return r
}

// runs names a go binary and its version, for summaries.
func runs(g *goenv.GoBinary) string {
	if g.Version == "" {
		return g.Path + " (version unknown)"
	}
	return g.Path + " (" + g.Version + ")"
}
