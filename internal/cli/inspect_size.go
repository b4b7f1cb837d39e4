package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/inspect"
	"github.com/goforge/goforge/internal/release"
)

func newInspectSizeCmd() *Command {
	var jsonOut, diff bool
	var htmlOut, by string
	var top int
	c := NewCommand("size", "[--json] [--by package|module|class] [--top N] [--html OUT.html] FILE | --diff OLD NEW", "bytes by package, module and class; diff two builds", `
Size attributes the file's bytes to packages: machine code and pclntab
metadata from the function table, read-only and initialized data from the
symbol table when present. What cannot be attributed is shown per section,
and bytes outside sections (headers) as "other", so the rows add up to the
file's size. Sections without file bytes (.bss, .noptrbss) never count.

--diff OLD NEW shows which packages grew between two builds, largest
change first. --html writes a treemap a person can open in a browser.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.BoolVar(&diff, "diff", false, "compare two builds: OLD NEW")
	c.Flags.StringVar(&htmlOut, "html", "", "also write an HTML treemap to `OUT.html`")
	c.Flags.StringVar(&by, "by", "package", "group rows by package, module or class")
	c.Flags.IntVar(&top, "top", 30, "show the N largest rows (0 for all)")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if by != "package" && by != "module" && by != "class" {
			return c.Usagef("bad --by %q (want package, module or class)", by)
		}
		if diff {
			if len(args) != 2 {
				return c.Usagef("--diff wants OLD and NEW")
			}
			return runSizeDiff(st, args[0], args[1], jsonOut, top)
		}
		if len(args) != 1 {
			return c.Usagef("want one FILE argument")
		}
		r, err := sizeOf(st, args[0])
		if err != nil {
			return err
		}
		if htmlOut != "" {
			if err := writeTreemap(htmlOut, r); err != nil {
				return err
			}
		}
		if jsonOut {
			return writeJSON(st.Out, r)
		}
		printSize(st.Out, r, by, top)
		return nil
	}
	return c
}

func sizeOf(st *Stdio, path string) (*inspect.SizeReport, error) {
	var r *inspect.SizeReport
	err := withBinary(st, path, func(b *inspect.Binary) error {
		var err error
		r, err = b.Size()
		return err
	})
	return r, err
}

// writeTreemap writes the HTML treemap through a temporary file, so a
// failed write leaves no half page behind.
func writeTreemap(path string, r *inspect.SizeReport) error {
	err := release.WriteAtomic(path, 0o644, func(w io.Writer) error { return inspect.WriteHTML(w, r) })
	if err != nil {
		return fmt.Errorf("writing treemap: %w", err)
	}
	return nil
}

func printSize(w io.Writer, r *inspect.SizeReport, by string, top int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	switch by {
	case "package":
		fmt.Fprintf(tw, "total\tcode\tpclntab\tdata\tpackage\tclass\t\n")
		for i, p := range r.Packages {
			if top > 0 && i >= top {
				fmt.Fprintf(tw, "\t\t\t\t(%d more packages; --top 0 shows all)\t\t\n", len(r.Packages)-top)
				break
			}
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\t\n", p.Total, p.Code, p.Pclntab, p.Data, p.Package, p.Class)
		}
	default:
		rows := r.Modules
		if by == "class" {
			rows = r.Classes
		}
		fmt.Fprintf(tw, "total\t%s\t\n", by)
		for i, g := range rows {
			if top > 0 && i >= top {
				break
			}
			name := g.Name
			if name == "" {
				name = "(unknown)"
			}
			fmt.Fprintf(tw, "%d\t%s\t\n", g.Total, name)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nunattributed by section:\n")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, s := range r.Sections {
		if s.Unattributed > 0 {
			fmt.Fprintf(tw, "%d\tof %d\t%s\t\n", s.Unattributed, s.FileSize, s.Name)
		}
	}
	fmt.Fprintf(tw, "%d\t\tother (headers, outside sections)\t\n", r.Other)
	tw.Flush()
	note := ""
	if !r.Symbols {
		note = " (no symbol table: data is unattributed)"
	}
	fmt.Fprintf(w, "\nfile size %d bytes%s\n", r.FileSize, note)
}

func runSizeDiff(st *Stdio, oldPath, newPath string, jsonOut bool, top int) error {
	a, err := sizeOf(st, oldPath)
	if err != nil {
		return err
	}
	b, err := sizeOf(st, newPath)
	if err != nil {
		return err
	}
	d := inspect.DiffSizes(a, b)
	if jsonOut {
		return writeJSON(st.Out, d)
	}
	fmt.Fprintf(st.Out, "%s: %d -> %d bytes (%+d)\n", d.New, d.OldSize, d.NewSize, d.Delta)
	tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "delta\told\tnew\tpackage\t\n")
	for i, p := range d.Packages {
		if top > 0 && i >= top {
			fmt.Fprintf(tw, "\t\t\t(%d more)\t\n", len(d.Packages)-top)
			break
		}
		fmt.Fprintf(tw, "%+d\t%d\t%d\t%s\t\n", p.Delta, p.Old, p.New, p.Package)
	}
	return tw.Flush()
}
