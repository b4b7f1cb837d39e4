package binfile

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
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

// openPEDegraded opens a PE file whose COFF symbol table (at the end of
// the file) could not be read, with the table's place patched out.
func (f *File) openPEDegraded(cause error) (*pe.File, error) {
	var b [4]byte
	if _, err := f.r.ReadAt(b[:], 0x3c); err != nil {
		return nil, fmt.Errorf("reading PE headers: %w", cause)
	}
	// PointerToSymbolTable and NumberOfSymbols follow the "PE\0\0"
	// signature, Machine, NumberOfSections and TimeDateStamp.
	coff := int64(binary.LittleEndian.Uint32(b[:])) + 4
	patches := []patch{{coff + 8, make([]byte, 8)}}
	// Long section names ("/4") point into the string table after the
	// symbols: without it, keep them as "?4".
	var fh [20]byte
	if _, err := f.r.ReadAt(fh[:], coff); err == nil {
		nsect, optSize := binary.LittleEndian.Uint16(fh[2:]), binary.LittleEndian.Uint16(fh[16:])
		sects := coff + 20 + int64(optSize)
		for i := int64(0); i < int64(nsect); i++ {
			var c [1]byte
			if _, err := f.r.ReadAt(c[:], sects+40*i); err == nil && c[0] == '/' {
				patches = append(patches, patch{sects + 40*i, []byte{'?'}})
			}
		}
	}
	r := &overlay{r: f.r, size: f.Size, patches: patches}
	pf, err := pe.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("reading PE headers: %w", cause)
	}
	f.hdrR = r
	f.Warnings = append(f.Warnings, fmt.Sprintf("COFF symbol table unreadable (%v)", cause))
	return pf, nil
}

// openMachODegraded opens a Mach-O file whose symbol table (in
// __LINKEDIT, at the end of the file) could not be read, with its load
// commands (LC_SYMTAB, LC_DYSYMTAB) made into ones the parser skips.
func (f *File) openMachODegraded(cause error) (*macho.File, error) {
	var hdr [32]byte
	if _, err := f.r.ReadAt(hdr[:], 0); err != nil {
		return nil, fmt.Errorf("reading Mach-O headers: %w", cause)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if binary.BigEndian.Uint32(hdr[:]) == macho.Magic32 || binary.BigEndian.Uint32(hdr[:]) == macho.Magic64 {
		bo = binary.BigEndian
	}
	off := int64(28)
	if bo.Uint32(hdr[:]) == macho.Magic64 {
		off = 32
	}
	ncmds := bo.Uint32(hdr[16:])
	var patches []patch
	for i := uint32(0); i < ncmds && i < 1<<16; i++ {
		var lc [8]byte
		if _, err := f.r.ReadAt(lc[:], off); err != nil {
			break
		}
		cmd, size := macho.LoadCmd(bo.Uint32(lc[:])), bo.Uint32(lc[4:])
		if cmd == macho.LoadCmdSymtab || cmd == macho.LoadCmdDysymtab {
			p := make([]byte, 4)
			bo.PutUint32(p, 0x7fff0000) // no command the parser knows
			patches = append(patches, patch{off, p})
		}
		if size < 8 {
			break
		}
		off += int64(size)
	}
	r := &overlay{r: f.r, size: f.Size, patches: patches}
	mf, err := macho.NewFile(r)
	if err != nil || len(patches) == 0 {
		return nil, fmt.Errorf("reading Mach-O headers: %w", cause)
	}
	f.hdrR = r
	f.Warnings = append(f.Warnings, fmt.Sprintf("symbol table unreadable (%v)", cause))
	return mf, nil
}
