package firmware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// RunOptions says how to run a firmware image under QEMU.
type RunOptions struct {
	// QEMU is the qemu-system-arm program; found on PATH when empty.
	QEMU string
	// LookPath finds QEMU when it is empty; nil means exec.LookPath.
	LookPath func(string) (string, error)
	// Timeout ends a program that has not exited by then.
	Timeout time.Duration
	// Stdout receives what the program writes through semihosting (and
	// its UART); Stderr what QEMU says.
	Stdout, Stderr io.Writer
}

// TimeoutError says the program was still running when time was up.
type TimeoutError struct{ Timeout time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("the firmware did not exit within %v (stopped QEMU): does it end with a semihosting exit?", e.Timeout)
}

// Run runs the ELF on the board's QEMU machine with semihosting on and
// returns the exit code the program gave through SYS_EXIT or
// SYS_EXIT_EXTENDED, which QEMU exits with.
func Run(ctx context.Context, b Board, elfPath string, o RunOptions) (int, error) {
	if b.QEMU == "" {
		return 0, fmt.Errorf("QEMU does not model %s: flash it to the part, or build for a QEMU board (lm3s6965evb, mps2-an385, mps2-an386)", b.Name)
	}
	qemu := o.QEMU
	if qemu == "" {
		lookPath := o.LookPath
		if lookPath == nil {
			lookPath = exec.LookPath
		}
		p, err := lookPath("qemu-system-arm")
		if err != nil {
			return 0, errors.New("qemu-system-arm is not installed (apt-get install qemu-system-arm)")
		}
		qemu = p
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	// One stdio character device carries the UART and the semihosting
	// console to stdout (without chardev=, QEMU sends semihosting output
	// to its own stderr); target=native answers semihosting calls on the
	// host; no display, no monitor.
	cmd := exec.CommandContext(ctx, qemu, "-M", b.QEMU, "-display", "none", "-monitor", "none",
		"-chardev", "stdio,mux=on,id=con0", "-serial", "chardev:con0",
		"-semihosting-config", "enable=on,target=native,chardev=con0", "-kernel", elfPath)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = o.Stdout, &stderr
	if o.Stderr != nil {
		quiet := &dropLines{w: o.Stderr, drop: qemuChatter}
		defer quiet.Flush()
		cmd.Stderr = io.MultiWriter(&stderr, quiet)
	}
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return 0, &TimeoutError{Timeout: o.Timeout}
	}
	if ctx.Err() != nil {
		return 0, fmt.Errorf("running %s under QEMU: %w", elfPath, ctx.Err())
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		// QEMU's own failures (a bad image, an unknown machine) print
		// "qemu-system-arm: ..."; the program's exit codes print nothing.
		if msg := qemuComplaint(stderr.String()); msg != "" {
			return 0, fmt.Errorf("running %s under QEMU: %s", elfPath, msg)
		}
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("running qemu-system-arm: %w", err)
	}
	return 0, nil
}

// qemuChatter are lines QEMU prints on stderr for every run of some
// boards that say nothing about the program: the Stellaris boards'
// general-purpose timers print this at reset, before the program runs.
var qemuChatter = []string{"Timer with period zero, disabling"}

// dropLines passes what is written to w, line by line, except the lines
// equal to one of drop.
type dropLines struct {
	w    io.Writer
	drop []string
	buf  []byte
}

func (d *dropLines) Write(p []byte) (int, error) {
	d.buf = append(d.buf, p...)
	for {
		i := bytes.IndexByte(d.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := d.buf[:i+1]
		if !slices.Contains(d.drop, strings.TrimRight(string(line), "\r\n")) {
			if _, err := d.w.Write(line); err != nil {
				return len(p), err
			}
		}
		d.buf = d.buf[i+1:]
	}
}

// Flush writes a last line without a newline.
func (d *dropLines) Flush() {
	if len(d.buf) > 0 && !slices.Contains(d.drop, string(d.buf)) {
		d.w.Write(d.buf)
	}
	d.buf = nil
}

func qemuComplaint(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "qemu-system-arm: ") || strings.HasPrefix(line, "qemu: ") {
			return line
		}
	}
	return ""
}
