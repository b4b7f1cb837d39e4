package inspect

import (
	"fmt"
	"sort"

	"github.com/goforge/goforge/internal/binfile"
)

// PackageSize is the bytes one package contributes to the file.
type PackageSize struct {
	Package string `json:"package"`
	Module  string `json:"module"`
	Class   string `json:"class"`
	// Code is machine code (from the function table).
	Code uint64 `json:"code"`
	// Pclntab is the package's share of the PC-line table: function
	// records, names and PC-value tables.
	Pclntab uint64 `json:"pclntab"`
	// Data is read-only and initialized data attributed through the
	// symbol table (0 for stripped binaries).
	Data  uint64 `json:"data"`
	Total uint64 `json:"total"`
}

// SectionSize is one section's file bytes split into what was attributed
// to packages and the rest.
type SectionSize struct {
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	FileSize     uint64 `json:"file_size"`
	Attributed   uint64 `json:"attributed"`
	Unattributed uint64 `json:"unattributed"`
}

// SizeReport is the schema of 'inspect size --json'. The package totals,
// the sections' unattributed bytes and Other add up to FileSize.
type SizeReport struct {
	Path     string        `json:"path"`
	FileSize uint64        `json:"file_size"`
	Packages []PackageSize `json:"packages"`
	Modules  []GroupSize   `json:"modules"`
	Classes  []GroupSize   `json:"classes"`
	Sections []SectionSize `json:"sections"`
	// Other is the bytes outside every section: headers, padding,
	// tables the loader reads without a section.
	Other uint64 `json:"other"`
	// Symbols reports whether a symbol table was used for data.
	Symbols bool `json:"symbols"`
}

// GroupSize sums packages by module or class.
type GroupSize struct {
	Name  string `json:"name"`
	Total uint64 `json:"total"`
}

// sizer accumulates attributions, never more than a section holds.
type sizer struct {
	f     *binfile.File
	pkgs  map[string]*PackageSize
	mods  modules
	attr  []uint64 // per section
	extra map[string]uint64
}

func (s *sizer) pkg(name string) *PackageSize {
	p := s.pkgs[name]
	if p == nil {
		mod, class := s.mods.classify(name)
		p = &PackageSize{Package: name, Module: mod, Class: class}
		s.pkgs[name] = p
	}
	return p
}

// take attributes up to n bytes of section i, returning what fit.
func (s *sizer) take(i int, n uint64) uint64 {
	if i < 0 || i >= len(s.attr) {
		return 0
	}
	n = min(n, s.f.Sections[i].FileSize-s.attr[i])
	s.attr[i] += n
	return n
}

func (s *sizer) sectionIndex(addr uint64) int {
	for i, sec := range s.f.Sections {
		if sec.FileSize > 0 && addr >= sec.Addr && addr-sec.Addr < sec.FileSize {
			return i
		}
	}
	return -1
}

// Size attributes the file's bytes to packages.
func (b *Binary) Size() (*SizeReport, error) {
	if err := b.needTab(); err != nil {
		return nil, err
	}
	f := b.File
	s := &sizer{f: f, pkgs: map[string]*PackageSize{}, mods: b.modules(), attr: make([]uint64, len(f.Sections))}
	if err := s.code(b); err != nil {
		return nil, err
	}
	symbols := false
	if f.HasSymbols() {
		syms, err := f.Symbols()
		if err == nil {
			symbols = true
			s.data(b, syms)
		}
	}
	return s.report(b.Path, symbols), nil
}

// code attributes each function's code and table metadata.
func (s *sizer) code(b *Binary) error {
	t := b.Tab.Table
	tabSect := s.sectionIndex(b.Tab.Addr)
	seen := t.NewSeen()
	for i := 0; i < t.NumFuncs(); i++ {
		fn, err := t.Func(i)
		if err != nil {
			return fmt.Errorf("reading function %d: %w", i, err)
		}
		p := s.pkg(PackageOf(fn.Name))
		if fn.End > fn.Entry {
			p.Code += s.take(s.sectionIndex(fn.Entry), fn.End-fn.Entry)
		}
		p.Pclntab += s.take(tabSect, uint64(t.MetadataSize(fn, seen)))
	}
	return nil
}

