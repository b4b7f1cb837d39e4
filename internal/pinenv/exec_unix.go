//go:build unix

package pinenv

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwarded are the signals Exec passes on to the command's group.
var forwarded = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// run starts cmd in a process group of its own, passes forwarded signals
// on to the group and waits. After a signal (or ctx's end, which kills),
// the rest of the group is killed once cmd has exited: a shell script's
// background sleep must not outlive it.
func run(ctx context.Context, cmd *exec.Cmd, in io.Reader, forwarding func()) (int, error) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	forwarding()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	tty, restore := foregroundTTY(in)
	if tty >= 0 {
		cmd.SysProcAttr.Foreground, cmd.SysProcAttr.Ctty = true, tty
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer restore()
	pgid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped, ctxDone := false, ctx.Done()
	for {
		select {
		case s := <-sigs:
			stopped = true
			syscall.Kill(-pgid, s.(syscall.Signal))
		case <-ctxDone:
			stopped, ctxDone = true, nil
			syscall.Kill(-pgid, syscall.SIGKILL)
		case err := <-done:
			if stopped {
				syscall.Kill(-pgid, syscall.SIGKILL)
			}
			return status(cmd, err)
		}
	}
}

// status is cmd's exit status as a shell reports it: 128+n after signal n.
func status(cmd *exec.Cmd, err error) (int, error) {
	if cmd.ProcessState == nil {
		return 0, err
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	if err != nil && !errors.As(err, new(*exec.ExitError)) {
		return 0, err
	}
	return cmd.ProcessState.ExitCode(), nil
}

// foregroundTTY returns the descriptor of in when it is the controlling
// terminal and goforge's group owns it, so that the command's group can
// take the terminal (to read it, and to get the terminal's own ^C and ^\
// directly), and a function that gives it back to goforge's group; -1
// otherwise.
func foregroundTTY(in io.Reader) (int, func()) {
	f, ok := in.(*os.File)
	if !ok {
		return -1, func() {}
	}
	fd := int(f.Fd())
	pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil || pg != syscall.Getpgrp() {
		return -1, func() {}
	}
	return fd, func() {
		// A background group may set the terminal's group only while
		// ignoring SIGTTOU.
		signal.Ignore(syscall.SIGTTOU)
		defer signal.Reset(syscall.SIGTTOU)
		unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, pg)
	}
}
