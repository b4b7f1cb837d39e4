package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/shellhook"
)

func newShellInitCmd() *Command {
	var install, uninstall, noPath bool
	var rc string
	c := NewCommand("shell-init", "[--install|--uninstall] [--rc FILE] [--no-path] bash|zsh|fish|pwsh", "print or install the shell hook that follows project pins", `
Shell-init prints the hook for a shell. Loaded from the rc file, it puts
$GOFORGE_HOME/current/bin and $GOFORGE_HOME/bin (the global default and
the shared GOBIN) on PATH once (not with --no-path), and at each prompt
selects the toolchain the current directory pins (see 'goforge help env'
for the order of pin files): PATH with the pinned GOROOT/bin first,
GOROOT, GOBIN, GOTOOLCHAIN=local and the .goenv's variables. Leaving the
project undoes exactly what the hook set; a variable you changed yourself
in the meantime keeps your value.

The hook runs no process when nothing changed: it compares the directory,
GOFORGE_VERSION and the modification times of the pin files (one stat each,
in shell code) with what it saw last, and runs 'goforge shell-hook' only
when one differs.

  bash  eval "$(goforge shell-init bash)"        runs from PROMPT_COMMAND
  zsh   eval "$(goforge shell-init zsh)"         precmd and chpwd hooks
  fish  goforge shell-init fish | source         fish_prompt event and PWD changes
  pwsh  Invoke-Expression (& goforge shell-init pwsh | Out-String)
                                                 wraps the prompt function

--install writes that line into the shell's rc file (~/.bashrc,
$ZDOTDIR/.zshrc or ~/.zshrc, ~/.config/fish/config.fish, the PowerShell
profile; or --rc FILE) inside one marked block, after copying the file to
FILE.goforge-backup. Installing again changes nothing (or updates the block
in place); --uninstall removes exactly that block, leaving the file as it
was before. A missing or read-only rc file is an error and is not touched;
a write that fails (an immutable file) leaves no backup or other file.`)
	c.Flags.BoolVar(&install, "install", false, "write the hook into the shell's rc file")
	c.Flags.BoolVar(&uninstall, "uninstall", false, "remove the hook from the shell's rc file")
	c.Flags.StringVar(&rc, "rc", "", "the rc `FILE` to edit (default: the shell's own)")
	c.Flags.BoolVar(&noPath, "no-path", false, "do not put the global current/bin and GOBIN on PATH")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if err := shellArgError(c, args); err != nil {
			return err
		}
		if install && uninstall {
			return c.Usagef("--install and --uninstall exclude each other")
		}
		shell := args[0]
		if install || uninstall {
			return editRC(st, shell, rc, install)
		}
		return printShellInit(st, shell, noPath)
	}
	return c
}

func printShellInit(st *Stdio, shell string, noPath bool) error {
	o := shellhook.InitOptions{Goforge: goforgePath()}
	if !noPath {
		h, err := st.Home()
		if err != nil {
			return err
		}
		o.Path = []string{filepath.Join(h.CurrentLink(), "bin"), h.BinDir()}
	}
	script, err := shellhook.Init(shell, o)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(st.Out, script)
	return err
}

func editRC(st *Stdio, shell, rc string, install bool) error {
	if rc == "" {
		var err error
		if rc, err = shellhook.RCFile(shell, st.Getenv); err != nil {
			return err
		}
	}
	if !install {
		backup, err := shellhook.Uninstall(rc)
		if err != nil {
			return err
		}
		if backup == "" {
			fmt.Fprintf(st.Err, "goforge: no goforge block in %s; nothing to remove\n", rc)
			return nil
		}
		fmt.Fprintf(st.Err, "goforge: removed the hook from %s (backup: %s)\n", rc, backup)
		return nil
	}
	backup, err := shellhook.Install(rc, shellhook.Block(shell, goforgePath()))
	if err != nil {
		return err
	}
	if backup == "" {
		fmt.Fprintf(st.Err, "goforge: the hook is already in %s\n", rc)
		return nil
	}
	fmt.Fprintf(st.Err, "goforge: added the hook to %s (backup: %s); start a new shell to load it\n", rc, backup)
	return nil
}

// goforgePath is the absolute path of this goforge command as it was
// invoked (not resolved through symlinks, so that a link such as
// ~/bin/goforge keeps working after an upgrade replaces its target).
func goforgePath() string {
	arg0 := os.Args[0]
	if strings.ContainsRune(arg0, filepath.Separator) || strings.Contains(arg0, "/") {
		if p, err := filepath.Abs(arg0); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath(arg0); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
	}
	if p, err := os.Executable(); err == nil {
		return p
	}
	return "goforge"
}
