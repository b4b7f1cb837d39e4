package cacheprog

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func storeN(t *testing.T, l *Local, n, size int) {
	t.Helper()
	for i := range n {
		b := body(i, size)
		sum := sha256.Sum256(b)
		if _, err := l.WriteOutput(sum[:], int64(size), bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
		if err := l.PutEntry(aid(i), Entry{OutputID: sum[:], Size: int64(size), Time: time.Now()}); err != nil {
			t.Fatal(err)
		}
		// Older first: entry i was used i hours ago... reversed below.
		old := time.Now().Add(-time.Duration(n-i) * time.Hour)
		os.Chtimes(l.outputPath(sum[:]), old, old)
		os.Chtimes(l.actionPath(aid(i)), old, old)
		// The index knows when each entry was last used, as the files do.
		l.ix.learn(aid(i), idxEntry{Entry: Entry{OutputID: sum[:], Size: int64(size), Time: time.Now()}, used: old.Unix()})
	}
}

func TestEvictLRU(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenLocal(dir, 10_500)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	storeN(t, l, 10, 2000) // ~20 KB in a 10.5 KB cap
	// Using entry 0 (the oldest) makes it the newest.
	if _, _, ok := l.Get(aid(0)); !ok {
		t.Fatal("entry 0 missing")
	}
	st, err := l.Evict()
	if err != nil {
		t.Fatal(err)
	}
	if st.Size > 10_500 || st.Files == 0 {
		t.Fatalf("after eviction: %+v", st)
	}
	if _, _, ok := l.Get(aid(0)); !ok {
		t.Error("the most recently used entry was evicted")
	}
	if _, _, ok := l.Get(aid(1)); ok {
		t.Error("the least recently used entry survived")
	}
	if _, _, ok := l.Get(aid(9)); !ok {
		t.Error("a recent entry was evicted")
	}
}

// TestEvictShared: while another program holds the directory, files used
// recently stay even over the cap; old ones go.
func TestEvictShared(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLocal(dir, 1000)
	defer l.Close()
	other, _ := OpenLocal(dir, 1000)
	storeN(t, l, 4, 2000)
	// Entries 2 and 3 are recent (used minutes ago, within the grace).
	for i := 2; i < 4; i++ {
		e, path, _ := l.Get(aid(i))
		_ = e
		now := time.Now()
		os.Chtimes(path, now, now)
		os.Chtimes(l.actionPath(aid(i)), now, now)
	}
	st, _ := l.Evict()
	if _, _, ok := l.Get(aid(3)); !ok {
		t.Fatal("a file another program may be reading was evicted")
	}
	if _, _, ok := l.Get(aid(0)); ok {
		t.Fatal("an old file survived eviction")
	}
	other.Close()
	st, _ = l.Evict()
	if st.Size > 1000 {
		t.Fatalf("alone, eviction left %d bytes over a 1000 cap", st.Size)
	}
}

// TestGetDamaged: an entry not in the index is read from its file, and a
// damaged entry file or output is a miss. (A program that wrote the
// entries, and the index it leaves, serve them without looking: the go
// command checks each output itself.)
func TestGetDamaged(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLocal(dir, 1<<20)
	storeN(t, l, 2, 100)
	l.ix = newIndex(nil) // as if another program had stored them
	l.Close()
	os.Remove(indexPath(dir))
	os.WriteFile(l.actionPath(aid(0)), []byte("junk"), 0o644)
	l2, _ := OpenLocal(dir, 1<<20)
	defer l2.Close()
	if _, _, ok := l2.Get(aid(0)); ok {
		t.Error("damaged entry served")
	}
	l3, _ := OpenLocal(dir, 1<<20)
	defer l3.Close()
	e, path, _ := l3.Get(aid(1))
	os.WriteFile(path, []byte("short"), 0o644)
	l4, _ := OpenLocal(dir, 1<<20)
	l4.ix = newIndex(nil)
	defer l4.Close()
	if _, _, ok := l4.Get(aid(1)); ok {
		t.Errorf("truncated output served for %x", e.OutputID)
	}
}

// TestEvictRecount: a program that wrote little trusts the recorded size;
// one that may have crossed the cap recounts.
func TestEvictRecount(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLocal(dir, 10_000)
	defer l.Close()
	storeN(t, l, 3, 2000)
	st, err := l.Evict()
	if err != nil || st.Files != 0 || st.Size < 6000 {
		t.Fatalf("first eviction: %+v, %v", st, err)
	}
	l2, _ := OpenLocal(dir, 10_000)
	defer l2.Close()
	os.MkdirAll(filepath.Dir(l.outputPath(make([]byte, 32))), 0o755)
	os.WriteFile(l.outputPath(make([]byte, 32)), make([]byte, 50_000), 0o644) // not counted: size is trusted
	if st2, _ := l2.Evict(); st2.Size != st.Size || st2.Files != 0 {
		t.Fatalf("nothing written, recorded %d: %+v", st.Size, st2)
	}
	os.Remove(l.outputPath(make([]byte, 32)))
	storeN(t, l2, 8, 2000) // 3 of these overwrite, 5 are new: ~16 KB
	if st, _ := l2.Evict(); st.Size > 10_000 || st.Files == 0 {
		t.Fatalf("over the cap, no recount: %+v", st)
	}
}
