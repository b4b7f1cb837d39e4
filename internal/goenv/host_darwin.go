package goenv

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// HostArch reports the machine's own architecture in GOARCH spelling. On
// Apple silicon it is arm64 even for a process translated by Rosetta 2.
func HostArch() string {
	if v, err := unix.SysctlUint32("hw.optional.arm64"); err == nil && v == 1 {
		return "arm64"
	}
	return runtime.GOARCH
}
