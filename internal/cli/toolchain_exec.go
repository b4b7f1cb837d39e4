package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/pinenv"
)

func newExecCmd() *Command {
	c := NewCommand("exec", "VERSION [--] COMMAND [ARGS...]", "run a command with an installed toolchain", `
Exec runs COMMAND with the installed VERSION (1.19 means the newest
installed 1.19.x): GOROOT is set to it, its bin directory and the shared
GOBIN come first on PATH, GOBIN points at the shared GOBIN and
GOTOOLCHAIN=local. The command's exit status is passed through.

  goforge exec 1.19 -- go version`)
	c.RawArgs = true
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 && args[1] == "--" {
			args = append(args[:1:1], args[2:]...)
		}
		if len(args) < 2 {
			return c.Usagef("want VERSION and a COMMAND to run")
		}
		h, inst, err := openInstalled(st, args[0])
		if err != nil {
			return err
		}
		return execWith(ctx, st, pinenv.ToolchainEnv(h, inst, st.Environ()), args[1], args[2:])
	}
	return c
}

// execWith runs name (looked up in env's PATH, not goforge's) and passes
// its exit status through.
func execWith(ctx context.Context, st *Stdio, env []string, name string, args []string) error {
	path, err := lookPathIn(name, envValue(env, "PATH"))
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, st.In, st.Out, st.Err
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code := exit.ExitCode()
		if code < 0 {
			code = 1
		}
		return &ExitError{Code: code}
	}
	if err != nil {
		return fmt.Errorf("running %s: %w", name, err)
	}
	return nil
}

func envValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// lookPathIn finds an executable like exec.LookPath but in the given PATH.
func lookPathIn(name, path string) (string, error) {
	if strings.ContainsRune(name, os.PathSeparator) || strings.Contains(name, "/") {
		return name, nil
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		for _, ext := range exeSuffixes() {
			p := filepath.Join(dir, name+ext)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() && (fi.Mode()&0o111 != 0 || ext != "") {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("command %q not found in the toolchain's PATH", name)
}

func exeSuffixes() []string {
	if filepath.Separator == '\\' {
		return []string{".exe", ".bat", ".cmd", ""}
	}
	return []string{""}
}
