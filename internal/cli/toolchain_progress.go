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
	start := time.Now()
	var last time.Time
	return func(n, total int64) {
		now := time.Now()
		done := total > 0 && n >= total
		if !done && now.Sub(last) < 100*time.Millisecond {
			return
		}
		last = now
		fmt.Fprintf(w, "\r\x1b[K%s", progressLine(n, total, now.Sub(start)))
		if done {
			fmt.Fprintln(w)
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
