package matrix

import (
	"bytes"
	"context"
	"errors"
	"os/exec"

	"github.com/goforge/goforge/internal/gocmd"
)

// goRun is what one go command invocation produced.
type goRun struct {
	Stdout, Stderr []byte
	ExitCode       int
}

// runGo runs the go command goBin (a toolchain's bin/go) in dir with args
// and the complete environment env, through goforge's one runner: the
// child gets its own process group, and cancelling ctx kills the whole
// group, so test binaries (and emulators under -exec) die with it. A
// non-zero exit is a result, not an error.
func runGo(ctx context.Context, goBin, dir string, env, args []string) (goRun, error) {
	r := &gocmd.Runner{Go: goBin, Env: env}
	var stdout, stderr bytes.Buffer
	_, err := r.Run(ctx, gocmd.Invocation{Args: args, Dir: dir, Stdout: &stdout, Stderr: &stderr})
	if ctx.Err() != nil {
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
