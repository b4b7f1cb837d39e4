package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/goforge/goforge/internal/inspect"
)

func newInspectFuncsCmd() *Command {
	var jsonOut bool
	var pkg, match string
	c := NewCommand("funcs", "[--json] [--package PKG] [--match REGEXP] FILE", "every function: entry, end, size, package, file:line", `
Funcs lists every function in the pclntab with its entry and end address,
size, package, and the file and line of its entry PC (what
'go tool addr2line' reports for it). Stripped binaries list the same.

--package selects one package (or a tree with "/..."), --match a regular
expression on the function name. --json prints
{"funcs":[{"name","entry","end","size","package","file","line"}, ...]}.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Flags.StringVar(&pkg, "package", "", "only functions of package `PKG` (PKG/... for a tree)")
	c.Flags.StringVar(&match, "match", "", "only functions whose name matches `REGEXP`")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 {
			return c.Usagef("want one FILE argument")
		}
		ff := inspect.FuncFilter{Package: pkg}
		if match != "" {
			re, err := regexp.Compile(match)
			if err != nil {
				return c.Usagef("bad --match %q: %v", match, err)
			}
			ff.Match = re
		}
		return withBinary(st, args[0], func(b *inspect.Binary) error {
			// A malformed record stops the walk: print the functions
			// read before it, then the error (exit 1).
			funcs, err := b.Funcs(ff)
			if err != nil && len(funcs) == 0 {
				return err
			}
			bw := bufio.NewWriterSize(st.Out, 64<<10)
			if jsonOut {
				inspect.WriteFuncsJSON(bw, funcs)
			} else {
				inspect.WriteFuncs(bw, funcs)
			}
			return errors.Join(bw.Flush(), err)
		})
	}
	return c
}

func newInspectPCCmd() *Command {
	var jsonOut bool
	c := NewCommand("pc", "[--json] FILE ADDR...", "PC to function and file:line with the inlined call stack", `
Pc resolves each address (hex, as addr2line and nm print them) to its
function and its full logical call stack, innermost first: the inlined
calls decoded from the inline tree, then the function itself.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) < 2 {
			return c.Usagef("want FILE and at least one ADDR")
		}
		var pcs []uint64
		for _, a := range args[1:] {
			pc, err := inspect.ParseAddr(a)
			if err != nil {
				return c.Usagef("%v", err)
			}
			pcs = append(pcs, pc)
		}
		return withBinary(st, args[0], func(b *inspect.Binary) error {
			var res []inspect.PCResult
			failed := false
			for _, pc := range pcs {
				r := b.PC(pc)
				failed = failed || r.Func == ""
				res = append(res, r)
			}
			if jsonOut {
				if err := writeJSON(st.Out, struct {
					PCs []inspect.PCResult `json:"pcs"`
				}{res}); err != nil {
					return err
				}
			} else {
				inspect.WritePCs(st.Out, st.Err, res)
			}
			if failed {
				return &ExitError{Code: 1}
			}
			return nil
		})
	}
	return c
}

func newInspectLineCmd() *Command {
	var jsonOut bool
	c := NewCommand("line", "[--json] FILE SRCFILE:LINE", "file:line to the PCs compiled from it, inlined copies included", `
Line finds every instruction range whose source position is SRCFILE:LINE,
including copies inlined into other functions, with the call stack of
each. SRCFILE is a full path or a suffix such as "main.go" or
"cmd/go/main.go".`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 2 {
			return c.Usagef("want FILE and SRCFILE:LINE")
		}
		file, line, err := inspect.ParseFileLine(args[1])
		if err != nil {
			return c.Usagef("%v", err)
		}
		return withBinary(st, args[0], func(b *inspect.Binary) error {
			ms, err := b.Line(file, line)
			if err != nil {
				return err
			}
			if jsonOut {
				return writeJSON(st.Out, struct {
					Matches []inspect.LineMatch `json:"matches"`
				}{ms})
			}
			if len(ms) == 0 {
				fmt.Fprintf(st.Err, "goforge: no code for %s:%d\n", file, line)
				return &ExitError{Code: 1}
			}
			for _, m := range ms {
				fmt.Fprintf(st.Out, "%#x-%#x %s:%d in %s\n", m.Start, m.End, m.File, m.Line, m.Func)
				for _, fr := range m.Frames[min(1, len(m.Frames)):] {
					fmt.Fprintf(st.Out, "\tcalled from %s %s:%d\n", fr.Func, fr.File, fr.Line)
				}
			}
			return nil
		})
	}
	return c
}

func newInspectFilesCmd() *Command {
	return oneFileCmd("files", "the source file table, with -trimpath detection", `
Files prints the source files the pclntab names, sorted, and says whether
the binary was built with -trimpath (no absolute file names) and, if not,
the GOROOT it was compiled from.`,
		func(st *Stdio, b *inspect.Binary, jsonOut bool) error {
			v, err := b.Files()
			if err != nil {
				return err
			}
			if jsonOut {
				return writeJSON(st.Out, v)
			}
			for _, f := range v.Files {
				fmt.Fprintln(st.Out, f)
			}
			fmt.Fprintf(st.Err, "goforge: %d files, trimpath=%v", len(v.Files), v.Trimpath)
			if v.GOROOT != "" {
				fmt.Fprintf(st.Err, ", GOROOT %s", v.GOROOT)
			}
			fmt.Fprintln(st.Err)
			return nil
		})
}
