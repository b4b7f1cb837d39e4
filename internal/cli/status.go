package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/goforge/goforge/internal/xbuild"
)

// statusWidth caps the status line: a line wider than the terminal wraps,
// and "\r" would then redraw only its last row.
const statusWidth = 79

// A statusLine is the live one-line status of a long command on a
// terminal: finished/total, elapsed time and what is running, redrawn in
// place on every change and every second, so a long silence still shows
// the clock moving. Close draws the final line and ends it with a newline.
// The methods of a nil *statusLine do nothing.
type statusLine struct {
	mu      sync.Mutex
	w       io.Writer
	now     func() time.Time
	start   time.Time
	verb    string // "building"
	total   int
	done    int
	failed  int
	running []string
	closed  bool
	stop    chan struct{}
}

// newTermStatus returns a status line on st.Err that redraws itself every
// second, or nil when st.Err is not a terminal (or TERM=dumb): there the
// command prints plain lines instead.
func newTermStatus(st *Stdio, verb string, total int) *statusLine {
	if !isTerminal(st.Err) || st.Getenv("TERM") == "dumb" {
		return nil
	}
	s := newStatusLine(st.Err, verb, total, time.Now)
	go s.tick(time.Second)
	return s
}

// newStatusLine returns a status line on w reading the time from now; it
// draws only when told (no ticker), as tests want.
func newStatusLine(w io.Writer, verb string, total int, now func() time.Time) *statusLine {
	return &statusLine{w: w, now: now, start: now(), verb: verb, total: total, stop: make(chan struct{})}
}

func (s *statusLine) tick(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			s.draw()
			s.mu.Unlock()
		}
	}
}

// buildEvent is build's progress callback on a terminal.
func (s *statusLine) buildEvent(ev xbuild.Event) {
	name := ev.Job.Target.String()
	if ev.Phase == "start" {
		s.begin(name)
	} else if ev.Phase == "done" {
		s.end(name, ev.Result != nil && ev.Result.Failed())
	}
}

// begin records that name started.
func (s *statusLine) begin(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running = append(s.running, name)
	s.draw()
}

// end records that name finished (or failed).
func (s *statusLine) end(name string, failed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.running {
		if r == name {
			s.running = append(s.running[:i], s.running[i+1:]...)
			break
		}
	}
	s.done++
	if failed {
		s.failed++
	}
	s.draw()
}

// Close draws the final line, with a newline, and stops the redraws.
func (s *statusLine) Close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.running = nil
	s.draw()
	fmt.Fprintln(s.w)
	s.closed = true
	close(s.stop)
}

// draw redraws the line; the caller holds s.mu.
func (s *statusLine) draw() {
	if s.closed {
		return
	}
	fmt.Fprintf(s.w, "\r\x1b[K%s", s.text())
}

// text is "goforge: building [3/9] 12.3s: linux/arm64, windows/amd64 +2",
// cut to statusWidth.
func (s *statusLine) text() string {
	line := fmt.Sprintf("goforge: %s [%d/%d] %s", s.verb, s.done, s.total, elapsed(s.now().Sub(s.start)))
	if s.failed > 0 {
		line += fmt.Sprintf(", %d failed", s.failed)
	}
	for i, r := range s.running {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		more := ""
		if rest := len(s.running) - i - 1; rest > 0 {
			more = fmt.Sprintf(" +%d", rest)
		}
		if utf8.RuneCountInString(line+sep+r+more) > statusWidth {
			return line + fmt.Sprintf(" +%d", len(s.running)-i)
		}
		line += sep + r
	}
	if utf8.RuneCountInString(line) > statusWidth {
		line = string([]rune(line)[:statusWidth-1]) + "…"
	}
	return strings.TrimSpace(line)
}

// elapsed is "0.8s" or "12.3s" under a minute, else "4m05s": one shape,
// so the line does not jump between "800ms" and "1s".
func elapsed(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}
