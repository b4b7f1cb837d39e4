package cli

import (
	"context"
	"io"

	"github.com/goforge/goforge/internal/pinenv"
	"github.com/goforge/goforge/internal/shellhook"
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
		if err := shellArgError(c, args); err != nil {
			return err
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
	delete(sc.base, shellhook.StateVar)
	req := st.pinRequest(sc.home, sc.dir, func(k string) string { return sc.base[k] })
	final, note := pinenv.HookStep(ctx, req, sc.base, sc.prev)
	if note != "" {
		st.say("%s", note)
	}
	script, err := pinenv.HookScript(shell, sc.home, sc.dir, sc.env, final, sc.env["GOFORGE_VERSION"])
	if err != nil {
		// Without a stamp the hook still notices cd and pin files
		// appearing or vanishing, just not edits.
		st.say("%v; edits of pin files will be noticed at the next cd", err)
	}
	_, err = io.WriteString(st.Out, script)
	return err
}
