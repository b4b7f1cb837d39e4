//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package xbuild

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

// lockDir takes an exclusive flock on the directory dir itself (no lock
// file: a file beside dist would be an untracked file to the go
// command's VCS stamping). When another process holds it, waiting is
// called once and the lock is tried again every lockPoll until it is free
// or ctx ends. The lock goes with the process, so a killed build never
// leaves one behind. unlock releases it.
func lockDir(ctx context.Context, dir string, waiting func()) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for first := true; ; first = false {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, err
		}
		if first && waiting != nil {
			waiting()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, context.Cause(ctx)
		case <-time.After(lockPoll):
		}
	}
}

const lockPoll = 50 * time.Millisecond
