package cli

import (
	"context"
	"fmt"

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
			return c.Usagef("unknown view %q (views: %s)", args[0], c.SubcommandNames())
		}
		if len(args) != 1 {
			return c.Usagef("want one FILE argument")
		}
		return withBinary(st, args[0], func(b *inspect.Binary) error {
			s := b.Summary()
			if jsonOut {
				return writeJSON(st.Out, s)
			}
			inspect.WriteSummary(st.Out, s)
			return nil
		})
	}
	c.Add(newInspectInfoCmd(), newInspectLinkageCmd(), newInspectFuncsCmd(), newInspectPCCmd(),
		newInspectLineCmd(), newInspectFilesCmd(), newInspectSizeCmd())
	return c
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
			inspect.WriteInfo(st.Out, b, in)
			return nil
		})
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
			return inspect.WriteLinkage(st.Out, v)
		})
}
