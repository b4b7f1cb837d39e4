// Package fwimage reads linked Cortex-M firmware images and judges them
// without running any tool: the vector table and the placement of the
// sections against a memory map, Flash and RAM use per section and per
// object file (from a GNU ld map file), the flat binary and Intel HEX.
// It parses the bytes of files goforge did not write, so it imports
// neither os/exec nor the network.
package fwimage

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"sort"
)

// A Section is one section of a linked firmware ELF.
type Section struct {
	Name string `json:"name"`
	// Addr is where the section lives when the program runs (VMA).
	Addr uint64 `json:"addr"`
	// LoadAddr is where its bytes are stored in the image (LMA): the
	// same as Addr except for initialised data, which is copied to RAM
	// from Flash at reset.
	LoadAddr uint64 `json:"load_addr"`
	Size     uint64 `json:"size"`
	// Alloc reports whether the section occupies target memory;
	// Contents whether it has bytes in the image (not .bss).
	Alloc    bool `json:"alloc"`
	Contents bool `json:"contents"`
	Writable bool `json:"writable"`
}

// A Chunk is bytes of the load image at a load address.
type Chunk struct {
	Addr uint64
	Data []byte
}

// An Image is a linked firmware ELF, read without running any tool.
type Image struct {
	Entry    uint64
	Sections []Section
	// Chunks are the loaded sections' bytes by load address, sorted.
	Chunks []Chunk
}

// maxImage bounds what ReadImage loads: no Cortex-M part has more Flash.
const maxImage = 16 << 20

// ReadImage reads a 32-bit ARM ELF executable.
func ReadImage(r io.ReaderAt) (*Image, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("reading ELF: %w", err)
	}
	if f.Class != elf.ELFCLASS32 || f.Machine != elf.EM_ARM {
		return nil, fmt.Errorf("not a 32-bit ARM ELF (%v, %v)", f.Class, f.Machine)
	}
	im := &Image{Entry: f.Entry}
	var total uint64
	for _, s := range f.Sections {
		if s.Type == elf.SHT_NULL {
			continue
		}
		sec := Section{
			Name: s.Name, Addr: s.Addr, LoadAddr: s.Addr, Size: s.Size,
			Alloc:    s.Flags&elf.SHF_ALLOC != 0,
			Writable: s.Flags&elf.SHF_WRITE != 0,
		}
		sec.Contents = sec.Alloc && s.Type != elf.SHT_NOBITS && s.Size > 0
		if sec.Contents {
			sec.LoadAddr = loadAddr(f.Progs, s)
		}
		im.Sections = append(im.Sections, sec)
		if !sec.Contents {
			continue
		}
		if total += s.Size; total > maxImage {
			return nil, fmt.Errorf("reading ELF: loaded sections exceed %d MiB", maxImage>>20)
		}
		data, err := s.Data()
		if err != nil {
			return nil, fmt.Errorf("reading section %s: %w", s.Name, err)
		}
		im.Chunks = append(im.Chunks, Chunk{Addr: sec.LoadAddr, Data: data})
	}
	sort.Slice(im.Chunks, func(i, j int) bool { return im.Chunks[i].Addr < im.Chunks[j].Addr })
	return im, nil
}

// loadAddr finds a section's load address from the program header that
// holds it: the segment's physical address plus the section's offset
// into the segment. Sections outside every segment load where they run.
func loadAddr(progs []*elf.Prog, s *elf.Section) uint64 {
	for _, p := range progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		if s.Addr >= p.Vaddr && s.Addr+s.Size <= p.Vaddr+p.Memsz {
			if s.Type != elf.SHT_NOBITS && (s.Offset < p.Off || s.Offset+s.Size > p.Off+p.Filesz) {
				continue
			}
			return p.Paddr + (s.Addr - p.Vaddr)
		}
	}
	return s.Addr
}

// Section returns the section with the name, if any.
func (im *Image) Section(name string) (Section, bool) {
	for _, s := range im.Sections {
		if s.Name == name {
			return s, true
		}
	}
	return Section{}, false
}

// errNotLoaded is returned by ReadAt for addresses the image does not fill.
var errNotLoaded = errors.New("not in the load image")

// ReadAt reads len(p) bytes of the load image at load address addr.
func (im *Image) ReadAt(p []byte, addr uint64) error {
	for _, c := range im.Chunks {
		if addr >= c.Addr && addr-c.Addr+uint64(len(p)) <= uint64(len(c.Data)) {
			copy(p, c.Data[addr-c.Addr:])
			return nil
		}
	}
	return fmt.Errorf("0x%08x: %w", addr, errNotLoaded)
}

// Binary returns the flat image objcopy -O binary writes: the loaded
// bytes from the lowest load address to the end of the highest, gaps
// filled with zeros. It refuses a span past maxImage, which is what a
// section loaded outside Flash produces (objcopy writes 512 MiB files).
func (im *Image) Binary() ([]byte, error) {
	if len(im.Chunks) == 0 {
		return nil, nil
	}
	lo := im.Chunks[0].Addr
	var hi uint64
	for _, c := range im.Chunks {
		hi = max(hi, c.Addr+uint64(len(c.Data)))
	}
	if hi-lo > maxImage {
		return nil, fmt.Errorf("the loaded sections span 0x%08x-0x%08x, more than %d MiB", lo, hi, maxImage>>20)
	}
	out := make([]byte, hi-lo)
	for _, c := range im.Chunks {
		copy(out[c.Addr-lo:], c.Data)
	}
	return out, nil
}

// readWords reads n little-endian 32-bit words at addr, stopping early
// where the image ends.
func (im *Image) readWords(addr uint64, n int) []uint32 {
	var out []uint32
	var buf [4]byte
	for i := range n {
		if im.ReadAt(buf[:], addr+uint64(4*i)) != nil {
			break
		}
		out = append(out, uint32(buf[0])|uint32(buf[1])<<8|uint32(buf[2])<<16|uint32(buf[3])<<24)
	}
	return out
}

// A Region is a span of the address space: Flash or RAM.
type Region struct {
	Origin uint64 `json:"origin"`
	Size   uint64 `json:"size"`
}

// End is the first address past the region.
func (r Region) End() uint64 { return r.Origin + r.Size }

// Contains reports whether addr lies inside the region.
func (r Region) Contains(addr uint64) bool { return addr >= r.Origin && addr < r.End() }

// ContainsRange reports whether [addr, addr+n) lies inside the region.
func (r Region) ContainsRange(addr, n uint64) bool {
	return addr >= r.Origin && addr+n >= addr && addr+n <= r.End()
}

// Memory is a part's Flash and RAM.
type Memory struct {
	Flash Region `json:"flash"`
	RAM   Region `json:"ram"`
}
