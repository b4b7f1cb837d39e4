//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cacheprog

import (
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// lookupDirs holds the store's a/ and o/ directories open, so that a hit
// resolves a two-component path ("XX/<id>") relative to them instead of
// the whole absolute path: system calls are costly on virtual machines,
// and the walk from / is a large part of one. The fields are -1 when the
// directories could not be opened; lookups then use full paths.
type lookupDirs struct{ a, o int }

func openLookupDirs(dir string) lookupDirs {
	open := func(sub string) int {
		fd, err := unix.Open(filepath.Join(dir, sub), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return -1
		}
		return fd
	}
	return lookupDirs{a: open("a"), o: open("o")}
}

func (d lookupDirs) close() {
	for _, fd := range []int{d.a, d.o} {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
}

// dirFD turns a full path and its directory fd into what openat and
// fstatat take: (fd, relative path), or (AT_FDCWD, full path).
func dirFD(fd int, rel, full string) (int, string) {
	if fd < 0 {
		return unix.AT_FDCWD, full
	}
	return fd, rel
}

// readEntryFile reads an entry file (rel under a/, full path p) into buf
// with plain system calls: os.Open also registers every file with the
// poller and sets a finalizer, which costs as much again as the read on a
// local hit. Entries are small regular files replaced by rename, so one
// read that does not fill buf has the whole file.
func (d lookupDirs) readEntryFile(rel, p string, buf []byte) (int, error) {
	dfd, name := dirFD(d.a, rel, p)
	fd, err := unix.Openat(dfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EINTR {
			continue
		}
		return max(n, 0), err
	}
}

// statOutput returns an output file's size and time (rel under o/, full
// path p); ok is false unless it is a regular file.
func (d lookupDirs) statOutput(rel, p string) (size int64, mod time.Time, ok bool) {
	dfd, name := dirFD(d.o, rel, p)
	var st unix.Stat_t
	if err := unix.Fstatat(dfd, name, &st, 0); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return 0, time.Time{}, false
	}
	return st.Size, time.Unix(st.Mtim.Unix()), true
}
