//go:build unix

package toolchain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestKillHelper is the install that TestKillAnywhereForce kills: it
// runs only as that test's subprocess.
func TestKillHelper(t *testing.T) {
	at := os.Getenv("GOFORGE_KILL_AT")
	if at == "" {
		t.Skip("subprocess of TestKillAnywhereForce")
	}
	step = func(s string) {
		if s == at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
	if os.Getenv("GOFORGE_KILL_NOEXCHANGE") != "" {
		exchangeDirs = func(a, b string) error { return errNoExchange }
	}
	h, _ := OpenHomeAt(os.Getenv("GOFORGE_KILL_HOME"))
	_, err := (&Installer{Home: h}).Install(context.Background(), Request{File: os.Getenv("GOFORGE_KILL_FILE"), Force: true})
	fmt.Printf("not killed at %s: %v\n", at, err)
	os.Exit(3)
}

// TestKillAnywhereForce kills 'install --force' of the current version at
// each step that leaves a distinct state on disk (issue 13, case 3). With
// an atomic exchange (Linux) a complete version is installed and
// 'current' resolves right after every kill; with the two-rename
// fallback, after the next run's cleanup. The next install then succeeds
// and leaves no tmp/ entry and no temporary meta file behind.
func TestKillAnywhereForce(t *testing.T) {
	dir := t.TempDir()
	archive := func(marker string) string {
		p := filepath.Join(dir, marker, "go1.30.1."+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, craftTarGz(t, "go1.30.1", nil, tarEntry{Name: "go/marker", Body: marker, Mode: 0o644}), 0o644)
		return p
	}
	a, b := archive("a"), archive("b")
	for _, mode := range []string{"exchange", "renames"} {
		if mode == "exchange" && runtime.GOOS != "linux" {
			continue
		}
		steps := []string{"staged", "meta-tmp-written", "exchanged", "meta-written", "old-removed"}
		if mode == "renames" {
			steps = append(steps, "moved-aside")
		}
		t.Run(mode, func(t *testing.T) {
			h, _ := OpenHomeAt(t.TempDir())
			in := &Installer{Home: h}
			if _, err := in.Install(context.Background(), Request{File: b}); err != nil {
				t.Fatal(err)
			}
			if err := h.Use("go1.30.1"); err != nil {
				t.Fatal(err)
			}
			for _, at := range steps {
				killAt(t, h, a, at, mode == "renames")
				if mode == "renames" {
					h.CleanStale() // the next run
				}
				assertComplete(t, h, at)
				if _, err := in.Install(context.Background(), Request{File: b, Force: true}); err != nil {
					t.Fatalf("the run after a kill at %s: %v", at, err)
				}
				if left, _ := os.ReadDir(filepath.Join(h.Dir(), "tmp")); len(left) != 0 {
					t.Errorf("after a kill at %s and the next run, tmp/ holds %v", at, left)
				}
				if m, _ := os.ReadFile(filepath.Join(h.VersionDir("go1.30.1"), "marker")); string(m) != "b" {
					t.Errorf("the next run installed %q", m)
				}
			}
		})
	}
}

// killAt runs a forced install of file in a subprocess killed at step at.
func killAt(t *testing.T, h *Home, file, at string, noExchange bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GOFORGE_KILL_AT="+at, "GOFORGE_KILL_HOME="+h.Dir(), "GOFORGE_KILL_FILE="+file)
	if noExchange {
		cmd.Env = append(cmd.Env, "GOFORGE_KILL_NOEXCHANGE=1")
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("install was not killed at %s: %v\n%s", at, err, out)
	}
}

// assertComplete checks that go1.30.1 is installed, complete, current,
// and that no temporary meta file is visible.
func assertComplete(t *testing.T, h *Home, at string) {
	t.Helper()
	list, err := h.List()
	if err != nil || len(list) != 1 || list[0].Name != "go1.30.1" {
		t.Fatalf("after a kill at %s: List = %v, %v", at, list, err)
	}
	if err := validateGOROOT(h.VersionDir("go1.30.1"), Meta{Version: "go1.30.1", GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}); err != nil {
		t.Fatalf("after a kill at %s the installed tree is incomplete: %v", at, err)
	}
	if m, _ := os.ReadFile(filepath.Join(h.VersionDir("go1.30.1"), "marker")); string(m) != "a" && string(m) != "b" {
		t.Fatalf("after a kill at %s: marker %q", at, m)
	}
	if _, err := os.Stat(filepath.Join(h.CurrentLink(), "bin", "go")); err != nil {
		t.Fatalf("after a kill at %s 'current' does not resolve: %v", at, err)
	}
	if cur, ok, err := h.Current(); !ok || err != nil || cur.Name != "go1.30.1" {
		t.Fatalf("after a kill at %s: Current = %v %v %v", at, cur, ok, err)
	}
	if tmps, _ := filepath.Glob(filepath.Join(h.Dir(), "meta", ".tmp-*")); len(tmps) != 0 {
		t.Fatalf("after a kill at %s: %v visible", at, tmps)
	}
	if entries, _ := os.ReadDir(filepath.Join(h.Dir(), "meta")); !strings.HasSuffix(entries[0].Name(), ".json") {
		t.Fatalf("after a kill at %s: meta/ holds %v", at, entries)
	}
}
