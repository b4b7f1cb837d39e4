//go:build unix

package telemetry

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSharedFileModes checks that the timeline and the metrics file get
// 0644 less the umask, like a file a shell redirection creates, also when
// they replace a file of another mode, and that no temporary file stays.
// It sets the process umask, so it does not run in parallel.
func TestSharedFileModes(t *testing.T) {
	for _, tc := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o644}, {0o027, 0o640}, {0o077, 0o600}, {0o002, 0o644}} {
		old := syscall.Umask(tc.umask)
		dir := t.TempDir()
		html, prom := filepath.Join(dir, "t.html"), filepath.Join(dir, "m.prom")
		// An earlier file of another mode is replaced, mode and all.
		if err := os.WriteFile(prom, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chmod(prom, 0o600)
		err := WriteTimeline(html, nil)
		if err == nil {
			err = NewMetrics().WriteFile(prom)
		}
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{html, prom} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tc.want {
				t.Errorf("umask %03o: %s has mode %v, want %v", tc.umask, filepath.Base(p), got, tc.want)
			}
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 2 {
			t.Errorf("umask %03o: want only t.html and m.prom, have %v", tc.umask, ents)
		}
	}
}

// TestWriteSharedFailure checks that a failed write leaves nothing behind
// and the old file as it was.
func TestWriteSharedFailure(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.prom")
	os.WriteFile(p, []byte("old\n"), 0o644)
	err := writeShared(p, func(w io.Writer) error {
		w.Write([]byte("half"))
		return os.ErrClosed
	})
	if err == nil {
		t.Fatal("writeShared succeeded")
	}
	if b, _ := os.ReadFile(p); string(b) != "old\n" {
		t.Errorf("old file now %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}
	if err := WriteTimeline(filepath.Join(dir, "missing", "t.html"), nil); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}
