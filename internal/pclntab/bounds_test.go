package pclntab

import (
	"encoding/binary"
	"strings"
	"testing"
)

// TestCorruptCounts sets the header's function and file counts past what
// their tables can hold, as a corrupt or hostile file would: the table is
// read with the functions and files that fit, and a warning names the
// count that did not.
func TestCorruptCounts(t *testing.T) {
	const text = 0x401000
	for _, v := range []Version{Ver12, Ver116, Ver118, Ver120} {
		for _, ps := range []int{4, 8} {
			for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
				for _, count := range []uint64{0, 0x40000000, 1<<32 - 1} {
					for _, what := range []string{"functions", "files"} {
						bad := count
						if bad == 0 {
							// One more than there are (Go 1.2 counts an
							// empty entry 0 in the file table).
							bad = map[string]uint64{"functions": 3, "files": 3}[what]
							if v == Ver12 && what == "files" {
								bad = 4
							}
						}
						data := synthTable(v, ps, order, text, synthFiles, synthFuncs)
						setCount(data, v, ps, order, what, bad)
						tab, err := Parse(data, 0)
						if err != nil {
							t.Fatalf("%v/%d/%v: %s = %d: %v", v, ps, order, what, bad, err)
						}
						name := v.String() + "/" + what
						if len(tab.Warnings) != 1 || !strings.Contains(tab.Warnings[0], "claims") || !strings.Contains(tab.Warnings[0], what) {
							t.Errorf("%s = %d: warnings %q", name, bad, tab.Warnings)
						}
						checkSynth(t, tab, v)
					}
				}
			}
		}
	}
}

// setCount writes n as the header's function or file count.
func setCount(data []byte, v Version, ps int, order binary.ByteOrder, what string, n uint64) {
	put := func(at int, x uint64) {
		if ps == 4 {
			order.PutUint32(data[at:], uint32(x))
		} else {
			order.PutUint64(data[at:], x)
		}
	}
	switch {
	case what == "functions":
		put(8, n)
	case v == Ver12:
		// The file table's offset follows the functab's end entry.
		nfunc := order.Uint32(data[8:])
		if ps == 8 {
			nfunc = uint32(order.Uint64(data[8:]))
		}
		at := 8 + ps + (2*int(nfunc)+1)*ps
		order.PutUint32(data[order.Uint32(data[at:]):], uint32(n))
	default:
		put(8+ps, n)
	}
}
