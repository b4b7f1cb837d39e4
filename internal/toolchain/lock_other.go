//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package toolchain

import "github.com/rogpeppe/go-internal/lockedfile"

// lockFile takes the lockedfile lock at path. Where there is no flock
// (Windows, plan9, aix, solaris, ...), an open file cannot be removed
// safely by its holder, so lock files stay: empty, and harmless.
func lockFile(path string) (func(), error) {
	return lockedfile.MutexAt(path).Lock()
}

// removeStaleLock leaves lock files alone where they are kept.
func removeStaleLock(path string) bool { return false }

// lockFilesRemoved reports whether lock files go away with their locks.
const lockFilesRemoved = false
