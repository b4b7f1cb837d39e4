package cacheprog

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Local is the on-disk tier. Outputs live under o/XX/<sha256>, entries
// under a/XX/<actionID>; both are written to tmp/ first and renamed into
// place, so a reader (another go process, another cacheprog) sees a whole
// file or none. Modification times record use, for LRU eviction.
type Local struct {
	dir  string
	max  int64
	lock *dirLock
	dirs lookupDirs // a/ and o/, held open for hits
	ix   *index     // the entries, read at open; see index.go

	// create makes temporary files; tests replace it to inject faults
	// such as a full disk.
	create func(dir, pattern string) (writeFile, error)

	written atomic.Int64 // bytes this program added
}

// writeFile is the part of *os.File the store writes through.
type writeFile interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// ErrCorrupt reports bytes that do not hash to the ID they were stored or
// served under.
var ErrCorrupt = errors.New("content does not match its hash")

// OpenLocal opens (creating) the local tier in dir, capped at max bytes.
// It holds a shared lock on the directory until Close, so that eviction
// knows whether other cache programs are using it.
func OpenLocal(dir string, max int64) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening cache directory %q: %w", dir, err)
	}
	for _, sub := range []string{"o", "a", "tmp"} {
		if err := os.MkdirAll(filepath.Join(abs, sub), 0o755); err != nil {
			return nil, fmt.Errorf("opening cache directory: %w", err)
		}
	}
	lk, err := lockShared(filepath.Join(abs, "lock"))
	if err != nil {
		return nil, fmt.Errorf("locking cache directory %s: %w", abs, err)
	}
	l := &Local{dir: abs, max: max, lock: lk, dirs: openLookupDirs(abs), ix: readIndex(indexPath(abs))}
	l.create = func(dir, pattern string) (writeFile, error) { return os.CreateTemp(dir, pattern) }
	return l, nil
}

// Close writes what the index learned and releases the directory lock.
func (l *Local) Close() error {
	l.saveIndex()
	l.dirs.close()
	return l.lock.close()
}

