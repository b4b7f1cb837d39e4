package binfile

import (
	"debug/elf"
	"fmt"
	"slices"
	"strings"
)

func (f *File) openELF() error {
	ef, err := elf.NewFile(f.r)
	if err != nil {
		if ef, err = f.openELFDegraded(err); err != nil {
			return err
		}
	}
	f.elf = ef
	f.Format = ELF
	f.ByteOrder = ef.ByteOrder
	f.PtrSize = 8
	if ef.Class == elf.ELFCLASS32 {
		f.PtrSize = 4
	}
	f.Entry = ef.Entry
	f.Arch = elfArch(ef)
	f.OS = elfOS(ef)
	loaded := false
	for i, s := range ef.Sections {
		if i == 0 {
			continue
		}
		sec := Section{Name: s.Name, Addr: s.Addr, Size: s.Size, Offset: s.Offset, FileSize: s.FileSize, Kind: elfKind(s)}
		if s.Type == elf.SHT_NOBITS {
			sec.FileSize = 0
		}
		if sec.Name == "" {
			// The name table was cut off: name what the type tells.
			sec.Name = map[elf.SectionType]string{elf.SHT_SYMTAB: ".symtab", elf.SHT_DYNSYM: ".dynsym", elf.SHT_DYNAMIC: ".dynamic"}[s.Type]
			if sec.Name == "" {
				sec.Name = fmt.Sprintf("[%d]", i)
			}
		}
		loaded = loaded || s.Flags&elf.SHF_ALLOC != 0 && sec.FileSize > 0
		f.Sections = append(f.Sections, sec)
	}
	if !loaded {
		// sstrip, packers and truncation leave no section headers (or
		// zeroed ones); the loaded segments still hold everything.
		if segs := elfSegments(ef); len(segs) > 0 {
			f.Sections = slices.DeleteFunc(f.Sections, func(s Section) bool { return s.Addr == 0 && s.Size == 0 })
			f.Sections = append(f.Sections, segs...)
			// Whatever was said about the section headers is moot now.
			f.Warnings = []string{"no usable section headers: sections are the loaded segments (LOAD0...)"}
		}
	}
	return nil
}

func elfKind(s *elf.Section) string {
	switch {
	case s.Type == elf.SHT_NOBITS:
		return "bss"
	case strings.HasPrefix(s.Name, ".debug_") || strings.HasPrefix(s.Name, ".zdebug_"):
		return "debug"
	case s.Type == elf.SHT_SYMTAB || s.Type == elf.SHT_DYNSYM || s.Type == elf.SHT_STRTAB:
		return "symtab"
	case s.Flags&elf.SHF_EXECINSTR != 0:
		return "text"
	case s.Flags&elf.SHF_ALLOC != 0 && s.Flags&elf.SHF_WRITE != 0:
		return "data"
	case s.Flags&elf.SHF_ALLOC != 0:
		return "rodata"
	}
	return "other"
}

func elfArch(ef *elf.File) string {
	le := ef.ByteOrder.String() == "LittleEndian"
	switch ef.Machine {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_386:
		return "386"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_RISCV:
		return "riscv64"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_LOONGARCH:
		return "loong64"
	case elf.EM_PPC64:
		if le {
			return "ppc64le"
		}
		return "ppc64"
	case elf.EM_MIPS:
		arch := "mips"
		if ef.Class == elf.ELFCLASS64 {
			arch = "mips64"
		}
		if le {
			arch += "le"
		}
		return arch
	}
	return strings.ToLower(strings.TrimPrefix(ef.Machine.String(), "EM_"))
}

func elfOS(ef *elf.File) string {
	switch ef.OSABI {
	case elf.ELFOSABI_FREEBSD:
		return "freebsd"
	case elf.ELFOSABI_NETBSD:
		return "netbsd"
	case elf.ELFOSABI_OPENBSD:
		return "openbsd"
	case elf.ELFOSABI_SOLARIS:
		return "solaris"
	}
	for _, name := range []string{"netbsd", "openbsd", "freebsd"} {
		if ef.Section(".note."+name+".ident") != nil {
			return name
		}
	}
	if ef.Section(".note.android.ident") != nil {
		return "android"
	}
	return "linux"
}

func (f *File) elfSymbols() ([]Symbol, error) {
	syms, err := f.elf.Symbols()
	if err != nil {
		if err == elf.ErrNoSymbols {
			return nil, nil
		}
		return nil, fmt.Errorf("reading ELF symbols: %w", err)
	}
	// f.Sections skips the SHT_NULL section 0, so ELF index i is i-1 here.
	out := make([]Symbol, 0, len(syms))
	for _, s := range syms {
		typ := elf.ST_TYPE(s.Info)
		if typ == elf.STT_SECTION || typ == elf.STT_FILE || s.Section == elf.SHN_UNDEF || s.Section >= elf.SHN_LORESERVE {
			continue
		}
		idx := int(s.Section) - 1
		code := idx >= 0 && idx < len(f.Sections) && f.Sections[idx].Kind == "text"
		out = append(out, Symbol{Name: s.Name, Addr: s.Value, Size: s.Size, Code: code, Section: idx})
	}
	return out, nil
}
