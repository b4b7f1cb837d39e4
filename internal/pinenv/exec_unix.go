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

// run runs cmd. At a terminal that goforge's group holds, with goforge's
// own streams, it replaces goforge (execve): the command is then in the
// foreground job as it would be run by hand, so ^C, ^Z, ^\ and reading
// the terminal work as the shell's job control expects, and there is
// nothing left to forward. Otherwise it starts cmd in a process group of
// its own, passes forwarded signals on to the group and waits. After a
// signal (or ctx's end, which kills), the rest of the group is killed
// once cmd has exited: a shell script's background sleep must not
// outlive it.
func run(ctx context.Context, cmd *exec.Cmd, in io.Reader, forwarding func()) (int, error) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	forwarding()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if ownStreams(cmd) && foreground(in) {
		signal.Reset(forwarded...)
		return 0, syscall.Exec(cmd.Path, cmd.Args, cmd.Env)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
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

// ownStreams reports whether cmd's streams are goforge's own standard
// input, output and error, which an execve keeps.
func ownStreams(cmd *exec.Cmd) bool {
	return cmd.Stdin == os.Stdin && cmd.Stdout == os.Stdout && cmd.Stderr == os.Stderr
}

// foreground reports whether in is a terminal whose foreground process
// group is goforge's.
func foreground(in io.Reader) bool {
	f, ok := in.(*os.File)
	if !ok {
		return false
	}
	pg, err := unix.IoctlGetInt(int(f.Fd()), unix.TIOCGPGRP)
	return err == nil && pg == syscall.Getpgrp()
}
