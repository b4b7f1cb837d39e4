//go:build !linux

package cli

import (
	"fmt"
	"os"
	"testing"
)

type testPTY struct{ tty *os.File }

func openPTY(t *testing.T) *testPTY {
	t.Skip("needs a Linux pseudo-terminal")
	return nil
}

func (p *testPTY) output() string { return "" }

// ptyRun fails: scripts that use it run on Linux only ([linux]).
func ptyRun() {
	fmt.Fprintln(os.Stderr, "ptyrun: needs a Linux pseudo-terminal")
	os.Exit(1)
}
