package cacheprog

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The index a program leaves serves the next one without the entry files:
// every field comes back.
func TestIndexRoundTrip(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLocal(dir, 1<<30)
	want := map[int]Entry{}
	for i := range 50 {
		out := body(i, 100)
		sum := sha256.Sum256(out)
		l.WriteOutput(sum[:], int64(len(out)), bytes.NewReader(out))
		e := Entry{OutputID: sum[:], Size: int64(len(out)), Time: time.Unix(1700000000, int64(i)), Cost: time.Duration(i) * time.Second}
		if err := l.PutEntry(aid(i), e); err != nil {
			t.Fatal(err)
		}
		want[i] = e
	}
	l.Close()
	os.RemoveAll(filepath.Join(dir, "a")) // only the index knows them now
	l2, _ := OpenLocal(dir, 1<<30)
	defer l2.Close()
	for i, w := range want {
		e, path, ok := l2.Get(aid(i))
		if !ok || !bytes.Equal(e.OutputID, w.OutputID) || e.Size != w.Size || !e.Time.Equal(w.Time) || e.Cost != w.Cost {
			t.Fatalf("entry %d from the index: %+v, %v; want %+v", i, e, ok, w)
		}
		if path != l2.outputPath(w.OutputID) {
			t.Fatalf("entry %d: path %s", i, path)
		}
	}
	if _, _, ok := l2.Get(aid(50)); ok {
		t.Fatal("an entry nobody stored was found")
	}
}

// Two programs that learned different entries: the second merges into the
// index the first left, so both sets are there.
func TestIndexMerge(t *testing.T) {
	dir := t.TempDir()
	a, _ := OpenLocal(dir, 1<<30)
	b, _ := OpenLocal(dir, 1<<30) // read the (empty) index before a wrote it
	storeN(t, a, 10, 10)
	for i := 10; i < 20; i++ {
		out := body(i, 10)
		sum := sha256.Sum256(out)
		b.WriteOutput(sum[:], 10, bytes.NewReader(out))
		b.PutEntry(aid(i), Entry{OutputID: sum[:], Size: 10, Time: time.Now()})
	}
	a.Close()
	b.Close()
	ix := readIndex(indexPath(dir))
	if ix.n != 20 {
		t.Fatalf("merged index holds %d entries, want 20", ix.n)
	}
	if !sorted(ix) {
		t.Fatal("merged index out of order")
	}
}

// Entries the program evicted leave the index with their files.
func TestIndexEvicted(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLocal(dir, 10_500)
	storeN(t, l, 10, 2000)
	l.Close() // index with all 10 (the cap is enforced by Evict, not Close)
	l2, _ := OpenLocal(dir, 10_500)
	st, err := l2.Evict()
	if err != nil || st.Files == 0 {
		t.Fatalf("evict: %+v, %v", st, err)
	}
	l2.Close()
	l3, _ := OpenLocal(dir, 10_500)
	defer l3.Close()
	for i := range 10 {
		_, inIndex := l3.ix.find(aid(i))
		_, err := os.Stat(l3.actionPath(aid(i)))
		if inIndex != (err == nil) {
			t.Errorf("entry %d: in the index %v, entry file present %v", i, inIndex, err == nil)
		}
	}
}

// A damaged index is ignored as a whole: the entry files answer.
func TestIndexDamaged(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLocal(dir, 1<<30)
	storeN(t, l, 3, 10)
	l.Close()
	good, _ := os.ReadFile(indexPath(dir))
	for name, b := range map[string][]byte{
		"truncated":  good[:len(good)-1],
		"bad magic":  append([]byte("XXXXXXXX"), good[8:]...),
		"long count": binary.LittleEndian.AppendUint64([]byte(indexMagic), 1<<60),
		"empty":      nil,
	} {
		os.WriteFile(indexPath(dir), b, 0o644)
		l, _ := OpenLocal(dir, 1<<30)
		if l.ix.n != 0 {
			t.Errorf("%s index: %d records read", name, l.ix.n)
		}
		if _, _, ok := l.Get(aid(1)); !ok {
			t.Errorf("%s index: the entry file did not answer", name)
		}
		l.Close()
	}
}

// A hit on an entry last used long ago renews its files' times (for LRU
// eviction) and the index remembers, so the next program does not again.
func TestIndexTouch(t *testing.T) {
	dir := t.TempDir()
	l, _ := OpenLocal(dir, 1<<30)
	storeN(t, l, 2, 10) // entry 0 used 2h ago, entry 1 1h ago
	l.Close()
	l2, _ := OpenLocal(dir, 1<<30)
	e, path, ok := l2.Get(aid(0))
	if !ok {
		t.Fatal("miss")
	}
	fi, _ := os.Stat(path)
	if time.Since(fi.ModTime()) > time.Minute {
		t.Fatalf("output %x not renewed: %v", e.OutputID, fi.ModTime())
	}
	l2.Close()
	ie, ok := readIndex(indexPath(dir)).find(aid(0))
	if !ok || time.Since(time.Unix(ie.used, 0)) > time.Minute {
		t.Fatalf("index use time not renewed: %+v", ie)
	}
}

// Whatever bytes the index file holds: reading it never panics, a lookup
// returns only a record that is there, and merging it with new entries
// gives a well-formed index holding them.
func FuzzIndex(f *testing.F) {
	var rec [indexRecord]byte
	f.Add(append(binary.LittleEndian.AppendUint64([]byte(indexMagic), 1), rec[:]...), []byte{0})
	f.Add([]byte(indexMagic), []byte{1})
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, data, key []byte) {
		ix := newIndex(data)
		if ix.n < 0 || ix.n*indexRecord > len(data) {
			t.Fatalf("%d records from %d bytes", ix.n, len(data))
		}
		k := sha256.Sum256(key)
		if ie, ok := ix.find(k[:]); ok {
			found := false
			for i := range ix.n {
				found = found || bytes.Equal(ix.rec(i)[:32], k[:])
			}
			if !found || len(ie.OutputID) != 32 || ie.Size < 0 {
				t.Fatalf("find returned %+v for a key not in the index", ie)
			}
		}
		ix.learn(k[:], idxEntry{Entry: Entry{OutputID: k[:], Size: 7, Time: time.Unix(1, 0)}, used: 3})
		merged := newIndex(ix.merge(ix))
		if ie, ok := merged.find(k[:]); merged.n == 0 || !ok && sorted(merged) || ok && ie.Size != 7 {
			t.Fatalf("merged index (%d records) lost the new entry: %+v %v", merged.n, ie, ok)
		}
	})
}

func sorted(ix *index) bool {
	for i := 1; i < ix.n; i++ {
		if bytes.Compare(ix.rec(i - 1)[:32], ix.rec(i)[:32]) >= 0 {
			return false
		}
	}
	return true
}
