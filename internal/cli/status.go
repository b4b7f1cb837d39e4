package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// statusWidth caps the status line: a line wider than the terminal wraps,
// and "\r" would then redraw only its last row.
const statusWidth = 79

// A progress is how a long command shows what it is doing on stderr, the
// same way for every command: on a terminal (TERM not dumb) one status
// line redrawn in place (see statusLine); otherwise, only when asked with
// -v, a plain line per finished item ("goforge: [3/9] ..."); else nothing.
// Commands report items as they begin and end; the methods of a nil
// *progress do nothing.
type progress struct {
	st    *Stdio
	line  *statusLine // on a terminal
	plain bool        // -v off a terminal: a line per finished item
	mu    sync.Mutex
	done  int
	total int
}

// progressOpts say how a command was asked to report.
type progressOpts struct {
	verb    string // "building": what the status line says the command does
	total   int    // items to finish; 0 when not known (no [i/N] then)
	verbose bool   // -v
	quiet   bool   // structured logs (--log-format json) say it instead
}

// startProgress returns the progress of a command run as o says. It
// shows nothing (but say still prints) when structured logs are on, or
// stderr is not a terminal and -v was not given.
func startProgress(st *Stdio, o progressOpts) *progress {
	p := &progress{st: st, total: o.total}
	switch {
	case o.quiet:
	case onTerminal(st):
		p.line = newStatusLine(st.Err, o.verb, o.total, time.Now)
		go p.line.tick(time.Second)
	case o.verbose:
		p.plain = true
	}
	return p
}

// onTerminal reports whether stderr is a terminal that can redraw a line.
func onTerminal(st *Stdio) bool {
	return isTerminal(st.Err) && st.Getenv("TERM") != "dumb"
}

// terminal reports whether p draws a status line.
func (p *progress) terminal() bool { return p != nil && p.line != nil }

// verbose reports whether p prints plain lines (-v off a terminal).
func (p *progress) verbose() bool { return p != nil && p.plain }

// setTotal sets the number of items once the command knows it.
func (p *progress) setTotal(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.total = n
	p.mu.Unlock()
	p.line.setTotal(n)
}

// begin reports that the item name started.
func (p *progress) begin(name string) {
	if p != nil {
		p.line.show(name, "")
	}
}

// update shows detail beside the running item name (a download's bytes,
// a phase) on the status line; plain lines do not show it. An item that
// is not running is not shown again.
func (p *progress) update(name, detail string) {
	if p != nil {
		p.line.setDetail(name, detail)
	}
}

// drop removes the running item name without counting it as finished.
func (p *progress) drop(name string) {
	if p != nil {
		p.line.hide(name)
	}
}

// end reports that the item name finished (or failed); text is its plain
// line, printed with -v off a terminal as "goforge: [i/N] text".
func (p *progress) end(name string, failed bool, text string) {
	if p == nil {
		return
	}
	p.line.end(name, failed)
	if !p.plain {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.total > 0 {
		p.st.say("[%d/%d] %s", p.done, p.total, text)
	} else {
		p.st.say("%s", text)
	}
}

// notef prints a step line that is not an item ("downloading go1.22.5
// from ..."), whenever progress shows: above the status line on a
// terminal, or with -v.
func (p *progress) notef(format string, args ...any) {
	if p.terminal() || p.verbose() {
		p.say(format, args...)
	}
}

// step reports that a step of the command began, which is not one of the
// counted items: a plain line with -v off a terminal, a running item on
// the status line (drop removes it).
func (p *progress) step(name string) {
	switch {
	case p == nil:
	case p.plain:
		p.st.say("%s", name)
	case p.line != nil:
		p.line.show(name, "")
	}
}

// say prints a diagnostic line ("goforge: ...") that must be read
// (a warning) whether or not progress is shown, without breaking the
// status line: it is cleared first and drawn again below.
func (p *progress) say(format string, args ...any) {
	switch {
	case p == nil:
	case p.line == nil:
		p.st.say(format, args...)
	default:
		p.line.above("goforge: " + fmt.Sprintf(format, args...))
	}
}

// writer is where a command's own diagnostic output goes (a child's
// warnings): stderr, or on a terminal lines above the status line.
func (p *progress) writer() io.Writer {
	if p.line == nil {
		return p.st.Err
	}
	return &aboveWriter{line: p.line}
}

// An aboveWriter prints each complete line written to it above a status
// line; a last line without a newline is held until one comes.
type aboveWriter struct {
	mu   sync.Mutex
	line *statusLine
	buf  []byte
}

func (w *aboveWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		w.line.above(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
}

// close ends the status line: its final state stays on screen, followed
// by a newline, so what the command prints next (a result, an error,
// "interrupted by SIGINT") starts on a fresh line. It is safe to call
// more than once.
func (p *progress) close() {
	if p != nil {
		p.line.Close()
	}
}

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
	total   int    // 0: unknown, the line shows no [i/N]
	done    int
	failed  int
	running []runItem
	closed  bool
	stop    chan struct{}
}

// A runItem is what the line shows of a running item: its name and what
// it is doing.
type runItem struct{ name, detail string }

func (r runItem) String() string {
	if r.detail == "" {
		return r.name
	}
	return r.name + " " + r.detail
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

func (s *statusLine) setTotal(n int) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total = n
	s.draw()
}

// show adds the running item name, or sets its detail.
func (s *statusLine) show(name, detail string) { s.update(name, detail, true) }

// setDetail sets the detail of the running item name, if it runs.
func (s *statusLine) setDetail(name, detail string) { s.update(name, detail, false) }

// update sets the detail of the running item name; add says whether an
// item that does not run yet starts running.
func (s *statusLine) update(name, detail string, add bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.running {
		if s.running[i].name == name {
			s.running[i].detail = detail
			s.draw()
			return
		}
	}
	if add {
		s.running = append(s.running, runItem{name, detail})
		s.draw()
	}
}

// hide removes the running item name.
func (s *statusLine) hide(name string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(name)
	s.draw()
}

// remove removes the running item name; the caller holds s.mu.
func (s *statusLine) remove(name string) {
	s.running = without(s.running, name)
}

// without is items without those called name.
func without(items []runItem, name string) []runItem {
	out := items[:0]
	for _, r := range items {
		if r.name != name {
			out = append(out, r)
		}
	}
	return out
}

// end records that name finished (or failed).
func (s *statusLine) end(name string, failed bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(name)
	s.done++
	if failed {
		s.failed++
	}
	s.draw()
}

// above prints line above the status line, which is drawn again below it.
func (s *statusLine) above(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		fmt.Fprintln(s.w, line)
		return
	}
	fmt.Fprintf(s.w, "\r\x1b[K%s\n", line)
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
// cut to statusWidth; without a total, "goforge: listing packages 3.2s".
func (s *statusLine) text() string {
	line := "goforge: " + s.verb
	if s.total > 0 {
		line += fmt.Sprintf(" [%d/%d]", s.done, s.total)
	}
	line += " " + elapsed(s.now().Sub(s.start))
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
		if i > 0 && utf8.RuneCountInString(line+sep+r.String()+more) > statusWidth {
			return cut(line + fmt.Sprintf(" +%d", len(s.running)-i))
		}
		line += sep + r.String()
	}
	return cut(line)
}

// cut cuts line to statusWidth columns, marking the cut with "…".
func cut(line string) string {
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
