package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/goenv"
)

func init() { register(newEnvCmd) }

// envHighlights are the variables 'goforge env' shows without --all: the
// ones that decide which toolchain runs, where things go, and what is built.
var envHighlights = []string{
	"GOVERSION", "GOROOT", "GOPATH", "GOBIN", "GOTOOLCHAIN", "GOENV", "GOFLAGS",
	"GOCACHE", "GOMODCACHE", "GOPROXY", "GOSUMDB", "GOPRIVATE", "GOOS", "GOARCH",
	"CGO_ENABLED", "CC", "GOMOD", "GOWORK",
}

func newEnvCmd() *Command {
	var jsonOut, all bool
	c := NewCommand("env", "[--json] [--all]", "show the Go environment and where each value comes from", `
Env shows the Go environment as the go command on PATH sees it from the
current directory, and where each value came from: the process environment
(env), the user's GOENV file written by 'go env -w' (goenv), $GOROOT/go.env
(goroot), or the go command's own default (default). It also lists every go
command on PATH in order, the first being the one that runs, and the
directory 'go install' writes to when GOBIN is empty.

Env runs 'go env -json' once, with GOTOOLCHAIN=local, so looking at the
environment never downloads a toolchain.

--json prints {"go", "go_on_path", "vars": {NAME: {"value","origin"}},
"gobin_effective", "goenv_file", "goroot_env_file"}; every value in "vars"
is what 'go env -json' reports.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&all, "all", false, "show every variable, not just the important ones")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		snap, err := loadSnapshot(ctx)
		if err != nil {
			return err
		}
		if snap.GoEnvErr != nil {
			return fmt.Errorf("reading the Go environment: %w", snap.GoEnvErr)
		}
		r := snap.Report()
		if jsonOut {
			return writeJSON(st.Out, r)
		}
		printEnv(st.Out, r, all, snap.Names())
		return nil
	}
	return c
}

func loadSnapshot(ctx context.Context) (*goenv.Snapshot, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the current directory: %w", err)
	}
	return goenv.Load(ctx, os.Environ(), dir)
}

func printEnv(w io.Writer, r goenv.Report, all bool, names []string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVALUE\tFROM")
	if !all {
		names = envHighlights
	}
	for _, name := range names {
		v, ok := r.Vars[name]
		if !ok {
			continue
		}
		val := v.Value
		if name == "GOBIN" && val == "" {
			val = fmt.Sprintf("(empty: go install writes to %s)", r.GOBINEffective)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, val, v.Origin)
	}
	tw.Flush()
	printEnvFile(w, "GOENV file", r.GOENVFile)
	printEnvFile(w, "GOROOT/go.env", r.GOROOTEnvFile)
	fmt.Fprintln(w, "\ngo on PATH (first runs):")
	for _, g := range r.GoOnPath {
		mark := " "
		if g.Active {
			mark = "*"
		}
		fmt.Fprintf(w, "  %s %s%s\n", mark, g.Path, describeGo(g))
	}
}

func printEnvFile(w io.Writer, label string, f goenv.FileInfo) {
	state := "missing"
	if f.Exists {
		state = fmt.Sprintf("sets %d, in force: %v", len(f.Sets), f.Overrides)
	}
	fmt.Fprintf(w, "\n%s: %s (%s)", label, f.Path, state)
	fmt.Fprintln(w)
}

// describeGo renders what is known about a go binary after its path.
func describeGo(g goenv.GoBinary) string {
	s := ""
	if g.Resolved != "" && g.Resolved != g.Path {
		s += " -> " + g.Resolved
	}
	if g.Version != "" {
		s += " " + g.Version
	}
	if g.GOOS != "" {
		s += fmt.Sprintf(" %s/%s", g.GOOS, g.GOARCH)
	}
	if g.Version == "" && g.GOOS == "" {
		s += " (not a Go binary: a script or wrapper?)"
	}
	return s
}
