//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cacheprog

import (
	"os"
	"syscall"
)

// dirLock is an flock on the cache directory's lock file: every cache
// program holds it shared; eviction upgrades to exclusive when it can.
type dirLock struct{ f *os.File }

func lockShared(p string) (*dirLock, error) {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, err
	}
	return &dirLock{f}, nil
}

func (l *dirLock) tryExclusive() bool {
	return syscall.Flock(int(l.f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}

func (l *dirLock) shared() { syscall.Flock(int(l.f.Fd()), syscall.LOCK_SH) }

func (l *dirLock) close() error { return l.f.Close() }
