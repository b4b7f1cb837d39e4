//go:build linux || freebsd || netbsd || openbsd || dragonfly || solaris || illumos || aix

package goenv

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// HostArch reports the machine's own architecture in GOARCH spelling,
// from uname(2), which an emulated binary cannot change: a 386 goforge on
// an amd64 kernel still says amd64.
func HostArch() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return runtime.GOARCH
	}
	return unameArch(unix.ByteSliceToString(u.Machine[:]))
}
