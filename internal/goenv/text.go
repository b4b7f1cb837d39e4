package goenv

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Highlights are the variables 'goforge env' shows without --all: the
// ones that decide which toolchain runs, where things go, and what is built.
var Highlights = []string{
	"GOVERSION", "GOROOT", "GOPATH", "GOBIN", "GOTOOLCHAIN", "GOENV", "GOFLAGS",
	"GOCACHE", "GOMODCACHE", "GOPROXY", "GOSUMDB", "GOPRIVATE", "GOOS", "GOARCH",
	"CGO_ENABLED", "CC", "GOMOD", "GOWORK",
}

// WriteText writes the report for people: the variables (all of names,
// or the highlights) with their origin, the env files, every go on PATH.
func (r Report) WriteText(w io.Writer, all bool, names []string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVALUE\tFROM")
	if !all {
		names = Highlights
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
	fmt.Fprintln(w)
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

func printEnvFile(w io.Writer, label string, f FileInfo) {
	state := "missing"
	if f.Exists {
		state = "sets " + listOrNone(f.Sets) + "; in force: " + listOrNone(f.Overrides)
	}
	fmt.Fprintf(w, "%-14s %s (%s)\n", label, f.Path, state)
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// describeGo renders what is known about a go binary after its path.
func describeGo(g GoBinary) string {
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
