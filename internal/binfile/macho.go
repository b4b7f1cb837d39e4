package binfile

import (
	"debug/macho"
	"fmt"
	"io"
	"strings"
)

func (f *File) openMachO() error {
	if fat, err := macho.NewFatFile(f.r); err == nil {
		// A universal binary: read the first architecture's slice, as
		// though it were the whole file.
		if len(fat.Arches) == 0 {
			return fmt.Errorf("universal Mach-O file with no architectures")
		}
		a := fat.Arches[0]
		f.r = io.NewSectionReader(f.r, int64(a.Offset), int64(a.Size))
		f.Size = int64(a.Size)
	}
	mf, err := macho.NewFile(f.r)
	if err != nil {
		if mf, err = f.openMachODegraded(err); err != nil {
			return err
		}
	}
	f.macho = mf
	f.Format = MachO
	f.OS = "darwin"
	f.ByteOrder = mf.ByteOrder
	f.PtrSize = 4
	if mf.Magic == macho.Magic64 {
		f.PtrSize = 8
	}
	f.Arch = machoArch(mf.Cpu)
	for _, s := range mf.Sections {
		sec := Section{
			Name: s.Name, Addr: s.Addr, Size: s.Size,
			Offset: uint64(s.Offset), FileSize: s.Size, Kind: machoKind(s),
		}
		if sec.Kind == "bss" {
			sec.FileSize = 0
		}
		f.Sections = append(f.Sections, sec)
	}
	if seg := mf.Segment("__LINKEDIT"); seg != nil {
		// The link-edit segment holds the symbol and string tables, code
		// signature and fixups; it has no sections, so show it as one.
		f.Sections = append(f.Sections, Section{
			Name: "__LINKEDIT", Addr: seg.Addr, Size: seg.Memsz,
			Offset: seg.Offset, FileSize: seg.Filesz, Kind: "symtab",
		})
	}
	return nil
}

func machoKind(s *macho.Section) string {
	switch typ := s.Flags & 0xff; {
	case typ == 0x1 || typ == 0xc || typ == 0x12: // zerofill, GB zerofill, TLV zerofill
		return "bss"
	case s.Seg == "__DWARF" || strings.HasPrefix(s.Name, "__debug_") || strings.HasPrefix(s.Name, "__zdebug_"):
		return "debug"
	case s.Flags&0x80000000 != 0 || s.Flags&0x400 != 0: // pure instructions, some instructions
		return "text"
	case s.Seg == "__TEXT" || s.Seg == "__DATA_CONST":
		return "rodata"
	case strings.HasPrefix(s.Seg, "__DATA"):
		return "data"
	}
	return "other"
}

func machoArch(c macho.Cpu) string {
	switch c {
	case macho.CpuAmd64:
		return "amd64"
	case macho.CpuArm64:
		return "arm64"
	case macho.Cpu386:
		return "386"
	case macho.CpuArm:
		return "arm"
	case macho.CpuPpc64:
		return "ppc64"
	}
	return strings.ToLower(c.String())
}

func (f *File) machoSymbols() []Symbol {
	if f.macho.Symtab == nil {
		return nil
	}
	var out []Symbol
	for _, s := range f.macho.Symtab.Syms {
		// N_STAB debugging entries and undefined symbols have no place.
		if s.Type&0xe0 != 0 || s.Type&0x0e != 0x0e || s.Sect == 0 {
			continue
		}
		idx := int(s.Sect) - 1
		if idx >= len(f.macho.Sections) {
			continue
		}
		out = append(out, Symbol{Name: strings.TrimPrefix(s.Name, "_"), Addr: s.Value, Code: f.Sections[idx].Kind == "text", Section: idx})
	}
	return out
}
