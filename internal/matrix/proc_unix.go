//go:build unix

package matrix

import (
	"os"
	"os/exec"
	"syscall"
)

// ownGroup puts cmd in a new process group, so that killGroup reaches
// everything it starts.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills p's process group.
func killGroup(p *os.Process) error {
	return syscall.Kill(-p.Pid, syscall.SIGKILL)
}
