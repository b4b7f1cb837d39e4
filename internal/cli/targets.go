package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/targets"
)

func newTargetsCmd() *Command {
	var jsonOut, firstClass, cgo, noBroken bool
	c := NewCommand("targets", "[--json] [--first-class] [--cgo] [--no-broken] [PATTERN...]",
		"list the GOOS/GOARCH targets of the active toolchain", `
Targets lists every GOOS/GOARCH pair the active Go toolchain supports, as
its own 'go tool dist list -json -broken' reports them, with whether cgo
is supported there, whether the port is first-class, and whether it is
marked broken. Patterns filter the list: "linux/*", "*/arm64", a bare
GOOS or GOARCH ("windows", "riscv64"), "first-class" or "all".

Examples:
  goforge targets
  goforge targets --first-class --json
  goforge targets 'linux/*' wasm`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&firstClass, "first-class", false, "only first-class ports")
	c.Flags.BoolVar(&cgo, "cgo", false, "only targets with cgo support")
	c.Flags.BoolVar(&noBroken, "no-broken", false, "leave out ports marked broken")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		all, err := targets.Load(ctx, "go")
		if err != nil {
			return err
		}
		ts, err := targets.Filter{Patterns: args, FirstClass: firstClass, Cgo: cgo, NoBroken: noBroken}.Apply(all)
		if err != nil {
			return err
		}
		if jsonOut {
			return writeJSON(st.Out, nonNil(ts))
		}
		tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TARGET\tCGO\tFIRST-CLASS\tBROKEN")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t, yesNo(t.CgoSupported), yesNo(t.FirstClass), yesNo(t.Broken))
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
