package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock advances by step at every reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

func TestStatusLine(t *testing.T) {
	type op struct {
		begin, end string
		failed     bool
	}
	tests := []struct {
		name   string
		total  int
		ops    []op
		frames []string // what each draw shows, then the final line
	}{
		{
			name:  "two targets",
			total: 2,
			ops:   []op{{begin: "linux/amd64"}, {begin: "linux/arm64"}, {end: "linux/amd64"}, {end: "linux/arm64"}},
			frames: []string{
				"goforge: building [0/2] 1.0s: linux/amd64",
				"goforge: building [0/2] 2.0s: linux/amd64, linux/arm64",
				"goforge: building [1/2] 3.0s: linux/arm64",
				"goforge: building [2/2] 4.0s",
				"goforge: building [2/2] 5.0s",
			},
		},
		{
			name:  "a failure",
			total: 1,
			ops:   []op{{begin: "js/wasm"}, {end: "js/wasm", failed: true}},
			frames: []string{
				"goforge: building [0/1] 1.0s: js/wasm",
				"goforge: building [1/1] 2.0s, 1 failed",
				"goforge: building [1/1] 3.0s, 1 failed",
			},
		},
		{
			name:  "interrupted: closed with targets running",
			total: 3,
			ops:   []op{{begin: "linux/amd64"}},
			frames: []string{
				"goforge: building [0/3] 1.0s: linux/amd64",
				"goforge: building [0/3] 2.0s",
			},
		},
		{
			name:  "too many to show: the rest is counted",
			total: 9,
			ops: []op{{begin: "linux/amd64"}, {begin: "linux/arm64"}, {begin: "linux/riscv64"},
				{begin: "windows/amd64"}, {begin: "darwin/arm64"}, {begin: "freebsd/amd64"}},
			frames: []string{
				"goforge: building [0/9] 1.0s: linux/amd64",
				"goforge: building [0/9] 2.0s: linux/amd64, linux/arm64",
				"goforge: building [0/9] 3.0s: linux/amd64, linux/arm64, linux/riscv64",
				"goforge: building [0/9] 4.0s: linux/amd64, linux/arm64, linux/riscv64 +1",
				"goforge: building [0/9] 5.0s: linux/amd64, linux/arm64, linux/riscv64 +2",
				"goforge: building [0/9] 6.0s: linux/amd64, linux/arm64, linux/riscv64 +3",
				"goforge: building [0/9] 7.0s",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			s := newStatusLine(&buf, "building", tt.total, fakeClock(time.Second))
			for _, o := range tt.ops {
				if o.begin != "" {
					s.begin(o.begin)
				} else {
					s.end(o.end, o.failed)
				}
			}
			s.Close()
			s.Close() // a second Close draws nothing
			want := "\r\x1b[K" + strings.Join(tt.frames, "\r\x1b[K") + "\n"
			if got := buf.String(); got != want {
				t.Errorf("drawn\n%q\nwant\n%q", got, want)
			}
			for _, f := range tt.frames {
				if n := len([]rune(f)); n > statusWidth {
					t.Errorf("frame of %d columns, more than %d: %q", n, statusWidth, f)
				}
			}
		})
	}
}

func TestElapsed(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0.0s", 849 * time.Millisecond: "0.8s", 12345 * time.Millisecond: "12.3s",
		59940 * time.Millisecond: "59.9s", time.Minute: "1m00s", 245 * time.Second: "4m05s", 2 * time.Hour: "120m00s",
	} {
		if got := elapsed(d); got != want {
			t.Errorf("elapsed(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestStatusLineNotTerminal checks that nothing is drawn on stderr that is
// a buffer or a file, and that a nil status line is safe to close.
func TestStatusLineNotTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []*Stdio{{Err: &bytes.Buffer{}}, {Err: f}} {
		s := newTermStatus(w, "building", 3)
		if s != nil {
			t.Fatalf("status line on %T, which is not a terminal", w.Err)
		}
		s.Close()
	}
	if fi, _ := f.Stat(); fi.Size() != 0 {
		t.Errorf("%d bytes written to a file", fi.Size())
	}
}

// TestStatusLineTicks checks that the ticker redraws while nothing
// happens, and stops at Close.
func TestStatusLineTicks(t *testing.T) {
	var buf syncBuffer
	s := newStatusLine(&buf, "building", 1, time.Now)
	go s.tick(5 * time.Millisecond)
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(buf.String(), "\r") < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("no redraws in 5s: %q", buf.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.Close()
	n := len(buf.String())
	time.Sleep(30 * time.Millisecond)
	if got := buf.String(); len(got) != n || !strings.HasSuffix(got, "\n") {
		t.Errorf("drawn after Close, or no final newline: %q", got)
	}
}

// syncBuffer is a bytes.Buffer safe to read while another goroutine writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
