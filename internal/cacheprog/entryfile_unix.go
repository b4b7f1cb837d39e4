//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cacheprog

import "syscall"

// readEntryFile reads the small file p into buf with plain system calls:
// os.Open also tries to register every file with the poller and sets a
// finalizer, which costs as much again as the read on a local hit.
func readEntryFile(p string, buf []byte) (int, error) {
	fd, err := syscall.Open(p, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return n, err
		}
		if m == 0 {
			return n, nil
		}
		n += m
	}
	return n, nil
}
