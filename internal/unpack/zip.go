package unpack

import (
	"archive/zip"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
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
	root, err := os.OpenRoot(dest)
	if err != nil {
		return Result{}, err
	}
	defer root.Close()
	for _, d := range dirs {
		if err := root.MkdirAll(d, 0o755); err != nil {
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
			return nil, nil, 0, fmt.Errorf("%w: duplicate entry %q", ErrUnsafePath, f.Name)
		}
		seen[key] = true
		mode := f.Mode()
		switch {
		case strings.HasSuffix(f.Name, "/") || mode.IsDir():
			dirSet[rel] = true
			continue
		case !mode.IsRegular():
			return nil, nil, 0, fmt.Errorf("%w: %q is not a regular file (%v)", ErrUnsafePath, f.Name, mode.Type())
		}
		total += int64(f.UncompressedSize64)
		if f.UncompressedSize64 > uint64(opt.maxSize()) || total > opt.maxSize() {
			return nil, nil, 0, fmt.Errorf("archive too large: more than %d bytes uncompressed", opt.maxSize())
		}
		if d := path.Dir(rel); d != "." {
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
func extractZipFiles(root *os.Root, files []zipEntry, opt *Options) (map[string][sha256.Size]byte, error) {
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
	for range max(2, runtime.GOMAXPROCS(0)) {
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

func extractZipFile(root *os.Root, e zipEntry, opt *Options) ([sha256.Size]byte, error) {
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
		data, err := root.ReadFile(e.rel)
		if err == nil {
			err = root.WriteFile(path.Join(path.Dir(e.rel), "go.mod"), data, 0o644)
		}
		if err != nil {
			return sum, fmt.Errorf("restoring go.mod from %s: %w", e.rel, err)
		}
	}
	return sum, nil
}
