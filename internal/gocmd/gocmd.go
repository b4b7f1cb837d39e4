// Package gocmd is the one place goforge starts the go command. A Runner
// names the go binary, the environment it starts from and how it was
// chosen; every run sets GOTOOLCHAIN=local (goforge chose the toolchain,
// the go command must not switch to another) and a failed run's error
// carries the command's own stderr.
package gocmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/procgroup"
)

// A Runner runs one go command.
type Runner struct {
	// Go is the path of the go binary.
	Go string
	// Env is the environment runs start from; nil means the process's.
	Env []string
	// Source says how Go was chosen, for messages: "pinned by
	// .go-version:1", "$GOFORGE_GO", "PATH".
	Source string
}

// An Invocation is one run of the go command.
type Invocation struct {
	// Args follow "go": {"env", "-json"}, {"build", "-o", ...}.
	Args []string
	// Dir is the working directory; "" means the process's.
	Dir string
	// Env holds settings added on top of the runner's environment.
	Env []string
	// Stdout, when set, receives the output instead of Run's result.
	Stdout io.Writer
	// Stderr, when set, also receives the command's stderr as it runs.
	Stderr io.Writer
}

// An Error is a failed run of the go command.
type Error struct {
	Args   []string
	Err    error
	Stderr string // trimmed
}

func (e *Error) Error() string {
	verb := "go"
	if len(e.Args) > 0 {
		verb += " " + e.Args[0]
	}
	if e.Stderr == "" {
		return fmt.Sprintf("running %s: %v", verb, e.Err)
	}
	return fmt.Sprintf("running %s: %v: %s", verb, e.Err, e.Stderr)
}

func (e *Error) Unwrap() error { return e.Err }

// Environ is the environment inv runs with: the runner's, then inv.Env,
// then GOTOOLCHAIN=local (later entries win).
func (r *Runner) Environ(inv Invocation) []string {
	base := r.Env
	if base == nil {
		base = os.Environ()
	}
	env := append(append([]string(nil), base...), inv.Env...)
	return append(env, "GOTOOLCHAIN=local")
}

// Run runs the go command and returns its standard output (nil when
// inv.Stdout is set).
func (r *Runner) Run(ctx context.Context, inv Invocation) ([]byte, error) {
	cmd := exec.CommandContext(ctx, r.Go, inv.Args...)
	cmd.Dir = inv.Dir
	cmd.Env = r.Environ(inv)
	if tmp := workDir(cmd.Env, inv.Args); tmp != "" {
		defer os.RemoveAll(tmp)
		cmd.Env = append(cmd.Env, "GOTMPDIR="+tmp)
	}
	var out, stderr bytes.Buffer
	cmd.Stdout = &out
	if inv.Stdout != nil {
		cmd.Stdout = inv.Stdout
	}
	cmd.Stderr = &stderr
	if inv.Stderr != nil {
		cmd.Stderr = io.MultiWriter(&stderr, inv.Stderr)
	}
	// In a process group of its own: cancelling ctx stops the compile and
	// link processes the go command started, not just the go command.
	if err := procgroup.Run(cmd); err != nil {
		return nil, &Error{Args: inv.Args, Err: err, Stderr: strings.TrimSpace(stderr.String())}
	}
	if inv.Stdout != nil {
		return nil, nil
	}
	return out.Bytes(), nil
}

// GoEnv runs 'go env -json KEYS...' in dir and returns the values; every
// caller reads go env through here, in this one shape.
func (r *Runner) GoEnv(ctx context.Context, dir string, keys ...string) (map[string]string, error) {
	out, err := r.Run(ctx, Invocation{Args: append([]string{"env", "-json"}, keys...), Dir: dir})
	if err != nil {
		return nil, err
	}
	vals := map[string]string{}
	if err := json.Unmarshal(out, &vals); err != nil {
		return nil, fmt.Errorf("reading the output of %s env -json: %w", r.Go, err)
	}
	return vals, nil
}

// Lookup chooses the go command without a pin: $GOFORGE_GO when set,
// else "go" on the PATH of getenv (not necessarily the process's).
func Lookup(getenv func(string) string) (*Runner, error) {
	if p := getenv("GOFORGE_GO"); p != "" {
		return &Runner{Go: p, Source: "$GOFORGE_GO"}, nil
	}
	p, err := LookPath("go", getenv("PATH"))
	if err != nil {
		return nil, fmt.Errorf("finding the go command: %w (install Go, pin a version, or set GOFORGE_GO)", err)
	}
	return &Runner{Go: p, Source: "PATH"}, nil
}

// LookPath finds an executable named name in the directories of path
// (a PATH value), like exec.LookPath but for a given PATH. A name with a
// path separator is returned as it is.
func LookPath(name, path string) (string, error) {
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
	return "", fmt.Errorf("%s: %w in PATH", name, exec.ErrNotFound)
}

func exeSuffixes() []string {
	if filepath.Separator == '\\' {
		return []string{".exe", ".bat", ".cmd", ""}
	}
	return []string{""}
}

// Output is the go command's own words about a failed run: its stderr
// when it wrote any, else err's text.
func Output(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Stderr != "" {
		return e.Stderr
	}
	return err.Error()
}

// Getenv reads key from the environment runs start from.
func (r *Runner) Getenv(key string) string {
	if r.Env == nil {
		return os.Getenv(key)
	}
	return Getenv(r.Env, key)
}

// Getenv reads key from env, a KEY=VALUE list in which the last entry
// for a key wins (as in os/exec).
func Getenv(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}
