package xbuild

import (
	"errors"

	"golang.org/x/sys/unix"
)

// swapDirs exchanges two directories atomically with RENAME_EXCHANGE,
// falling back to two renames where the file system lacks it.
func swapDirs(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return swapByRenames(a, b)
	}
	return err
}
