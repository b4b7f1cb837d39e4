package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/toolchain"
)

// openInstalled opens the goforge home and finds the installed version
// that query names.
func openInstalled(st *Stdio, query string) (*toolchain.Home, toolchain.Installed, error) {
	h, err := st.Home()
	if err != nil {
		return nil, toolchain.Installed{}, err
	}
	inst, err := h.FindWithHint(query)
	return h, inst, err
}

func newUseCmd() *Command {
	c := NewCommand("use", "[--local] VERSION", "make an installed version the global default", `
Use switches the global default: it points the 'current' link of the
goforge home at the installed VERSION (1.22 means the newest installed
1.22.x). The link is replaced atomically, so a shell running go at that
moment sees the old or the new version, never none. Put
$GOFORGE_HOME/current/bin and $GOFORGE_HOME/bin on PATH.

With --local, Use pins VERSION for the current directory instead: it sets
GO_VERSION in ./.goenv (or rewrites ./.go-version when that is the pin
file here; else it creates ./.goenv). See 'goforge help shell-init'.`)
	var local bool
	c.Flags.BoolVar(&local, "local", false, "pin VERSION for the current directory (./.goenv) instead")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 {
			return c.Usagef("want exactly one VERSION argument")
		}
		if local {
			return runUseLocal(st, args[0])
		}
		h, inst, err := openInstalled(st, args[0])
		if err != nil {
			return err
		}
		if err := h.Use(inst.Name); err != nil {
			return err
		}
		fmt.Fprintf(st.Err, "goforge: now using %s (%s)\n", inst.Name, inst.Dir)
		return nil
	}
	return c
}

func newUninstallCmd() *Command {
	var force bool
	c := NewCommand("uninstall", "[--force] VERSION", "remove an installed version", `
Uninstall removes an installed version (1.22 means the newest installed
1.22.x). Unless --force is given it refuses the active version, the one
'goforge list' marks with '*' (the pin of the current directory, else the
global default), and the global default, which is active wherever no pin
applies. For an adopted GOROOT only goforge's link is removed, never the
directory.`)
	c.Flags.BoolVar(&force, "force", false, "remove even the active version")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 {
			return c.Usagef("want exactly one VERSION argument")
		}
		h, inst, err := openInstalled(st, args[0])
		if err != nil {
			return err
		}
		if !force {
			if err := checkNotActive(st, h, inst); err != nil {
				return err
			}
		}
		if err := h.Remove(inst.Name); err != nil {
			return err
		}
		fmt.Fprintf(st.Err, "goforge: removed %s\n", inst.Name)
		return nil
	}
	return c
}

// checkNotActive refuses to remove inst when it is the active version
// (as 'list' marks it) or the global default, naming why.
func checkNotActive(st *Stdio, h *toolchain.Home, inst toolchain.Installed) error {
	active, reason, ok, err := activeVersion(st, h)
	if err != nil {
		return err
	}
	if ok && active.Name == inst.Name {
		hint := "switch with 'goforge use' first"
		if strings.HasPrefix(reason, "pinned by ") {
			hint = "change that pin"
		}
		return fmt.Errorf("%s is the active version (%s); %s or pass --force", inst.Name, reason, hint)
	}
	if cur, ok, _ := h.Current(); ok && cur.Name == inst.Name {
		return fmt.Errorf("%s is the global default (%s); switch with 'goforge use' first or pass --force", inst.Name, h.CurrentLink())
	}
	return nil
}

func newWhichCmd() *Command {
	var version string
	c := NewCommand("which", "[--version VERSION] [go|gofmt|TOOL]", "print the path of a tool of the active toolchain", `
Which prints the absolute path of go (the default), gofmt, or a tool in
pkg/tool of the active version, or of --version VERSION.`)
	c.Flags.StringVar(&version, "version", "", "use this installed version instead of the active one")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 {
			return c.Usagef("unexpected argument %q", args[1])
		}
		tool := "go"
		if len(args) == 1 {
			tool = args[0]
		}
		h, err := st.Home()
		if err != nil {
			return err
		}
		inst, err := selectedVersion(ctx, st, h, version)
		if err != nil {
			return err
		}
		p, err := pinenv.ToolPath(inst, tool)
		if err != nil {
			return err
		}
		fmt.Fprintln(st.Out, p)
		return nil
	}
	return c
}

// selectedVersion is the version named by query, or the one the working
// directory's pin selects (see pinenv.Selected).
func selectedVersion(ctx context.Context, st *Stdio, h *toolchain.Home, query string) (toolchain.Installed, error) {
	if query != "" {
		return h.FindWithHint(query)
	}
	dir, err := st.WorkDir()
	if err != nil {
		return toolchain.Installed{}, err
	}
	inst, err := pinenv.Selected(ctx, st.pinRequest(h, dir, st.Getenv))
	if errors.Is(err, pinenv.ErrNoActive) {
		err = errors.New("no active version (run 'goforge use VERSION' or pass --version)")
	}
	return inst, err
}

// runUseLocal writes the pin of the current directory ('goforge use
// --local VERSION').
func runUseLocal(st *Stdio, query string) error {
	dir, err := st.WorkDir()
	if err != nil {
		return err
	}
	path, err := pinenv.SetLocal(dir, query)
	if err != nil {
		return err
	}
	note := ""
	if h, err := st.Home(); err == nil {
		note = pinenv.InstalledNote(h, query)
	}
	st.say("%s pins go %s%s", path, query, note)
	return nil
}
