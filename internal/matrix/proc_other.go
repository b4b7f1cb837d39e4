//go:build !unix

package matrix

import (
	"os"
	"os/exec"
)

// ownGroup does nothing where process groups do not exist.
func ownGroup(cmd *exec.Cmd) {}

// killGroup kills p; its children are left to the system.
func killGroup(p *os.Process) error { return p.Kill() }
