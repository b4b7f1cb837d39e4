//go:build linux

package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goforge/goforge/internal/procgroup"
	"github.com/goforge/goforge/internal/release"
)

// TestBuildSignals runs the main job (build, verify, --run under qemu and
// node, archive, publish) and stops it with SIGINT, SIGTERM, SIGHUP and
// SIGKILL, each at ten moments spread over a run, after an edit to
// main.go so every run really changes the release. After each stop the
// release in dist/ must be whole (sha256sum -c passes; SHA256SUMS, the
// manifest and the directory list the same files), no process the run
// started may be left, no go-build* directory, and the exit status must be
// 128+signal.
func TestBuildSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a release forty times")
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("needs sha256sum")
	}
	s := newSignalRig(t)
	s.edit(0)
	full := s.fullRun()
	t.Logf("a full run takes %v", full)
	n := 0
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL} {
		stopped := 0
		for i := range 10 {
			n++
			s.edit(n)
			at := full * time.Duration(2*i+1) / 20
			if s.stopAt(sig, at) {
				stopped++
			}
		}
		t.Logf("%v: %d of 10 runs stopped before they finished", sig, stopped)
		// Moments spread over a full run must mostly land inside one; if
		// not, the test checked nothing.
		if stopped < 5 {
			t.Errorf("%v: only %d of 10 runs were stopped before finishing", sig, stopped)
		}
	}
	// A run after the SIGKILLs finds and removes what they left.
	s.edit(n + 1)
	s.fullRun()
	s.checkNoLeftovers("after the last full run")
}

type signalRig struct {
	t              *testing.T
	goforge, dir   string
	tmp, gocache   string
	targets, trace string
}

