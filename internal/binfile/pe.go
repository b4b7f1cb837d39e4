package binfile

import (
	"debug/pe"
	"encoding/binary"
	"fmt"
	"strings"
)

func (f *File) openPE() error {
	pf, err := pe.NewFile(f.r)
	if err != nil {
		if pf, err = f.openPEDegraded(err); err != nil {
			return err
		}
	}
	f.pe = pf
	f.Format = PE
	f.OS = "windows"
	f.ByteOrder = binary.LittleEndian
	f.PtrSize = 4
	switch oh := pf.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		f.PtrSize = 8
		f.peBase = oh.ImageBase
		f.Entry = oh.ImageBase + uint64(oh.AddressOfEntryPoint)
	case *pe.OptionalHeader32:
		f.peBase = uint64(oh.ImageBase)
		f.Entry = uint64(oh.ImageBase) + uint64(oh.AddressOfEntryPoint)
	}
	f.Arch = peArch(pf.Machine)
	for _, s := range pf.Sections {
		sec := Section{
			Name:     s.Name,
			Addr:     f.peBase + uint64(s.VirtualAddress),
			Size:     uint64(s.VirtualSize),
			Offset:   uint64(s.Offset),
			FileSize: uint64(s.Size),
			Kind:     peKind(s),
		}
		if s.Characteristics&pe.IMAGE_SCN_CNT_UNINITIALIZED_DATA != 0 && s.Characteristics&pe.IMAGE_SCN_CNT_INITIALIZED_DATA == 0 {
			sec.FileSize = 0
		}
		if sec.FileSize > sec.Size && sec.Size > 0 {
			// Raw data is padded to the file alignment; the loader maps
			// only VirtualSize bytes, the rest is padding in the file.
			sec.FileSize = sec.Size
		}
		f.Sections = append(f.Sections, sec)
	}
	return nil
}

func peKind(s *pe.Section) string {
	c := s.Characteristics
	switch {
	case strings.HasPrefix(s.Name, ".debug_") || strings.HasPrefix(s.Name, ".zdebug_"):
		return "debug"
	case c&pe.IMAGE_SCN_CNT_CODE != 0 || c&pe.IMAGE_SCN_MEM_EXECUTE != 0:
		return "text"
	case c&pe.IMAGE_SCN_CNT_UNINITIALIZED_DATA != 0 && c&pe.IMAGE_SCN_CNT_INITIALIZED_DATA == 0:
		return "bss"
	case c&pe.IMAGE_SCN_MEM_WRITE != 0:
		return "data"
	case c&pe.IMAGE_SCN_MEM_READ != 0:
		return "rodata"
	}
	return "other"
}

func peArch(m uint16) string {
	switch m {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		return "amd64"
	case pe.IMAGE_FILE_MACHINE_I386:
		return "386"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		return "arm64"
	case pe.IMAGE_FILE_MACHINE_ARMNT, pe.IMAGE_FILE_MACHINE_ARM:
		return "arm"
	}
	return fmt.Sprintf("pe-machine-%#x", m)
}

func (f *File) peSymbols() []Symbol {
	var out []Symbol
	for _, s := range f.pe.Symbols {
		idx := int(s.SectionNumber) - 1
		if idx < 0 || idx >= len(f.Sections) {
			continue
		}
		// Storage class 2 (external) and 3 (static) name real symbols;
		// others are file names and section definitions.
		if s.StorageClass != 2 && s.StorageClass != 3 {
			continue
		}
		addr := f.Sections[idx].Addr + uint64(s.Value)
		out = append(out, Symbol{Name: s.Name, Addr: addr, Code: f.Sections[idx].Kind == "text", Section: idx})
	}
	return out
}

// peSymtabRange returns where the COFF symbol table and its string table
// lie: outside every section, from PointerToSymbolTable to the end.
func (f *File) peSymtabRange() (off, size uint64) {
	fh := f.pe.FileHeader
	if fh.PointerToSymbolTable == 0 || uint64(fh.PointerToSymbolTable) >= uint64(f.Size) {
		return 0, 0
	}
	return uint64(fh.PointerToSymbolTable), uint64(f.Size) - uint64(fh.PointerToSymbolTable)
}
