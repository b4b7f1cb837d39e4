package binfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzNewFile feeds truncated and mutated executables through the header
// readers and every query: errors are fine, panics are not.
func FuzzNewFile(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/seed/*")
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
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Add([]byte("MZ"))
	f.Add([]byte{0xcf, 0xfa, 0xed, 0xfe})
	f.Fuzz(func(t *testing.T, data []byte) {
		bf, err := NewFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		bf.Facts("fuzz")
		bf.Symbols()
		bf.BuildID()
		bf.GNUBuildID()
		// Each read is bounded by the file's size; bound their number
		// too, or thousands of overlapping sections make a slow input.
		for i := range bf.Sections[:min(len(bf.Sections), 16)] {
			if bf.Sections[i].FileSize < 1<<20 {
				bf.ReadSection(&bf.Sections[i])
			}
		}
	})
}
