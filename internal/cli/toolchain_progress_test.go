package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n, total int64
		elapsed  time.Duration
		want     string
	}{
		{10e6, 70e6, time.Second, "10.0 MB / 70.0 MB  10.0 MB/s  ETA 6s"},
		{70e6, 70e6, 2 * time.Second, "70.0 MB / 70.0 MB  35.0 MB/s"},
		{5e6, -1, time.Second, "5.0 MB  5.0 MB/s"},
	} {
		if got := progressLine(tc.n, tc.total, tc.elapsed); got != tc.want {
			t.Errorf("progressLine(%d, %d, %v) = %q, want %q", tc.n, tc.total, tc.elapsed, got, tc.want)
		}
	}
	// Not a terminal: no progress bar at all.
	if newProgress(&bytes.Buffer{}) != nil {
		t.Error("progress on a non-terminal")
	}
}

// TestProgressFinalLineOnce feeds the callback what the readers report
// for a download: some reads, the last one reaching the total, then the
// reads after the end (EOF, the zip's central directory) with the same
// count. The final line is drawn once and ends the line once.
func TestProgressFinalLineOnce(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	p := progressTo(&buf, func() time.Time { clock = clock.Add(time.Second); return clock })
	for _, n := range []int64{10e6, 20e6, 50e6, 100e6, 100e6, 100e6} {
		p(n, 100e6)
	}
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Errorf("want exactly one newline, at the end: %q", out)
	}
	if got := strings.Count(out, "100.0 MB / 100.0 MB"); got != 1 {
		t.Errorf("final line drawn %d times, want 1: %q", got, out)
	}
	if got := strings.Count(out, "\r\x1b[K"); got != 4 {
		t.Errorf("drew %d lines, want 4: %q", got, out)
	}
}
