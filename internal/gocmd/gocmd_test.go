package gocmd

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeGo writes a shell script named go into a new directory: it prints
// its arguments and GOTOOLCHAIN, and fails with a message on stderr when
// its first argument is "fail".
func fakeGo(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell for the fake go command")
	}
	dir := t.TempDir()
	script := `#!/bin/sh
if [ "$1" = fail ]; then echo "go: something broke" >&2; exit 3; fi
if [ "$1" = env ]; then echo '{"GOVERSION":"go1.99.0","GOTOOLCHAIN":"'"$GOTOOLCHAIN"'"}'; exit 0; fi
echo "args: $* GOTOOLCHAIN=$GOTOOLCHAIN X=$X"
`
	p := filepath.Join(dir, "go")
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunEnvironment(t *testing.T) {
	r := &Runner{Go: fakeGo(t), Env: []string{"PATH=" + os.Getenv("PATH"), "GOTOOLCHAIN=go1.30.0+auto", "X=base"}}
	out, err := r.Run(context.Background(), Invocation{Args: []string{"list", "./..."}, Env: []string{"X=job", "GOTOOLCHAIN=auto"}})
	if err != nil {
		t.Fatal(err)
	}
	// The invocation's settings win over the runner's; GOTOOLCHAIN=local
	// wins over both.
	if got, want := strings.TrimSpace(string(out)), "args: list ./... GOTOOLCHAIN=local X=job"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	vals, err := r.GoEnv(context.Background(), "", "GOVERSION")
	if err != nil || vals["GOVERSION"] != "go1.99.0" || vals["GOTOOLCHAIN"] != "local" {
		t.Errorf("GoEnv = %v, %v", vals, err)
	}
}

func TestRunErrorKeepsStderr(t *testing.T) {
	r := &Runner{Go: fakeGo(t), Env: []string{"PATH=" + os.Getenv("PATH")}}
	var live strings.Builder
	_, err := r.Run(context.Background(), Invocation{Args: []string{"fail"}, Stderr: &live})
	var gerr *Error
	if !errors.As(err, &gerr) || gerr.Stderr != "go: something broke" {
		t.Fatalf("err = %v, want an *Error with the stderr", err)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("the exit status is lost: %v", err)
	}
	if !strings.Contains(err.Error(), "running go fail: exit status 3: go: something broke") {
		t.Errorf("message %q", err)
	}
	if live.String() != "go: something broke\n" {
		t.Errorf("stderr was not passed on as it ran: %q", live.String())
	}
	if got := Output(err); got != "go: something broke" {
		t.Errorf("Output = %q", got)
	}
	if _, err := (&Runner{Go: filepath.Join(t.TempDir(), "nonesuch")}).Run(context.Background(), Invocation{Args: []string{"env"}}); err == nil {
		t.Error("a missing go command ran")
	}
}

func TestLookup(t *testing.T) {
	goPath := fakeGo(t)
	env := map[string]string{"PATH": "/nonexistent" + string(os.PathListSeparator) + filepath.Dir(goPath)}
	r, err := Lookup(func(k string) string { return env[k] })
	if err != nil || r.Go != goPath || r.Source != "PATH" {
		t.Errorf("Lookup on PATH = %+v, %v", r, err)
	}
	env["GOFORGE_GO"] = "/opt/go/bin/go"
	if r, err := Lookup(func(k string) string { return env[k] }); err != nil || r.Go != "/opt/go/bin/go" || r.Source != "$GOFORGE_GO" {
		t.Errorf("Lookup with GOFORGE_GO = %+v, %v", r, err)
	}
	delete(env, "GOFORGE_GO")
	env["PATH"] = t.TempDir()
	if _, err := Lookup(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "GOFORGE_GO") {
		t.Errorf("no go anywhere: %v", err)
	}
}

func TestGetenvLastWins(t *testing.T) {
	env := []string{"A=1", "B=2", "A=3", "C", "=x"}
	for k, want := range map[string]string{"A": "3", "B": "2", "C": "", "D": ""} {
		if got := Getenv(env, k); got != want {
			t.Errorf("Getenv(%q) = %q, want %q", k, got, want)
		}
	}
}
