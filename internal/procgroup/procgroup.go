// Package procgroup runs a child program in a process group of its own, so
// that stopping it stops everything it started: the go command's compile,
// asm and link processes, qemu-user, node. Cancelling the command's
// context kills the whole group, and Run returns only when no process of
// the group is left.
package procgroup

import (
	"os/exec"
	"time"
)

// waitLimit bounds how long Run waits for a killed group to disappear.
const waitLimit = 10 * time.Second

// Run starts cmd (made with exec.CommandContext) in a new process group
// and waits for it. When the context is cancelled, or cmd fails, every
// process left in its group is killed and Run waits until they are gone,
// so no compile or link outlives the command that started it.
func Run(cmd *exec.Cmd) error {
	prepare(cmd)
	err := cmd.Run()
	if err != nil && cmd.Process != nil {
		killGroup(cmd.Process.Pid)
		waitGone(cmd.Process.Pid, waitLimit)
	}
	return err
}
