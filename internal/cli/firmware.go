package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/goforge/goforge/internal/firmware"
	"github.com/goforge/goforge/internal/firmware/fwimage"
)

func newFirmwareCmd() *Command {
	c := NewCommand("firmware", "<command> [arguments]", "build bare-metal Cortex-M firmware and run it under QEMU", `
Firmware builds bare-metal C firmware for ARM Cortex-M parts with
arm-none-eabi-gcc: 'new' scaffolds a project for a board (startup code with
the vector table, a linker script from the board's memory map, main.c,
board.h), 'build' compiles, links, writes ELF, BIN and Intel HEX and checks
the result, and 'run' runs it under qemu-system-arm with semihosting.

Examples:
  goforge firmware boards
  goforge firmware new blinky --board stm32f407
  goforge firmware build blinky
  goforge firmware run hello`)
	c.Add(newFirmwareBoardsCmd(), newFirmwareNewCmd(), newFirmwareBuildCmd(), newFirmwareRunCmd())
	return c
}

func newFirmwareBoardsCmd() *Command {
	var jsonOut bool
	c := NewCommand("boards", "[--json]", "list the boards firmware knows", `
Boards lists the boards and parts 'firmware new' can scaffold for: their
core, Flash and RAM, and the QEMU machine that models them, if any.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		bs := firmware.Boards()
		if jsonOut {
			return writeJSON(st.Out, bs)
		}
		tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "BOARD\tCORE\tFLASH\tRAM\tQEMU\tDESCRIPTION")
		for _, b := range bs {
			fmt.Fprintf(tw, "%s\t%s\t%s @0x%08x\t%s @0x%08x\t%s\t%s\n", b.Name, b.CoreName,
				kibString(b.Flash.Size), b.Flash.Origin, kibString(b.RAM.Size), b.RAM.Origin, orDash(b.QEMU), b.Description)
		}
		return tw.Flush()
	}
	return c
}

func newFirmwareNewCmd() *Command {
	var board string
	c := NewCommand("new", "--board NAME DIR", "scaffold a firmware project for a board", `
New writes a minimal, correct firmware project into DIR, which must not
exist or be empty: firmware.toml naming the board, board.h with its memory
map, linker.ld placing code in Flash and data in RAM, startup.c with the
vector table and a reset handler that copies .data and zeroes .bss,
semihost.c, and main.c, which prints through semihosting and exits.`)
	c.Flags.StringVar(&board, "board", "", "the board or part (see 'goforge firmware boards')")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 {
			return c.Usagef("want one directory")
		}
		if board == "" {
			return c.Usagef("missing --board")
		}
		if _, err := firmware.LookupBoard(board); err != nil {
			return c.Usagef("--board: %v", err)
		}
		wd, err := st.WorkDir()
		if err != nil {
			return err
		}
		files, err := firmware.NewIn(wd, args[0], board)
		if err != nil {
			return fmt.Errorf("creating firmware project: %w", err)
		}
		b, _ := firmware.LookupBoard(board)
		fmt.Fprintf(st.Out, "created %s for %s (Cortex-%s):\n", args[0], b.Name, b.CoreName)
		for _, f := range files {
			fmt.Fprintf(st.Out, "  %s\n", f)
		}
		return nil
	}
	return c
}

func newFirmwareBuildCmd() *Command {
	var jsonOut bool
	c := NewCommand("build", "[--json] [DIR]", "build firmware: ELF, BIN, HEX, map, checks and sizes", `
Build compiles the project in DIR (default .) with arm-none-eabi-gcc and
the flags of the board's core (-mcpu, -mthumb, -mfloat-abi, -mfpu),
-ffunction-sections -fdata-sections and --gc-sections, and writes
build/NAME.elf, NAME.map, NAME.bin and NAME.hex. It then checks the image:
the vector table's initial SP lies in RAM and is 8-byte aligned, the reset
handler and every other non-zero vector is a Thumb address in Flash,
.data is loaded from Flash, and Flash and RAM use fit the board. Failed
checks exit 1 and leave no BIN or HEX behind.

It reports Flash and RAM use per section and per object file.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	var verbose bool
	c.Flags.BoolVar(&verbose, "v", false, "say on stderr what was built and how long it took (on a terminal, a status line while it builds)")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		req, err := firmwareRequest(c, st, args)
		if err != nil {
			return err
		}
		p := startProgress(st, progressOpts{verb: "building firmware", verbose: verbose})
		defer p.close()
		start := time.Now()
		p.begin(req.Dir)
		res, err := firmware.Make(ctx, req)
		if res != nil {
			p.end(req.Dir, err != nil, fmt.Sprintf("built %s for %s in %s", res.ELF, res.Board.Name, elapsed(time.Since(start))))
		}
		p.close()
		if res != nil && res.Size != nil {
			if jsonOut {
				if jerr := writeJSON(st.Out, res); jerr != nil {
					return jerr
				}
			} else {
				printFirmware(st.Out, res)
			}
		}
		return err
	}
	return c
}

