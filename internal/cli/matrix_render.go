package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	gomatrix "github.com/goforge/goforge/internal/matrix"
)

// cellText is a cell in a few words: "pass 3/0/1 1.2s (cached)".
func cellText(c gomatrix.Cell) string {
	switch c.Status {
	case gomatrix.StatusSkipped:
		return "skipped"
	case gomatrix.StatusBuildFail:
		return fmt.Sprintf("build failed %.1fs", c.Duration)
	}
	s := fmt.Sprintf("%s %d/%d/%d %.1fs", c.Status, c.Passed, c.Failed, c.Skipped, c.Duration)
	if c.Flaky > 0 {
		s += fmt.Sprintf(" %d flaky", c.Flaky)
	}
	if c.Cached {
		s += " (cached)"
	}
	return s
}

// printGrid prints versions down, targets across, then what went wrong.
func printGrid(w io.Writer, cells []gomatrix.Cell) {
	var targets, versions []string
	byKey := map[[2]string]gomatrix.Cell{}
	for _, c := range cells {
		if !slices.Contains(targets, c.Target) {
			targets = append(targets, c.Target)
		}
		if !slices.Contains(versions, c.Toolchain) {
			versions = append(versions, c.Toolchain)
		}
		byKey[[2]string{c.Toolchain, c.Target}] = c
	}
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintf(tw, "GO\t%s\n", strings.Join(targets, "\t"))
	for _, v := range versions {
		row := []string{v}
		for _, t := range targets {
			row = append(row, cellText(byKey[[2]string{v, t}]))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	fmt.Fprintln(w, "(counts: passed/failed/skipped tests)")
	for _, c := range cells {
		printCellDetail(w, c)
	}
}

func printCellDetail(w io.Writer, c gomatrix.Cell) {
	name := c.Toolchain + " " + c.Target
	switch {
	case c.Status == gomatrix.StatusSkipped:
		fmt.Fprintf(w, "\n%s: skipped: %s\n", name, c.SkipReason)
	case c.Status == gomatrix.StatusBuildFail:
		fmt.Fprintf(w, "\n%s: build failed: %s\n", name, c.BuildError)
	case c.FirstFailure != nil:
		ff := c.FirstFailure
		fmt.Fprintf(w, "\n%s: FAIL %s %s\n", name, ff.Package, ff.Test)
		lines := strings.Split(strings.TrimRight(ff.Output, "\n"), "\n")
		if len(lines) > 20 {
			lines = append(lines[:20], fmt.Sprintf("... (%d more lines)", len(lines)-20))
		}
		for _, l := range lines {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	for _, t := range c.FlakyTests {
		fmt.Fprintf(w, "\n%s: flaky: %s (failed, then passed on a rerun)\n", name, t)
	}
}

// printMin prints --min's verdict and the API that breaks older releases.
func printMin(w io.Writer, res *gomatrix.MinResult) {
	fmt.Fprintln(w, res.Verdict)
	for _, b := range res.Breaks {
		fmt.Fprintf(w, "  %s needs %s (%s)\n", b.Symbol, strings.TrimPrefix(b.Since, "go"), b.Pos)
	}
}
