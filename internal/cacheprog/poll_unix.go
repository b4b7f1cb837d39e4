//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cacheprog

import (
	"io"
	"os"
	"syscall"
)

// pollable makes a pipe on stdin readable through the runtime's poller.
// A blocking read of the go command's next request parks the thread in a
// system call, and while it does the runtime's monitor wakes every 20µs to
// take its processor away; a build sends a thousand requests or more, and
// that monitoring cost more CPU than answering them. Through the poller the
// reading goroutine parks and the process sleeps. Only a pipe is switched
// to non-blocking (the read end is this program's alone; a terminal is
// shared with the shell); restore puts it back.
func pollable(r io.Reader) (_ io.Reader, restore func()) {
	f, ok := r.(*os.File)
	if !ok {
		return r, func() {}
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return r, func() {}
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return r, func() {}
	}
	var fd uintptr
	if rc.Control(func(p uintptr) { fd = p }) != nil || syscall.SetNonblock(int(fd), true) != nil {
		return r, func() {}
	}
	// A second *os.File on the same descriptor: NewFile sees it is
	// non-blocking and registers it with the poller. It is never closed
	// (f owns the descriptor); restore keeps it reachable until then.
	nf := os.NewFile(fd, f.Name())
	return nf, func() {
		syscall.SetNonblock(int(fd), false)
		_ = nf.Name()
	}
}

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
