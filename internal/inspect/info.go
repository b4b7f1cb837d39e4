package inspect

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/goforge/goforge/internal/binfile"
)

// Module is a module in the build info.
type Module struct {
	Path    string  `json:"path"`
	Version string  `json:"version"`
	Sum     string  `json:"sum,omitempty"`
	Replace *Module `json:"replace,omitempty"`
}

// Setting is one build setting (-ldflags, GOOS, vcs.revision, ...).
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Pclntab describes the function table.
type Pclntab struct {
	Format        string `json:"format"`
	Magic         string `json:"magic"`
	Addr          uint64 `json:"addr"`
	Size          int    `json:"size"`
	Section       string `json:"section"`
	FoundBy       string `json:"found_by"`
	Funcs         int    `json:"funcs"`
	Files         int    `json:"files"`
	TextStart     uint64 `json:"text_start"`
	TextStartFrom string `json:"text_start_from"`
	GoFunc        uint64 `json:"go_func,omitempty"`
	Moduledata    uint64 `json:"moduledata,omitempty"`
}

// Info is the schema of 'inspect info --json'.
type Info struct {
	Path       string            `json:"path"`
	GoVersion  string            `json:"go_version,omitempty"`
	ModulePath string            `json:"module_path,omitempty"`
	Main       *Module           `json:"main,omitempty"`
	Deps       []Module          `json:"deps"`
	Settings   []Setting         `json:"settings"`
	Format     binfile.Format    `json:"format"`
	OS         string            `json:"os"`
	Arch       string            `json:"arch"`
	Endian     string            `json:"endian"`
	PtrSize    int               `json:"ptr_size"`
	PIE        bool              `json:"pie"`
	Symbols    bool              `json:"symbols"`
	DWARF      bool              `json:"dwarf"`
	BuildID    string            `json:"build_id,omitempty"`
	GNUBuildID string            `json:"gnu_build_id,omitempty"`
	FileSize   int64             `json:"file_size"`
	Pclntab    *Pclntab          `json:"pclntab,omitempty"`
	Sections   []binfile.Section `json:"sections"`
	Warnings   []string          `json:"warnings,omitempty"`
}

// Info returns the binary's build information and file facts.
func (b *Binary) Info() *Info {
	f := b.File
	in := &Info{
		Path: b.Path, Format: f.Format, OS: f.OS, Arch: f.Arch, PtrSize: f.PtrSize,
		Endian: "little", PIE: f.Linkage().PIE, Symbols: f.HasSymbols(), DWARF: f.HasDWARF(),
		BuildID: f.BuildID(), GNUBuildID: f.GNUBuildID(), FileSize: f.Size,
		Sections: f.Sections, Deps: []Module{}, Settings: []Setting{}, Warnings: b.Warnings,
	}
	if f.ByteOrder == binary.BigEndian {
		in.Endian = "big"
	}
	if bi := b.Build; bi != nil {
		in.GoVersion, in.ModulePath = bi.GoVersion, bi.Path
		if bi.Main.Path != "" {
			in.Main = &Module{Path: bi.Main.Path, Version: bi.Main.Version, Sum: bi.Main.Sum}
		}
		for _, d := range bi.Deps {
			m := Module{Path: d.Path, Version: d.Version, Sum: d.Sum}
			if r := d.Replace; r != nil {
				m.Replace = &Module{Path: r.Path, Version: r.Version, Sum: r.Sum}
			}
			in.Deps = append(in.Deps, m)
		}
		for _, s := range bi.Settings {
			in.Settings = append(in.Settings, Setting{s.Key, s.Value})
		}
	}
	if t := b.Tab; t != nil {
		in.Pclntab = &Pclntab{
			Format: t.Table.Version.String(), Magic: fmt.Sprintf("%#x", t.Table.Magic), Addr: t.Addr,
			Size: t.Table.Len(), Section: t.Section, FoundBy: t.How, Funcs: t.Table.NumFuncs(),
			Files: t.Table.NumFiles, TextStart: t.Table.TextStart, TextStartFrom: t.TextStartFrom,
			GoFunc: t.Table.GoFunc(), Moduledata: t.Moduledata,
		}
	}
	return in
}

