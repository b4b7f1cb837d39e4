package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/shellhook"
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
	s, lines, err := pinenv.ShellExports(ctx, st.pinRequest(h, dir, getenv), base, o.shell)
	if err != nil {
		return err
	}
	st.say("%s (%s)", s.Inst.Name, s.Source(h))
	_, err = io.WriteString(st.Out, strings.Join(lines, "\n")+"\n")
	return err
}

// envPin resolves the pin of the current directory for 'goforge env'.
func envPin(ctx context.Context, st *Stdio) *pinenv.Report {
	h, err := st.Home()
	if err == nil {
		var dir string
		if dir, err = st.WorkDir(); err == nil {
			return pinenv.Describe(ctx, h, dir, st.Getenv)
		}
	}
	return &pinenv.Report{Error: err.Error()}
}
