package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/inspect"
)

func newInspectCmd() *Command {
	var jsonOut bool
	c := NewCommand("inspect", "[--json] FILE | <view> [flags] FILE", "read a Go binary: build info, functions, lines, linkage, size", `
Inspect reads any Go binary - ELF, PE or Mach-O, 32 or 64 bit, stripped or
not, built by Go 1.2 to today - down to the pclntab, the runtime's PC-line
table that -s -w never strips. Without a view it prints a summary.

Views: info, linkage, funcs, pc, line, files, size. Each takes --json.

  goforge inspect ./app
  goforge inspect funcs --package main ./app
  goforge inspect pc ./app 0x4a1f20
  goforge inspect line ./app main.go:42
  goforge inspect size --diff old/app new/app`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 {
			// 'inspect VIEW FILE' with a VIEW that is not one: name it
			// rather than complain about the argument count.
			return c.Usagef("unknown view %q (views: %s)", args[0], viewNames(c))
		}
		if len(args) != 1 {
			return c.Usagef("want one FILE argument")
		}
		return withBinary(st, args[0], func(b *inspect.Binary) error {
			s := b.Summary()
			if jsonOut {
				return writeJSON(st.Out, s)
			}
			printSummary(st.Out, s)
			return nil
		})
	}
	c.Add(newInspectInfoCmd(), newInspectLinkageCmd(), newInspectFuncsCmd(), newInspectPCCmd(),
		newInspectLineCmd(), newInspectFilesCmd(), newInspectSizeCmd())
	return c
}

func viewNames(c *Command) string {
	var names []string
	for _, s := range c.Subcommands {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// withBinary opens path, reports its warnings on stderr and runs fn.
func withBinary(st *Stdio, path string, fn func(*inspect.Binary) error) error {
	b, err := inspect.Open(path)
	if err != nil {
		return err
	}
	defer b.Close()
	for _, w := range b.Warnings {
		fmt.Fprintf(st.Err, "goforge: warning: %s\n", w)
	}
	return fn(b)
}

func printSummary(w io.Writer, s *inspect.Summary) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s (%d bytes)\n", s.Path, s.FileSize)
	fmt.Fprintf(tw, "format\t%s %s/%s\n", s.Format, s.OS, s.Arch)
	if s.GoVersion != "" {
		fmt.Fprintf(tw, "go\t%s\n", s.GoVersion)
	}
	if s.Main != "" {
		fmt.Fprintf(tw, "main\t%s\n", s.Main)
	}
	fmt.Fprintf(tw, "linkage\t%s\n", map[bool]string{true: "static", false: "dynamic"}[s.Static])
	fmt.Fprintf(tw, "stripped\t%s\n", stripped(s.Symbols, s.DWARF))
	if s.Pclntab != "" {
		fmt.Fprintf(tw, "pclntab\t%s format, %d functions, %d files\n", s.Pclntab, s.Funcs, s.Files)
	}
	tw.Flush()
}

// stripped says what was stripped: -w removes DWARF, -s the symbol table
// (and DWARF with it); a binary can lack one and keep the other.
func stripped(symbols, dwarf bool) string {
	switch {
	case symbols && dwarf:
		return "no (symbol table and DWARF present)"
	case symbols:
		return "partly (no DWARF; symbol table kept)"
	case dwarf:
		return "partly (no symbol table; DWARF kept)"
	}
	return "yes (no symbol table, no DWARF)"
}

// oneFileCmd builds a view taking --json and one FILE.
func oneFileCmd(name, short, long string, run func(st *Stdio, b *inspect.Binary, jsonOut bool) error) *Command {
	var jsonOut bool
	c := NewCommand(name, "[--json] FILE", short, long)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 {
			return c.Usagef("want one FILE argument")
		}
		return withBinary(st, args[0], func(b *inspect.Binary) error { return run(st, b, jsonOut) })
	}
	return c
}