// GoVersionM returns the build info exactly as 'go version -m FILE' prints
// it, or "" without build info.
func (b *Binary) GoVersionM() string {
	bi := b.Build
	if bi == nil {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %s\n", b.Path, bi.GoVersion)
	c := *bi
	c.GoVersion = ""
	if mod := c.String(); len(mod) > 0 {
		fmt.Fprintf(&sb, "\t%s\n", strings.ReplaceAll(mod[:len(mod)-1], "\n", "\n\t"))
	}
	return sb.String()
}

// LinkageView is the schema of 'inspect linkage --json'.
type LinkageView struct {
	Path   string         `json:"path"`
	Format binfile.Format `json:"format"`
	OS     string         `json:"os"`
	Arch   string         `json:"arch"`
	binfile.Linkage
	// Cgo reports whether runtime/cgo is linked in.
	Cgo bool `json:"cgo"`
	// CgoEnabled is the CGO_ENABLED build setting, "" if unrecorded.
	CgoEnabled string `json:"cgo_enabled,omitempty"`
	// Verdict is one line answering "is this really static?".
	Verdict string `json:"verdict"`
}

// Linkage returns the binary's linkage facts.
func (b *Binary) Linkage() *LinkageView {
	f := b.File
	v := &LinkageView{Path: b.Path, Format: f.Format, OS: f.OS, Arch: f.Arch, Linkage: f.Linkage()}
	if b.Build != nil {
		for _, s := range b.Build.Settings {
			if s.Key == "CGO_ENABLED" {
				v.CgoEnabled = s.Value
			}
		}
	}
	if b.Tab != nil {
		for i := 0; i < b.Tab.Table.NumFuncs(); i++ {
			fn, err := b.Tab.Table.Func(i)
			if err == nil && (strings.HasPrefix(fn.Name, "runtime/cgo.") || strings.HasPrefix(fn.Name, "_cgo_")) {
				v.Cgo = true
				break
			}
		}
	}
	b.entryEvidence(v)
	v.Verdict = verdict(v)
	return v
}

// entryEvidence marks an ELF file external-linked when its entry point is
// no Go function: a C linker starts the program at the crt files' _start,
// placed before the Go text, where Go's linker starts at the runtime's
// _rt0 function. This survives stripping every section a C linker adds.
func (b *Binary) entryEvidence(v *LinkageView) {
	f := b.File
	if f.Format != binfile.ELF || v.Linker != "internal" || b.Tab == nil || f.Entry == 0 || b.Tab.Table.NumFuncs() == 0 {
		return
	}
	if _, err := b.Tab.Table.FuncAt(f.Entry); err != nil {
		v.Linker = "external"
		v.LinkerEvidence = fmt.Sprintf("entry point %#x outside the Go text (a C start-up file's _start)", f.Entry)
	}
}

func verdict(v *LinkageView) string {
	l := v.Linkage
	switch {
	case l.Static && l.StaticPIE:
		return "static (static-pie): needs no dynamic loader and no shared library"
	case l.Static:
		return "static: needs no dynamic loader and no shared library"
	case v.Format == binfile.PE:
		return "dynamic: loads Windows system DLLs (" + strings.Join(l.Needed, ", ") + ")"
	case v.Format == binfile.MachO:
		return "dynamic: loads macOS system libraries (" + strings.Join(l.Needed, ", ") + ")"
	case l.Interp != "" && len(l.Needed) == 0:
		// -buildmode=pie without cgo: the loader only relocates it.
		return "dynamic: interpreter " + l.Interp + " (to relocate the PIE), no shared library"
	case l.Interp != "":
		return "dynamic: interpreter " + l.Interp + ", needs " + strings.Join(l.Needed, ", ")
	}
	return "dynamic: needs " + strings.Join(l.Needed, ", ")
}
