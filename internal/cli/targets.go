package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/platform"
)

func newTargetsCmd() *Command {
	var jsonOut, firstClass, cgo, noBroken bool
	c := NewCommand("targets", "[--json] [--first-class] [--cgo] [--no-broken] [PATTERN...]",
		"list the GOOS/GOARCH targets of the active toolchain", `
Targets lists every GOOS/GOARCH pair the active Go toolchain supports, as
its own 'go tool dist list -json -broken' reports them, with whether cgo
is supported there, whether the port is first-class, and whether it is
marked broken. The toolchain is the one the directory pins (as 'goforge
which' shows), else $GOFORGE_GO, else the go on PATH.

Patterns filter the list; they are the patterns 'goforge build --targets'
takes: `+platform.Grammar+`. Unlike build, the list shows broken ports.

Examples:
  goforge targets
  goforge targets --first-class --json
  goforge targets 'linux/*' wasm`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&firstClass, "first-class", false, "only first-class ports")
	c.Flags.BoolVar(&cgo, "cgo", false, "only targets with cgo support")
	c.Flags.BoolVar(&noBroken, "no-broken", false, "leave out ports marked broken")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		r, _, err := st.goRunner(ctx)
		if err != nil {
			return err
		}
		table, err := platform.Load(ctx, r)
		if err != nil {
			return err
		}
		if !jsonOut {
			st.sayToolchain(r, table.GoVersion)
		}
		if len(args) == 0 {
			args = []string{"all"}
		}
		ts, err := table.Select(args, true)
		if err != nil {
			return c.Usagef("%s", err)
		}
		var ports []platform.Port
		for _, t := range ts {
			p, _ := table.Port(t)
			if firstClass && !p.FirstClass || cgo && !p.CgoSupported || noBroken && p.Broken {
				continue
			}
			if n := len(ports); n == 0 || ports[n-1] != p {
				ports = append(ports, p)
			}
		}
		if jsonOut {
			if ports == nil {
				ports = []platform.Port{}
			}
			return writeJSON(st.Out, ports)
		}
		tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TARGET\tCGO\tFIRST-CLASS\tBROKEN")
		for _, p := range ports {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p, yesNo(p.CgoSupported), yesNo(p.FirstClass), yesNo(p.Broken))
		}
		return tw.Flush()
	}
	return c
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "-"
}
