//go:build !unix

package procgroup

import (
	"os/exec"
	"time"
)

func prepare(cmd *exec.Cmd) {
	if cmd.WaitDelay == 0 {
		cmd.WaitDelay = 5 * time.Second
	}
}

func killGroup(int) {}

func waitGone(int, time.Duration) {}

// Alive reports whether a process of the group is alive; without process
// groups, never.
func Alive(int) bool { return false }
