package pclntab

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/goforge/goforge/internal/binfile"
)

// Located is a table found in an executable, with how it was found.
type Located struct {
	*Table
	// Addr and Offset are the table's virtual address and file offset.
	Addr, Offset uint64
	// Section is the section holding the table; How is "section",
	// "symbol" or "magic scan".
	Section, How string
	// TextStartFrom says where TextStart came from: "header",
	// "moduledata", "symbol" or "text section".
	TextStartFrom string
	// Moduledata is the address of runtime.firstmoduledata, or 0.
	Moduledata uint64
	// Warnings lists what could not be determined.
	Warnings []string
}

// ErrNotFound reports an executable without a pclntab.
var ErrNotFound = errors.New("no pclntab")

// Find locates and parses the pclntab of f: by section name, then by the
// runtime.pclntab symbol, then by scanning for the header's magic. It
// determines the text base and the go:func.* base for inline trees.
func Find(f *binfile.File) (*Located, error) {
	syms := &lazySyms{f: f}
	loc, data, err := locate(f, syms)
	if err != nil {
		return nil, err
	}
	t, err := Parse(data, 0)
	if err != nil {
		return nil, fmt.Errorf("decoding pclntab at %#x: %w", loc.Addr, err)
	}
	if t.PtrSize != f.PtrSize {
		return nil, fmt.Errorf("pclntab pointer size %d does not match the %d-bit file", t.PtrSize, f.PtrSize*8)
	}
	loc.Table = t
	loc.Warnings = append(loc.Warnings, t.Warnings...)
	if t.Future {
		loc.Warnings = append(loc.Warnings, fmt.Sprintf("unknown pclntab magic %#x (a Go release newer than goforge): decoded as the Go 1.20+ format", t.Magic))
	}
	loc.resolveBases(f, syms)
	return loc, nil
}

// lazySyms reads the symbol table only when a lookup needs it: most
// binaries answer every question from sections and moduledata.
type lazySyms struct {
	f      *binfile.File
	done   bool
	byName map[string]uint64
}

func (l *lazySyms) addr(name string) uint64 {
	if !l.done {
		l.done = true
		if l.f.HasSymbols() {
			syms, _ := l.f.Symbols()
			l.byName = map[string]uint64{}
			for _, s := range syms {
				switch s.Name {
				case "runtime.pclntab", "runtime.epclntab", "runtime.text", "go:func.*", "go.func.*", "runtime.firstmoduledata":
					l.byName[s.Name] = s.Addr
				}
			}
		}
	}
	return l.byName[name]
}

var tableSections = []string{".gopclntab", ".data.rel.ro.gopclntab", "__gopclntab"}

func locate(f *binfile.File, syms *lazySyms) (*Located, []byte, error) {
	for _, name := range tableSections {
		if s := f.Section(name); s != nil && s.FileSize > 0 {
			data, err := f.ReadSection(s)
			if err != nil {
				return nil, nil, fmt.Errorf("reading %s: %w", name, err)
			}
			return &Located{Addr: s.Addr, Offset: s.Offset, Section: name, How: "section"}, data, nil
		}
	}
	start, end := syms.addr("runtime.pclntab"), syms.addr("runtime.epclntab")
	if start != 0 && end > start {
		if s := f.SectionAt(start); s != nil {
			data, err := f.ReadVA(start, min(end-start, s.Addr+s.FileSize-start))
			if err == nil {
				return &Located{Addr: start, Offset: s.Offset + start - s.Addr, Section: s.Name, How: "symbol"}, data, nil
			}
		}
	}
	return scan(f)
}

const chunk = 1 << 20

// scan looks for a table header in the sections with file data that are
// not code, reading them in chunks.
func scan(f *binfile.File) (*Located, []byte, error) {
	var magics [][]byte
	for _, m := range []uint32{Magic120, Magic118, Magic116, Magic12} {
		b := make([]byte, 4)
		f.ByteOrder.PutUint32(b, m)
		magics = append(magics, append(b, 0, 0))
	}
	for i := range f.Sections {
		s := &f.Sections[i]
		if s.FileSize < 64 || (s.Kind != "rodata" && s.Kind != "data") {
			continue
		}
		for base := uint64(0); base < s.FileSize; base += chunk {
			n := min(chunk+8, s.FileSize-base)
			buf := make([]byte, n)
			if _, err := f.ReaderAt().ReadAt(buf, int64(s.Offset+base)); err != nil {
				break
			}
			for _, m := range magics {
				for at := 0; ; {
					j := bytes.Index(buf[at:], m)
					if j < 0 {
						break
					}
					off := base + uint64(at+j)
					at += j + 1
					if off%4 != 0 || off+8 > s.FileSize {
						continue
					}
					if loc, data := tryScanHit(f, s, off); loc != nil {
						return loc, data, nil
					}
				}
			}
		}
	}
	return nil, nil, ErrNotFound
}

// tryScanHit checks a magic found at offset off of s: the table must parse
// and its first function must have a name.
func tryScanHit(f *binfile.File, s *binfile.Section, off uint64) (*Located, []byte) {
	hdr := make([]byte, 8)
	if _, err := f.ReaderAt().ReadAt(hdr, int64(s.Offset+off)); err != nil || int(hdr[7]) != f.PtrSize {
		return nil, nil
	}
	if q := hdr[6]; q != 1 && q != 2 && q != 4 {
		return nil, nil
	}
	data, err := f.ReadVA(s.Addr+off, s.FileSize-off)
	if err != nil {
		return nil, nil
	}
	t, err := Parse(data, 1)
	if err != nil || t.NumFuncs() == 0 {
		return nil, nil
	}
	if _, err := t.Func(0); err != nil {
		return nil, nil
	}
	return &Located{Addr: s.Addr + off, Offset: s.Offset + off, Section: s.Name, How: "magic scan"}, data
}

