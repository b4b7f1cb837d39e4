package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// newProgress returns a download progress callback that redraws one line
// with bytes, rate and ETA when w is a terminal, and otherwise prints
// nothing (the installer already logged a plain "downloading" line).
func newProgress(w io.Writer) func(n, total int64) {
	if !isTerminal(w) {
		return nil
	}
	return progressTo(w, time.Now)
}

// progressTo draws the progress line on w. Readers report after every
// read, also the reads at and after the end (the EOF, a zip's central
// directory), so the line is finished once: a later report with the same
// count would draw the final line a second time.
func progressTo(w io.Writer, now func() time.Time) func(n, total int64) {
	start := now()
	var last time.Time
	finished := false
	return func(n, total int64) {
		if finished {
			return
		}
		t := now()
		done := total > 0 && n >= total
		if !done && t.Sub(last) < 100*time.Millisecond {
			return
		}
		last = t
		fmt.Fprintf(w, "\r\x1b[K%s", progressLine(n, total, t.Sub(start)))
		if done {
			fmt.Fprintln(w)
			finished = true
		}
	}
}

// progressLine formats "12.3 MB / 68.0 MB  45.1 MB/s  ETA 1s".
func progressLine(n, total int64, elapsed time.Duration) string {
	rate := float64(n) / max(elapsed.Seconds(), 0.001)
	s := mb(n)
	if total > 0 {
		s += " / " + mb(total)
	}
	s += fmt.Sprintf("  %s/s", mb(int64(rate)))
	if total > 0 && rate > 0 && n < total {
		eta := time.Duration(float64(total-n) / rate * float64(time.Second))
		s += "  ETA " + eta.Round(time.Second).String()
	}
	return s
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
