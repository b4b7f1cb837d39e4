//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || solaris || illumos || aix || darwin)

package goenv

import "runtime"

// HostArch reports the machine's architecture; on this OS goforge trusts
// its own GOARCH.
func HostArch() string { return runtime.GOARCH }
