// Package inspect builds goforge's views of a Go binary: summary, build
// information, linkage, functions, PC and line lookups, the file table and
// size by package. It reads through binfile and pclntab and does no
// formatting for terminals; internal/cli prints what it returns.
package inspect

import (
	"debug/buildinfo"
	"errors"
	"fmt"
	"strings"

	"github.com/goforge/goforge/internal/binfile"
	"github.com/goforge/goforge/internal/pclntab"
)

// Binary is an opened Go binary with what could be read of it.
type Binary struct {
	Path  string
	File  *binfile.File
	Build *buildinfo.BuildInfo // nil without build info
	Tab   *pclntab.Located     // nil without a pclntab
	// Warnings says what could not be read, for stderr.
	Warnings []string
}

// ErrNotGo reports a file that is an executable but not a Go binary.
var ErrNotGo = errors.New("not a Go binary (no build info, no pclntab)")

// Open opens the binary at path. A file with neither build info nor a
// pclntab is an error wrapping ErrNotGo that says what was found.
func Open(path string) (*Binary, error) {
	f, err := binfile.OpenMapped(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	b := &Binary{Path: path, File: f, Warnings: append([]string(nil), f.Warnings...)}
	bi, biErr := f.BuildInfo()
	if biErr == nil {
		b.Build = bi
	}
	tab, tabErr := pclntab.Find(f)
	if tabErr == nil {
		b.Tab = tab
		b.Warnings = append(b.Warnings, tab.Warnings...)
	}
	if b.Build == nil && b.Tab == nil {
		f.Close()
		err := fmt.Errorf("%s: %w; found %s %s/%s with %d sections", path, ErrNotGo, f.Format, f.OS, f.Arch, len(f.Sections))
		if len(f.Truncated) > 0 {
			err = fmt.Errorf("%w; %s", err, truncation(f))
		}
		return nil, err
	}
	if tabErr != nil {
		b.Warnings = append(b.Warnings, fmt.Sprintf("no function table: %v", tabErr))
	}
	if biErr != nil {
		b.Warnings = append(b.Warnings, fmt.Sprintf("no build info: %v", biErr))
	}
	if len(f.Truncated) > 0 {
		b.Warnings = append(b.Warnings, truncation(f)+"; what lies before was read")
	}
	b.checkVersion()
	return b, nil
}

// truncation says where the file ends and which sections it cuts off.
func truncation(f *binfile.File) string {
	names := f.Truncated
	if len(names) > 8 {
		names = append(names[:8:8], fmt.Sprintf("and %d more", len(f.Truncated)-8))
	}
	return fmt.Sprintf("file truncated at %d bytes: sections %s cut off", f.Size, strings.Join(names, ", "))
}

// checkVersion warns about a binary from a Go release newer than the
// table formats goforge knows.
func (b *Binary) checkVersion() {
	if b.Build == nil || b.Tab == nil {
		return
	}
	v := strings.TrimPrefix(b.Build.GoVersion, "go")
	var major, minor int
	if n, _ := fmt.Sscanf(v, "%d.%d", &major, &minor); n == 2 && (major > 1 || minor > 26) {
		b.Warnings = append(b.Warnings, fmt.Sprintf("%s is newer than the Go releases goforge knows (up to go1.26): results may be incomplete", b.Build.GoVersion))
	}
}

// Close closes the file.
func (b *Binary) Close() error { return b.File.Close() }

// needTab returns an error when the binary has no pclntab.
func (b *Binary) needTab() error {
	if b.Tab == nil {
		return fmt.Errorf("%s has no function table (pclntab)", b.Path)
	}
	return nil
}
