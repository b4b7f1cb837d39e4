package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/goforge/goforge/internal/ciconf"
)

func newCICmd() *Command {
	var versions string
	var check, force bool
	c := NewCommand("ci", "github|gitlab [--go LIST] [--check | --force]",
		"write CI workflows with a Go version matrix from go.mod", `
CI writes .github/workflows/go.yml (github) or .gitlab-ci.yml (gitlab) for
the module in the current directory: a test job over Go versions from
go.mod's go line to the newest release (or the --go LIST), on Linux, macOS
and Windows for GitHub; module and build caches keyed on go.sum; a lint job
when the module has a golangci-lint configuration; and, when the module has
main packages, a release job on tags that installs this goforge with
'go install' and runs 'goforge build'.

The newest release is the newest the module proxy lists, else the newest
installed, else the Go that built goforge.

A file at that path is replaced only when goforge wrote it and nobody has
edited it since: its header records a SHA-256 of its other lines, and a
file whose lines no longer match it, or one without goforge's header, is
left byte for byte as it is and ci exits 1. --force replaces it anyway.

--check writes nothing: it prints how the existing file differs from what
would be generated and exits 1 when they differ.`)
	c.Flags.StringVar(&versions, "go", "", "Go versions to test: `LIST` such as 1.22,1.23 (default: go.mod's go line to the newest release)")
	c.Flags.BoolVar(&check, "check", false, "report drift from what would be generated; exit 1 if any")
	c.Flags.BoolVar(&force, "force", false, "replace a workflow goforge did not write or that was edited since")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 || (args[0] != "github" && args[0] != "gitlab") {
			return c.Usagef("want github or gitlab")
		}
		if check && force {
			return c.Usagef("--check writes nothing: it does not go with --force")
		}
		var list []string
		if flagSet(c, "go") {
			var err error
			if list, err = ciconf.ParseVersions(versions); err != nil {
				return c.Usagef("--go: %v", err)
			}
		}
		return runCI(ctx, st, ciconf.Request{Kind: args[0], Versions: list, Check: check, Force: force})
	}
	return c
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(c *Command, name string) bool {
	set := false
	c.Flags.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runCI(ctx context.Context, st *Stdio, req ciconf.Request) error {
	wd, err := st.WorkDir()
	if err != nil {
		return err
	}
	req.WorkDir = wd
	// The newest release is only a default: without a home, ci falls
	// back to the Go that built goforge.
	if h, err := st.Home(); err == nil {
		req.Home = h
		req.Installer, _ = newInstaller(h, st, "")
	}
	res, err := ciconf.Write(ctx, req)
	switch {
	case err != nil:
		return err
	case res.Diff != "":
		fmt.Fprint(st.Out, res.Diff)
		return fmt.Errorf("%s differs from what 'goforge ci %s' generates", res.Path, req.Kind)
	case req.Check:
		st.say("%s is up to date", res.Path)
	default:
		fmt.Fprintf(st.Out, "%s\n", res.Path)
	}
	return nil
}
