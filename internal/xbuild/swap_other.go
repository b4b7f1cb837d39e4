//go:build !linux

package xbuild

func swapDirs(a, b string) error { return swapByRenames(a, b) }
