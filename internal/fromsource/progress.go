package fromsource

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// A Display shows a build's progress on w: a status line redrawn in place
// when w is a terminal, plain lines otherwise. make.bash's other output
// (warnings, errors) passes through unchanged.
type Display struct {
	w        io.Writer
	terminal bool
	total    int
	status   bool // a status line is on screen
}

// NewDisplay returns a display of a build with total phases.
func NewDisplay(w io.Writer, terminal bool, total int) *Display {
	return &Display{w: w, terminal: terminal, total: total}
}

// Phase announces the phase t has just entered, with the time the previous
// one took.
func (d *Display) Phase(t *Tracker, now time.Time) {
	ph := t.Phases()
	cur := ph[len(ph)-1]
	d.clear()
	if len(ph) > 1 {
		prev := ph[len(ph)-2]
		if d.terminal {
			fmt.Fprintf(d.w, "  done %-28s %s\n", prev.Name, FormatDuration(prev.Duration))
		} else {
			fmt.Fprintf(d.w, "goforge: [%d/%d] %s (%s took %s)\n", len(ph), d.total, cur.Name, prev.Name, FormatDuration(prev.Duration))
			return
		}
	}
	if !d.terminal {
		fmt.Fprintf(d.w, "goforge: [%d/%d] %s\n", len(ph), d.total, cur.Name)
		return
	}
	d.Tick(t, now)
}

// Output shows a line of make.bash output that is not a phase line.
func (d *Display) Output(line string) {
	d.clear()
	fmt.Fprintln(d.w, line)
}

// Tick redraws the status line with the current phase's running time. It
// does nothing unless w is a terminal.
func (d *Display) Tick(t *Tracker, now time.Time) {
	cur, i, ok := t.Current()
	if !d.terminal || !ok {
		return
	}
	d.clear()
	fmt.Fprintf(d.w, "[%d/%d] %-28s %s  (total %s)", i, d.total, cur.Name,
		FormatDuration(now.Sub(cur.Start).Truncate(time.Second)), FormatDuration(t.Elapsed(now).Truncate(time.Second)))
	d.status = true
}

// Finish removes the status line and reports the last phase's time.
func (d *Display) Finish(t *Tracker) {
	d.clear()
	cur, _, ok := t.Current()
	if d.terminal && ok && cur.Done {
		fmt.Fprintf(d.w, "  done %-28s %s\n", cur.Name, FormatDuration(cur.Duration))
	}
}

func (d *Display) clear() {
	if d.status {
		fmt.Fprint(d.w, "\r\033[K")
		d.status = false
	}
}

// WriteSummary writes the table of phases and their times, then the total.
func WriteSummary(w io.Writer, phases []PhaseTime, total time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PHASE\tTIME\tSHARE")
	for _, p := range phases {
		t := FormatDuration(p.Duration)
		if !p.Done {
			t += " (failed)"
		}
		share := ""
		if total > 0 {
			share = fmt.Sprintf("%.0f%%", 100*float64(p.Duration)/float64(total))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, t, share)
	}
	fmt.Fprintf(tw, "total\t%s\n", FormatDuration(total))
	tw.Flush()
}

// FormatDuration formats d for people: "850ms", "7.8s", "3m12s".
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
