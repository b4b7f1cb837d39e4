package pinenv

import (
	"context"
	"fmt"
	"io"
	"os/exec"

	"github.com/goforge/goforge/internal/gocmd"
)

// A Command is a program for Exec to run.
type Command struct {
	Env            []string // its whole environment; PATH here finds Name
	Name           string
	Args           []string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Forwarding, when set, is called once Exec receives the signals it
	// passes on (on Unix): the caller stops handling them then.
	Forwarding func()
}

// Exec runs c.Name, looked up in c.Env's PATH (not goforge's), and
// returns its exit status as a shell reports it: its own, or 128+n when
// signal n ended it. On Unix, at a terminal goforge holds, the command
// replaces goforge (execve), so job control and the terminal's signals
// work as for the command run by hand; otherwise it runs in a process
// group of its own that receives SIGINT, SIGTERM, SIGHUP and SIGQUIT sent
// to goforge, and once such a signal has stopped it, what is left of its
// group is killed, so nothing outlives it. An error means it could not
// be run.
func Exec(ctx context.Context, c Command) (int, error) {
	path, err := gocmd.LookPath(c.Name, gocmd.Getenv(c.Env, "PATH"))
	if err != nil {
		return 0, fmt.Errorf("command %q not found in the toolchain's PATH", c.Name)
	}
	cmd := exec.Command(path, c.Args...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Env, c.Stdin, c.Stdout, c.Stderr
	forwarding := c.Forwarding
	if forwarding == nil {
		forwarding = func() {}
	}
	code, err := run(ctx, cmd, c.Stdin, forwarding)
	if err != nil {
		return 0, fmt.Errorf("running %s: %w", c.Name, err)
	}
	return code, nil
}
