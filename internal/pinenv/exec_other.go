//go:build !unix

package pinenv

import (
	"context"
	"errors"
	"io"
	"os/exec"
)

// run runs cmd and returns its exit status; without process groups and
// Unix signals there is nothing to forward, and ctx's end kills it.
func run(ctx context.Context, cmd *exec.Cmd, _ io.Reader, _ func()) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	stop := context.AfterFunc(ctx, func() { cmd.Process.Kill() })
	defer stop()
	err := cmd.Wait()
	if err != nil && !errors.As(err, new(*exec.ExitError)) {
		return 0, err
	}
	return cmd.ProcessState.ExitCode(), nil
}
