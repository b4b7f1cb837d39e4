package pinenv

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/pin"
)

// GoRunner chooses the go command for r.Dir the way 'goforge which' does,
// and returns a runner whose environment is environ with the pin's
// settings applied (the same ones 'env --shell' and the hooks export).
// The order: the directory's project pin when an installed version
// satisfies it, then $GOFORGE_GO, then the global default ('goforge
// use'), then go on PATH. A pin that cannot be used (malformed, or
// nothing installed satisfies it) is passed over with a note through
// r.Notify (silently for a go line's minimum: the go on PATH may meet
// it, and the go command says so when it does not).
func GoRunner(ctx context.Context, r Request, environ []string) (*gocmd.Runner, error) {
	base := goenv.EnvironMap(environ)
	getenv := func(k string) string { return base[k] }
	if r.Getenv == nil {
		r.Getenv = getenv
	}
	s, err := Resolve(ctx, r)
	var notInstalled *NotInstalledError
	switch {
	case errors.As(err, &notInstalled):
		s.HasInst = false
		if !notInstalled.Pin.Minimum {
			note(r, fmt.Sprintf("%s; using another go", err))
		}
	case err != nil:
		note(r, fmt.Sprintf("ignoring the pin here: %v", err))
		s = Setup{}
	}
	project := s.HasInst && s.Res.Pin.Kind != pin.KindGlobal
	if !project && getenv("GOFORGE_GO") != "" {
		s.HasInst = false
	}
	s.FillEnv(r.Home, base, true)
	env := s.Environ(base)
	if s.HasInst {
		exe := "go"
		if runtime.GOOS == "windows" {
			exe += ".exe"
		}
		return &gocmd.Runner{Go: filepath.Join(s.Inst.Dir, "bin", exe), Env: env, Source: s.Source(r.Home)}, nil
	}
	run, err := gocmd.Lookup(getenv)
	if err != nil {
		return nil, err
	}
	run.Env = env
	return run, nil
}

func note(r Request, msg string) {
	if r.Notify != nil {
		r.Notify(msg)
	}
}
