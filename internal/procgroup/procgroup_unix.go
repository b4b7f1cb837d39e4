//go:build unix

package procgroup

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	setDeathSignal(cmd.SysProcAttr)
	cmd.Cancel = func() error {
		killGroup(cmd.Process.Pid)
		return nil
	}
	if cmd.WaitDelay == 0 {
		// Output pipes held open by an orphaned grandchild must not block
		// Wait forever.
		cmd.WaitDelay = 5 * time.Second
	}
}

// killGroup sends SIGKILL to the process group led by pid. SIGKILL, not
// SIGTERM: the go command forwards nothing to its children, and every
// temporary directory they leave is under a GOTMPDIR the caller removes.
func killGroup(pid int) {
	if pid > 0 {
		syscall.Kill(-pid, syscall.SIGKILL)
	}
}

// waitGone waits until no live process is in the group pgid. Killed
// processes whose parent already exited are zombies until init reaps
// them; those count as gone.
func waitGone(pgid int, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) || !Alive(pgid) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Alive reports whether a process that is not a zombie is in the process
// group pgid. Without /proc (not Linux) it trusts kill(2).
func Alive(pgid int) bool {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return syscall.Kill(-pgid, 0) == nil
	}
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		state, group, ok := procStat(filepath.Join("/proc", e.Name(), "stat"))
		if ok && group == pgid && state != "Z" && state != "X" {
			return true
		}
	}
	return false
}

// procStat reads the state and process group from /proc/PID/stat
// ("pid (comm) state ppid pgrp ..."; comm may hold spaces and parens).
func procStat(name string) (state string, pgrp int, ok bool) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", 0, false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 3 {
		return "", 0, false
	}
	pgrp, err = strconv.Atoi(f[2])
	return f[0], pgrp, err == nil
}
