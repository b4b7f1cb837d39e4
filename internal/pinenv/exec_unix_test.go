//go:build unix

package pinenv

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func shEnv(t *testing.T) []string {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("needs sh")
	}
	return []string{"PATH=" + filepath.Dir(sh)}
}

// Exec reports a command's status as a shell does: its own exit status,
// or 128+n after signal n.
func TestExecStatus(t *testing.T) {
	env := shEnv(t)
	for script, want := range map[string]int{
		"exit 0":        0,
		"exit 3":        3,
		"exit 255":      255,
		"kill -INT $$":  130,
		"kill -TERM $$": 143,
		"kill -KILL $$": 137,
	} {
		code, err := Exec(context.Background(), Command{Env: env, Name: "sh", Args: []string{"-c", script}})
		if err != nil || code != want {
			t.Errorf("%s: got %d, %v; want %d", script, code, err, want)
		}
	}
	if _, err := Exec(context.Background(), Command{Env: env, Name: "no-such-command-here"}); err == nil {
		t.Error("a missing command ran")
	}
}

// The end of ctx kills the command and everything it started, and Exec
// does not start a command once ctx has ended.
func TestExecCancelKillsGroup(t *testing.T) {
	env := shEnv(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "bg.pid")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for i := 0; i < 200; i++ {
			if b, _ := os.ReadFile(pidFile); len(b) > 0 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	code, err := Exec(ctx, Command{Env: env, Name: "sh", Args: []string{"-c", "sleep 30 & echo $! >" + pidFile + "; wait"}})
	if err != nil || code != 137 {
		t.Errorf("got %d, %v; want 137 (SIGKILL)", code, err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Exec took %v after cancel", d)
	}
	b, _ := os.ReadFile(pidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("reading the background pid: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	if st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && !strings.Contains(string(st), ") Z ") {
		t.Errorf("background sleep %d still running: %s", pid, st)
	} else if err != nil && !os.IsNotExist(err) && syscall.Kill(pid, 0) == nil {
		t.Errorf("background sleep %d still exists", pid)
	}
	if _, err := Exec(ctx, Command{Env: env, Name: "sh", Args: []string{"-c", "exit 0"}}); err == nil {
		t.Error("Exec ran a command after ctx ended")
	}
}