// resolveBases sets the text start and the go:func.* base.
func (l *Located) resolveBases(f *binfile.File, syms *lazySyms) {
	t := l.Table
	md := findModuledata(f, l, syms)
	if md != nil {
		l.Moduledata = md.addr
	}
	switch {
	case t.Version < Ver118:
		l.TextStartFrom = "absolute entries"
	case t.HeaderTextStart != 0 && f.Format != binfile.ELF || t.HeaderTextStart != 0 && !f.Linkage().PIE:
		t.SetTextStart(t.HeaderTextStart)
		l.TextStartFrom = "header"
	case md != nil && md.text != 0:
		t.SetTextStart(md.text)
		l.TextStartFrom = "moduledata"
	case syms.addr("runtime.text") != 0:
		t.SetTextStart(syms.addr("runtime.text"))
		l.TextStartFrom = "symbol"
	case f.TextSection() != nil:
		t.SetTextStart(f.TextSection().Addr)
		l.TextStartFrom = "text section"
		l.Warnings = append(l.Warnings, "text start taken from the text section; entries may be offset in externally linked binaries")
	}
	var goFunc uint64
	if md != nil {
		goFunc = md.gofunc
	}
	if goFunc == 0 {
		goFunc = syms.addr("go:func.*")
	}
	if goFunc == 0 {
		goFunc = syms.addr("go.func.*")
	}
	if goFunc == 0 && t.Version >= Ver118 {
		l.Warnings = append(l.Warnings, "go:func.* not found: inlined frames cannot be named")
	}
	t.SetInlineSource(f, goFunc)
}

type moduledata struct {
	addr, text, gofunc uint64
}

// findModuledata finds runtime.firstmoduledata: its first word points at
// the table and its second at the function name table. Only the fields
// whose place has been stable since Go 1.16 are used (text), plus gofunc,
// checked to lie in the file.
func findModuledata(f *binfile.File, l *Located, syms *lazySyms) *moduledata {
	t := l.Table
	if t.Version < Ver116 {
		return nil
	}
	// Scanning is cheap for ordinary data sections; a huge one (embedded
	// files) is worth a symbol table lookup first, when there is one.
	if s := f.Section(".noptrdata"); s != nil && s.FileSize > 8<<20 {
		if addr := syms.addr("runtime.firstmoduledata"); addr != 0 {
			return readModuledata(f, t, addr)
		}
	}
	ps := uint64(f.PtrSize)
	want := make([]byte, 2*ps)
	put := func(b []byte, v uint64) {
		if ps == 4 {
			f.ByteOrder.PutUint32(b, uint32(v))
		} else {
			f.ByteOrder.PutUint64(b, v)
		}
	}
	put(want, l.Addr)
	put(want[ps:], l.Addr+uint64(t.funcnameOff))
	// runtime.firstmoduledata lives in .noptrdata; look there first.
	var order []*binfile.Section
	for pass := 0; pass < 3; pass++ {
		for i := range f.Sections {
			s := &f.Sections[i]
			if s.Kind != "data" && s.Kind != "rodata" || s.FileSize == 0 {
				continue
			}
			noptr := strings.Contains(s.Name, "noptrdata")
			if pass == 0 && noptr || pass == 1 && !noptr && s.Kind == "data" || pass == 2 && s.Kind == "rodata" {
				order = append(order, s)
			}
		}
	}
	for _, s := range order {
		if addr, ok := findWords(f, s, want, ps); ok {
			return readModuledata(f, t, addr)
		}
	}
	return nil
}

func findWords(f *binfile.File, s *binfile.Section, want []byte, align uint64) (uint64, bool) {
	for base := uint64(0); base < s.FileSize; base += chunk {
		n := min(chunk+uint64(len(want)), s.FileSize-base)
		buf := make([]byte, n)
		if _, err := f.ReaderAt().ReadAt(buf, int64(s.Offset+base)); err != nil {
			return 0, false
		}
		for at := 0; ; {
			j := bytes.Index(buf[at:], want)
			if j < 0 {
				break
			}
			off := base + uint64(at+j)
			if off%align == 0 {
				return s.Addr + off, true
			}
			at += j + 1
		}
	}
	return 0, false
}

func readModuledata(f *binfile.File, t *Table, addr uint64) *moduledata {
	ps := uint64(f.PtrSize)
	const words = 48
	b, err := f.ReadVA(addr, words*ps)
	if err != nil {
		return nil
	}
	word := func(i int) uint64 {
		if ps == 4 {
			return uint64(f.ByteOrder.Uint32(b[uint64(i)*ps:]))
		}
		return f.ByteOrder.Uint64(b[uint64(i)*ps:])
	}
	md := &moduledata{addr: addr, text: word(22)}
	// minpc (word 20) is the first function's entry: text + its offset.
	if t.Version >= Ver118 && t.nfunc > 0 && word(20) != md.text+t.ftab(0) {
		md.text = 0
	}
	gofuncAt := 40 // Go 1.20+: covctrs and ecovctrs precede
	if t.Version == Ver118 {
		gofuncAt = 38
	} else if t.Version == Ver116 {
		return md
	}
	// The field's place is known for the releases so far; a later
	// release may move it, so check the value against real inline trees
	// and otherwise look for a word that passes.
	cands := []int{gofuncAt}
	for i := 30; i < words; i++ {
		if i != gofuncAt {
			cands = append(cands, i)
		}
	}
	for _, i := range cands {
		if g := word(i); g != 0 && f.SectionAt(g) != nil && t.plausibleGoFunc(f, g) {
			md.gofunc = g
			break
		}
	}
	return md
}