func newFirmwareRunCmd() *Command {
	var timeout time.Duration
	c := NewCommand("run", "[--timeout D] [DIR]", "build firmware and run it under QEMU", `
Run builds the project in DIR (default .) and runs it on the board's
qemu-system-arm machine with semihosting: what the program prints goes to
stdout, and goforge exits with the code the program passes to SYS_EXIT or
SYS_EXIT_EXTENDED. A program still running after --timeout is stopped and
goforge exits 124.`)
	c.Flags.DurationVar(&timeout, "timeout", 10*time.Second, "stop the program after this long")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if timeout <= 0 {
			return c.Usagef("--timeout wants a positive duration (10s, 1m), not %v", timeout)
		}
		req, err := firmwareRequest(c, st, args)
		if err != nil {
			return err
		}
		code, err := firmware.MakeAndRun(ctx, req, firmware.RunOptions{Timeout: timeout, Stdout: st.Out, Stderr: st.Err})
		var te *firmware.TimeoutError
		if errors.As(err, &te) {
			fmt.Fprintf(st.Err, "goforge: %v\n", err)
			return &ExitError{Code: 124}
		}
		if err != nil {
			return err
		}
		if code != 0 {
			return &ExitError{Code: code}
		}
		return nil
	}
	return c
}

// firmwareRequest is the project directory of args (at most one, default
// .) as seen from the command's working directory and environment.
func firmwareRequest(c *Command, st *Stdio, args []string) (firmware.Request, error) {
	if len(args) > 1 {
		return firmware.Request{}, c.Usagef("want at most one directory")
	}
	req := firmware.Request{Dir: ".", Environ: st.Environ()}
	if len(args) == 1 {
		req.Dir = args[0]
	}
	var err error
	req.WorkDir, err = st.WorkDir()
	return req, err
}

func printFirmware(w io.Writer, res *firmware.BuildResult) {
	s := res.Size
	fmt.Fprintf(w, "%s (%s, Cortex-%s: %s)\n", filepath.Base(res.ELF), res.Board.Name, res.Core.Name, strings.Join(res.Core.Flags(), " "))
	for _, r := range []struct {
		name string
		u    fwimage.RegionUse
	}{{"Flash", s.Flash}, {"RAM", s.RAM}} {
		fmt.Fprintf(w, "%-6s %8d of %8d bytes (%5.1f%%)", r.name, r.u.Used, r.u.Size, percent(r.u.Used, r.u.Size))
		if r.u.Over > 0 {
			fmt.Fprintf(w, "  OVER by %d", r.u.Over)
		}
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nSECTION\tADDR\tLOAD\t    SIZE\t   FLASH\t     RAM")
	for _, sec := range s.Sections {
		fmt.Fprintf(tw, "%s\t0x%08x\t0x%08x\t%8d\t%8d\t%8d\n", sec.Name, sec.Addr, sec.LoadAddr, sec.Size, sec.Flash, sec.RAM)
	}
	tw.Flush()
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nOBJECT\t   FLASH\t     RAM")
	for _, o := range s.Objects {
		fmt.Fprintf(tw, "%s\t%8d\t%8d\n", o.Object, o.Flash, o.RAM)
	}
	tw.Flush()
	if res.BIN != "" {
		fmt.Fprintf(w, "\nwrote %s, %s, %s, %s\n", res.ELF, res.BIN, res.HEX, res.Map)
	}
}

func percent(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func kibString(n uint64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
