package pclntab

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/goforge/goforge/internal/binfile"
)

// sliceMemory serves ReadVA from a byte slice mapped at base.
type sliceMemory struct {
	base uint64
	b    []byte
}

func (m sliceMemory) ReadVA(addr, n uint64) ([]byte, error) {
	if addr < m.base || addr-m.base > uint64(len(m.b)) || n > uint64(len(m.b))-(addr-m.base) {
		return nil, fmt.Errorf("out of range")
	}
	return m.b[addr-m.base : addr-m.base+n], nil
}

// FuzzParse feeds truncated, bit-flipped and hostile tables through every
// decoding path: it must return errors, never panic or loop.
func FuzzParse(f *testing.F) {
	for _, v := range []Version{Ver12, Ver116, Ver118, Ver120} {
		for _, ps := range []int{4, 8} {
			data := synthTable(v, ps, binary.LittleEndian, 0x1000, synthFiles, synthFuncs)
			f.Add(data)
			f.Add(data[:len(data)/2])
		}
	}
	f.Add(synthTable(Ver120, 8, binary.BigEndian, 0x1000, synthFiles, synthFuncs))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Parse(data, 0x1000)
		if err != nil {
			return
		}
		tab.SetInlineSource(sliceMemory{0x1000, data}, 0x1000)
		exercise(tab)
	})
}

func exercise(tab *Table) {
	tab.Files()
	seen := tab.NewSeen()
	for i := 0; i < tab.NumFuncs() && i < 1000; i++ {
		f, err := tab.Func(i)
		if err != nil {
			continue
		}
		tab.PCLine(f, f.Entry)
		tab.MetadataSize(f, seen)
		tab.StartLine(f)
		tab.Frames(f.Entry)
		if f.End > f.Entry {
			tab.Frames(f.End - 1)
		}
		rs, _ := tab.LineRanges(f)
		for _, r := range rs {
			tab.Frames(r.Start)
		}
	}
}

// FuzzFind runs the table search over mutated executables.
func FuzzFind(f *testing.F) {
	seeds, _ := filepath.Glob("../binfile/testdata/seed/*")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
			// The degraded readers' inputs: cut files, and (for the
			// 64-bit ELF seed) no section headers, as sstrip leaves.
			f.Add(b[:len(b)*3/4])
			f.Add(b[:len(b)/2])
			if len(b) > 64 && string(b[:5]) == "\x7fELF\x02" {
				s := bytes.Clone(b)
				clear(s[0x28:0x30])
				clear(s[0x3c:0x40])
				f.Add(s)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		bf, err := binfile.NewFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		loc, err := Find(bf)
		if err != nil {
			return
		}
		exercise(loc.Table)
	})
}
