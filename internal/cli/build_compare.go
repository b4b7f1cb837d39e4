package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/xbuild"
)

// compareReport is the schema of 'goforge build --compare --json'.
type compareReport struct {
	Package   string                 `json:"package"`
	Target    string                 `json:"target"`
	GoVersion string                 `json:"go_version"`
	Cold      bool                   `json:"cold"`
	Results   []xbuild.CompareResult `json:"results"`
}

func runCompare(ctx context.Context, c *Command, st *Stdio, f *buildFlags, args []string) error {
	if len(args) > 1 {
		return c.Usagef("--compare takes one package, got %d", len(args))
	}
	goCmd, err := xbuild.GoCommand(os.Getenv)
	if err != nil {
		return err
	}
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	tc, err := xbuild.LoadToolchain(ctx, goCmd, dir)
	if err != nil {
		return err
	}
	pkgArg := []string{"."}
	if len(args) == 1 {
		pkgArg = args
	}
	pkgs, err := xbuild.ResolvePackages(ctx, tc, dir, pkgArg)
	if err != nil {
		return err
	}
	target := tc.Host()
	if f.compareTarget != "" {
		ps, err := tc.Platforms(ctx)
		if err != nil {
			return err
		}
		ts, err := xbuild.ParseTargets([]string{f.compareTarget}, ps, target)
		if err != nil || len(ts) != 1 {
			return c.Usagef("--target wants one os/arch: %v", err)
		}
		target = ts[0]
	}
	cmp := xbuild.Comparison{Package: pkgs[0].ImportPath, Target: target, Cold: !f.warm, Runs: f.startupRuns, Args: []string{"--version"}}
	if f.runArgs != "" {
		cmp.Args = strings.Fields(f.runArgs)
	}
	if cmp.Sets, err = compareSets(f, target); err != nil {
		return c.Usagef("%s", err)
	}
	if !f.jsonOut {
		how := "from scratch (-a)"
		if f.warm {
			how = "with the build cache"
		}
		fmt.Fprintf(st.Err, "goforge: comparing %d flag sets for %s on %s, building %s\n", len(cmp.Sets), cmp.Package, target, how)
	}
	results, err := xbuild.Compare(ctx, tc, dir, cmp)
	if err != nil {
		return err
	}
	rep := compareReport{Package: cmp.Package, Target: target.String(), GoVersion: tc.Version(), Cold: cmp.Cold, Results: results}
	if f.jsonOut {
		return writeJSON(st.Out, rep)
	}
	printCompareTable(st, rep)
	for _, r := range results {
		if r.Error != "" {
			return fmt.Errorf("flag set %q did not build", r.Name)
		}
	}
	return nil
}

func compareSets(f *buildFlags, target xbuild.Target) ([]xbuild.FlagSet, error) {
	if len(f.sets) == 0 {
		return xbuild.DefaultFlagSets(target.GOARCH), nil
	}
	sets := []xbuild.FlagSet{{Name: "default"}}
	for _, s := range f.sets {
		fs, err := xbuild.ParseFlagSet(s)
		if err != nil {
			return nil, err
		}
		if fs.Name == "default" && len(fs.Flags)+len(fs.Env) == 0 {
			continue
		}
		sets = append(sets, fs)
	}
	return sets, nil
}

func printCompareTable(st *Stdio, rep compareReport) {
	tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SET\tSIZE\tvs default\tBUILD\tSTART-UP\tNOTE")
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t%s\n", r.Name, firstLine(r.Error))
			continue
		}
		startup := "-"
		if r.StartupRuns > 0 {
			startup = fmt.Sprintf("%.2fms", r.StartupSeconds*1000)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.1fs\t%s\t%s\n", r.Name, humanBytes(r.Size), r.SizeRatio, r.BuildSeconds, startup, r.Note)
	}
	tw.Flush()
}
