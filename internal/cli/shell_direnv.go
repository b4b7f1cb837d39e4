package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goforge/goforge/internal/shellhook"
)

func newDirenvCmd() *Command {
	c := NewCommand("direnv", "install|print", "the direnv helper: 'use goforge' in an .envrc", `
Direnv install writes $XDG_CONFIG_HOME/direnv/lib/goforge.sh (by default
~/.config/direnv/lib/goforge.sh), which direnv loads before every .envrc.
It defines use_goforge, so an .envrc can say

  use goforge          # the version this directory pins (.goenv, .go-version, go.mod, ...)
  use goforge 1.22     # the newest installed 1.22.x

and direnv then sets PATH, GOROOT, GOBIN, GOTOOLCHAIN=local and the
.goenv's variables, as 'goforge env --shell bash' prints them, and reloads
when any pin file changes (watch_file on each of them, in the directory
and every parent). Direnv print writes the helper to stdout instead.`)
	install := NewCommand("install", "", "write ~/.config/direnv/lib/goforge.sh", "")
	install.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return install.Usagef("unexpected argument %q", args[0])
		}
		p, err := direnvLibPath(st)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("installing the direnv helper: %w", err)
		}
		if err := os.WriteFile(p, []byte(shellhook.DirenvLib(goforgePath())), 0o644); err != nil {
			return fmt.Errorf("installing the direnv helper: %w", err)
		}
		fmt.Fprintf(st.Err, "goforge: wrote %s; put 'use goforge' in an .envrc and run 'direnv allow'\n", p)
		return nil
	}
	print := NewCommand("print", "", "print the direnv helper", "")
	print.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return print.Usagef("unexpected argument %q", args[0])
		}
		_, err := fmt.Fprint(st.Out, shellhook.DirenvLib(goforgePath()))
		return err
	}
	c.Add(install, print)
	return c
}

// direnvLibPath is where direnv looks for helper libraries.
func direnvLibPath(st *Stdio) (string, error) {
	config := st.Getenv("XDG_CONFIG_HOME")
	if config == "" || !filepath.IsAbs(config) {
		home, err := st.homeDir()
		if err != nil {
			return "", fmt.Errorf("locating direnv's lib directory: %w", err)
		}
		config = filepath.Join(home, ".config")
	}
	return filepath.Join(config, "direnv", "lib", "goforge.sh"), nil
}