// data attributes symbols outside code and the pclntab, each byte once.
func (s *sizer) data(b *Binary, syms []binfile.Symbol) {
	tabStart, tabEnd := b.Tab.Addr, b.Tab.Addr+uint64(b.Tab.Table.Len())
	covered := uint64(0)
	for _, sym := range syms {
		if sym.Code || sym.Size == 0 || sym.Section < 0 || sym.Section >= len(s.attr) {
			continue
		}
		sec := s.f.Sections[sym.Section]
		if sec.FileSize == 0 || sec.Kind == "text" {
			continue
		}
		start, end := max(sym.Addr, covered), sym.Addr+sym.Size
		if start < tabEnd && end > tabStart || end <= start {
			continue
		}
		covered = end
		secEnd := sec.Addr + sec.FileSize
		if start >= secEnd {
			continue
		}
		p := s.pkg(PackageOf(sym.Name))
		p.Data += s.take(sym.Section, min(end, secEnd)-start)
	}
}

func (s *sizer) report(path string, symbols bool) *SizeReport {
	f := s.f
	r := &SizeReport{Path: path, FileSize: uint64(f.Size), Symbols: symbols}
	inSections := uint64(0)
	for i, sec := range f.Sections {
		if sec.FileSize == 0 {
			continue
		}
		inSections += sec.FileSize
		r.Sections = append(r.Sections, SectionSize{Name: sec.Name, Kind: sec.Kind, FileSize: sec.FileSize, Attributed: s.attr[i], Unattributed: sec.FileSize - s.attr[i]})
	}
	if inSections < r.FileSize {
		r.Other = r.FileSize - inSections
	}
	mods, classes := map[string]uint64{}, map[string]uint64{}
	for _, p := range s.pkgs {
		p.Total = p.Code + p.Pclntab + p.Data
		if p.Total == 0 {
			continue
		}
		r.Packages = append(r.Packages, *p)
		mods[p.Module] += p.Total
		classes[p.Class] += p.Total
	}
	sort.Slice(r.Packages, func(i, j int) bool {
		a, b := r.Packages[i], r.Packages[j]
		return a.Total > b.Total || a.Total == b.Total && a.Package < b.Package
	})
	r.Modules, r.Classes = groups(mods), groups(classes)
	return r
}

func groups(m map[string]uint64) []GroupSize {
	out := []GroupSize{}
	for k, v := range m {
		out = append(out, GroupSize{Name: k, Total: v})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Total > out[j].Total || out[i].Total == out[j].Total && out[i].Name < out[j].Name
	})
	return out
}

// Sum returns the total of what the report accounts for; it equals
// FileSize unless sections overlap.
func (r *SizeReport) Sum() uint64 {
	n := r.Other
	for _, p := range r.Packages {
		n += p.Total
	}
	for _, s := range r.Sections {
		n += s.Unattributed
	}
	return n
}

// SizeDiff is the schema of 'inspect size --diff --json'.
type SizeDiff struct {
	Old      string         `json:"old"`
	New      string         `json:"new"`
	OldSize  uint64         `json:"old_size"`
	NewSize  uint64         `json:"new_size"`
	Delta    int64          `json:"delta"`
	Packages []PackageDelta `json:"packages"`
}

// PackageDelta is one package's growth between two builds.
type PackageDelta struct {
	Package string `json:"package"`
	Old     uint64 `json:"old"`
	New     uint64 `json:"new"`
	Delta   int64  `json:"delta"`
}

// DiffSizes compares two reports package by package, largest change first.
func DiffSizes(a, b *SizeReport) *SizeDiff {
	d := &SizeDiff{Old: a.Path, New: b.Path, OldSize: a.FileSize, NewSize: b.FileSize, Delta: int64(b.FileSize) - int64(a.FileSize), Packages: []PackageDelta{}}
	rows := map[string]*PackageDelta{}
	row := func(name string) *PackageDelta {
		if rows[name] == nil {
			rows[name] = &PackageDelta{Package: name}
		}
		return rows[name]
	}
	for _, p := range a.Packages {
		row(p.Package).Old = p.Total
	}
	for _, p := range b.Packages {
		row(p.Package).New = p.Total
	}
	unOld, unNew := a.Other, b.Other
	for _, s := range a.Sections {
		unOld += s.Unattributed
	}
	for _, s := range b.Sections {
		unNew += s.Unattributed
	}
	if unOld != 0 || unNew != 0 {
		u := row("(unattributed)")
		u.Old, u.New = unOld, unNew
	}
	for _, r := range rows {
		r.Delta = int64(r.New) - int64(r.Old)
		if r.Delta != 0 {
			d.Packages = append(d.Packages, *r)
		}
	}
	sort.Slice(d.Packages, func(i, j int) bool {
		x, y := abs(d.Packages[i].Delta), abs(d.Packages[j].Delta)
		return x > y || x == y && d.Packages[i].Package < d.Packages[j].Package
	})
	return d
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
