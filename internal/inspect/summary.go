package inspect

import "github.com/goforge/goforge/internal/binfile"

// Summary is the schema of 'inspect FILE --json'.
type Summary struct {
	Path      string         `json:"path"`
	Format    binfile.Format `json:"format"`
	OS        string         `json:"os"`
	Arch      string         `json:"arch"`
	GoVersion string         `json:"go_version,omitempty"`
	Main      string         `json:"main,omitempty"`
	FileSize  int64          `json:"file_size"`
	Static    bool           `json:"static"`
	Symbols   bool           `json:"symbols"`
	DWARF     bool           `json:"dwarf"`
	Pclntab   string         `json:"pclntab,omitempty"`
	Funcs     int            `json:"funcs"`
	Files     int            `json:"files"`
	Warnings  []string       `json:"warnings,omitempty"`
}

// Summary returns the one-screen description of the binary.
func (b *Binary) Summary() *Summary {
	f := b.File
	s := &Summary{
		Path: b.Path, Format: f.Format, OS: f.OS, Arch: f.Arch, FileSize: f.Size,
		Static: f.Linkage().Static, Symbols: f.HasSymbols(), DWARF: f.HasDWARF(), Warnings: b.Warnings,
	}
	if b.Build != nil {
		s.GoVersion, s.Main = b.Build.GoVersion, b.Build.Path
	}
	if b.Tab != nil {
		s.Pclntab = b.Tab.Table.Version.String()
		s.Funcs, s.Files = b.Tab.Table.NumFuncs(), b.Tab.Table.NumFiles
	}
	return s
}
