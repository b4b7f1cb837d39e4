//go:build unix

package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInstallFromSourceInterrupt sends SIGINT (Ctrl-C) to a real goforge
// process in the middle of make.bash: make.bash and everything it started
// must be gone, and nothing installed.
func TestInstallFromSourceInterrupt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "goforge")
	build := exec.Command("go", "build", "-o", bin, "github.com/goforge/goforge/cmd/goforge")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building goforge: %v\n%s", err, out)
	}
	tree := filepath.Join(dir, "go")
	writeFakeTree(t, tree, `#!/bin/sh
echo "Building Go cmd/dist using $GOROOT_BOOTSTRAP. (fake)"
echo "Building Go toolchain1 using $GOROOT_BOOTSTRAP."
(trap '' TERM; exec sleep 300) &
echo "$$ $!" > "$FAKE_PIDS.tmp" && mv "$FAKE_PIDS.tmp" "$FAKE_PIDS"
wait
`)
	home := filepath.Join(dir, "home")
	pids := filepath.Join(dir, "pids")
	cmd := exec.Command(bin, "install", "--from-source", tree)
	cmd.Env = append(os.Environ(), "GOFORGE_HOME="+home, "FAKE_PIDS="+pids)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	procs := waitForPids(t, pids)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("goforge after SIGINT: %v; want exit status 130", err)
	}
	if !strings.Contains(stderr.String(), "goforge: install interrupted by SIGINT") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	for _, pid := range procs {
		if alive(pid) {
			t.Errorf("process %d of the build survived the interrupt", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if _, err := os.Stat(filepath.Join(home, "versions", "go1.99.1-src")); err == nil {
		t.Error("go1.99.1-src was installed")
	}
	if left, _ := os.ReadDir(filepath.Join(home, "tmp")); len(left) > 0 {
		t.Errorf("left in tmp/: %v", left)
	}
}

func writeFakeTree(t *testing.T, root, makeBash string) {
	t.Helper()
	files := map[string]string{
		"VERSION":                   "go1.99.1\n",
		"src/cmd/dist/buildtool.go": "package main\n\nconst minBootstrap = \"go1.24.6\"\n",
		"src/make.bash":             makeBash,
	}
	for name, data := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// waitForPids waits for the fake make.bash to write its pid and its
// child's, and returns them.
func waitForPids(t *testing.T, name string) []int {
	t.Helper()
	for i := 0; i < 1200; i++ {
		if data, err := os.ReadFile(name); err == nil {
			var pids []int
			for _, f := range strings.Fields(string(data)) {
				pid, err := strconv.Atoi(f)
				if err != nil {
					t.Fatal(err)
				}
				pids = append(pids, pid)
			}
			return pids
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("make.bash did not start")
	return nil
}

// alive reports whether pid is a running process (zombies count as gone),
// waiting a little for the kernel to finish killing it.
func alive(pid int) bool {
	for i := 0; i < 100; i++ {
		if syscall.Kill(pid, 0) != nil {
			return false
		}
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if s := string(stat); err == nil {
			if j := strings.LastIndexByte(s, ')'); j >= 0 && j+2 < len(s) && s[j+2] == 'Z' {
				return false
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}
