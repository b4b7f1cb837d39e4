package doctor

import (
	"fmt"
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
	fmt.Fprintf(w, "\n%s: %d pass, %d warn, %d fail", plural(len(rs), "check"), counts[Pass], counts[Warn], counts[Fail])
	if counts[Skip] > 0 {
		fmt.Fprintf(w, ", %d skipped", counts[Skip])
	}
	fmt.Fprintln(w)
}

// plural is "1 check", "2 checks".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
