package doctor

import (
	"fmt"
	"github.com/goforge/goforge/internal/units"
	"io"
	"text/tabwriter"
)

// Report is the schema of 'goforge doctor --json'.
type Report struct {
	OK     bool     `json:"ok"`
	Checks []Result `json:"checks"`
}

// WriteText writes the results for people, one line each with its fix,
// then the counts.
func WriteText(w io.Writer, rs []Result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	counts := map[string]int{}
	for _, r := range rs {
		counts[r.Status]++
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Status, r.ID, r.Summary)
		if r.Fix != "" {
			fmt.Fprintf(tw, "\t\tfix: %s\n", r.Fix)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s: %d pass, %d warn, %d fail", units.Count(len(rs), "check"), counts[Pass], counts[Warn], counts[Fail])
	if counts[Skip] > 0 {
		fmt.Fprintf(w, ", %d skipped", counts[Skip])
	}
	fmt.Fprintln(w)
}
