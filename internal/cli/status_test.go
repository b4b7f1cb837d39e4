package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
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
					s.show(o.begin, "")
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

// TestProgressNotTerminal checks what a command prints off a terminal:
// nothing without -v (nor with structured logs), a line per finished item
// with it, and warnings (say) always; it also checks that a nil progress
// is safe to use.
func TestProgressNotTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tt := range []struct {
		name string
		o    progressOpts
		want string
	}{
		{"quiet", progressOpts{total: 2}, "goforge: warning: w\n"},
		{"-v", progressOpts{total: 2, verbose: true},
			"goforge: [1/2] a: ok\ngoforge: fetching b\ngoforge: warning: w\ngoforge: [2/2] b: failed\n"},
		{"-v, no total", progressOpts{verbose: true},
			"goforge: a: ok\ngoforge: fetching b\ngoforge: warning: w\ngoforge: b: failed\n"},
		{"structured logs", progressOpts{total: 2, verbose: true, quiet: true}, "goforge: warning: w\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := startProgress(&Stdio{Err: &buf, Env: []string{"TERM=xterm"}}, tt.o)
			if p.terminal() {
				t.Fatal("a status line on a buffer")
			}
			p.begin("a")
			p.begin("b")
			p.update("b", "12 MB")
			p.end("a", false, "a: ok")
			p.notef("fetching %s", "b")
			p.say("warning: %s", "w")
			p.end("b", true, "b: failed")
			p.close()
			if got := buf.String(); got != tt.want {
				t.Errorf("stderr\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	p := startProgress(&Stdio{Err: f}, progressOpts{total: 3})
	p.begin("x")
	p.end("x", false, "x")
	p.close()
	if fi, _ := f.Stat(); fi.Size() != 0 {
		t.Errorf("%d bytes written to a file", fi.Size())
	}
	var nilp *progress
	nilp.begin("x")
	nilp.update("x", "y")
	nilp.notef("x")
	nilp.say("x")
	nilp.setTotal(3)
	nilp.end("x", true, "x")
	nilp.drop("x")
	nilp.close()
}

// TestProgressTerminal checks that on a terminal (a pty) the progress is
// the status line, that TERM=dumb turns it into plain lines' silence, and
// that a warning is printed above the line, which is drawn again.
func TestProgressTerminal(t *testing.T) {
	pty := openPTY(t)
	p := startProgress(&Stdio{Err: pty.tty, Env: []string{"TERM=xterm"}}, progressOpts{verb: "testing", total: 2})
	if !p.terminal() || p.verbose() {
		t.Fatal("no status line on a pty")
	}
	p.begin("a")
	p.say("warning: %s", "w")
	p.end("a", false, "a: ok")
	p.close()
	dumb := startProgress(&Stdio{Err: pty.tty, Env: []string{"TERM=dumb"}}, progressOpts{verb: "testing", total: 2})
	if dumb.terminal() {
		t.Error("a status line with TERM=dumb")
	}
	got := pty.output()
	want := regexp.MustCompile(`^\r\x1b\[Kgoforge: testing \[0/2\] [0-9.]+s: a` +
		`\r\x1b\[Kgoforge: warning: w\n\r\x1b\[Kgoforge: testing \[0/2\] [0-9.]+s: a` +
		`\r\x1b\[Kgoforge: testing \[1/2\] [0-9.]+s(\r\x1b\[Kgoforge: testing \[1/2\] [0-9.]+s)+\n$`)
	if !want.MatchString(got) {
		t.Errorf("terminal shows\n%q\nwant\n%s", got, want)
	}
	if !strings.HasSuffix(got, "\n") {
		t.Errorf("the status line is not ended with a newline: %q", got)
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

// TestStatusLineShapes checks the line without a total (a spinner-like
// "listing packages 3.2s"), an item's detail, a detail too long for the
// line, hidden items and a total learned late.
func TestStatusLineShapes(t *testing.T) {
	var buf bytes.Buffer
	s := newStatusLine(&buf, "listing packages", 0, fakeClock(time.Second))
	s.show("go list", "")
	s.show("download", "12.3 MB / 68.0 MB  45.1 MB/s  ETA 1s")
	s.show("go list", strings.Repeat("x", 100))
	s.hide("go list")
	s.hide("nosuch")
	s.setTotal(4)
	s.end("download", false)
	s.Close()
	frames := strings.Split(strings.TrimPrefix(strings.TrimSuffix(buf.String(), "\n"), "\r\x1b[K"), "\r\x1b[K")
	want := []string{
		"goforge: listing packages 1.0s: go list",
		"goforge: listing packages 2.0s: go list +1",
		"goforge: listing packages 3.0s: go list " + strings.Repeat("x", 79-41) + "…",
		"goforge: listing packages 4.0s: download 12.3 MB / 68.0 MB  45.1 MB/s  ETA 1s",
		"goforge: listing packages 5.0s: download 12.3 MB / 68.0 MB  45.1 MB/s  ETA 1s",
		"goforge: listing packages [0/4] 6.0s: download 12.3 MB / 68.0 MB  45.1 MB/s  E…",
		"goforge: listing packages [1/4] 7.0s",
		"goforge: listing packages [1/4] 8.0s",
	}
	if len(frames) != len(want) {
		t.Fatalf("%d frames, want %d: %q", len(frames), len(want), frames)
	}
	for i := range want {
		if frames[i] != want[i] {
			t.Errorf("frame %d\n%q\nwant\n%q", i, frames[i], want[i])
		}
		if n := len([]rune(frames[i])); n > statusWidth {
			t.Errorf("frame %d has %d columns", i, n)
		}
	}
}

// TestAboveWriter checks that a child's output written in pieces comes
// out above the status line a whole line at a time, the line drawn again
// below each, and that off a terminal it goes to stderr unchanged.
func TestAboveWriter(t *testing.T) {
	var buf bytes.Buffer
	s := newStatusLine(&buf, "building", 2, fakeClock(time.Second))
	w := (&progress{line: s}).writer()
	io.WriteString(w, "warning: one\nwarn")
	io.WriteString(w, "ing: two\n")
	s.Close()
	want := "\r\x1b[Kwarning: one\n\r\x1b[Kgoforge: building [0/2] 1.0s" +
		"\r\x1b[Kwarning: two\n\r\x1b[Kgoforge: building [0/2] 2.0s" +
		"\r\x1b[Kgoforge: building [0/2] 3.0s\n"
	if got := buf.String(); got != want {
		t.Errorf("drawn\n%q\nwant\n%q", got, want)
	}
	var plain bytes.Buffer
	p := startProgress(&Stdio{Err: &plain}, progressOpts{verbose: true})
	io.WriteString(p.writer(), "warn")
	if plain.String() != "warn" {
		t.Errorf("off a terminal the writer wrote %q", plain.String())
	}
}

// TestStatusLineManyItems runs 200 items from as many goroutines, every
// seventh failing: the final line counts them all, and no frame is wider
// than the line may be.
func TestStatusLineManyItems(t *testing.T) {
	var buf syncBuffer
	s := newStatusLine(&buf, "building", 200, fakeClockSafe(time.Millisecond))
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("target-with-a-long-name/%03d", i)
			s.show(name, "")
			s.setDetail(name, "compiling")
			s.end(name, i%7 == 0)
		}()
	}
	wg.Wait()
	s.Close()
	frames := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\r\x1b[K")
	last := frames[len(frames)-1]
	if !regexp.MustCompile(`^goforge: building \[200/200\] [0-9.]+s, 29 failed$`).MatchString(last) {
		t.Errorf("final line %q", last)
	}
	for _, f := range frames {
		if n := len([]rune(f)); n > statusWidth {
			t.Errorf("frame of %d columns: %q", n, f)
		}
	}
}

// fakeClockSafe is fakeClock for several goroutines.
func fakeClockSafe(step time.Duration) func() time.Time {
	var mu sync.Mutex
	next := fakeClock(step)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return next()
	}
}
