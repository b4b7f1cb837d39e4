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

// shellArgError is the usage error for a missing or unsupported shell
// name, the same from env --shell, shell-init and shell-hook: like the go
// command's bad arguments, an unsupported shell is a usage error (exit 2).
func shellArgError(c *Command, args []string) error {
	if len(args) != 1 {
		return c.Usagef("want one SHELL argument: %s", strings.Join(shellhook.Shells, ", "))
	}
	if !shellhook.ValidShell(args[0]) {
		return c.Usagef("unknown shell %q (want %s)", args[0], strings.Join(shellhook.Shells, ", "))
	}
	return nil
}

// runEnvShell prints the exports that select the current directory's pin
// (or the global default): PATH with GOROOT/bin first, GOROOT, GOBIN,
// GOTOOLCHAIN=local and the .goenv's variables.
func runEnvShell(ctx context.Context, st *Stdio, o envShellOptions) error {
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
