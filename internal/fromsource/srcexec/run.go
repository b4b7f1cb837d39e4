// Package srcexec runs the scripts of a Go source tree (make.bash,
// run.bash) for goforge: in their own process group with a given
// environment, streaming their output line by line, and killing the whole
// group when the build is cancelled.
package srcexec

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// A Script is one run of a shell script of a Go source tree.
type Script struct {
	Path string   // absolute path of the script, e.g. GOROOT/src/make.bash
	Args []string // its arguments
	Dir  string   // working directory (the scripts insist on GOROOT/src)
	Env  []string // the complete environment
	// Log receives every line of output (stdout and stderr, merged).
	Log io.Writer
	// OnLine, if set, is called with each line of output as it arrives.
	OnLine func(line string, now time.Time)
	// TailLines is how many of the last lines to keep for an error report.
	TailLines int
	// Grace is how long the process group has between SIGTERM and SIGKILL
	// after cancellation; 3s if zero.
	Grace time.Duration
}

// ExitError reports a script that ran and failed.
type ExitError struct {
	Script string
	Code   int      // exit status, or -1 when killed by a signal
	Tail   []string // the last lines of its output
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("%s exited with status %d", e.Script, e.Code)
}

// ErrInterrupted is returned (wrapped) when the context was cancelled and
// the script's process group was killed.
var ErrInterrupted = errors.New("interrupted")

// Run runs s and waits for it and every process it started in its group.
func (s *Script) Run(ctx context.Context) error {
	pr, pw, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("starting %s: %w", s.Path, err)
	}
	defer pr.Close()
	cmd := exec.Command(s.Path, s.Args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = s.Dir, s.Env, pw, pw
	newProcessGroup(cmd)
	err = cmd.Start()
	pw.Close()
	if err != nil {
		return fmt.Errorf("starting %s: %w", s.Path, err)
	}
	stop := s.watch(ctx, cmd.Process.Pid)
	tail := s.copyLines(pr)
	werr := cmd.Wait()
	interrupted := stop()
	if interrupted {
		killGroup(cmd.Process.Pid, true) // stragglers that ignored SIGTERM
		return fmt.Errorf("running %s: %w", s.Path, ErrInterrupted)
	}
	var exit *exec.ExitError
	if errors.As(werr, &exit) {
		return &ExitError{Script: s.Path, Code: exit.ExitCode(), Tail: tail}
	}
	if werr != nil {
		return fmt.Errorf("running %s: %w", s.Path, werr)
	}
	return nil
}

// watch kills the process group of pid when ctx is cancelled: SIGTERM,
// then SIGKILL after the grace period. The returned stop function ends the
// watch and reports whether the group was killed.
func (s *Script) watch(ctx context.Context, pid int) (stop func() bool) {
	grace := s.Grace
	if grace == 0 {
		grace = 3 * time.Second
	}
	done := make(chan struct{})
	killed := make(chan bool, 1)
	go func() {
		select {
		case <-done:
			killed <- false
			return
		case <-ctx.Done():
		}
		killGroup(pid, false)
		select {
		case <-done:
		case <-time.After(grace):
			killGroup(pid, true)
		}
		killed <- true
	}()
	return func() bool {
		close(done)
		return <-killed
	}
}

// copyLines reads r to its end, passing each line on, and returns the
// last TailLines lines.
func (s *Script) copyLines(r io.Reader) []string {
	br := bufio.NewReaderSize(r, 64<<10)
	var tail []string
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			text := strings.TrimRight(line, "\r\n")
			if s.Log != nil {
				io.WriteString(s.Log, text+"\n")
			}
			if s.OnLine != nil {
				s.OnLine(text, time.Now())
			}
			if s.TailLines > 0 {
				tail = append(tail, text)
				if len(tail) > s.TailLines {
					tail = tail[1:]
				}
			}
		}
		if err != nil {
			return tail
		}
	}
}
