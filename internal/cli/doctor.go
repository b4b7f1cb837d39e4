package cli

import (
	"context"
	"fmt"

	"github.com/goforge/goforge/internal/doctor"
)

func newDoctorCmd() *Command {
	var jsonOut bool
	c := NewCommand("doctor", "[--json]", "diagnose the Go installation and environment", `
Doctor checks that Go is installed and configured the way the go command
needs, and says how to fix what is not:

  go-on-path, go-multiple   a go command on PATH; which wins when there are several
  go-arch                   go is built for this machine, not run under emulation
  go-version, go-env, go-help
                            the go command reports its version, and go env and go help work
  goos-goarch               GOOS/GOARCH match this machine
  goroot                    GOROOT, when set, exists and belongs to the go on PATH
  gobin-on-path             'go install'ed tools can be found
  gotoolchain               go will not silently download another toolchain here
                            (GOTOOLCHAIN against the nearest go.work / go.mod)
  pin                       the project's goforge pin (.goenv, .go-version,
                            .tool-versions, go.mod toolchain/go lines) is
                            well-formed, installed, and not older than go.mod needs
  pin-active                the go a shell runs here (the first on PATH) is the
                            toolchain the pin selects (fails for a pin file,
                            warns for a go.mod line or the global default)
  cgo                       CGO_ENABLED=1 has a working C compiler
  dir-gopath, dir-gocache, dir-gomodcache
                            writable, with disk space to spare

Each check passes, warns or fails; a failure carries a one-line fix.
Doctor exits 1 when any check fails. With no go on PATH, the checks that
need no go command (pin, pin-active, the directories at go's defaults)
still run, and the fix is computed from what goforge has installed. It runs the go command twice, at the
same time, with GOTOOLCHAIN=local, so a diagnosis never downloads anything.

--json prints {"ok": bool, "checks": [{"id","status","summary","fix"}]}.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		dir, err := st.WorkDir()
		if err != nil {
			return fmt.Errorf("finding the current directory: %w", err)
		}
		facts, err := doctor.Gather(ctx, st.Environ(), dir)
		if err != nil {
			return fmt.Errorf("gathering facts: %w", err)
		}
		results := doctor.Check(facts)
		failed := doctor.Failed(results)
		if jsonOut {
			err = writeJSON(st.Out, doctor.Report{OK: !failed, Checks: results})
		} else {
			doctor.WriteText(st.Out, results)
		}
		if err == nil && failed {
			err = &ExitError{Code: 1}
		}
		return err
	}
	return c
}
