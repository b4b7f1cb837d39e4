//go:build !linux

package toolchain

// exchange is not available here: replacing a version falls back to two
// renames, repaired by CleanStale if the process dies between them.
func exchange(a, b string) error { return errNoExchange }
