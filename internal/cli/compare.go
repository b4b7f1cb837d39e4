package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/goforge/goforge/internal/platform"
	"github.com/goforge/goforge/internal/units"
	"github.com/goforge/goforge/internal/xbuild"
)

func newCompareCmd() *Command {
	var cmp xbuild.CompareRequest
	var tags, sets listFlag
	var jsonOut, verbose bool
	c := NewCommand("compare", "[flags] [package]", "compare build flag sets: size, build time, start-up time", compareLong)
	fs := c.Flags
	addCompareFlags(fs, &cmp, &sets)
	fs.Var(&tags, "tags", "build tags for every set")
	fs.StringVar(&cmp.RunArgs, "run-args", "", "arguments for timing the start-up (default \"--version\")")
	fs.BoolVar(&jsonOut, "json", false, "print the report as JSON")
	fs.BoolVar(&verbose, "v", false, "print a line per measured flag set to stderr when it is not a terminal (a terminal gets one status line)")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		cmp.Tags, cmp.Sets = tags, sets
		return runCompare(ctx, c, st, cmp, jsonOut, verbose, args)
	}
	return c
}

// addCompareFlags declares the flags only comparing has, for both
// 'goforge compare' and 'goforge build --compare'.
func addCompareFlags(fs *flag.FlagSet, cmp *xbuild.CompareRequest, sets *listFlag) {
	fs.Var(sets, "set", "a flag set NAME=FLAGS, repeatable (replaces the standard sets)")
	fs.StringVar(&cmp.Target, "target", "", "the one target to build for: "+platform.Grammar+" (default: this machine)")
	fs.IntVar(&cmp.Runs, "startup-runs", 20, "runs to time the start-up")
	fs.BoolVar(&cmp.Warm, "warm", false, "time builds with the build cache instead of from scratch (-a)")
}

const compareLong = `
Compare builds one main package once per flag set, for one target, one
build after another so the timings do not disturb each other, and reports
each output's size (and its ratio to the default build), the build time
and, for targets this machine runs, the median start-up time.

The standard sets are the plain build, -ldflags=-s -w, -trimpath,
-gcflags=all=-l, -buildmode=pie and, for amd64, GOAMD64=v2..v4. --set
replaces them (the plain build stays first): "NAME=FLAGS", where FLAGS are
split at spaces like a shell would, so a value with spaces is quoted
with ' or " (-ldflags="-s -w", as the go command's -ldflags takes it),
and UPPER_CASE=value words are environment settings. --tags applies to every set. 'goforge build --compare' is the
same command.

Examples:
  goforge compare ./cmd/app
  goforge compare --warm --set 'small=-ldflags="-s -w" -trimpath' ./cmd/app
  goforge compare --target linux/arm64 --json .`

func runCompare(ctx context.Context, c *Command, st *Stdio, req xbuild.CompareRequest, jsonOut, verbose bool, args []string) error {
	if len(args) > 1 {
		return c.Usagef("compare takes one package, got %d", len(args))
	}
	if len(args) == 1 {
		req.Package = args[0]
	}
	r, dir, err := st.goRunner(ctx)
	if err != nil {
		return err
	}
	req.Dir = dir
	tc, cmp, err := xbuild.PrepareCompare(ctx, r, req)
	if err != nil {
		return usageIfBad(c, err)
	}
	if !jsonOut || verbose {
		st.sayToolchain(r, tc.Version())
	}
	if showProgress(st, jsonOut, verbose) {
		how := "from scratch (-a)"
		if req.Warm {
			how = "with the build cache"
		}
		st.say("comparing %d flag sets for %s on %s, building %s", len(cmp.Sets), cmp.Package, cmp.Target, how)
	}
	p := startProgress(st, progressOpts{verb: "comparing", total: len(cmp.Sets), verbose: verbose})
	defer p.close()
	cmp.Progress = func(set xbuild.FlagSet, r *xbuild.CompareResult) { compareEvent(p, set, r) }
	results, err := xbuild.Compare(ctx, tc, dir, cmp)
	p.close()
	if err != nil {
		return err
	}
	rep := xbuild.CompareReport{Package: cmp.Package, Target: cmp.Target.String(), GoVersion: tc.Version(), Cold: cmp.Cold, Results: results}
	if jsonOut {
		return writeJSON(st.Out, rep)
	}
	rep.WriteText(st.Out)
	for _, r := range results {
		if r.Error != "" {
			return fmt.Errorf("flag set %q did not build", r.Name)
		}
	}
	return nil
}

// compareEvent reports a flag set's start (r is nil) and end to p.
func compareEvent(p *progress, set xbuild.FlagSet, r *xbuild.CompareResult) {
	switch {
	case r == nil:
		p.begin(set.Name)
	case r.Error != "":
		p.end(set.Name, true, set.Name+": failed")
	default:
		p.end(set.Name, false, fmt.Sprintf("%s: %s, built in %.1fs", set.Name, units.Bytes(r.Size), r.BuildSeconds))
	}
}
