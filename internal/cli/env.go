package cli

import (
	"context"
	"fmt"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/pinenv"
)

func newEnvCmd() *Command {
	var jsonOut, all bool
	var sh envShellOptions
	c := NewCommand("env", "[--json] [--all] | --shell bash|zsh|fish|pwsh [--version VERSION]", "show the Go environment and where each value comes from", `
Env shows the Go environment as the go command on PATH sees it from the
current directory, and where each value came from: the process environment
(env), the user's GOENV file written by 'go env -w' (goenv), $GOROOT/go.env
(goroot), or the go command's own default (default). It also lists every go
command on PATH in order, the first being the one that runs, and the
directory 'go install' writes to when GOBIN is empty.

Env runs 'go env -json' once, with GOTOOLCHAIN=local, so looking at the
environment never downloads a toolchain.

--json prints {"go", "go_on_path", "vars": {NAME: {"value","origin"}},
"gobin_effective", "goenv_file", "goroot_env_file"}; every value in "vars"
is what 'go env -json' reports, and "pin" says which Go version the
directory pins and what decided it:
{"version","query","kind","rule","source","line","installed","goroot","goenv","error"}.

Pins, nearest directory first, first match wins: GOFORGE_VERSION, then in
each directory from here up: GO_VERSION in .goenv, .go-version, the golang
(or go) entry of .tool-versions, then the toolchain line, else the go line,
of the governing go.work or go.mod. A go line is a minimum: the newest
installed patch of that language version at or above it, else the newest
installed version above it. Without a pin, the global default ('goforge use').
The nearest .goenv's variables apply whichever file pinned the version.

--shell prints, for scripts and CI, the exports that select the pin:
  eval "$(goforge env --shell bash)"
PATH with the pinned GOROOT/bin and the shared GOBIN first, GOROOT, GOBIN,
GOTOOLCHAIN=local (so go never downloads another toolchain) and the
.goenv's variables, with GO_BUILD_TAGS added to GOFLAGS as -tags.
--version VERSION selects that version instead of the pin.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&all, "all", false, "show every variable, not just the important ones")
	c.Flags.StringVar(&sh.shell, "shell", "", "print the exports selecting the pinned toolchain for this `SHELL`")
	c.Flags.StringVar(&sh.version, "version", "", "with --shell, select this `VERSION` instead of the pin")
	c.Flags.BoolVar(&sh.direnv, "direnv", false, "with --shell bash, also print direnv watch_file lines (for use_goforge)")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		if sh.shell != "" {
			if err := shellArgError(c, []string{sh.shell}); err != nil {
				return err
			}
			return runEnvShell(ctx, st, sh)
		}
		snap, err := loadSnapshot(ctx, st)
		if err != nil {
			return err
		}
		if snap.GoEnvErr != nil {
			return fmt.Errorf("reading the Go environment: %w", snap.GoEnvErr)
		}
		r := snap.Report()
		p := envPin(ctx, st)
		if jsonOut {
			return writeJSON(st.Out, struct {
				goenv.Report
				Pin *pinenv.Report `json:"pin"`
			}{r, p})
		}
		r.WriteText(st.Out, all, snap.Names())
		fmt.Fprintf(st.Out, "\n%s\n", p.String())
		return nil
	}
	return c
}

func loadSnapshot(ctx context.Context, st *Stdio) (*goenv.Snapshot, error) {
	dir, err := st.WorkDir()
	if err != nil {
		return nil, fmt.Errorf("finding the current directory: %w", err)
	}
	return goenv.Load(ctx, st.Environ(), dir)
}
