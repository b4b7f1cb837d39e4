package cli

import (
	"context"
	"fmt"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/toolchain"
)

func newPruneCmd() *Command {
	var dryRun, jsonOut, noModcache bool
	c := NewCommand("prune", "[--dry-run] [--json] [--no-modcache]", "remove superseded versions and the go command's toolchain downloads", `
Prune removes installed versions superseded by a newer patch release of
the same Go line (go1.22.1 once go1.22.5 is installed), and the toolchains the go
command itself downloaded into GOMODCACHE for GOTOOLCHAIN switching
(golang.org/toolchain@v0.0.1-go*), which no other tool cleans up.

It never removes the active version, the one 'goforge list' marks with
'*' (the pin of the current directory, else the global default), nor the
global default, nor an adopted or source-built version.
With --dry-run it only prints what it would remove.`)
	c.Flags.BoolVar(&dryRun, "dry-run", false, "print what would be removed, remove nothing")
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&noModcache, "no-modcache", false, "leave GOMODCACHE alone")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		h, err := st.Home()
		if err != nil {
			return err
		}
		modcache := ""
		if !noModcache {
			modcache = goModCache(ctx, st)
		}
		active, _, _, err := activeVersion(st, h)
		if err != nil {
			return err
		}
		items, err := h.PrunePlan(modcache, active.Name)
		if err != nil {
			return err
		}
		if !dryRun {
			if err := h.Prune(items); err != nil {
				return err
			}
		}
		return printPrune(st, items, dryRun, jsonOut)
	}
	return c
}

// goModCache is $GOMODCACHE, else the go command's, else GOPATH/pkg/mod.
func goModCache(ctx context.Context, st *Stdio) string {
	r, _, err := st.goRunner(ctx)
	if err != nil {
		r = nil
	}
	return goenv.ModCache(ctx, r, st.Getenv)
}

func printPrune(st *Stdio, items []toolchain.PruneItem, dryRun, jsonOut bool) error {
	if jsonOut {
		if items == nil {
			items = []toolchain.PruneItem{}
		}
		return writeJSON(st.Out, struct {
			DryRun bool                  `json:"dry_run"`
			Items  []toolchain.PruneItem `json:"items"`
		}{dryRun, items})
	}
	verb := "removed"
	if dryRun {
		verb = "would remove"
	}
	var total int64
	for _, it := range items {
		total += it.Bytes
		fmt.Fprintf(st.Out, "%s %s\t%s\t%s (%s)\n", verb, it.Kind, it.Name, mb(it.Bytes), it.Reason)
	}
	fmt.Fprintf(st.Err, "goforge: %s %d item(s), %s\n", verb, len(items), mb(total))
	return nil
}
