//go:build unix

package srcexec

import (
	"os/exec"
	"syscall"
)

// newProcessGroup starts cmd in a process group of its own, so that the
// whole build (make.bash, cmd/dist, the compilers it runs) can be killed
// at once, and a Ctrl-C at the terminal reaches only goforge, which then
// decides what to kill.
func newProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup signals the process group led by pid: SIGTERM, or SIGKILL if
// hard.
func killGroup(pid int, hard bool) {
	sig := syscall.SIGTERM
	if hard {
		sig = syscall.SIGKILL
	}
	_ = syscall.Kill(-pid, sig) // ESRCH: the group is already gone
}

// Supported reports whether goforge can run a source tree's scripts here.
const Supported = true
