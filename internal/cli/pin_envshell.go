package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/shellhook"
	"github.com/goforge/goforge/internal/toolchain"
)

// envShellOptions are the pin-related flags of 'goforge env'.
type envShellOptions struct {
	shell   string // bash, zsh, fish, pwsh
	version string // overrides the pin, like GOFORGE_VERSION
	direnv  bool   // add direnv's watch_file lines
}

// runEnvShell prints the exports that select the current directory's pin
// (or the global default): PATH with GOROOT/bin first, GOROOT, GOBIN,
// GOTOOLCHAIN=local and the .goenv's variables.
func runEnvShell(ctx context.Context, st *Stdio, o envShellOptions) error {
	if !shellhook.ValidShell(o.shell) {
		return fmt.Errorf("unknown shell %q (want bash, zsh, fish or pwsh)", o.shell)
	}
	sc, err := st.shellContext()
	if err != nil {
		return err
	}
	base, dir, h := sc.base, sc.dir, sc.home
	if o.version != "" {
		base["GOFORGE_VERSION"] = o.version
	}
	getenv := func(k string) string { return base[k] }
	if o.direnv {
		// Watch first, so that fixing a broken pin file reloads too.
		for _, p := range pin.WatchList(dir) {
			fmt.Fprintln(st.Out, "watch_file "+shellhook.Quote("bash", p))
		}
	}
	s, err := pinenv.Resolve(ctx, st.pinRequest(h, dir, getenv))
	if err != nil {
		return err
	}
	if !s.HasInst {
		return errors.New("no Go version selected here: no pin file and no global default (run 'goforge use VERSION' or 'goforge use --local VERSION')")
	}
	s.FillEnv(h, base, true)
	final, _ := shellhook.Apply(base, s.Prepend, s.Vars)
	var b []string
	keys := []string{"PATH"}
	for _, kv := range s.Vars {
		keys = append(keys, kv.Key)
	}
	sort.Strings(keys[1:])
	for _, k := range keys {
		b = append(b, shellhook.Export(o.shell, shellhook.Change{Key: k, Value: final[k]}))
	}
	fmt.Fprintf(st.Err, "goforge: %s (%s)\n", s.Inst.Name, s.Source(h))
	for _, line := range b {
		fmt.Fprintln(st.Out, line)
	}
	return nil
}

func describeSource(h *toolchain.Home, s pinenv.Setup) string {
	if s.Res.Pin.Kind == pin.KindGlobal {
		return "global default " + h.CurrentLink()
	}
	return s.Res.Pin.Source()
}

// envPin resolves the pin of the current directory for 'goforge env'.
// It never installs anything.
func envPin(ctx context.Context, st *Stdio) *pinenv.Report {
	h, err := st.Home()
	if err != nil {
		return &pinenv.Report{Error: err.Error()}
	}
	env := goenv.EnvironMap(st.Environ())
	getenv := func(k string) string {
		if k == "GOFORGE_AUTO_INSTALL" {
			return ""
		}
		return env[k]
	}
	dir, err := st.WorkDir()
	if err != nil {
		return &pinenv.Report{Error: err.Error()}
	}
	s, err := pinenv.Resolve(ctx, st.pinRequest(h, filepath.Clean(dir), getenv))
	return pinenv.NewReport(h, s, err)
}
