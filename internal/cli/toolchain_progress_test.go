package cli

import (
	"bytes"
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
