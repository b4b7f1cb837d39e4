package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/toolchain"
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
		h, err := toolchain.OpenHome()
		if err != nil {
			return err
		}
		res, err := h.Adopt(ctx, args[0], name)
		if err != nil {
			return err
		}
		if jsonOut {
			return writeJSON(st.Out, installedJSON(res.Installed, false, res.AlreadyInstalled))
		}
		if res.AlreadyInstalled {
			fmt.Fprintf(st.Err, "goforge: %s is already adopted as %s; nothing to do\n", res.Dir, res.Name)
		}
		fmt.Fprintf(st.Out, "%s\t%s\n", res.Name, res.Dir)
		return nil
	}
	return c
}

func newPruneCmd() *Command {
	var dryRun, jsonOut, noModcache bool
	c := NewCommand("prune", "[--dry-run] [--json] [--no-modcache]", "remove superseded versions and the go command's toolchain downloads", `
Prune removes installed versions superseded by a newer patch release of
the same Go line (go1.22.1 once go1.22.5 is installed; never the active
version, never an adopted or source-built one), and the toolchains the go
command itself downloaded into GOMODCACHE for GOTOOLCHAIN switching
(golang.org/toolchain@v0.0.1-go*), which no other tool cleans up.
With --dry-run it only prints what it would remove.`)
	c.Flags.BoolVar(&dryRun, "dry-run", false, "print what would be removed, remove nothing")
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&noModcache, "no-modcache", false, "leave GOMODCACHE alone")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		h, err := toolchain.OpenHome()
		if err != nil {
			return err
		}
		modcache := ""
		if !noModcache {
			modcache = goModCache(ctx)
		}
		items, err := h.PrunePlan(modcache)
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

// goModCache is $GOMODCACHE, else `go env GOMODCACHE`, else GOPATH/pkg/mod.
func goModCache(ctx context.Context) string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	if out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output(); err == nil {
		return strings.TrimSpace(string(out))
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	return filepath.Join(filepath.SplitList(gopath)[0], "pkg", "mod")
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
