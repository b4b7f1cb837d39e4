package pinenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"

	"github.com/goforge/goforge/internal/gocmd"
)

// Exec runs name, looked up in env's PATH (not goforge's), with env and
// the given streams, and returns its exit status (1 when a signal ended
// it). An error means it could not be run at all.
func Exec(ctx context.Context, env []string, name string, args []string, in io.Reader, out, errw io.Writer) (int, error) {
	path, err := gocmd.LookPath(name, gocmd.Getenv(env, "PATH"))
	if err != nil {
		return 0, fmt.Errorf("command %q not found in the toolchain's PATH", name)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, in, out, errw
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return max(exit.ExitCode(), 1), nil
	}
	if err != nil {
		return 0, fmt.Errorf("running %s: %w", name, err)
	}
	return 0, nil
}
