package cli

import (
	"context"
	"fmt"
)

func newAdoptCmd() *Command {
	var name string
	var jsonOut bool
	c := NewCommand("adopt", "[--name NAME] DIR", "register an existing GOROOT without copying it", `
Adopt registers an existing Go installation, such as /usr/local/go or
Debian's /usr/lib/go-1.19, as a managed version: versions/<name> becomes
a link to DIR. The name is the version DIR's go command reports.
Uninstalling an adopted version removes only the link.`)
	c.Flags.StringVar(&name, "name", "", "register under this name (default: its version, e.g. go1.19.8)")
	c.Flags.BoolVar(&jsonOut, "json", false, "print the adopted version as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 {
			return c.Usagef("want exactly one DIR argument")
		}
		h, err := st.Home()
		if err != nil {
			return err
		}
		inst, err := h.Adopt(ctx, args[0], name)
		if err != nil {
			return err
		}
		if jsonOut {
			return writeJSON(st.Out, installedJSON(inst, false, false))
		}
		fmt.Fprintf(st.Out, "%s\t%s\n", inst.Name, inst.Dir)
		return nil
	}
	return c
}
