package cacheprog

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// The index: one file holding every action entry of the local tier,
// sorted by action ID, read whole when a cache program starts. A hit is
// then a binary search in memory instead of opening, reading and closing
// an entry file and stat'ing the output: on a warm build the go command
// sends a get per action and waits for each, and system calls are what
// a cache program costs it. The entry files under a/ stay the truth; the
// index is a copy that may be stale:
//
//   - an entry missing from it is read from a/ (and added at close);
//   - an entry whose output another program evicted is served anyway: the
//     go command checks every output it is handed (cache.GetFile stats it
//     and compares the size; GetBytes hashes it) and treats a missing or
//     short file as a miss, rebuilds and puts it again;
//   - a damaged index is ignored as a whole.
//
// A program rewrites the index at close only when it learned something
// (new entries, renewed use times, evictions), merging into the index as
// it is then, by rename; when two programs close at once, the entries of
// the one that loses stay in a/ and come back at the next close.
//
// Layout: indexMagic, a little-endian uint64 count, then count records of
// indexRecord bytes: action ID (32), output ID (32), size, put time (Unix
// ns), cost (ms), last use (Unix s), each a little-endian int64.
const (
	indexMagic  = "gfcpidx1"
	indexHead   = 16
	indexRecord = 96
	// maxIndex bounds the file read at start (about 700,000 entries).
	maxIndex = 64 << 20
)

// idxEntry is an entry and when it was last used (its files' time).
type idxEntry struct {
	Entry
	used int64 // Unix seconds
}

type index struct {
	recs []byte // sorted records
	n    int

	mu      sync.Mutex
	learned map[[32]byte]idxEntry // to add or update at close
	dropped map[[32]byte]bool     // evicted: to remove at close
}

func newIndex(b []byte) *index {
	ix := &index{learned: map[[32]byte]idxEntry{}, dropped: map[[32]byte]bool{}}
	if len(b) < indexHead || string(b[:8]) != indexMagic {
		return ix
	}
	n := binary.LittleEndian.Uint64(b[8:16])
	if n > uint64(len(b)-indexHead)/indexRecord || uint64(len(b)-indexHead) != n*indexRecord {
		return ix
	}
	ix.recs, ix.n = b[indexHead:], int(n)
	return ix
}

// readIndex reads the index at p; a missing, short, oversized or
// otherwise malformed file is an empty index.
func readIndex(p string) *index {
	f, err := os.Open(p)
	if err != nil {
		return newIndex(nil)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxIndex+1))
	if err != nil || len(b) > maxIndex {
		return newIndex(nil)
	}
	return newIndex(b)
}

func (ix *index) rec(i int) []byte { return ix.recs[i*indexRecord : (i+1)*indexRecord] }

// find returns the entry recorded for aid: learned this run, else read
// at start.
func (ix *index) find(aid []byte) (idxEntry, bool) {
	if len(aid) != 32 {
		return idxEntry{}, false
	}
	ix.mu.Lock()
	e, ok := ix.learned[[32]byte(aid)]
	dropped := ix.dropped[[32]byte(aid)]
	ix.mu.Unlock()
	if ok || dropped {
		return e, ok
	}
	lo, hi := 0, ix.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if bytes.Compare(ix.rec(m)[:32], aid) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == ix.n || !bytes.Equal(ix.rec(lo)[:32], aid) {
		return idxEntry{}, false
	}
	return decodeRecord(ix.rec(lo))
}

func decodeRecord(r []byte) (idxEntry, bool) {
	le := binary.LittleEndian
	size, put, cost, used := int64(le.Uint64(r[64:])), int64(le.Uint64(r[72:])), int64(le.Uint64(r[80:])), int64(le.Uint64(r[88:]))
	if size < 0 || cost < 0 {
		return idxEntry{}, false
	}
	e := Entry{OutputID: slices.Clone(r[32:64]), Size: size, Time: time.Unix(0, put), Cost: time.Duration(cost) * time.Millisecond}
	return idxEntry{Entry: e, used: used}, true
}

func appendRecord(b []byte, aid [32]byte, e idxEntry) []byte {
	le := binary.LittleEndian
	b = append(b, aid[:]...)
	var oid [32]byte
	copy(oid[:], e.OutputID)
	b = append(b, oid[:]...)
	b = le.AppendUint64(b, uint64(e.Size))
	b = le.AppendUint64(b, uint64(e.Time.UnixNano()))
	b = le.AppendUint64(b, uint64(e.Cost.Milliseconds()))
	return le.AppendUint64(b, uint64(e.used))
}

// learn records an entry to write at close.
func (ix *index) learn(aid []byte, e idxEntry) {
	if len(aid) != 32 || len(e.OutputID) != 32 {
		return
	}
	ix.mu.Lock()
	ix.learned[[32]byte(aid)] = e
	delete(ix.dropped, [32]byte(aid))
	ix.mu.Unlock()
}

// drop records an evicted entry to remove at close.
func (ix *index) drop(aid [32]byte) {
	ix.mu.Lock()
	ix.dropped[aid] = true
	delete(ix.learned, aid)
	ix.mu.Unlock()
}

// dirty reports whether there is anything to write.
func (ix *index) dirty() bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.learned)+len(ix.dropped) > 0
}

// merge returns the encoded index of base's records with what ix learned
// added or updated and what it dropped removed.
func (ix *index) merge(base *index) []byte {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	keys := make([][32]byte, 0, len(ix.learned))
	for k := range ix.learned {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	out := make([]byte, indexHead, indexHead+(base.n+len(keys))*indexRecord)
	copy(out, indexMagic)
	n, i, k := 0, 0, 0
	for i < base.n || k < len(keys) {
		var r []byte
		if i < base.n {
			r = base.rec(i)
		}
		switch c := cmpNext(r, keys, k); {
		case c < 0: // from base
			i++
			if aid := [32]byte(r[:32]); ix.dropped[aid] {
				continue
			}
			out = append(out, r...)
		default: // learned (replacing base's record when c == 0)
			if c == 0 {
				i++
			}
			out = appendRecord(out, keys[k], ix.learned[keys[k]])
			k++
		}
		n++
	}
	binary.LittleEndian.PutUint64(out[8:16], uint64(n))
	return out
}

// cmpNext orders base's next record r against the next learned key:
// negative when r comes first (or no key is left).
func cmpNext(r []byte, keys [][32]byte, k int) int {
	switch {
	case k == len(keys):
		return -1
	case r == nil:
		return 1
	}
	return bytes.Compare(r[:32], keys[k][:])
}

// idFromName parses an entry file's name (hex action ID).
func idFromName(name string) ([32]byte, bool) {
	var id [32]byte
	if len(name) != 64 {
		return id, false
	}
	_, err := hex.Decode(id[:], []byte(name))
	return id, err == nil
}

// indexPath is the index file of the store in dir.
func indexPath(dir string) string { return filepath.Join(dir, "index") }
