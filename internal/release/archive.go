// Package release writes the artifacts of a release: reproducible .tar.gz
// and .zip archives, a SHA256SUMS file that 'sha256sum -c' accepts, and a
// manifest.json describing every target. Two runs over the same inputs
// write byte-identical files: archive entries are sorted and carry a fixed
// modification time, no owner names and normalized modes.
package release

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Entry is one file to put in an archive.
type Entry struct {
	// Name is the path inside the archive, with forward slashes.
	Name string
	// Source is the file on disk to read.
	Source string
	// Exec marks an executable (mode 0755 rather than 0644).
	Exec bool
}

// MinTime is the earliest time zip can record; archives never go earlier.
var MinTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// entryTime is the modification time every archive entry gets: epoch
// (SOURCE_DATE_EPOCH or the commit time) or MinTime when unknown.
func entryTime(epoch int64) time.Time {
	t := time.Unix(epoch, 0).UTC()
	if epoch == 0 || t.Before(MinTime) {
		return MinTime
	}
	return t
}

// WriteArchive writes entries to name as a .zip when the name ends in
// ".zip" and as a .tar.gz otherwise. It writes a temporary file and renames
// it, so a reader never sees half an archive.
func WriteArchive(name string, entries []Entry, epoch int64) error {
	sorted := append([]Entry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var buf bytes.Buffer
	var err error
	if filepath.Ext(name) == ".zip" {
		err = writeZip(&buf, sorted, entryTime(epoch))
	} else {
		err = writeTarGz(&buf, sorted, entryTime(epoch))
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(name), err)
	}
	return WriteFileAtomic(name, buf.Bytes(), 0o644)
}

// archiveLevel is the deflate level of every archive: BestSpeed, because
// archives are rewritten for every changed target and compressing was most
// of a warm release's time at the default level, while Go binaries shrink
// only about 9% more at it (GNU gzip -6 vs -1 on examples/hello). The level
// is fixed, so archives stay reproducible.
const archiveLevel = flate.BestSpeed

func writeTarGz(w io.Writer, entries []Entry, mtime time.Time) error {
	zw, err := gzip.NewWriterLevel(w, archiveLevel)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		data, err := os.ReadFile(e.Source)
		if err != nil {
			return err
		}
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     e.Name,
			Size:     int64(len(data)),
			Mode:     mode(e),
			ModTime:  mtime,
			Format:   tar.FormatPAX,
		}
		if len(e.Name) < 100 {
			hdr.Format = tar.FormatUSTAR
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func writeZip(w io.Writer, entries []Entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, archiveLevel)
	})
	for _, e := range entries {
		data, err := os.ReadFile(e.Source)
		if err != nil {
			return err
		}
		hdr := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: mtime}
		hdr.SetMode(os.FileMode(mode(e)))
		f, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

func mode(e Entry) int64 {
	if e.Exec {
		return 0o755
	}
	return 0o644
}

// WriteFileAtomic writes data to a temporary file beside name and renames
// it into place.
func WriteFileAtomic(name string, data []byte, perm os.FileMode) error {
	return WriteAtomic(name, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteAtomic writes what write produces to a temporary file beside name
// and renames it into place, so a reader never sees half of it; on error
// nothing is left behind.
func WriteAtomic(name string, perm os.FileMode, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	tmp := f.Name()
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// File describes one artifact in the dist directory.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Describe hashes the file at path; the File is named by its base name.
func Describe(path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, fmt.Errorf("hashing %s: %w", path, err)
	}
	return File{Name: filepath.Base(path), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
