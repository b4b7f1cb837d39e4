//go:build !unix

package gocmd

// processAlive reports whether a process with this pid exists; where that
// cannot be asked cheaply, every process counts as alive, so nothing of a
// running goforge is removed.
func processAlive(pid int) bool { return true }
