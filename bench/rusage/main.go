//go:build linux

// Command rusage runs a command and prints its wall time and the CPU time
// (user, system) of it and every process it started, including processes
// nobody waited for. The go command never waits for its GOCACHEPROG
// program (it closes the pipes and returns), so /usr/bin/time, which only
// counts waited-for children, leaves the cache program's CPU out. rusage
// makes itself a child subreaper: orphaned descendants become its children
// and it reaps them before reading RUSAGE_CHILDREN.
//
// Usage: rusage [-o FILE] command [args...]
// Output (stdout or FILE): "WALL USER SYS" in seconds.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	out := flag.String("o", "", "write the times to `FILE` instead of stdout")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: rusage [-o FILE] command [args...]")
		os.Exit(2)
	}
	code, line, err := run(flag.Args())
	if err != nil {
		fmt.Fprintf(os.Stderr, "rusage: %v\n", err)
		os.Exit(1)
	}
	if *out == "" {
		fmt.Println(line)
	} else if err := os.WriteFile(*out, []byte(line+"\n"), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "rusage: %v\n", err)
		os.Exit(1)
	}
	os.Exit(code)
}

const prSetChildSubreaper = 36

func run(args []string) (int, string, error) {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return 0, "", fmt.Errorf("becoming a subreaper: %v", errno)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, "", err
	}
	code := 0
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return 0, "", err
		}
		code = ee.ExitCode()
		if code < 0 {
			code = 1
		}
	}
	// Reap whatever the command left running (cache programs finishing
	// their close) so that their time counts too.
	for {
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, syscall.ECHILD) {
			break
		}
		if err != nil && !errors.Is(err, syscall.EINTR) {
			return 0, "", fmt.Errorf("reaping: %w", err)
		}
	}
	wall := time.Since(start)
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0, "", err
	}
	sec := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return code, fmt.Sprintf("%.3f %.3f %.3f", wall.Seconds(), sec(ru.Utime), sec(ru.Stime)), nil
}
