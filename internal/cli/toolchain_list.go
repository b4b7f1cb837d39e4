package cli

import (
	"context"
	"fmt"
	"runtime"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/toolchain"
)

func newListCmd() *Command {
	var (
		jsonOut, remote bool
		goos, goarch    string
		mirror          string
	)
	c := NewCommand("list", "[--json] [--remote [QUERY]]", "list installed Go toolchains (or those available)", `
List prints the installed versions, newest first, marking the active one
with '*' and saying why it is active. With --remote it lists what the
module proxy (or the mirror) offers for this platform (or --os/--arch),
optionally only those matching QUERY: 1.22 (every 1.22.x), 1.22.5, or
latest (the newest release). An exact version that the proxy's list
leaves out is asked about alone (its .info), as install fetches it. As
with the go command, a QUERY nothing matches is an error (exit 1).

The goforge home ($GOFORGE_HOME, else $XDG_DATA_HOME/goforge, else
~/.local/share/goforge) holds versions/<name>/ (one GOROOT each; an
adopted GOROOT is a symlink), meta/<name>.json, the 'current' link,
bin/ (the shared GOBIN), tmp/ and locks/.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&remote, "remote", false, "list versions the proxy or mirror offers")
	c.Flags.StringVar(&goos, "os", runtime.GOOS, "with --remote, the GOOS")
	c.Flags.StringVar(&goarch, "arch", runtime.GOARCH, "with --remote, the GOARCH")
	c.Flags.StringVar(&mirror, "mirror", "", "with --remote, list this go.dev/dl-style mirror")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 || (len(args) == 1 && !remote) {
			return c.Usagef("unexpected argument %q", args[len(args)-1])
		}
		h, err := st.Home()
		if err != nil {
			return err
		}
		if remote {
			query := ""
			if len(args) == 1 {
				query = args[0]
			}
			if err := checkQuery(c, query); err != nil {
				return err
			}
			return listRemote(ctx, st, h, mirror, query, goos, goarch, jsonOut)
		}
		return listInstalled(st, h, jsonOut)
	}
	return c
}

// activeVersion returns the active version and why it is active; see
// pinenv.Active.
func activeVersion(st *Stdio, h *toolchain.Home) (toolchain.Installed, string, bool, error) {
	dir, err := st.WorkDir()
	if err != nil {
		return toolchain.Installed{}, "", false, err
	}
	return pinenv.Active(h, dir, st.Getenv)
}

func listInstalled(st *Stdio, h *toolchain.Home, jsonOut bool) error {
	list, err := h.List()
	if err != nil {
		return err
	}
	active, reason, _, err := activeVersion(st, h)
	if err != nil {
		return err
	}
	if jsonOut {
		out := []toolchain.Report{}
		for _, inst := range list {
			v := inst.Report(inst.Name == active.Name, false)
			if v.Active {
				v.ActiveReason = reason
			}
			out = append(out, v)
		}
		return writeJSON(st.Out, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(st.Err, "goforge: no versions installed (try 'goforge install latest')")
		return nil
	}
	tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
	for _, inst := range list {
		mark, note := " ", ""
		if inst.Name == active.Name {
			mark, note = "*", "  ("+reason+")"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s%s\n", mark, inst.Name, inst.Platform(), inst.Meta.Origin, inst.Dir, note)
	}
	return tw.Flush()
}

func listRemote(ctx context.Context, st *Stdio, h *toolchain.Home, mirror, query, goos, goarch string, jsonOut bool) error {
	in, err := newInstaller(h, st, mirror)
	if err != nil {
		return err
	}
	list, err := in.RemoteVersions(ctx, query, goos, goarch)
	if err != nil {
		return err
	}
	if jsonOut {
		if list == nil {
			list = []toolchain.Remote{}
		}
		return writeJSON(st.Out, list)
	}
	for _, r := range list {
		fmt.Fprintf(st.Out, "%s\t%s/%s\t%s\n", r.Version, r.GOOS, r.GOARCH, r.Source)
	}
	return nil
}

// checkQuery makes a malformed version query a usage error (exit 2), as
// the go command treats a malformed version in "go install pkg@vX": the
// query is what was typed wrong, not something that failed.
func checkQuery(c *Command, query string) error {
	if query == "" || query == "latest" || toolchain.NormalizeVersion(query) != "" {
		return nil
	}
	return c.Usagef("invalid version %q (want 1.22, 1.22.5, go1.22.5, 1.23rc1 or latest)", query)
}
