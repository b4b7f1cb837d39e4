package binfile

// Facts is the short description of an executable that build tools check
// after producing one: format, target, linkage, strippedness.
type Facts struct {
	Path    string  `json:"path"`
	Format  Format  `json:"format"`
	OS      string  `json:"os"`
	Arch    string  `json:"arch"`
	PtrSize int     `json:"ptr_size"`
	Linkage Linkage `json:"linkage"`
	// Symbols and DWARF report what -ldflags=-s -w would have removed.
	Symbols bool `json:"symbols"`
	DWARF   bool `json:"dwarf"`
	// GoVersion is the Go version from the build info, or "" for a file
	// without Go build info.
	GoVersion string `json:"go_version,omitempty"`
}

// ReadFacts opens the executable at path and returns its Facts.
func ReadFacts(path string) (*Facts, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Facts(path), nil
}

// Facts returns the file's Facts; path is only recorded.
func (f *File) Facts(path string) *Facts {
	fa := &Facts{
		Path: path, Format: f.Format, OS: f.OS, Arch: f.Arch, PtrSize: f.PtrSize,
		Linkage: f.Linkage(), Symbols: f.HasSymbols(), DWARF: f.HasDWARF(),
	}
	if bi, err := f.BuildInfo(); err == nil {
		fa.GoVersion = bi.GoVersion
	}
	return fa
}
