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
}

// TestDownloadDetail checks the bytes beside a running download: at most
// ten redraws a second, the last report (all bytes) always drawn, and no
// report after the download ended brings it back to the line (the
// readers report again at EOF and at a zip's central directory).
func TestDownloadDetail(t *testing.T) {
	var buf bytes.Buffer
	s := newStatusLine(&buf, "installing 1.22", 0, fakeClock(0))
	p := &progress{line: s}
	p.begin("download")
	clock := time.Unix(0, 0)
	f := downloadDetail(p, "download", func() time.Time { clock = clock.Add(50 * time.Millisecond); return clock })
	for _, n := range []int64{1e6, 2e6, 3e6, 4e6, 100e6} {
		f(n, 100e6)
	}
	p.end("download", false, "download done")
	f(100e6, 100e6)
	s.Close()
	frames := strings.Split(strings.TrimSuffix(strings.TrimPrefix(buf.String(), "\r\x1b[K"), "\n"), "\r\x1b[K")
	want := []string{
		"goforge: installing 1.22 0.0s: download",
		"goforge: installing 1.22 0.0s: download 1.0 MB / 100.0 MB  20.0 MB/s  ETA 5s",
		"goforge: installing 1.22 0.0s: download 3.0 MB / 100.0 MB  20.0 MB/s  ETA 5s",
		"goforge: installing 1.22 0.0s: download 100.0 MB / 100.0 MB  400.0 MB/s",
		"goforge: installing 1.22 0.0s",
		"goforge: installing 1.22 0.0s",
	}
	if strings.Join(frames, "\n") != strings.Join(want, "\n") {
		t.Errorf("frames\n%s\nwant\n%s", strings.Join(frames, "\n"), strings.Join(want, "\n"))
	}
}
