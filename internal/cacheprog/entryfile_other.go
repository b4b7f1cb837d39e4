//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cacheprog

import (
	"io"
	"os"
	"time"
)

// lookupDirs is the full-path fallback of the Unix lookups.
type lookupDirs struct{}

func openLookupDirs(string) lookupDirs { return lookupDirs{} }

func (lookupDirs) close() {}

// readEntryFile reads the small file p into buf.
func (lookupDirs) readEntryFile(_, p string, buf []byte) (int, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return n, err
}

// statOutput returns an output file's size and time; ok is false unless
// it is a regular file.
func (lookupDirs) statOutput(_, p string) (int64, time.Time, bool) {
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, time.Time{}, false
	}
	return fi.Size(), fi.ModTime(), true
}
