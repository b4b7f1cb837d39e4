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
GOTOOLCHAIN=local. The command's exit status is passed through (128+n
when signal n ended it, as a shell reports it).

At a terminal that goforge holds (a command typed at the prompt), on
Unix, the command replaces goforge, so ^C, ^Z and reading the terminal
work as if it had been run by hand. Otherwise (scripts, background jobs)
SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to goforge go to the command
and everything it started (its process group), and once such a signal
has stopped the command, whatever is left of its group is killed.

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

// execWith runs name with env, passing signals on to it, and passes its
// exit status through.
func execWith(ctx context.Context, st *Stdio, env []string, name string, args []string) error {
	code, err := pinenv.Exec(ctx, pinenv.Command{Env: env, Name: name, Args: args,
		Stdin: st.In, Stdout: st.Out, Stderr: st.Err, Forwarding: func() { handOverSignals(ctx) }})
	if err == nil && code != 0 {
		err = &ExitError{Code: code}
	}
	return err
}
