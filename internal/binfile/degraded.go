package binfile

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A truncated, sstrip'd or packed executable keeps its first bytes - the
// file header and the program headers or load commands - while the tables
// the standard library's parsers read at the end of the file are cut off
// or zeroed: the ELF section headers or their name table, the COFF symbol
// table of a PE file, the symbol table of a Mach-O file. The functions here
// open such a file again with those header fields patched out, so that
// what lies inside the file can still be read.

// overlay reads r with some byte ranges replaced (header fields patched
// out) and with small reads past the end of the file filled with zeros:
// the ELF parser reads the compression header of every compressed section,
// including those cut off.
type overlay struct {
	r       io.ReaderAt
	size    int64
	patches []patch
}

type patch struct {
	off int64
	b   []byte
}

// maxZeroFill bounds the reads past the end that overlay answers with
// zeros: header-sized reads only, never a section's data.
const maxZeroFill = 64

func (o *overlay) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.r.ReadAt(p, off)
	if err != nil && errors.Is(err, io.EOF) && len(p) <= maxZeroFill && off >= 0 {
		clear(p[n:])
		n, err = len(p), nil
	}
	for _, pt := range o.patches {
		for i, c := range pt.b {
			if at := pt.off + int64(i) - off; at >= 0 && at < int64(n) {
				p[at] = c
			}
		}
	}
	return n, err
}

// elfHeader holds the places of the section header fields in an ELF
// file header.
type elfHeader struct {
	bo                        binary.ByteOrder
	raw                       []byte
	shoffAt, shoffLen         int
	shentsizeAt, shnum, shstr int
}

func readELFHeader(r io.ReaderAt) (*elfHeader, bool) {
	raw := make([]byte, 64)
	n, _ := r.ReadAt(raw, 0)
	if n < 52 {
		return nil, false
	}
	h := &elfHeader{raw: raw[:n], bo: binary.LittleEndian}
	if raw[elf.EI_DATA] == byte(elf.ELFDATA2MSB) {
		h.bo = binary.BigEndian
	}
	h.shoffAt, h.shoffLen, h.shentsizeAt, h.shnum, h.shstr = 0x20, 4, 0x2e, 0x30, 0x32
	if raw[elf.EI_CLASS] == byte(elf.ELFCLASS64) {
		if n < 64 {
			return nil, false
		}
		h.shoffAt, h.shoffLen, h.shentsizeAt, h.shnum, h.shstr = 0x28, 8, 0x3a, 0x3c, 0x3e
	}
	return h, true
}

// openELFDegraded opens an ELF file whose section headers elf.NewFile
// could not read (cause): first without section names, then through the
// program headers alone. It records what was given up in f.Warnings.
func (f *File) openELFDegraded(cause error) (*elf.File, error) {
	h, ok := readELFHeader(f.r)
	if !ok {
		return nil, fmt.Errorf("reading ELF headers: %w", cause)
	}
	noNames := &overlay{r: f.r, size: f.Size, patches: []patch{{int64(h.shstr), []byte{0, 0}}}}
	if ef, err := elf.NewFile(noNames); err == nil && len(ef.Sections) > 0 {
		f.hdrR = noNames
		f.elfNames(ef, h)
		f.Warnings = append(f.Warnings, fmt.Sprintf("section names partly unreadable (%v)", cause))
		return ef, nil
	}
	zero := make([]byte, h.shoffLen)
	noSections := &overlay{r: f.r, size: f.Size, patches: []patch{
		{int64(h.shoffAt), zero}, {int64(h.shnum), []byte{0, 0}}, {int64(h.shstr), []byte{0, 0}},
	}}
	ef, err := elf.NewFile(noSections)
	if err != nil {
		return nil, fmt.Errorf("reading ELF headers: %w", cause)
	}
	f.hdrR = noSections
	f.Warnings = append(f.Warnings, fmt.Sprintf("section headers unreadable (%v)", cause))
	return ef, nil
}

// elfNames recovers the section names that lie inside the file: the name
// table is usually the last section, so a truncated file loses it first.
// Names not recovered are left empty.
func (f *File) elfNames(ef *elf.File, h *elfHeader) {
	var shoff uint64
	if h.shoffLen == 8 {
		shoff = h.bo.Uint64(h.raw[h.shoffAt:])
	} else {
		shoff = uint64(h.bo.Uint32(h.raw[h.shoffAt:]))
	}
	entsize := uint64(h.bo.Uint16(h.raw[h.shentsizeAt:]))
	strndx := int(h.bo.Uint16(h.raw[h.shstr:]))
	if strndx <= 0 || strndx >= len(ef.Sections) || entsize < 4 {
		return
	}
	st := ef.Sections[strndx]
	if st.Type != elf.SHT_STRTAB || st.Offset >= uint64(f.Size) {
		return
	}
	strtab, err := f.readFile(st.Offset, min(st.FileSize, uint64(f.Size)-st.Offset))
	if err != nil {
		return
	}
	shdrs, err := f.readFile(shoff, uint64(len(ef.Sections))*entsize)
	if err != nil {
		return
	}
	for i, s := range ef.Sections {
		if name, err := cString(strtab, uint64(h.bo.Uint32(shdrs[uint64(i)*entsize:]))); err == nil {
			s.Name = name
		}
	}
}

func cString(b []byte, off uint64) (string, error) {
	if off >= uint64(len(b)) {
		return "", io.ErrUnexpectedEOF
	}
	for i, c := range b[off:] {
		if c == 0 {
			return string(b[off : off+uint64(i)]), nil
		}
	}
	return "", io.ErrUnexpectedEOF
}

// elfSegments describes the loaded segments (PT_LOAD) as sections, for a
// file without usable section headers: "LOAD0" and on, with the kind their
// permissions say (executable: text, writable: data, else rodata).
func elfSegments(ef *elf.File) []Section {
	var out []Section
	for _, p := range ef.Progs {
		if p.Type != elf.PT_LOAD {
			continue
		}
		kind := "rodata"
		switch {
		case p.Flags&elf.PF_X != 0:
			kind = "text"
		case p.Flags&elf.PF_W != 0:
			kind = "data"
		}
		out = append(out, Section{
			Name: fmt.Sprintf("LOAD%d", len(out)), Addr: p.Vaddr, Size: p.Memsz,
			Offset: p.Off, FileSize: p.Filesz, Kind: kind,
		})
	}
	return out
}
