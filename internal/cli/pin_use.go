package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/toolchain"
)

// runUseLocal writes the pin of the current directory ('goforge use
// --local VERSION'): GO_VERSION in ./.goenv when there is one, else
// ./.go-version when there is one, else a new ./.goenv.
func runUseLocal(st *Stdio, query string) error {
	if _, ok := pin.NormalizeQuery(query); !ok {
		return fmt.Errorf("%q is not a Go version (want 1.22.5, 1.22 or latest)", query)
	}
	dir, err := st.WorkDir()
	if err != nil {
		return fmt.Errorf("finding the current directory: %w", err)
	}
	goenvPath := filepath.Join(dir, pin.GoenvName)
	goVersion := filepath.Join(dir, ".go-version")
	var path string
	var data []byte
	switch old, err := os.ReadFile(goenvPath); {
	case err == nil:
		if data, err = pin.SetGoVersion(goenvPath, old, query); err != nil {
			return err
		}
		path = goenvPath
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("reading %s: %w", goenvPath, err)
	case fileExists(goVersion):
		path, data = goVersion, []byte(query+"\n")
	default:
		path, data = goenvPath, []byte(`GO_VERSION="`+query+`"`+"\n")
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing the pin: %w", err)
	}
	fmt.Fprintf(st.Err, "goforge: %s pins go %s%s\n", path, query, installedNote(st, query))
	return nil
}

// installedNote says which installed version satisfies query, or how to
// install one.
func installedNote(st *Stdio, query string) string {
	h, err := st.Home()
	if err != nil {
		return ""
	}
	v, _ := pin.NormalizeQuery(query)
	cs, _, err := pinenv.Candidates(h)
	if err != nil {
		return ""
	}
	if c, ok := pin.Choose(pin.Pin{Query: query, Version: v}, cs); ok {
		return " (" + c.Name + ")"
	}
	return "; it is not installed: run 'goforge install " + query + "'"
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func newInitCmd() *Command {
	var version string
	var force bool
	c := NewCommand("init", "[--version VERSION] [--force] [MODULE]", "start a project with a pinned Go version", `
Init writes a .goenv into the current directory pinning the Go version
(--version, else the version the directory resolves to now: its go.mod's
go line or the global default), with the other settings .goenv takes as
commented-out examples. When there is no go.mod, it then runs
'go mod init MODULE' (MODULE defaults to the directory's name) with the
pinned toolchain. It refuses to replace an existing .goenv without --force.`)
	c.Flags.StringVar(&version, "version", "", "pin this `VERSION` (1.22.5, 1.22)")
	c.Flags.BoolVar(&force, "force", false, "replace an existing .goenv")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 {
			return c.Usagef("unexpected argument %q", args[1])
		}
		dir, err := st.WorkDir()
		if err != nil {
			return fmt.Errorf("finding the current directory: %w", err)
		}
		module := filepath.Base(dir)
		if len(args) == 1 {
			module = args[0]
		}
		return runInit(ctx, st, dir, version, module, force)
	}
	return c
}

func runInit(ctx context.Context, st *Stdio, dir, version, module string, force bool) error {
	path := filepath.Join(dir, pin.GoenvName)
	if fileExists(path) && !force {
		return fmt.Errorf("%s already exists (change its version with 'goforge use --local VERSION', or pass --force)", path)
	}
	h, err := st.Home()
	if err != nil {
		return err
	}
	var inst toolchain.Installed
	if version != "" {
		if inst, err = findInstalled(h, version); err != nil {
			return err
		}
	} else {
		s, err := pinenv.Resolve(ctx, st.pinRequest(h, dir, st.Getenv))
		if err != nil {
			return err
		}
		if !s.HasInst {
			return fmt.Errorf("no Go version to pin: pass --version VERSION (see 'goforge list')")
		}
		inst, version = s.Inst, strings.TrimPrefix(s.Inst.Meta.Version, "go")
	}
	if err := os.WriteFile(path, []byte(pin.GoenvTemplate(version)), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	fmt.Fprintf(st.Err, "goforge: wrote %s pinning go %s (%s)\n", path, version, inst.Name)
	if fileExists(filepath.Join(dir, "go.mod")) {
		return nil
	}
	gobin, err := toolPath(inst, "go")
	if err != nil {
		return err
	}
	r := &gocmd.Runner{Go: gobin, Env: pinenv.ToolchainEnv(h, inst, st.Environ())}
	inv := gocmd.Invocation{Args: []string{"mod", "init", module}, Dir: dir, Stdout: st.Out, Stderr: st.Err}
	if _, err := r.Run(ctx, inv); err != nil {
		return fmt.Errorf("running go mod init %s: %w", module, err)
	}
	return nil
}
