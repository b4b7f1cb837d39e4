package pinenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/toolchain"
)

// Active returns the active version in dir and why it is active: the
// directory's pin when one applies and an installed version satisfies
// it, else the global default. A malformed or unsatisfied pin falls back
// to the global default here; 'goforge env' and 'goforge doctor' report
// it. It never installs anything.
func Active(h *toolchain.Home, dir string, getenv func(string) string) (toolchain.Installed, string, bool, error) {
	if res, err := pin.Find(dir, getenv); err == nil && res.Pin.Kind != pin.KindGlobal {
		if cs, byName, err := Candidates(h); err == nil {
			if c, ok := pin.Choose(res.Pin, cs); ok {
				return byName[c.Name], "pinned by " + res.Pin.Source(), true, nil
			}
		}
	}
	cur, ok, err := h.Current()
	if err != nil || !ok {
		return cur, "", ok, err
	}
	return cur, "global default (" + h.CurrentLink() + ")", true, nil
}

// ErrNoActive says that no pin applies and no global default is set.
var ErrNoActive = errors.New("no active version (run 'goforge use VERSION')")

// Selected is the toolchain a go command run in r.Dir must use, for
// 'goforge which': unlike Active, a malformed pin or a pinned version that
// is not installed is an error, the same one 'goforge env --shell' gives,
// so that which never names a toolchain the pin does not select.
func Selected(ctx context.Context, r Request) (toolchain.Installed, error) {
	s, err := Resolve(ctx, r)
	if err != nil {
		return toolchain.Installed{}, err
	}
	if !s.HasInst {
		return toolchain.Installed{}, ErrNoActive
	}
	return s.Inst, nil
}

// Describe resolves dir's pin for 'goforge env' and describes it. It
// never installs anything.
func Describe(ctx context.Context, h *toolchain.Home, dir string, getenv func(string) string) *Report {
	noInstall := func(k string) string {
		if k == "GOFORGE_AUTO_INSTALL" {
			return ""
		}
		return getenv(k)
	}
	s, err := Resolve(ctx, Request{Home: h, Dir: filepath.Clean(dir), Getenv: noInstall})
	return NewReport(h, s, err)
}

// ToolPath is the path of inst's tool: bin/go, bin/gofmt, or a program
// in pkg/tool.
func ToolPath(inst toolchain.Installed, tool string) (string, error) {
	exe := tool
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	for _, p := range []string{
		filepath.Join(inst.Dir, "bin", exe),
		filepath.Join(inst.Dir, "pkg", "tool", inst.Meta.GOOS+"_"+inst.Meta.GOARCH, exe),
	} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s has no tool %q", inst.Name, tool)
}
