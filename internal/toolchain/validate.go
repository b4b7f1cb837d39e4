package toolchain

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/goforge/goforge/internal/units"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/goforge/goforge/internal/binfile"
)

// An InvalidGOROOTError reports a staged toolchain that is not published
// because one of its entries is unsafe or not what a Go distribution
// holds. Entry is the path inside the GOROOT.
type InvalidGOROOTError struct {
	Entry  string
	Reason string
}

func (e *InvalidGOROOTError) Error() string {
	return fmt.Sprintf("not installed: %s: %s", clip(e.Entry), e.Reason)
}

func invalid(entry, format string, args ...any) error {
	return &InvalidGOROOTError{Entry: entry, Reason: fmt.Sprintf(format, args...)}
}

// maxVersionLine bounds the first line of a VERSION file.
const maxVersionLine = 256

// validateGOROOT checks the staged GOROOT dir before it is published, so
// that an installed version always runs the Go it claims to be: VERSION
// (when present) is one short line naming m's version; every symlink,
// followed through any chain of links as the kernel would, stays inside
// dir; bin/go and bin/gofmt are non-empty executable regular files whose
// object header is for m's platform.
func validateGOROOT(dir string, m Meta) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := checkVersion(root, m.Version); err != nil {
		return err
	}
	if err := checkSymlinks(dir, root); err != nil {
		return err
	}
	binDir := "bin"
	if _, err := root.Lstat(filepath.Join("bin", exeName("go", m.GOOS))); errors.Is(err, fs.ErrNotExist) {
		alt := filepath.Join("bin", m.GOOS+"_"+m.GOARCH)
		if _, err := root.Lstat(filepath.Join(alt, exeName("go", m.GOOS))); err == nil {
			binDir = alt
		}
	}
	for _, cmd := range []string{"go", "gofmt"} {
		if err := checkCommand(root, filepath.Join(binDir, exeName(cmd, m.GOOS)), m.GOOS, m.GOARCH); err != nil {
			return err
		}
	}
	return nil
}

func exeName(cmd, goos string) string {
	if goos == "windows" {
		return cmd + ".exe"
	}
	return cmd
}

// checkVersion checks the first line of VERSION, when there is one.
func checkVersion(root *os.Root, want string) error {
	first, err := readVersionLine(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if want != "" && first != want {
		return invalid("VERSION", "says %q, not %s", clip(first), want)
	}
	return nil
}

// readVersionLine reads the first line of VERSION in root, which must be
// a short line of printable text in a regular file.
func readVersionLine(root *os.Root) (string, error) {
	fi, err := root.Lstat("VERSION")
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", invalid("VERSION", "not a regular file (%v)", fi.Mode().Type())
	}
	f, err := root.Open("VERSION")
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf, err := io.ReadAll(io.LimitReader(f, maxVersionLine+1))
	if err != nil {
		return "", fmt.Errorf("reading VERSION: %w", err)
	}
	line, _, found := bytes.Cut(buf, []byte("\n"))
	if !found && len(buf) > maxVersionLine {
		return "", invalid("VERSION", "first line longer than %d bytes (%q)", maxVersionLine, clip(string(buf)))
	}
	s := strings.TrimSpace(string(line))
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
		return "", invalid("VERSION", "holds control bytes or invalid UTF-8 (%q)", clip(s))
	}
	return s, nil
}

// checkSymlinks resolves every symlink under dir through root, which
// follows chains of links component by component as the kernel does and
// refuses any step that leaves the tree. A link whose chain ends at a
// missing name inside the tree is left alone.
func checkSymlinks(dir string, root *os.Root) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if _, err := root.Stat(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
			target, _ := os.Readlink(p)
			return invalid(filepath.ToSlash(rel), "symlink to %q resolves outside the toolchain or loops", clip(target))
		}
		return nil
	})
}

// checkCommand checks that rel is a non-empty executable regular file for
// goos/goarch. An ELF, PE or Mach-O header must name the platform; a file
// with no object header must be a "#!" interpreter script (test toolchains
// use them); plan9, aix, js and wasip1, whose formats binfile does not
// read, only get the file checks.
func checkCommand(root *os.Root, rel, goos, goarch string) error {
	name := filepath.ToSlash(rel)
	fi, err := root.Lstat(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return invalid(name, "missing: not a Go distribution")
	}
	if err != nil {
		return invalid(name, "%v", err)
	}
	switch {
	case !fi.Mode().IsRegular():
		return invalid(name, "not a regular file (%v)", fi.Mode().Type())
	case fi.Size() == 0:
		return invalid(name, "empty file")
	case goos != "windows" && fi.Mode().Perm()&0o111 == 0:
		return invalid(name, "not executable (mode %v)", fi.Mode().Perm())
	}
	f, err := root.Open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	bf, err := binfile.NewFile(f, fi.Size())
	if errors.Is(err, binfile.ErrUnknownFormat) {
		var head [2]byte
		if _, rerr := f.ReadAt(head[:], 0); rerr == nil && string(head[:]) == "#!" {
			return nil
		}
		if noHeaderCheck(goos) {
			return nil
		}
		return invalid(name, "not an executable: no ELF, PE or Mach-O header")
	}
	if err != nil {
		return invalid(name, "unreadable object header: %v", err)
	}
	if want := objectFormat(goos); want != "" && bf.Format != want {
		return invalid(name, "a %s executable, not one for %s/%s", bf.Format, goos, goarch)
	}
	if bf.Arch != goarch {
		return invalid(name, "built for %s/%s, not %s/%s", bf.OS, clip(bf.Arch), goos, goarch)
	}
	return nil
}

func noHeaderCheck(goos string) bool {
	switch goos {
	case "plan9", "aix", "js", "wasip1":
		return true
	}
	return false
}

// objectFormat is the object format of executables for goos ("" when
// binfile does not read it).
func objectFormat(goos string) binfile.Format {
	switch goos {
	case "windows":
		return binfile.PE
	case "darwin", "ios":
		return binfile.MachO
	case "plan9", "aix", "js", "wasip1":
		return ""
	}
	return binfile.ELF
}

// clip bounds a name or value quoted in an error line.
func clip(s string) string { return units.Clip(s, 64) }
