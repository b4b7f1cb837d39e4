package unpack

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// TarGz extracts the gzip-compressed tar stream r into the existing
// directory dest, reading r once from start to end, so it can run while
// the archive is still downloading. Symbolic links are allowed only when
// they are relative and point inside the tree; hard links and devices are
// rejected.
func TarGz(r io.Reader, dest string, opt Options) (Result, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return Result{}, fmt.Errorf("reading gzip: %w", err)
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return Result{}, err
	}
	defer root.Close()
	var res Result
	seen := map[string]bool{}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("reading tar: %w", err)
		}
		if err := extractTarEntry(root, tr, hdr, &opt, &res, seen); err != nil {
			return res, err
		}
	}
	// Drain the gzip trailer so its CRC and length are checked.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return res, fmt.Errorf("reading gzip: %w", err)
	}
	return res, nil
}

func extractTarEntry(root *os.Root, tr io.Reader, hdr *tar.Header, opt *Options, res *Result, seen map[string]bool) error {
	rel, err := opt.target(hdr.Name)
	if err != nil || rel == "" {
		return err
	}
	key := strings.ToLower(rel)
	if seen[key] {
		return fmt.Errorf("%w: duplicate entry %q", ErrUnsafePath, clip(hdr.Name))
	}
	seen[key] = true
	if d := path.Dir(rel); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", d, err)
		}
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		return root.MkdirAll(rel, 0o755)
	case tar.TypeReg, tar.TypeRegA:
		res.Files++
		res.Bytes += hdr.Size
		if hdr.Size < 0 || res.Bytes > opt.maxSize() {
			return fmt.Errorf("archive too large: more than %d bytes uncompressed", opt.maxSize())
		}
		perm := os.FileMode(0o644)
		if hdr.Mode&0o111 != 0 {
			perm = 0o755
		}
		_, err := writeFile(osRoot{root}, rel, tr, hdr.Size, perm)
		return err
	case tar.TypeSymlink:
		if !symlinkInside(rel, hdr.Linkname) {
			return fmt.Errorf("%w: symlink %q points outside the archive (%q)", ErrUnsafePath, clip(hdr.Name), clip(hdr.Linkname))
		}
		return root.Symlink(hdr.Linkname, rel)
	case tar.TypeXGlobalHeader:
		return nil
	}
	return fmt.Errorf("%w: %q has unsupported type %q", ErrUnsafePath, clip(hdr.Name), string(hdr.Typeflag))
}

// symlinkInside reports whether a symlink at rel with target link stays
// inside the tree (judged lexically; os.Root refuses escapes at write time
// as a second line of defence).
func symlinkInside(rel, link string) bool {
	if link == "" || path.IsAbs(link) || strings.Contains(link, "\\") {
		return false
	}
	p := path.Join(path.Dir(rel), link)
	return p != ".." && !strings.HasPrefix(p, "../")
}

// HashingReader returns a reader that passes r through and a function that
// returns the hex SHA-256 of everything read so far.
func HashingReader(r io.Reader) (io.Reader, func() string) {
	h := sha256.New()
	return io.TeeReader(r, h), func() string { return fmt.Sprintf("%x", h.Sum(nil)) }
}
