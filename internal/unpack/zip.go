package unpack

import (
	"archive/zip"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Zip extracts the zip archive r (size bytes) into the existing directory
// dest. Files are decompressed and written by several goroutines at once;
// each file's SHA-256 is computed from the bytes written, and for module
// zips the "h1:" hash of the whole zip is returned in Result.H1.
func Zip(r io.ReaderAt, size int64, dest string, opt Options) (Result, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Result{}, fmt.Errorf("reading zip: %w", err)
	}
	files, dirs, total, err := planZip(zr, &opt)
	if err != nil {
		return Result{}, err
	}
	// A zip holds only the files and directories planZip accepted (names
	// checked by fs.ValidPath, no symlinks), written into a fresh private
	// directory in which nothing else creates symlinks, so plain paths
	// under dest cannot lead outside it. That saves the per-component
	// openat walk of os.Root, which dominated the time on a real toolchain
	// (9,537 files).
	root := &dirRoot{dir: dest}
	sort.Strings(dirs) // parents before children
	for _, d := range dirs {
		if err := os.Mkdir(root.path(d), 0o755); err != nil && !os.IsExist(err) {
			return Result{}, fmt.Errorf("creating %s: %w", d, err)
		}
	}
	sums, err := extractZipFiles(root, files, &opt)
	if err != nil {
		return Result{}, err
	}
	res := Result{Files: len(files), Bytes: total}
	if opt.ModuleZip {
		res.H1 = h1(sums)
	}
	return res, nil
}

type zipEntry struct {
	f   *zip.File
	rel string
}

// planZip checks every entry name, mode and size before anything is
// written, and returns the files and the directories to create.
func planZip(zr *zip.Reader, opt *Options) (files []zipEntry, dirs []string, total int64, err error) {
	seen := map[string]bool{}
	dirSet := map[string]bool{}
	for _, f := range zr.File {
		rel, err := opt.target(f.Name)
		if err != nil {
			return nil, nil, 0, err
		}
		if rel == "" {
			continue
		}
		key := strings.ToLower(rel)
		if seen[key] {
			return nil, nil, 0, fmt.Errorf("%w: duplicate entry %q", ErrUnsafePath, clip(f.Name))
		}
		seen[key] = true
		mode := f.Mode()
		switch {
		case strings.HasSuffix(f.Name, "/") || mode.IsDir():
			for d := rel; d != "."; d = path.Dir(d) {
				dirSet[d] = true
			}
			continue
		case !mode.IsRegular():
			return nil, nil, 0, fmt.Errorf("%w: %q is not a regular file (%v)", ErrUnsafePath, clip(f.Name), mode.Type())
		}
		total += int64(f.UncompressedSize64)
		if f.UncompressedSize64 > uint64(opt.maxSize()) || total > opt.maxSize() {
			return nil, nil, 0, fmt.Errorf("archive too large: more than %d bytes uncompressed", opt.maxSize())
		}
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			dirSet[d] = true
		}
		files = append(files, zipEntry{f, rel})
	}
	for d := range dirSet {
		dirs = append(dirs, d)
	}
	return files, dirs, total, nil
}

// extractZipFiles writes the files with one worker per CPU and returns the
// SHA-256 of each, keyed by the full zip entry name.
func extractZipFiles(root *dirRoot, files []zipEntry, opt *Options) (map[string][sha256.Size]byte, error) {
	var (
		mu    sync.Mutex
		sums  = make(map[string][sha256.Size]byte, len(files))
		first error
		wg    sync.WaitGroup
		work  = make(chan zipEntry)
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
	}
	// Twice the CPUs: file creation blocks in the kernel often enough
	// that extra workers keep the CPUs busy decompressing.
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range work {
				sum, err := extractZipFile(root, e, opt)
				if err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				sums[e.f.Name] = sum
				mu.Unlock()
			}
		}()
	}
	for _, e := range files {
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop {
			break
		}
		work <- e
	}
	close(work)
	wg.Wait()
	return sums, first
}

func extractZipFile(root *dirRoot, e zipEntry, opt *Options) ([sha256.Size]byte, error) {
	rc, err := e.f.Open()
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("reading %s: %w", e.f.Name, err)
	}
	defer rc.Close()
	perm := fs.FileMode(0o644)
	if (opt.ModuleZip && moduleExec(e.rel)) || (!opt.ModuleZip && e.f.Mode()&0o111 != 0) {
		perm = 0o755
	}
	sum, err := writeFile(root, e.rel, rc, int64(e.f.UncompressedSize64), perm)
	if err != nil {
		return sum, err
	}
	// Reading to EOF made archive/zip check the CRC-32; a mismatch shows
	// up as an error from the copy above.
	if opt.ModuleZip && path.Base(e.rel) == "_go.mod" {
		data, err := os.ReadFile(root.path(e.rel))
		if err == nil {
			err = os.WriteFile(root.path(path.Join(path.Dir(e.rel), "go.mod")), data, 0o644)
		}
		if err != nil {
			return sum, fmt.Errorf("restoring go.mod from %s: %w", e.rel, err)
		}
	}
	return sum, nil
}

// dirRoot is a destination directory addressed by checked relative
// slash paths.
type dirRoot struct{ dir string }

func (r *dirRoot) path(rel string) string { return filepath.Join(r.dir, filepath.FromSlash(rel)) }
