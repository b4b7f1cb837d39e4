//go:build linux

package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// A testPTY is a pseudo-terminal whose terminal end (tty) a command
// writes its stderr to; what it shows is read from the other end.
type testPTY struct {
	tty, master *os.File
	buf         syncBuffer
	done        chan struct{}
}

// newPTY opens a pseudo-terminal that passes output through unchanged
// (no "\n" to "\r\n"), and starts copying what it shows.
func newPTY() (*testPTY, error) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, fmt.Errorf("unlocking the pty: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, fmt.Errorf("naming the pty: %w", err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, err
	}
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err == nil {
		tio.Oflag &^= unix.OPOST
		err = unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, tio)
	}
	if err != nil {
		tty.Close()
		master.Close()
		return nil, fmt.Errorf("setting the pty's output mode: %w", err)
	}
	p := &testPTY{tty: tty, master: master, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		io.Copy(&p.buf, master) // ends with EIO once every tty is closed
	}()
	return p, nil
}

// openPTY is newPTY for a test; it skips where there are no ptys.
func openPTY(t *testing.T) *testPTY {
	t.Helper()
	p, err := newPTY()
	if err != nil {
		t.Skipf("needs a pseudo-terminal (/dev/ptmx): %v", err)
	}
	t.Cleanup(func() { p.tty.Close(); p.master.Close() })
	return p
}

// output closes the terminal end and returns all it showed.
func (p *testPTY) output() string {
	p.tty.Close()
	<-p.done
	return p.buf.String()
}

// ptyRun is the testscript command "ptyrun PROG ARGS...": it runs PROG
// with its stderr on a pseudo-terminal (stdin and stdout are ptyrun's),
// copies what the terminal showed to its own stderr, passes SIGINT and
// SIGTERM on, and exits with PROG's status. Scripts check the terminal
// path with it: 'exec ptyrun goforge build' then 'stderr ...'.
func ptyRun() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ptyrun PROG [ARGS...]")
		os.Exit(2)
	}
	p, err := newPTY()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ptyrun:", err)
		os.Exit(1)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, p.tty
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "ptyrun:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	os.Stderr.WriteString(p.output())
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		os.Exit(exit.ExitCode())
	case errors.As(err, &exit):
		os.Exit(128 + int(exit.Sys().(syscall.WaitStatus).Signal()))
	case err != nil:
		fmt.Fprintln(os.Stderr, "ptyrun:", err)
		os.Exit(1)
	}
	os.Exit(0)
}
