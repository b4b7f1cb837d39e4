// Package binfile opens executables (ELF, PE, Mach-O) through an
// io.ReaderAt and answers the questions goforge asks of them: which OS and
// architecture, which sections with how many bytes in the file, which
// symbols, is it static, which interpreter and libraries, is it stripped.
//
// It never reads the whole file: section and symbol data are read on
// demand, so a large binary costs little more memory than the tables asked
// for. It parses untrusted bytes and so imports no networking or process
// packages.
package binfile

import (
	"bytes"
	"cmp"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Format is an object file format.
type Format string

// The formats binfile reads.
const (
	ELF   Format = "elf"
	PE    Format = "pe"
	MachO Format = "macho"
)

// ErrUnknownFormat reports that a file is none of ELF, PE or Mach-O.
var ErrUnknownFormat = errors.New("not an executable (no ELF, PE or Mach-O header)")

// Section is one section of the file, with its place in memory and in the
// file. Sections that occupy no file bytes (.bss, zero-fill) have
// FileSize 0.
type Section struct {
	Name     string `json:"name"`
	Addr     uint64 `json:"addr"`
	Size     uint64 `json:"size"`
	Offset   uint64 `json:"offset"`
	FileSize uint64 `json:"file_size"`
	// Kind is "text", "rodata", "data", "bss", "debug", "symtab" or "other".
	Kind string `json:"kind"`
}

// File is an opened executable.
type File struct {
	// Format is the object format.
	Format Format
	// OS is a GOOS-style name guessed from the headers ("linux",
	// "windows", "darwin", "freebsd", ...).
	OS string
	// Arch is a GOARCH-style name ("amd64", "arm64", "386", ...), or the
	// raw machine name when Go has no port for it.
	Arch string
	// ByteOrder is the file's byte order.
	ByteOrder binary.ByteOrder
	// PtrSize is 4 or 8.
	PtrSize int
	// Size is the file's length in bytes.
	Size int64
	// Entry is the entry point address.
	Entry uint64
	// Sections lists the sections in header order.
	Sections []Section
	// Truncated names the sections whose data extends past the end of
	// the file; reading them fails.
	Truncated []string
	// Warnings says which headers could not be read and how the file was
	// read instead (see degraded.go).
	Warnings []string

	r io.ReaderAt
	// hdrR is r with unreadable header fields patched out, for the
	// standard library's parsers (see degraded.go); r when none were.
	hdrR   io.ReaderAt
	closer io.Closer
	elf    *elf.File
	pe     *pe.File
	macho  *macho.File
	// peBase is the PE image base added to relative virtual addresses.
	peBase uint64
	// mapped is the whole file mapped into memory (OpenMapped), or nil.
	mapped []byte
}

// Open opens the executable at path. Close the file when done.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	if st.IsDir() {
		fh.Close()
		return nil, fmt.Errorf("%s is a directory", path)
	}
	f, err := NewFile(fh, st.Size())
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// OpenMapped is Open with the file mapped into memory where the system
// allows: section reads then return slices of the mapping instead of
// copies, which saves time and memory on large binaries. The slices must
// not be written to and are invalid after Close.
func OpenMapped(path string) (*File, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	if fh, ok := f.closer.(*os.File); ok {
		f.mapped = mapFile(fh, f.Size)
	}
	return f, nil
}

// NewFile reads the headers of the executable held by r, which is size
// bytes long.
func NewFile(r io.ReaderAt, size int64) (f *File, err error) {
	// The standard library's parsers are careful but not all of them are
	// hardened against every hostile header; turn a panic into an error.
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("malformed executable: %v", p)
		}
	}()
	var magic [4]byte
	if _, err := r.ReadAt(magic[:], 0); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ErrUnknownFormat
		}
		return nil, err
	}
	f = &File{r: r, hdrR: r, Size: size}
	switch {
	case bytes.Equal(magic[:], []byte(elf.ELFMAG)):
		err = f.openELF()
	case magic[0] == 'M' && magic[1] == 'Z':
		err = f.openPE()
	case isMachO(magic):
		err = f.openMachO()
	default:
		return nil, ErrUnknownFormat
	}
	if err != nil {
		return nil, err
	}
	for i := range f.Sections {
		s := &f.Sections[i]
		if s.FileSize > 0 && (s.Offset > uint64(size) || s.FileSize > uint64(size)-s.Offset) {
			// Keep going: whatever lies inside the file can still be read.
			f.Truncated = append(f.Truncated, s.Name)
		}
	}
	return f, nil
}

func isMachO(m [4]byte) bool {
	le := binary.LittleEndian.Uint32(m[:])
	be := binary.BigEndian.Uint32(m[:])
	for _, v := range []uint32{le, be} {
		switch v {
		case macho.Magic32, macho.Magic64, macho.MagicFat:
			return true
		}
	}
	return false
}

