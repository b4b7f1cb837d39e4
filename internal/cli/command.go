// Package cli holds goforge's command tree. It is the only package that
// reads os.Args and decides what goes to the terminal; every capability
// lives in its own internal package and is called from here.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/goforge/goforge/internal/command"
)

// A Command is one verb of goforge; see command.Command.
type Command = command.Command[*Stdio]

// UsageError and ExitError decide the exit status; see package command.
type (
	UsageError = command.UsageError
	ExitError  = command.ExitError
)

// NewCommand returns a command with an empty flag set named after it.
func NewCommand(name, usage, short, long string) *Command {
	return command.New[*Stdio](name, usage, short, long)
}

// Main runs goforge with the process's arguments and standard streams and
// returns the exit status.
func Main() int {
	ctx, stop := signalContext()
	defer stop()
	st := &Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
	return Run(ctx, st, os.Args[1:])
}

// Run runs goforge with args and returns the exit status: 0 on success,
// 1 on failure, 2 on a usage error. Errors are printed once, to st.Err,
// prefixed with "goforge: ".
func Run(ctx context.Context, st *Stdio, args []string) int {
	root := NewRoot()
	err := root.Execute(ctx, st, st.Out, args)
	if code, ok := interruptStatus(ctx, st, args, err); ok {
		return code
	}
	if err == nil {
		return 0
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	var usage *UsageError
	if errors.As(err, &usage) {
		hint := "goforge help"
		if p := usage.Help; p != "" {
			hint += " " + p
		}
		fmt.Fprintf(st.Err, "goforge: %s (run '%s')\n", command.OneLine(usage.Err.Error()), hint)
		return 2
	}
	fmt.Fprintf(st.Err, "goforge: %s\n", err)
	return 1
}
