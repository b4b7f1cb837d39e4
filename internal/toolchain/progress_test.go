package toolchain

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
)

// TestProgressReports checks what the download readers tell the progress
// callback: only reads that moved, and, when the size was unknown, one
// final report with the total once the body ends, so that a terminal
// line gets finished.
func TestProgressReports(t *testing.T) {
	body := strings.Repeat("x", 10)
	for _, total := range []int64{10, -1} {
		var calls []string
		f := func(n, total int64) { calls = append(calls, fmt.Sprintf("%d/%d", n, total)) }
		readers := map[string]io.Reader{
			"downloadReader": &downloadReader{r: iotest.HalfReader(strings.NewReader(body)), total: total, progress: f},
			"progressReader": &progressReader{r: iotest.HalfReader(strings.NewReader(body)), total: total, f: f},
		}
		for name, r := range readers {
			calls = nil
			buf := make([]byte, 4)
			for {
				if _, err := r.Read(buf); err != nil {
					break
				}
			}
			r.Read(buf) // a read after the end reports nothing
			want := "2/10 4/10 6/10 8/10 10/10"
			if total < 0 {
				want = "2/-1 4/-1 6/-1 8/-1 10/-1 10/10"
			}
			if got := strings.Join(calls, " "); got != want {
				t.Errorf("%s, total %d: reports %q, want %q", name, total, got, want)
			}
		}
	}
}

// TestInstallSteps checks the events an install reports: each phase's
// start and end in order, the step note (not sent to Logf when Note is
// set), and a failed phase's error.
func TestInstallSteps(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	in := newTestInstaller(t, srv, nil)
	var steps, notes, logs []string
	in.Step = func(phase string, done bool, err error) {
		switch {
		case !done:
			steps = append(steps, phase)
		case err != nil:
			steps = append(steps, phase+" failed")
		default:
			steps = append(steps, phase+" done")
		}
	}
	in.Note = func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	in.Logf = func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) }
	if _, err := in.Install(context.Background(), Request{Query: "1.22.5"}); err != nil {
		t.Fatal(err)
	}
	want := "resolve,resolve done,download,download done,verify,verify done"
	if got := strings.Join(steps, ","); got != want {
		t.Errorf("steps %s, want %s", got, want)
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "downloading go1.22.5 (") || len(logs) != 0 {
		t.Errorf("notes %q, logs %q: want one downloading note and no log", notes, logs)
	}
	steps = nil
	if _, err := in.Install(context.Background(), Request{Query: "1.99"}); err == nil {
		t.Fatal("installed an unknown version")
	}
	if got := strings.Join(steps, ","); got != "resolve,resolve failed" {
		t.Errorf("steps of an unknown version: %s", got)
	}
}
