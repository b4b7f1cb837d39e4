package firmware

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/goforge/goforge/internal/gocmd"
)

// Request is one 'goforge firmware build' or 'run': the project and the
// caller's environment, whose PATH finds the tools and which they run
// with.
type Request struct {
	Dir     string // the project directory; relative to WorkDir
	WorkDir string
	Environ []string
}

func (r Request) lookPath(name string) (string, error) {
	return gocmd.LookPath(name, gocmd.Getenv(r.Environ, "PATH"))
}

// Make loads and builds the project of req. A result with a size report
// comes back even when the checks fail.
func Make(ctx context.Context, req Request) (*BuildResult, error) {
	abs := req.Dir
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(req.WorkDir, abs)
	}
	p, err := loadProject(abs, req.Dir)
	if err != nil {
		return nil, fmt.Errorf("building firmware: %w", err)
	}
	tools, err := FindTools(req.lookPath)
	if err != nil {
		return nil, fmt.Errorf("building firmware: %w", err)
	}
	tools.Env = req.Environ
	res, err := Build(ctx, tools, p)
	if err != nil {
		return res, fmt.Errorf("building firmware for %s: %w", p.Board.Name, err)
	}
	return res, nil
}

// MakeAndRun builds the project of req and runs it under QEMU (see Run),
// returning the program's exit code.
func MakeAndRun(ctx context.Context, req Request, o RunOptions) (int, error) {
	res, err := Make(ctx, req)
	if err != nil {
		return 0, err
	}
	if o.LookPath == nil {
		o.LookPath = req.lookPath
	}
	return Run(ctx, res.Board, res.ELF, o)
}
