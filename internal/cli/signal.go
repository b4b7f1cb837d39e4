package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
)

// Interrupted is the cause of a command's cancelled context when goforge
// received SIGINT, SIGTERM or SIGHUP. Long commands stop their children,
// clean up and return; Run then prints one line and exits 128+signal, the
// shell's convention (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
type Interrupted struct{ Sig syscall.Signal }

func (e *Interrupted) Error() string { return "interrupted by " + signalName(e.Sig) }

// ExitCode is the exit status after the signal.
func (e *Interrupted) ExitCode() int { return 128 + int(e.Sig) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}

// interruptSignals are the signals that stop a command cleanly.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// signalContext returns a context cancelled with an *Interrupted cause at
// the first of interruptSignals. A second signal exits at once with its
// status: the user insists, and children die with goforge (their parent
// death signal) anyway.
//
// A command that hands the signals to a program it runs, as exec does,
// calls handOverSignals first: from then on they leave goforge alone.
func signalContext() (context.Context, func()) {
	handed := new(atomic.Bool)
	ctx, cancel := context.WithCancelCause(context.WithValue(context.Background(), signalsKey{}, handed))
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, interruptSignals...)
	done := make(chan struct{})
	go func() {
		for n := 0; ; {
			select {
			case s := <-ch:
				if handed.Load() {
					continue
				}
				if n++; n > 1 {
					os.Exit(128 + int(s.(syscall.Signal)))
				}
				cancel(&Interrupted{Sig: s.(syscall.Signal)})
			case <-done:
				return
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

type signalsKey struct{}

// handOverSignals stops signalContext's handling of ctx's signals for
// good: the caller passes them on and reports what they did.
func handOverSignals(ctx context.Context) {
	if h, ok := ctx.Value(signalsKey{}).(*atomic.Bool); ok {
		h.Store(true)
	}
}

// interruptStatus reports the exit status and prints the one line for a
// command that ended because of a signal; ok is false when ctx was not
// interrupted or the command finished without error regardless.
func interruptStatus(ctx context.Context, st *Stdio, args []string, err error) (int, bool) {
	var in *Interrupted
	if err == nil || !errors.As(context.Cause(ctx), &in) {
		return 0, false
	}
	what := firstVerb(args)
	if what == "" {
		what = "goforge"
	}
	fmt.Fprintf(st.Err, "goforge: %s interrupted by %s\n", what, signalName(in.Sig))
	return in.ExitCode(), true
}

// firstVerb is the command word of args (flags skipped).
func firstVerb(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}
