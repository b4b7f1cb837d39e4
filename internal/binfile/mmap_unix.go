//go:build unix

package binfile

import (
	"os"
	"syscall"
)

// mapFile maps the whole file read-only, or returns nil when it cannot.
func mapFile(fh *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	b, err := syscall.Mmap(int(fh.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return b
}

func unmapFile(b []byte) error { return syscall.Munmap(b) }
