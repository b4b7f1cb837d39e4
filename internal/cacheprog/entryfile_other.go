//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cacheprog

import (
	"io"
	"os"
)

// readEntryFile reads the small file p into buf.
func readEntryFile(p string, buf []byte) (int, error) {
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
