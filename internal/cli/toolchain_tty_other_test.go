//go:build !linux

package cli

import "github.com/rogpeppe/go-internal/testscript"

// cmdTTYRun needs a Linux pseudo-terminal; see toolchain_tty_test.go.
func cmdTTYRun(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("ttyrun: needs a Linux pseudo-terminal (guard the script with [linux])")
}
