//go:build linux

package cli

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestInstallFileInterrupted sends SIGINT while 'install --file' unpacks a
// large archive: goforge must stop, install nothing, leave its tmp/
// empty and exit 130.
func TestInstallFileInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("unpacks 1.5 GB")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "goforge")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/goforge").CombinedOutput(); err != nil {
		t.Fatalf("building goforge: %v\n%s", err, out)
	}
	archive := filepath.Join(dir, "go1.99.0.linux-amd64.zip")
	writeBigDistZip(t, archive)
	home := filepath.Join(dir, "home")
	cmd := exec.Command(bin, "install", "--file", archive)
	cmd.Env = append(os.Environ(), "GOFORGE_HOME="+home)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until extraction has begun (the staging area exists), then
	// interrupt.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ents, _ := os.ReadDir(filepath.Join(home, "tmp")); len(ents) > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit status %d after SIGINT, want 130\n%s", code, out.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop after SIGINT", d)
	}
	if !bytes.Contains(out.Bytes(), []byte("goforge: install interrupted by SIGINT")) {
		t.Errorf("no interrupt line:\n%s", out.String())
	}
	for _, sub := range []string{"tmp", "versions", "meta"} {
		if ents, _ := os.ReadDir(filepath.Join(home, sub)); len(ents) > 0 {
			t.Errorf("%s/ holds %d entries after the interrupt: %v", sub, len(ents), ents[0].Name())
		}
	}
}

// writeBigDistZip writes a go.dev/dl-style zip whose files inflate to
// 1.5 GB (zeros compress to almost nothing, so the file itself is small).
func writeBigDistZip(t *testing.T, name string) {
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("go/VERSION")
	w.Write([]byte("go1.99.0\ntime 2026-01-01T00:00:00Z\n"))
	zero := make([]byte, 1<<20)
	for i := range 6 {
		w, err := zw.Create("go/pkg/big" + string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		for range 250 {
			w.Write(zero)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
