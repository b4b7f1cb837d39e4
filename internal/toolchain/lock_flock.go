//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package toolchain

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive flock on the file at path, creating it, and
// returns the function that removes the file and releases the lock.
//
// Removing a lock file is safe with one rule, which every taker follows:
// a lock counts only if, once taken, the path still names the locked
// file. A process that opened the file before its holder removed it gets
// a lock on an unlinked file, sees that, and tries again on whatever the
// path names now. So no lock file outlives its holder, except after a
// SIGKILL, and then removeStaleLock deletes it.
func lockFile(path string) (func(), error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := flock(f, syscall.LOCK_EX); err != nil {
			f.Close()
			return nil, err
		}
		if names(path, f) {
			return func() {
				os.Remove(path) // while still holding the lock
				f.Close()
			}, nil
		}
		f.Close()
	}
}

// removeStaleLock removes the lock file at path if no process holds it,
// and reports whether it did. It never waits.
func removeStaleLock(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if flock(f, syscall.LOCK_EX|syscall.LOCK_NB) != nil || !names(path, f) {
		return false
	}
	return os.Remove(path) == nil
}

// lockFilesRemoved reports whether lock files go away with their locks.
const lockFilesRemoved = true

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// names reports whether path still names the open file f.
func names(path string, f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}
