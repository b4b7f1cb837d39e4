//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package xbuild

import "context"

// lockDir is a no-op where flock is not available: concurrent builds
// into one output directory are not serialized there.
func lockDir(context.Context, string, func()) (func(), error) { return func() {}, nil }
