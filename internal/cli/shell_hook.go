package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/shellhook"
	"github.com/goforge/goforge/internal/toolchain"
)

func newShellHookCmd() *Command {
	c := NewCommand("shell-hook", "SHELL", "(internal) the hook's work when the directory or a pin file changed", `
Shell-hook is what the hook installed by 'goforge shell-init' runs when
the directory, GOFORGE_VERSION or a pin file changed since the last
prompt. It prints, in SHELL's syntax, the commands that undo what the hook
set before (from $GOFORGE_HOOK_STATE) and select the pinned toolchain and
the .goenv's variables, plus the list of files the hook watches.

Problems with the pin (a malformed .goenv, a version that is not
installed) are said once on stderr; the environment then stays as it was
outside the project. Shell-hook always exits 0 so that the prompt works.`)
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 || !shellhook.ValidShell(args[0]) {
			return c.Usagef("want one SHELL argument: %s", strings.Join(shellhook.Shells, ", "))
		}
		return runShellHook(ctx, st, args[0])
	}
	return c
}

func runShellHook(ctx context.Context, st *Stdio, shell string) error {
	sc, err := st.shellContext()
	if err != nil {
		return err
	}
	env, base, prev, dir, h := sc.env, sc.base, sc.prev, sc.dir, sc.home
	getenv := func(k string) string { return env[k] }
	delete(base, shellhook.StateVar)
	s, perr := pinenv.Resolve(ctx, st.pinRequest(h, dir, func(k string) string { return base[k] }))
	final, next := base, shellhook.State{}
	if perr == nil || errors.As(perr, new(*pinenv.NotInstalledError)) {
		s.FillEnv(h, base, false)
		if s.Project {
			final, next = shellhook.Apply(base, s.Prepend, s.Vars)
		}
	}
	if s.HasInst && s.Project && s.Res.Pin.Kind != pin.KindGlobal {
		next.Version, next.Source = s.Inst.Name, s.Res.Pin.Source()
	}
	if perr != nil {
		next.Warned = perr.Error()
		if next.Warned != prev.Warned {
			fmt.Fprintf(st.Err, "goforge: %v\n", perr)
		}
	} else if next.Version != "" && (next.Version != prev.Version || next.Source != prev.Source) {
		fmt.Fprintf(st.Err, "goforge: %s (%s)\n", next.Version, next.Source)
	}
	next.Dir = dir
	if enc := next.Encode(); enc != "" {
		final[shellhook.StateVar] = enc
	}
	return emitHook(st, shell, h, dir, env, final, getenv("GOFORGE_VERSION"))
}

// emitHook prints the changes from env to final and the hook's watch
// state for dir.
func emitHook(st *Stdio, shell string, h *toolchain.Home, dir string, env, final map[string]string, ver string) error {
	var b strings.Builder
	for _, c := range shellhook.Diff(env, final) {
		if c.Key == "PWD" || c.Key == "OLDPWD" || c.Key == "_" || c.Key == "SHLVL" {
			continue
		}
		b.WriteString(shellhook.Export(shell, c) + "\n")
	}
	w := shellhook.StatAll(append(pin.WatchList(dir), h.Dir(), h.VersionsDir()))
	stamp := ""
	if shell != "pwsh" {
		var err error
		if stamp, err = shellhook.Stamp(stampDir(), w.Newest); err != nil {
			// Without a stamp the hook still notices cd and pin files
			// appearing or vanishing, just not edits.
			fmt.Fprintf(st.Err, "goforge: %v; edits of pin files will be noticed at the next cd\n", err)
		}
	}
	b.WriteString(shellhook.Fresh(shell, dir, ver, stamp, w))
	_, err := st.Out.Write([]byte(b.String()))
	return err
}

// stampDir holds the hook's stamp files.
func stampDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "goforge", "hook-stamps-"+strconv.Itoa(os.Getuid()))
}