func newSignalRig(t *testing.T) *signalRig {
	root := t.TempDir()
	s := &signalRig{t: t, goforge: filepath.Join(root, "goforge"), dir: filepath.Join(root, "app"), tmp: filepath.Join(root, "tmp"),
		targets: os.Getenv("GOFORGE_SIGNAL_TARGETS")}
	if s.targets == "" {
		s.targets = "linux/amd64,linux/arm64,js/wasm"
	}
	build := exec.Command("go", "build", "-o", s.goforge, "../../cmd/goforge")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building goforge: %v\n%s", err, out)
	}
	for _, d := range []string{s.dir, s.tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(s.dir, "go.mod"), []byte("module example.com/hello\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(s.dir, "README.md"), []byte("# hello\n"), 0o644)
	return s
}

// edit rewrites main.go so that run n's outputs differ from run n-1's.
func (s *signalRig) edit(n int) {
	src := fmt.Sprintf("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nvar version = \"dev\"\n\nfunc main() {\n\tfmt.Println(\"hello\", version, %d, len(os.Args))\n}\n", n)
	if err := os.WriteFile(filepath.Join(s.dir, "main.go"), []byte(src), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *signalRig) command() (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(s.goforge, "build", "--run", "--version", "1.0.0", "--targets", s.targets, ".")
	cmd.Dir = s.dir
	// The marker finds every process of the run, in whatever process
	// group; TMPDIR catches go-build* directories made outside GOTMPDIR.
	s.trace = fmt.Sprintf("GOFORGE_SIGNAL_TEST=%d.%d", os.Getpid(), time.Now().UnixNano())
	cmd.Env = append(os.Environ(), s.trace, "TMPDIR="+s.tmp, "SOURCE_DATE_EPOCH=1700000000", "GOFLAGS=", "GOTOOLCHAIN=local")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func (s *signalRig) fullRun() time.Duration {
	cmd, out := s.command()
	start := time.Now()
	if err := cmd.Run(); err != nil {
		s.t.Fatalf("goforge build: %v\n%s", err, out)
	}
	d := time.Since(start)
	s.checkRelease("after a full run")
	s.checkNoLeftovers("after a full run")
	return d
}

// stopAt starts a run, sends sig after d and checks what is left. It
// reports whether the signal stopped the run before it finished.
func (s *signalRig) stopAt(sig syscall.Signal, d time.Duration) bool {
	t := s.t
	cmd, out := s.command()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(d)
	sent := syscall.Kill(cmd.Process.Pid, sig) == nil
	err := cmd.Wait()
	what := fmt.Sprintf("%v at %v", sig, d.Round(time.Millisecond))
	code := cmd.ProcessState.ExitCode()
	stopped := code != 0
	switch {
	case sig == syscall.SIGKILL:
	case err == nil && code == 0:
		// The run had finished (or published) before the signal.
	case code != 128+int(sig):
		t.Errorf("%s: exit status %d (%v), want %d\n%s", what, code, err, 128+int(sig), out)
	case !strings.Contains(out.String(), "interrupted by "+signalName(sig)):
		t.Errorf("%s: no line saying the build was interrupted:\n%s", what, out)
	}
	if procgroup.Alive(cmd.Process.Pid) {
		t.Errorf("%s: a process of the run's process group is alive", what)
	}
	s.checkRelease(what)
	if sig != syscall.SIGKILL {
		s.checkNoLeftovers(what)
		return stopped
	}
	// SIGKILL reaches no handler: the kernel kills the go commands (their
	// parent-death signal); a compile or link they had started finishes
	// its one step and exits. Wait for that, then the next run cleans up.
	deadline := time.Now().Add(60 * time.Second)
	for s.liveProcesses() != "" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if p := s.liveProcesses(); p != "" && sent {
		t.Errorf("%s: processes of the run still alive a minute later: %s", what, p)
	}
	return stopped
}

// checkRelease checks dist: sha256sum -c passes, and SHA256SUMS, the
// manifest and the directory hold the same files.
func (s *signalRig) checkRelease(what string) {
	t := s.t
	dist := filepath.Join(s.dir, "dist")
	check := exec.Command("sha256sum", "--strict", "-c", "SHA256SUMS")
	check.Dir = dist
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("%s: sha256sum -c SHA256SUMS: %v\n%s", what, err, out)
		return
	}
	f, err := os.Open(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	sums, err := release.ParseChecksums(f)
	f.Close()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var m release.Manifest
	data, _ := os.ReadFile(filepath.Join(dist, "manifest.json"))
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: manifest.json: %v", what, err)
	}
	inManifest := map[string]bool{}
	for _, f := range m.Files {
		inManifest[f.Name] = true
		if sums[f.Name] != f.SHA256 {
			t.Errorf("%s: manifest lists %s with sha256 %s, SHA256SUMS with %q", what, f.Name, f.SHA256, sums[f.Name])
		}
	}
	if len(inManifest) != len(sums) {
		t.Errorf("%s: manifest lists %d files, SHA256SUMS %d", what, len(inManifest), len(sums))
	}
	ents, _ := os.ReadDir(dist)
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") || name == "SHA256SUMS" || name == "manifest.json" {
			continue
		}
		if sums[name] == "" || !inManifest[name] {
			t.Errorf("%s: dist/%s is not in SHA256SUMS and the manifest", what, name)
		}
	}
}

// checkNoLeftovers: no process of the run, no go-build* directory in
// TMPDIR or in goforge's work directories, and none of the runner's
// per-command GOTMPDIRs (goforge-go-*) in TMPDIR.
func (s *signalRig) checkNoLeftovers(what string) {
	if p := s.liveProcesses(); p != "" {
		s.t.Errorf("%s: processes of the run still alive: %s", what, p)
	}
	for _, pat := range []string{filepath.Join(s.tmp, "go-build*"), filepath.Join(s.tmp, "goforge-go-*"),
		filepath.Join(s.dir, "dist", ".goforge", "tmp", "*", "gotmp", "go-build*")} {
		if m, _ := filepath.Glob(pat); len(m) > 0 {
			s.t.Errorf("%s: temporary directories left: %v", what, m)
		}
	}
}

// liveProcesses lists the processes (not zombies) whose environment
// carries this run's marker.
func (s *signalRig) liveProcesses() string {
	ents, _ := os.ReadDir("/proc")
	var live []string
	for _, e := range ents {
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(env, []byte(s.trace+"\x00")) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		live = append(live, e.Name()+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return strings.Join(live, "; ")
}
