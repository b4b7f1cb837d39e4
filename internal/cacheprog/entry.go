package cacheprog

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Entry is what the cache keeps under an action ID: the output's ID
// (its SHA-256) and size, when it was put, and how long the go command
// took to produce it (the time between its miss and its put), which is
// what a later hit saves.
type Entry struct {
	OutputID []byte
	Size     int64
	Time     time.Time
	Cost     time.Duration
}

// entryMagic starts every stored entry, locally and on the remote.
const entryMagic = "goforge-cacheprog-v1"

// maxEntry bounds an encoded entry; the remote's answers are read up to it.
const maxEntry = 512

func (e Entry) encode() []byte {
	return fmt.Appendf(nil, "%s %x %d %d %d\n", entryMagic, e.OutputID, e.Size, e.Time.UnixNano(), e.Cost.Milliseconds())
}

// parseEntry decodes an entry. Entries come from disk and from the remote,
// so anything odd is an error (and a miss), never a panic.
func parseEntry(b []byte) (Entry, error) {
	f := strings.Fields(string(b))
	if len(f) != 5 || f[0] != entryMagic {
		return Entry{}, fmt.Errorf("not a cache entry")
	}
	oid, err := hex.DecodeString(f[1])
	if err != nil || len(oid) != 32 {
		return Entry{}, fmt.Errorf("bad output ID %.70q", f[1])
	}
	size, err1 := strconv.ParseInt(f[2], 10, 64)
	t, err2 := strconv.ParseInt(f[3], 10, 64)
	cost, err3 := strconv.ParseInt(f[4], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || size < 0 || cost < 0 {
		return Entry{}, fmt.Errorf("bad size, time or cost in entry")
	}
	return Entry{OutputID: oid, Size: size, Time: time.Unix(0, t), Cost: time.Duration(cost) * time.Millisecond}, nil
}
