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
Adopting DIR again under the name it has is a no-op; another directory
under an existing name is an error. Uninstalling an adopted version
removes only the link.`)
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
		res, err := h.Adopt(ctx, args[0], name)
		if err != nil {
			return err
		}
		if jsonOut {
			return writeJSON(st.Out, res.Installed.Report(false, res.AlreadyInstalled))
		}
		if res.AlreadyInstalled {
			fmt.Fprintf(st.Err, "goforge: %s is already adopted as %s; nothing to do\n", res.Dir, res.Name)
		}
		fmt.Fprintf(st.Out, "%s\t%s\n", res.Name, res.Dir)
		return nil
	}
	return c
}
