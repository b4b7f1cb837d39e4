package cli

import (
	"context"

	"github.com/goforge/goforge/internal/pinenv"
)

func newExecCmd() *Command {
	c := NewCommand("exec", "VERSION [--] COMMAND [ARGS...]", "run a command with an installed toolchain", `
Exec runs COMMAND with the installed VERSION (1.19 means the newest
installed 1.19.x): GOROOT is set to it, its bin directory and the shared
GOBIN come first on PATH, GOBIN points at the shared GOBIN and
GOTOOLCHAIN=local. The command's exit status is passed through.

  goforge exec 1.19 -- go version`)
	c.RawArgs = true
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 && args[1] == "--" {
			args = append(args[:1:1], args[2:]...)
		}
		if len(args) < 2 {
			return c.Usagef("want VERSION and a COMMAND to run")
		}
		h, inst, err := openInstalled(st, args[0])
		if err != nil {
			return err
		}
		return execWith(ctx, st, pinenv.ToolchainEnv(h, inst, st.Environ()), args[1], args[2:])
	}
	return c
}

// execWith runs name with env and passes its exit status through.
func execWith(ctx context.Context, st *Stdio, env []string, name string, args []string) error {
	code, err := pinenv.Exec(ctx, env, name, args, st.In, st.Out, st.Err)
	if err == nil && code != 0 {
		err = &ExitError{Code: code}
	}
	return err
}
