package binfile

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"sort"
	"strings"
)

// Linkage describes how an executable is linked: what the loader has to
// supply before it runs.
type Linkage struct {
	// Static reports whether the program needs no dynamic loader and no
	// shared library. Windows and macOS programs always load system
	// libraries, so they are never static.
	Static bool `json:"static"`
	// StaticPIE reports a static, position-independent ELF executable.
	StaticPIE bool `json:"static_pie,omitempty"`
	// Interp is the ELF program interpreter (dynamic loader), if any.
	Interp string `json:"interp,omitempty"`
	// Needed lists the shared libraries or DLLs the file names.
	Needed []string `json:"needed"`
	// PIE reports a position-independent executable.
	PIE bool `json:"pie"`
	// Linker is "internal" (Go's linker), "external" (a C linker), or
	// "unknown".
	Linker string `json:"linker"`
	// ExternalLinker names the external linker when it left a trace.
	ExternalLinker string `json:"external_linker,omitempty"`
	// LinkerEvidence says what showed the linker when it was not Go's:
	// ".comment", ".init/.fini", ".note.ABI-tag", "PT_GNU_EH_FRAME", or an
	// entry point outside the Go text.
	LinkerEvidence string `json:"linker_evidence,omitempty"`
	// RELRO is "full", "partial" or "none" (ELF only).
	RELRO string `json:"relro,omitempty"`
	// NX reports a non-executable stack/data (ELF GNU_STACK, PE NX_COMPAT).
	NX bool `json:"nx"`
}

// Linkage reports the file's linkage facts.
func (f *File) Linkage() Linkage {
	var l Linkage
	switch f.Format {
	case ELF:
		l = f.elfLinkage()
	case PE:
		l = f.peLinkage()
	case MachO:
		l = f.machoLinkage()
	}
	if l.Needed == nil {
		l.Needed = []string{}
	}
	return l
}

func (f *File) elfLinkage() Linkage {
	ef := f.elf
	l := Linkage{Linker: "internal", RELRO: "none"}
	hasDynamic := false
	for _, p := range ef.Progs {
		switch p.Type {
		case elf.PT_INTERP:
			b := make([]byte, min(p.Filesz, 4096))
			if _, err := p.ReadAt(b, 0); err == nil {
				l.Interp = string(bytes.TrimRight(b, "\x00"))
			}
		case elf.PT_DYNAMIC:
			hasDynamic = true
		case elf.PT_GNU_RELRO:
			l.RELRO = "partial"
		case elf.PT_GNU_STACK:
			l.NX = p.Flags&elf.PF_X == 0
		}
	}
	if libs, err := ef.ImportedLibraries(); err == nil {
		l.Needed = libs
	}
	l.PIE = ef.Type == elf.ET_DYN
	l.Static = l.Interp == "" && len(l.Needed) == 0
	l.StaticPIE = l.Static && l.PIE && hasDynamic
	if l.RELRO == "partial" && elfBindNow(ef) {
		l.RELRO = "full"
	}
	if ef.Section(".note.go.buildid") == nil {
		l.Linker = "unknown"
	}
	if s := ef.Section(".comment"); s != nil {
		// Go's linker writes no .comment; GCC, clang and the linkers do.
		l.Linker, l.LinkerEvidence = "external", ".comment"
		if b, err := f.readFile(s.Offset, min(s.FileSize, 4096)); err == nil {
			l.ExternalLinker = commentTools(b)
		}
	} else if ev := f.elfExternalEvidence(); ev != "" {
		// strip -R .comment (Debian's packaging does) removes the C
		// linker's signature but not the C run-time it linked in.
		l.Linker, l.LinkerEvidence = "external", ev
	}
	return l
}

// elfExternalEvidence returns what in f only a C linker leaves: the crt
// files' .init and .fini sections, glibc's .note.ABI-tag, a
// PT_GNU_EH_FRAME segment. Go's internal linker writes none of these.
func (f *File) elfExternalEvidence() string {
	var ev []string
	if f.Section(".init") != nil && f.Section(".fini") != nil {
		ev = append(ev, ".init/.fini")
	}
	if f.Section(".note.ABI-tag") != nil || f.elfHasABITag() {
		ev = append(ev, ".note.ABI-tag")
	}
	for _, p := range f.elf.Progs {
		if p.Type == elf.PT_GNU_EH_FRAME {
			ev = append(ev, "PT_GNU_EH_FRAME")
			break
		}
	}
	return strings.Join(ev, ", ")
}

