package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/shellhook"
	"github.com/goforge/goforge/internal/toolchain"
)

// Stdio is what a command reads, writes and runs in. Results go to Out,
// diagnostics and progress to Err. Commands take the environment, the
// working directory and the goforge home from here, never from the
// process, so tests can run commands side by side.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Env is the environment the command sees; nil means the process's.
	Env []string
	// Dir is the working directory; "" means the process's.
	Dir string
}

// Environ is the command's environment as KEY=VALUE entries.
func (st *Stdio) Environ() []string {
	if st.Env == nil {
		return os.Environ()
	}
	return st.Env
}

// Getenv is os.Getenv over the command's environment.
func (st *Stdio) Getenv(key string) string {
	if st.Env == nil {
		return os.Getenv(key)
	}
	return gocmd.Getenv(st.Env, key)
}

// WorkDir is the directory the user is in: $PWD when it names the
// working directory (it keeps symlinks, as the shell shows them), else
// the physical one.
func (st *Stdio) WorkDir() (string, error) {
	wd := st.Dir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return "", fmt.Errorf("finding the current directory: %w", err)
		}
	}
	if p := st.Getenv("PWD"); filepath.IsAbs(p) {
		a, errA := os.Stat(p)
		b, errB := os.Stat(wd)
		if errA == nil && errB == nil && os.SameFile(a, b) {
			return filepath.Clean(p), nil
		}
	}
	return filepath.Abs(wd)
}

// Home opens the goforge home named by the command's environment.
func (st *Stdio) Home() (*toolchain.Home, error) {
	dir, err := toolchain.HomeDir(st.Getenv)
	if err != nil {
		return nil, err
	}
	return toolchain.OpenHomeAt(dir)
}

// say writes one diagnostic line, "goforge: ...", to Err.
func (st *Stdio) say(format string, args ...any) {
	fmt.Fprintf(st.Err, "goforge: "+format+"\n", args...)
}

// pinRequest is the pin resolution of the working directory, installing
// what the pin needs when GOFORGE_AUTO_INSTALL=1.
func (st *Stdio) pinRequest(h *toolchain.Home, dir string, getenv func(string) string) pinenv.Request {
	return pinenv.Request{
		Home: h, Dir: dir, Getenv: getenv,
		Notify: func(msg string) { st.say("%s", msg) },
		Install: func(ctx context.Context, q string) error {
			in, err := newInstaller(h, st, "")
			if err != nil {
				return err
			}
			p := startProgress(st, progressOpts{verb: "installing " + q})
			defer p.close()
			installEvents(in, p, true)
			_, err = in.Install(ctx, toolchain.Request{Query: q})
			return err
		},
	}
}

// goRunner chooses the go command for the working directory: its pin,
// then $GOFORGE_GO, the global default, then PATH (see pinenv.GoRunner).
func (st *Stdio) goRunner(ctx context.Context) (*gocmd.Runner, string, error) {
	dir, err := st.WorkDir()
	if err != nil {
		return nil, "", err
	}
	h, err := st.Home()
	if err != nil {
		return nil, "", err
	}
	r, err := pinenv.GoRunner(ctx, st.pinRequest(h, dir, nil), st.Environ())
	return r, dir, err
}

// sayToolchain tells which go a command used and why it was chosen, when
// a pin or the global default chose another go than PATH's (or
// $GOFORGE_GO's): the go command says nothing on success, and a go the
// user picked needs no announcement.
func (st *Stdio) sayToolchain(r *gocmd.Runner, version string) {
	if !pinnedGo(r.Source) || st.isPathGo(r.Go) {
		return
	}
	st.say("using %s (%s, from %s)", version, r.Go, r.Source)
}

// isPathGo reports whether goBin is the go a shell would run from $PATH
// (the same file, through symbolic links): a pin that picks it changes
// nothing worth a line.
func (st *Stdio) isPathGo(goBin string) bool {
	p, err := gocmd.LookPath("go", st.Getenv("PATH"))
	if err != nil {
		return false
	}
	a, err1 := filepath.EvalSymlinks(p)
	b, err2 := filepath.EvalSymlinks(goBin)
	return err1 == nil && err2 == nil && a == b
}

// homeDir is the user's home directory, from $HOME.
func (st *Stdio) homeDir() (string, error) {
	if h := st.Getenv("HOME"); h != "" {
		return h, nil
	}
	return "", fmt.Errorf("finding the home directory: $HOME is not set")
}

// shellContext is what the shell-facing commands start from.
type shellContext struct {
	env  map[string]string // the command's environment
	base map[string]string // env without what a shell hook set
	prev shellhook.State   // what the hook recorded setting
	dir  string
	home *toolchain.Home
}

func (st *Stdio) shellContext() (*shellContext, error) {
	sc := &shellContext{env: goenv.EnvironMap(st.Environ())}
	sc.prev = shellhook.DecodeState(sc.env[shellhook.StateVar])
	sc.base = shellhook.Restore(sc.env, sc.prev)
	var err error
	if sc.dir, err = st.WorkDir(); err != nil {
		return nil, err
	}
	if sc.home, err = st.Home(); err != nil {
		return nil, err
	}
	return sc, nil
}
