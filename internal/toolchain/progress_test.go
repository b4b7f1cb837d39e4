package toolchain

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
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
