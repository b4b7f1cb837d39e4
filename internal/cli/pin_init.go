package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/toolchain"
)

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
	if err := pinenv.InitExists(dir, force); err != nil {
		return err
	}
	h, err := st.Home()
	if err != nil {
		return err
	}
	var inst toolchain.Installed
	if version != "" {
		if inst, err = h.FindWithHint(version); err != nil {
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
	return pinenv.Init(ctx, pinenv.InitRequest{Home: h, Dir: dir, Inst: inst, Version: version, Module: module,
		Force: force, Environ: st.Environ(), Out: st.Out, Err: st.Err})
}