// elfHasABITag reports whether a PT_NOTE segment holds a GNU ABI tag note
// (type 1, owner "GNU"): the evidence that survives without sections.
func (f *File) elfHasABITag() bool {
	for _, p := range f.elf.Progs {
		if p.Type != elf.PT_NOTE || p.Filesz > 4096 {
			continue
		}
		b, err := f.readFile(p.Off, p.Filesz)
		if err != nil {
			continue
		}
		for len(b) >= 12 {
			namesz, descsz, typ := f.ByteOrder.Uint32(b), f.ByteOrder.Uint32(b[4:]), f.ByteOrder.Uint32(b[8:])
			n, d := (uint64(namesz)+3)&^3, (uint64(descsz)+3)&^3
			if n > uint64(len(b)-12) || d > uint64(len(b)-12)-n {
				break
			}
			if typ == 1 && namesz == 4 && string(b[12:15]) == "GNU" {
				return true
			}
			b = b[12+n+d:]
		}
	}
	return false
}

// commentTools summarizes the NUL-separated strings of an ELF .comment.
func commentTools(b []byte) string {
	var tools []string
	seen := map[string]bool{}
	for _, s := range bytes.Split(b, []byte{0}) {
		t := strings.TrimSpace(string(s))
		if t != "" && !seen[t] {
			seen[t] = true
			tools = append(tools, t)
		}
	}
	return strings.Join(tools, "; ")
}

func elfBindNow(ef *elf.File) bool {
	if v, err := ef.DynValue(elf.DT_FLAGS); err == nil {
		for _, x := range v {
			if elf.DynFlag(x)&elf.DF_BIND_NOW != 0 {
				return true
			}
		}
	}
	if v, err := ef.DynValue(elf.DT_FLAGS_1); err == nil {
		for _, x := range v {
			if elf.DynFlag1(x)&elf.DF_1_NOW != 0 {
				return true
			}
		}
	}
	if v, err := ef.DynValue(elf.DT_BIND_NOW); err == nil && len(v) > 0 {
		return true
	}
	return false
}

func (f *File) peLinkage() Linkage {
	l := Linkage{Linker: "internal"}
	// debug/pe's ImportedLibraries is a stub; the DLL names come with
	// the imported symbols as "symbol:dll".
	if syms, err := f.pe.ImportedSymbols(); err == nil {
		var libs []string
		for _, s := range syms {
			if _, dll, ok := strings.Cut(s, ":"); ok {
				libs = append(libs, dll)
			}
		}
		l.Needed = dedupFold(libs)
	}
	var dllChars uint16
	switch oh := f.pe.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		dllChars = oh.DllCharacteristics
	case *pe.OptionalHeader32:
		dllChars = oh.DllCharacteristics
	}
	l.PIE = dllChars&pe.IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE != 0
	l.NX = dllChars&pe.IMAGE_DLLCHARACTERISTICS_NX_COMPAT != 0
	// Go's linker writes a fixed set of sections; MinGW's ld adds .CRT,
	// .tls and section names in the string table ("/4").
	for _, s := range f.pe.Sections {
		if s.Name == ".CRT" || strings.HasPrefix(s.Name, "/") || s.Name == ".pdata" && f.Section(".xdata") != nil && f.Section(".CRT") != nil {
			l.Linker = "external"
		}
	}
	return l
}

func dedupFold(libs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range libs {
		k := strings.ToLower(l)
		if !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

func (f *File) machoLinkage() Linkage {
	l := Linkage{Linker: "internal", NX: true}
	if libs, err := f.macho.ImportedLibraries(); err == nil {
		l.Needed = libs
	}
	l.PIE = f.macho.Flags&macho.FlagPIE != 0
	// Go's internal linker emits no __stubs/__stub_helper with
	// __TEXT,__cstring from C objects; ld64 leaves __unwind_info.
	if f.Section("__unwind_info") != nil || f.Section("__eh_frame") != nil {
		l.Linker = "external"
	}
	return l
}

// BuildID returns the Go build ID recorded in the file, or "".
func (f *File) BuildID() string {
	if f.Format == ELF {
		if s := f.Section(".note.go.buildid"); s != nil {
			if b, err := f.readFile(s.Offset, min(s.FileSize, 1024)); err == nil && len(b) > 16 {
				return strings.TrimRight(string(b[16:]), "\x00")
			}
		}
	}
	// The linker also writes the ID at the start of the text segment.
	t := f.TextSection()
	if t == nil || t.FileSize == 0 {
		return ""
	}
	b, err := f.readFile(t.Offset, min(t.FileSize, 4096))
	if err != nil {
		return ""
	}
	const prefix = "\xff Go build ID: \""
	i := bytes.Index(b, []byte(prefix))
	if i < 0 {
		return ""
	}
	rest := b[i+len(prefix):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// GNUBuildID returns the hex GNU build ID note of an ELF file, or "".
func (f *File) GNUBuildID() string {
	s := f.Section(".note.gnu.build-id")
	if s == nil || s.FileSize <= 16 {
		return ""
	}
	b, err := f.readFile(s.Offset, min(s.FileSize, 1024))
	if err != nil {
		return ""
	}
	return hex.EncodeToString(b[16:])
}
