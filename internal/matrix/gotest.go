package matrix

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"time"
)

// goRun is what one go command invocation produced.
type goRun struct {
	Stdout, Stderr []byte
	ExitCode       int
}

// runGo runs the go command of goroot (its bin/go) in dir with args and the
// complete environment env. It is the one place this package starts the go
// command. The child gets its own process group, and cancelling ctx kills
// the whole group, so test binaries (and emulators under -exec) die with it.
// A non-zero exit is a result, not an error.
func runGo(ctx context.Context, goBin, dir string, env, args []string) (goRun, error) {
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	ownGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd.Process) }
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		// Also reap whatever the group still holds (a test binary that
		// outlived the go command).
		if cmd.Process != nil {
			_ = killGroup(cmd.Process)
		}
		return goRun{}, ctx.Err()
	}
	res := goRun{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	case err != nil:
		return res, err
	}
	return res, nil
}
