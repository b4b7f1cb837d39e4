package fromsource

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// CopyTree copies the source tree t into dst, an existing empty directory,
// for building: make.bash writes generated files into src/, so a tree is
// never built in place. Earlier build output (bin/, pkg/) is left out.
// Top-level symlinks to directories (Debian's /usr/lib/go-1.19/src points
// into /usr/share) are followed; deeper symlinks are copied as links. A git
// checkout's .git becomes a symlink to the original, which cmd/dist only
// reads (to name a devel version).
func CopyTree(t *Tree, dst string) error {
	entries, err := os.ReadDir(t.Root)
	if err != nil {
		return fmt.Errorf("copying %s: %w", t.Root, err)
	}
	for _, e := range entries {
		if skipInCopy(e.Name()) {
			continue
		}
		src := filepath.Join(t.Root, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			if real, err := filepath.EvalSymlinks(src); err == nil && isDir(real) {
				fi, err := os.Stat(real)
				if err != nil {
					return fmt.Errorf("copying %s: %w", src, err)
				}
				src, e = real, renamedDirEntry{fs.FileInfoToDirEntry(fi), e.Name()}
			}
		}
		if err := copyAll(src, filepath.Join(dst, e.Name()), e); err != nil {
			return fmt.Errorf("copying %s to %s: %w", t.Root, dst, err)
		}
	}
	if t.Git {
		if err := os.Symlink(filepath.Join(t.Root, ".git"), filepath.Join(dst, ".git")); err != nil {
			return fmt.Errorf("linking the git directory: %w", err)
		}
	}
	return nil
}

// copyAll copies src (described by d) to dst, recursively for a directory.
func copyAll(src, dst string, d fs.DirEntry) error {
	if !d.IsDir() {
		return copyEntry(src, dst, d)
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return os.Mkdir(dst, 0o755)
		}
		return copyEntry(p, filepath.Join(dst, rel), d)
	})
}

func copyEntry(src, dst string, d fs.DirEntry) error {
	switch {
	case d.IsDir():
		return os.Mkdir(dst, 0o755)
	case d.Type()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case !d.Type().IsRegular():
		return nil // sockets, devices: nothing a build needs
	}
	info, err := d.Info()
	if err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// renamedDirEntry is a followed symlink's target under the link's name.
type renamedDirEntry struct {
	fs.DirEntry
	name string
}

func (r renamedDirEntry) Name() string { return r.name }

// DistLayout rearranges a cross-built GOROOT (built on host for target) the
// way a binary distribution of the target is laid out (as cmd/distpack
// does): the target's commands move from bin/<goos>_<goarch>/ to bin/, and
// the host's tools in pkg/tool/<hostos>_<hostarch> go. A native build is
// left alone.
func DistLayout(root, goos, goarch, hostOS, hostArch string) error {
	if goos == hostOS && goarch == hostArch {
		return nil
	}
	crossBin := filepath.Join(root, "bin", goos+"_"+goarch)
	entries, err := os.ReadDir(crossBin)
	if err != nil {
		return fmt.Errorf("arranging the %s/%s toolchain: %w", goos, goarch, err)
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(crossBin, e.Name()), filepath.Join(root, "bin", e.Name())); err != nil {
			return fmt.Errorf("arranging the %s/%s toolchain: %w", goos, goarch, err)
		}
	}
	for _, p := range []string{crossBin, filepath.Join(root, "pkg", "tool", hostOS+"_"+hostArch)} {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("arranging the %s/%s toolchain: %w", goos, goarch, err)
		}
	}
	return nil
}
