//go:build linux

package cli

import (
	"fmt"
	"os/exec"
	"strings"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTTYRun is the script command "ttyrun PROG ARGS...": it runs PROG in
// a session of its own whose controlling terminal is a new
// pseudo-terminal, holding its stdin, stdout and stderr, so PROG's group
// is the terminal's foreground group, as a command typed at a shell
// prompt. It prints "pid=N" (PROG's pid), "err=" and how PROG ended
// (<nil> for success), and then what the terminal showed.
func cmdTTYRun(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: ttyrun PROG [ARGS...]")
	}
	p, err := newPTY()
	if err != nil {
		ts.Fatalf("ttyrun: %v", err)
	}
	path, err := exec.LookPath(args[0])
	if err != nil {
		ts.Fatalf("ttyrun: %v", err)
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Dir, cmd.Env = ts.Getenv("PWD"), environ(ts)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.tty, p.tty, p.tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		ts.Fatalf("ttyrun: %v", err)
	}
	err = cmd.Wait()
	fmt.Fprintf(ts.Stdout(), "pid=%d\nerr=%v\n%s", cmd.Process.Pid, err, p.output())
	if (err != nil) != neg {
		ts.Fatalf("ttyrun %s: %v", strings.Join(args, " "), err)
	}
}

// environ is the script's environment.
func environ(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "GOFORGE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY", "GOSUMDB", "GOTOOLCHAIN", "GOFLAGS", "TMPDIR"} {
		env = append(env, k+"="+ts.Getenv(k))
	}
	return env
}
