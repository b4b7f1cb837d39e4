// Package unpack extracts Go toolchain archives (module zips from a Go
// module proxy, go.dev/dl .tar.gz and .zip files) into a directory,
// safely: every entry must stay inside the destination (no "..", no
// absolute paths, no symlinks pointing outside; writes go through os.Root),
// sizes are bounded, and content is hashed while it is written.
//
// It parses untrusted bytes and so imports neither net/http nor os/exec.
package unpack

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/goforge/goforge/internal/units"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// MaxTotalSize bounds the uncompressed size of an archive (a Go
// distribution is about 250 MB unpacked).
const MaxTotalSize = 2 << 30

// Options say how to map archive entries to files.
type Options struct {
	// Prefix is the directory every entry must be under, removed on
	// extraction: "go/" for go.dev/dl archives,
	// "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/" for module zips.
	Prefix string
	// ModuleZip applies the go command's rules for golang.org/toolchain
	// module zips: the zip records no modes, so files in bin/ and pkg/tool/
	// and lib/**/go_*_*_exec become executable, and every _go.mod is also
	// written as go.mod (module zips cannot hold nested go.mod files).
	ModuleZip bool
	// MaxSize overrides MaxTotalSize when positive.
	MaxSize int64
}

// Result describes what was extracted.
type Result struct {
	Files int   // regular files written
	Bytes int64 // their total size
	// H1 is the go.sum-style "h1:" hash of the zip's files (module zips only),
	// computed from the bytes actually written.
	H1 string
}

// ErrUnsafePath is wrapped by errors about entries that would escape the
// destination directory or are otherwise not acceptable names.
var ErrUnsafePath = errors.New("unsafe path in archive")

// target maps an archive entry name to a path relative to the destination.
// It returns "" for the prefix directory itself.
func (o *Options) target(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, "\\\x00\n\r") || strings.HasPrefix(name, "/") {
		return "", fmt.Errorf("%w: %q", ErrUnsafePath, clip(name))
	}
	rel, ok := strings.CutPrefix(name, o.Prefix)
	if !ok {
		if name+"/" == o.Prefix {
			return "", nil
		}
		return "", fmt.Errorf("%w: %q is not under %q", ErrUnsafePath, clip(name), o.Prefix)
	}
	rel = strings.TrimSuffix(rel, "/")
	if rel == "" {
		return "", nil
	}
	if !fs.ValidPath(rel) {
		return "", fmt.Errorf("%w: %q", ErrUnsafePath, clip(name))
	}
	return rel, nil
}

func (o *Options) maxSize() int64 {
	if o.MaxSize > 0 {
		return o.MaxSize
	}
	return MaxTotalSize
}

// moduleExec reports whether the go command makes rel executable in a
// toolchain module (cmd/go/internal/toolchain: pkg/tool, bin, lib/**/go_?*_?*_exec).
func moduleExec(rel string) bool {
	if strings.HasPrefix(rel, "bin/") || strings.HasPrefix(rel, "pkg/tool/") {
		return true
	}
	if strings.HasPrefix(rel, "lib/") {
		ok, _ := path.Match("go_?*_?*_exec", path.Base(rel))
		return ok
	}
	return false
}

// h1 computes the dirhash "h1:" hash from file names and their SHA-256 sums,
// exactly as golang.org/x/mod/sumdb/dirhash.Hash1 does.
func h1(sums map[string][sha256.Size]byte) string {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		s := sums[n]
		fmt.Fprintf(h, "%s  %s\n", hex.EncodeToString(s[:]), n)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// A creator creates new files by checked relative path: an *os.Root for
// tar archives (which may hold symlinks), a plain directory for zips.
type creator interface {
	create(rel string, perm fs.FileMode) (io.WriteCloser, error)
}

type osRoot struct{ *os.Root }

func (r osRoot) create(rel string, perm fs.FileMode) (io.WriteCloser, error) {
	return r.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
}

func (r *dirRoot) create(rel string, perm fs.FileMode) (io.WriteCloser, error) {
	return os.OpenFile(r.path(rel), os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
}

// createFile is how files are created; tests replace it to simulate a
// full disk.
var createFile = func(c creator, rel string, perm fs.FileMode) (io.WriteCloser, error) {
	return c.create(rel, perm)
}

// writeFile copies exactly size bytes of r into a new file rel, returning
// the content's SHA-256. A short or long entry is an error.
func writeFile(c creator, rel string, r io.Reader, size int64, perm fs.FileMode) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	w, err := createFile(c, rel, perm)
	if err != nil {
		return sum, fmt.Errorf("creating %s: %w", rel, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, size+1))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return sum, fmt.Errorf("writing %s: %w", rel, err)
	}
	if n != size {
		return sum, fmt.Errorf("writing %s: archive entry has %d bytes, header says %d", rel, n, size)
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// clip bounds a name or value quoted in an error line.
func clip(s string) string { return units.Clip(s, 80) }
