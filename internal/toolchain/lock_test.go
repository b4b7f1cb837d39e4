package toolchain

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLockRemovesItsFile(t *testing.T) {
	if !lockFilesRemoved {
		t.Skip("lock files are kept on this system (no flock)")
	}
	h, err := OpenHomeAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(h.locksDir(), "go1.22.5.lock")
	unlock, err := h.Lock("go1.22.5")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("while held: %v", err)
	}
	// Held by another open file (as by another process): not stale.
	if removed, err := h.CleanStale(); err != nil || slices.Contains(removed, path) {
		t.Fatalf("CleanStale removed a held lock: %v %v", removed, err)
	}
	unlock()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("lock file left after unlock: %v", err)
	}

	// A lock file whose holder died (an flock dies with its process):
	// the next CleanStale removes it.
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	removed, err := h.CleanStale()
	if err != nil || !slices.Contains(removed, path) {
		t.Fatalf("CleanStale = %v, %v; want %s removed", removed, err, path)
	}
}

// TestLockExcludesWhileRemoving checks that removing the file on unlock
// keeps the lock a mutex: takers that opened the old file before it was
// removed must not hold the lock together with one on the new file.
func TestLockExcludesWhileRemoving(t *testing.T) {
	h, err := OpenHomeAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var inside, most, total atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 40 {
				unlock, err := h.Lock("go1.22.5")
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				if n > most.Load() {
					most.Store(n)
				}
				total.Add(1)
				time.Sleep(20 * time.Microsecond) // let the others pile up on the file
				inside.Add(-1)
				unlock()
			}
		}()
	}
	wg.Wait()
	if most.Load() != 1 || total.Load() != 320 {
		t.Fatalf("%d holders at once (want 1), %d locks taken (want 320)", most.Load(), total.Load())
	}
}
