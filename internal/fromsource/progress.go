package fromsource

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

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