// Close closes the underlying file when Open opened it.
func (f *File) Close() error {
	if f.mapped != nil {
		unmapFile(f.mapped)
		f.mapped = nil
	}
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// ReaderAt returns the reader the file is read through.
func (f *File) ReaderAt() io.ReaderAt { return f.r }

// Section returns the first section with the given name, or nil.
func (f *File) Section(name string) *Section {
	for i := range f.Sections {
		if f.Sections[i].Name == name {
			return &f.Sections[i]
		}
	}
	return nil
}

// ReadSection returns the file bytes of s.
func (f *File) ReadSection(s *Section) ([]byte, error) {
	return f.readFile(s.Offset, s.FileSize)
}

func (f *File) readFile(off, n uint64) ([]byte, error) {
	if off > uint64(f.Size) || n > uint64(f.Size)-off {
		return nil, fmt.Errorf("reading %d bytes at offset %#x: past the end of the file", n, off)
	}
	if f.mapped != nil && off+n <= uint64(len(f.mapped)) {
		return f.mapped[off : off+n : off+n], nil
	}
	b := make([]byte, n)
	if _, err := f.r.ReadAt(b, int64(off)); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil, fmt.Errorf("reading %d bytes at offset %#x: %w", n, off, err)
	}
	return b, nil
}

// SectionAt returns the section with file bytes that holds virtual
// address addr, or nil.
func (f *File) SectionAt(addr uint64) *Section {
	for i := range f.Sections {
		s := &f.Sections[i]
		if s.FileSize > 0 && addr >= s.Addr && addr-s.Addr < s.FileSize {
			return s
		}
	}
	return nil
}

// ReadVA reads n bytes at virtual address addr; the bytes must lie inside
// one section's file data.
func (f *File) ReadVA(addr, n uint64) ([]byte, error) {
	s := f.SectionAt(addr)
	if s == nil {
		return nil, fmt.Errorf("address %#x is in no section with file data", addr)
	}
	if n > s.FileSize-(addr-s.Addr) {
		return nil, fmt.Errorf("reading %d bytes at %#x: past the end of section %s", n, addr, s.Name)
	}
	return f.readFile(s.Offset+(addr-s.Addr), n)
}

// TextSection returns the main code section (.text, __text), or nil.
func (f *File) TextSection() *Section {
	for _, name := range []string{".text", "__text"} {
		if s := f.Section(name); s != nil {
			return s
		}
	}
	return nil
}

// BuildInfo reads the Go build information embedded in the file.
func (f *File) BuildInfo() (bi *buildinfo.BuildInfo, err error) {
	defer func() {
		if p := recover(); p != nil {
			bi, err = nil, fmt.Errorf("malformed build info: %v", p)
		}
	}()
	return buildinfo.Read(f.hdrR)
}

// Symbol is an entry of the file's symbol table.
type Symbol struct {
	Name string
	Addr uint64
	// Size is the symbol's size: recorded (ELF) or the distance to the
	// next symbol in the same section (PE, Mach-O).
	Size uint64
	// Code reports whether the symbol is in an executable section.
	Code bool
	// Section is the index into File.Sections, or -1.
	Section int
}

// Symbols returns the defined symbols with addresses, sorted by address.
// A stripped file returns none and no error.
func (f *File) Symbols() (syms []Symbol, err error) {
	defer func() {
		if p := recover(); p != nil {
			syms, err = nil, fmt.Errorf("malformed symbol table: %v", p)
		}
	}()
	switch f.Format {
	case ELF:
		syms, err = f.elfSymbols()
	case PE:
		syms = f.peSymbols()
	case MachO:
		syms = f.machoSymbols()
	}
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(syms, func(a, b Symbol) int { return cmp.Compare(a.Addr, b.Addr) })
	if f.Format != ELF {
		fillSizes(syms, f.Sections)
	}
	return syms, nil
}

// fillSizes sets each symbol's size to the distance to the next symbol at
// a higher address in the same section, or to the section's end.
func fillSizes(syms []Symbol, sects []Section) {
	for i := range syms {
		s := &syms[i]
		if s.Section < 0 || s.Section >= len(sects) {
			continue
		}
		end := sects[s.Section].Addr + sects[s.Section].Size
		for j := i + 1; j < len(syms); j++ {
			if syms[j].Addr > s.Addr {
				if syms[j].Addr < end {
					end = syms[j].Addr
				}
				break
			}
		}
		if end > s.Addr {
			s.Size = end - s.Addr
		}
	}
}

// HasSymbols reports whether the file has a symbol table.
func (f *File) HasSymbols() bool {
	switch f.Format {
	case ELF:
		// A symbol table cut off by truncation is no symbol table.
		s := f.Section(".symtab")
		return s != nil && s.Offset <= uint64(f.Size) && s.FileSize <= uint64(f.Size)-s.Offset
	case PE:
		return f.pe.FileHeader.NumberOfSymbols > 0
	case MachO:
		// A stripped Mach-O file keeps its imported symbols, and Go 1.19
		// keeps its $f64 constants: look for a defined code symbol.
		for _, s := range f.machoSymbols() {
			if s.Code {
				return true
			}
		}
		return false
	}
	return false
}

// HasDWARF reports whether the file carries DWARF debug sections.
func (f *File) HasDWARF() bool {
	for _, s := range f.Sections {
		if s.Kind == "debug" && s.FileSize > 0 {
			return true
		}
	}
	return false
}