// saveIndex merges what this program learned into the index as it is now
// (another program may have rewritten it since this one read it).
func (l *Local) saveIndex() {
	if !l.ix.dirty() {
		return
	}
	p := indexPath(l.dir)
	data := l.ix.merge(readIndex(p))
	l.writeAtomic(p, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	l.written.Add(-int64(len(data))) // the index is not cached data
}

// Dir is the absolute cache directory.
func (l *Local) Dir() string { return l.dir }

func (l *Local) outputPath(oid []byte) string {
	_, full := l.idPath("o", oid)
	return full
}

func (l *Local) actionPath(aid []byte) string {
	_, full := l.idPath("a", aid)
	return full
}

// idPath is where an ID's file lives in sub (a or o): relative to sub
// ("XX/<hex>") and in full.
func (l *Local) idPath(sub string, id []byte) (rel, full string) {
	h := hex.EncodeToString(id)
	rel = h[:2] + string(filepath.Separator) + h
	return rel, filepath.Join(l.dir, sub, rel)
}

// Get returns the entry for an action and the path of its output, or
// ok=false when it has none. An entry in the index (see index.go) is a hit
// without a system call: the go command checks the output it is handed
// (size, or hash) and takes a missing or damaged one as a miss. Otherwise
// the entry file is read and the output stat'ed; a missing or damaged one
// is a miss. Times are renewed only when older than touchAfter (the
// entry's goes with the output's).
func (l *Local) Get(aid []byte) (e Entry, path string, ok bool) {
	if ie, ok := l.ix.find(aid); ok {
		path := l.outputPath(ie.OutputID)
		if now := time.Now(); now.Sub(time.Unix(ie.used, 0)) >= touchAfter {
			os.Chtimes(path, now, now)
			os.Chtimes(l.actionPath(aid), now, now)
			ie.used = now.Unix()
			l.ix.learn(aid, ie)
		}
		return ie.Entry, path, true
	}
	rel, ap := l.idPath("a", aid)
	var buf [maxEntry]byte
	n, err := l.dirs.readEntryFile(rel, ap, buf[:])
	if err != nil || n == len(buf) { // an entry is shorter than maxEntry
		return Entry{}, "", false
	}
	e, err = parseEntry(buf[:n])
	if err != nil {
		return Entry{}, "", false
	}
	path, mod, ok := l.output(e.OutputID, e.Size)
	if !ok {
		return Entry{}, "", false
	}
	if touch(path, mod) {
		// An output shared by several actions may be fresh while this
		// entry is not; then the entry ages until it is evicted and
		// its next get is a miss, the price of one stat per hit.
		mod = time.Now()
		os.Chtimes(ap, mod, mod)
	}
	l.ix.learn(aid, idxEntry{Entry: e, used: mod.Unix()})
	return e, path, true
}

// HasOutput reports whether the output is stored with the expected size.
func (l *Local) HasOutput(oid []byte, size int64) (string, bool) {
	p, mod, ok := l.output(oid, size)
	if ok {
		touch(p, mod)
	}
	return p, ok
}

func (l *Local) output(oid []byte, size int64) (string, time.Time, bool) {
	rel, p := l.idPath("o", oid)
	n, mod, ok := l.dirs.statOutput(rel, p)
	if !ok || n != size {
		return "", time.Time{}, false
	}
	return p, mod, true
}

// touchAfter is how old a file's time may get before a use renews it:
// as in the go command's own cache, renewing on every hit would cost a
// system call per hit for a resolution eviction does not need.
const touchAfter = time.Hour

// touch renews a file's time when it (mod) is older than touchAfter, and
// reports whether it did.
func touch(p string, mod time.Time) bool {
	now := time.Now()
	if now.Sub(mod) < touchAfter {
		return false
	}
	os.Chtimes(p, now, now)
	return true
}

// PutEntry stores an action's entry atomically.
func (l *Local) PutEntry(aid []byte, e Entry) error {
	p := l.actionPath(aid)
	err := l.writeAtomic(p, func(w io.Writer) error {
		_, err := w.Write(e.encode())
		return err
	})
	if err != nil {
		return fmt.Errorf("storing cache entry %x: %w", aid, err)
	}
	l.ix.learn(aid, idxEntry{Entry: e, used: time.Now().Unix()})
	return nil
}

// WriteOutput streams r into the store as output oid, checking that it is
// exactly size bytes hashing to oid. On a mismatch it stores nothing and
// returns an error wrapping ErrCorrupt. It returns the output's path.
func (l *Local) WriteOutput(oid []byte, size int64, r io.Reader) (string, error) {
	p := l.outputPath(oid)
	err := l.writeAtomic(p, func(w io.Writer) error {
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), r)
		if err != nil {
			return err
		}
		if n != size {
			return fmt.Errorf("%w: %d bytes, want %d", ErrCorrupt, n, size)
		}
		if sum := h.Sum(nil); string(sum) != string(oid) {
			return fmt.Errorf("%w: sha256 %x, want %x", ErrCorrupt, sum, oid)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("storing output %x: %w", oid, err)
	}
	return p, nil
}

// writeAtomic writes a file in tmp/ and renames it to p.
func (l *Local) writeAtomic(p string, fill func(io.Writer) error) error {
	f, err := l.create(filepath.Join(l.dir, "tmp"), "put-*")
	if err != nil {
		return err
	}
	name := f.Name()
	cw := &countWriter{w: f}
	err = fill(cw)
	l.written.Add(cw.n)
	if err == nil {
		err = f.Close()
	} else {
		f.Close()
	}
	if err == nil {
		err = os.MkdirAll(filepath.Dir(p), 0o755)
	}
	if err == nil {
		err = os.Rename(name, p)
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func readSmall(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}

// EvictStats says what an eviction did.
type EvictStats struct {
	Files, Bytes int64 // removed
	Size         int64 // what is left
}

// evictGrace protects files used this recently when other cache programs
// share the directory: their go commands may still be reading them. A
// file's time is renewed at most every touchAfter, so the grace is longer.
const evictGrace = touchAfter + 10*time.Minute

// sizeFresh is how long the recorded size of the store is trusted: it
// misses what programs running at the same time add, so it is recounted
// at least this often.
const sizeFresh = time.Hour

// Evict keeps the store under its cap. It recounts the store only when the
// recorded size plus what this program wrote may exceed the cap (or the
// record is old): a warm build writes little and should not walk a cache of
// many gigabytes at every go command's exit.
func (l *Local) Evict() (EvictStats, error) {
	sizeFile := filepath.Join(l.dir, "size")
	if fi, err := os.Stat(sizeFile); err == nil && time.Since(fi.ModTime()) < sizeFresh {
		b, _ := readSmall(sizeFile, 32)
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n+l.written.Load() <= l.max {
			size := n + l.written.Load()
			if l.written.Load() > 0 {
				l.recordSize(size, fi.ModTime())
			}
			return EvictStats{Size: size}, nil
		}
	}
	st, err := l.evict()
	if err == nil {
		l.recordSize(st.Size, time.Now())
	}
	return st, err
}

// recordSize writes the store's size, keeping the time of the last count.
func (l *Local) recordSize(n int64, counted time.Time) {
	p := filepath.Join(l.dir, "size")
	if l.writeAtomic(p, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, n)
		return err
	}) == nil {
		os.Chtimes(p, counted, counted)
	}
}

// evict removes least recently used files until the store fits its cap.
// When no other cache program holds the directory, anything may go (our
// go command is done with its files); otherwise files used in the last
// evictGrace stay. Stale temporary files always go.
func (l *Local) evict() (EvictStats, error) {
	alone := l.lock.tryExclusive()
	// Back to shared whatever happened: a failed flock upgrade may
	// have dropped the shared lock.
	defer l.lock.shared()
	type file struct {
		path string
		size int64
		mod  time.Time
	}
	var files []file
	var st EvictStats
	now := time.Now()
	for _, sub := range []string{"o", "a", "tmp"} {
		filepath.WalkDir(filepath.Join(l.dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return nil
			}
			if sub == "tmp" {
				if alone || now.Sub(fi.ModTime()) > time.Hour {
					os.Remove(p)
				}
				return nil
			}
			files = append(files, file{p, fi.Size(), fi.ModTime()})
			st.Size += fi.Size()
			return nil
		})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
	for _, f := range files {
		if st.Size <= l.max {
			break
		}
		if !alone && now.Sub(f.mod) < evictGrace {
			break
		}
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return st, fmt.Errorf("evicting %s: %w", f.path, err)
		}
		if id, ok := idFromName(filepath.Base(f.path)); ok && filepath.Base(filepath.Dir(filepath.Dir(f.path))) == "a" {
			l.ix.drop(id)
		}
		st.Files++
		st.Bytes += f.size
		st.Size -= f.size
	}
	return st, nil
}
