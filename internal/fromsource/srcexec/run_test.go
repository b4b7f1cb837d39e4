//go:build unix

package srcexec

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goforge/goforge/internal/fromsource"
)

func writeScript(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "make.bash")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunStreamsAndKeepsTail(t *testing.T) {
	p := writeScript(t, `for i in 1 2 3 4 5; do echo "line $i"; done; echo "to stderr" >&2; printf 'no newline'; exit 3`)
	var log strings.Builder
	var seen []string
	s := &Script{Path: p, Dir: filepath.Dir(p), Log: &log, TailLines: 3,
		OnLine: func(line string, now time.Time) { seen = append(seen, line) }}
	err := s.Run(context.Background())
	var exit *ExitError
	if !errors.As(err, &exit) || exit.Code != 3 {
		t.Fatalf("Run = %v; want exit status 3", err)
	}
	if want := []string{"line 5", "to stderr", "no newline"}; strings.Join(exit.Tail, "|") != strings.Join(want, "|") {
		t.Errorf("tail = %q; want %q", exit.Tail, want)
	}
	if len(seen) != 7 || !strings.Contains(log.String(), "line 1\n") {
		t.Errorf("lines seen = %q; log = %q", seen, log.String())
	}
}

func TestRunEnvironmentIsExactlyGiven(t *testing.T) {
	p := writeScript(t, `echo "A=$A GOFLAGS=$GOFLAGS"`)
	var got string
	s := &Script{Path: p, Env: []string{"A=1", "PATH=/usr/bin:/bin"}, OnLine: func(l string, _ time.Time) { got = l }}
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got != "A=1 GOFLAGS=" {
		t.Errorf("script saw %q", got)
	}
}

// TestCancelKillsProcessGroup cancels a script that started a background
// child which ignores SIGTERM: the whole group must be gone afterwards.
func TestCancelKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	p := writeScript(t, `(trap '' TERM; exec sleep 300) & echo $! > `+pidFile+`; echo started; wait`)
	ctx, cancel := context.WithCancel(context.Background())
	s := &Script{Path: p, Grace: 200 * time.Millisecond, OnLine: func(l string, _ time.Time) {
		if l == "started" {
			cancel()
		}
	}}
	err := s.Run(ctx)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run = %v; want ErrInterrupted", err)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	waitGone(t, pid)
}

// waitGone fails unless process pid exits (or is a zombie) soon.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if !Alive(pid) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("process %d still running", pid)
}

// Alive reports whether pid is a live (non-zombie) process.
func Alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// The state follows the parenthesized command name.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// TestMakeBashRejectsOldBootstrap is the oracle for the requirement goforge
// reads: the real make.bash of the Go running the tests, given Debian's
// Go 1.19 as bootstrap, fails while building cmd/dist with the notgo
// package name that carries the version.
func TestMakeBashRejectsOldBootstrap(t *testing.T) {
	if _, err := os.Stat("/usr/lib/go-1.19/bin/go"); err != nil {
		t.Skip("needs golang-1.19-go (/usr/lib/go-1.19)")
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skip("needs the go command")
	}
	goroot := strings.TrimSpace(string(out))
	tree := t.TempDir()
	for _, f := range []string{"src/make.bash", "src/run.bash"} {
		copyFile(t, filepath.Join(goroot, f), filepath.Join(tree, f), 0o755)
	}
	dist, _ := filepath.Glob(filepath.Join(goroot, "src/cmd/dist/*.go"))
	for _, f := range dist {
		copyFile(t, f, filepath.Join(tree, "src/cmd/dist", filepath.Base(f)), 0o644)
	}
	var lines []string
	s := &Script{Path: filepath.Join(tree, "src/make.bash"), Dir: filepath.Join(tree, "src"),
		Env:    []string{"PATH=/usr/bin:/bin", "HOME=" + tree, "GOROOT_BOOTSTRAP=/usr/lib/go-1.19"},
		OnLine: func(l string, _ time.Time) { lines = append(lines, l) }}
	err = s.Run(context.Background())
	all := strings.Join(lines, "\n")
	if err == nil || !strings.Contains(all, "building_Go_requires_Go_") {
		t.Fatalf("make.bash with Go 1.19: err=%v\n%s", err, all)
	}
	tr, err := fromsource.OpenTree(tree)
	if err != nil {
		t.Fatal(err)
	}
	v := strings.TrimPrefix(tr.Need.Version, "go")
	if want := "building_Go_requires_Go_" + strings.ReplaceAll(v, ".", "_") + "_or_later"; !strings.Contains(all, want) {
		t.Errorf("goforge read %s, but make.bash output lacks %s:\n%s", tr.Need.Version, want, all)
	}
	t.Logf("make.bash says:\n%s", all)
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(to), 0o755)
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}