func newInspectInfoCmd() *Command {
	return oneFileCmd("info", "build info, object format, build ID, sections", `
Info prints the build information exactly as 'go version -m' does (Go
version, module path, main module, dependencies with sums, build settings),
then the object format, architecture, byte order, PIE, what was stripped,
the build IDs, where the pclntab is, and the sections with their file sizes.`,
		func(st *Stdio, b *inspect.Binary, jsonOut bool) error {
			in := b.Info()
			if jsonOut {
				return writeJSON(st.Out, in)
			}
			printInfo(st.Out, b, in)
			return nil
		})
}

func printInfo(w io.Writer, b *inspect.Binary, in *inspect.Info) {
	if m := b.GoVersionM(); m != "" {
		fmt.Fprint(w, m)
	} else {
		fmt.Fprintf(w, "%s: no Go build info\n", in.Path)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nformat\t%s %s/%s, %s-endian, %d-bit, pie=%v\n", in.Format, in.OS, in.Arch, in.Endian, in.PtrSize*8, in.PIE)
	fmt.Fprintf(tw, "stripped\t%s\n", stripped(in.Symbols, in.DWARF))
	if in.BuildID != "" {
		fmt.Fprintf(tw, "build id\t%s\n", in.BuildID)
	}
	if in.GNUBuildID != "" {
		fmt.Fprintf(tw, "gnu build id\t%s\n", in.GNUBuildID)
	}
	if p := in.Pclntab; p != nil {
		fmt.Fprintf(tw, "pclntab\t%s format (magic %s) at %#x in %s (found by %s), %d bytes\n", p.Format, p.Magic, p.Addr, p.Section, p.FoundBy, p.Size)
		fmt.Fprintf(tw, "text start\t%#x (from %s)\n", p.TextStart, p.TextStartFrom)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nsections (%d bytes in file):\n", in.FileSize)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "name\tkind\taddr\tsize\tfile bytes\t\n")
	for _, s := range in.Sections {
		fmt.Fprintf(tw, "%s\t%s\t%#x\t%d\t%d\t\n", s.Name, s.Kind, s.Addr, s.Size, s.FileSize)
	}
	tw.Flush()
}

func newInspectLinkageCmd() *Command {
	return oneFileCmd("linkage", "static or dynamic, interpreter, libraries, cgo, linker", `
Linkage answers "is this really static?": whether the program needs a
dynamic loader (ELF PT_INTERP) or shared libraries (ELF DT_NEEDED, PE
imports, Mach-O load commands), whether runtime/cgo is linked in, which
linker produced it (Go's or an external C linker), PIE, RELRO and NX.`,
		func(st *Stdio, b *inspect.Binary, jsonOut bool) error {
			v := b.Linkage()
			if jsonOut {
				return writeJSON(st.Out, v)
			}
			tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "%s\t%s\n", v.Path, v.Verdict)
			if v.Interp != "" {
				fmt.Fprintf(tw, "interpreter\t%s\n", v.Interp)
			}
			fmt.Fprintf(tw, "needed\t%s\n", orNone(strings.Join(v.Needed, ", ")))
			fmt.Fprintf(tw, "cgo\t%v (CGO_ENABLED=%s)\n", v.Cgo, orNone(v.CgoEnabled))
			linker := v.Linker
			if v.ExternalLinker != "" {
				linker += " (" + v.ExternalLinker + ")"
			} else if v.LinkerEvidence != "" {
				linker += " (evidence: " + v.LinkerEvidence + ")"
			}
			fmt.Fprintf(tw, "linker\t%s\n", linker)
			fmt.Fprintf(tw, "pie\t%v\n", v.PIE)
			if v.RELRO != "" {
				fmt.Fprintf(tw, "relro\t%s\n", v.RELRO)
			}
			fmt.Fprintf(tw, "nx\t%v\n", v.NX)
			return tw.Flush()
		})
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
