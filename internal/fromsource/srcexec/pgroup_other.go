//go:build !unix

package srcexec

import (
	"os"
	"os/exec"
)

func newProcessGroup(cmd *exec.Cmd) {}

// killGroup kills what it can without process groups: the process itself.
func killGroup(pid int, hard bool) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// Supported reports whether goforge can run a source tree's scripts here:
// not on Windows (make.bat) or Plan 9 (make.rc).
const Supported = false
