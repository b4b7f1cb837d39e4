//go:build !(linux || darwin || freebsd || dragonfly)

package doctor

// diskFree is not implemented on this OS; the disk check is then skipped.
func diskFree(dir string) (uint64, bool) { return 0, false }
