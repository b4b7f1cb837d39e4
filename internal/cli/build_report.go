package cli

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/xbuild"
)

// buildReport is the schema of 'goforge build --json'.
type buildReport struct {
	Version   string  `json:"version"`
	Commit    string  `json:"commit,omitempty"`
	Date      string  `json:"date,omitempty"`
	GoVersion string  `json:"go_version"`
	Dist      string  `json:"dist"`
	Workers   int     `json:"workers"`
	Seconds   float64 `json:"seconds"`
	Built     int     `json:"built"`
	Cached    int     `json:"cached"`
	Failed    int     `json:"failed"`
	// Published is "published", "unchanged" or "refused" (--strict).
	Published string           `json:"published"`
	Results   []*xbuild.Result `json:"results"`
}

func (r *buildReport) count(res *xbuild.Result) {
	switch res.Status {
	case "built":
		r.Built++
	case "cached":
		r.Cached++
	default:
		r.Failed++
	}
}

func printBuildTable(st *Stdio, rep buildReport) {
	tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tSTATUS\tSIZE\tTIME\tSTATIC\tVERIFIED\tRAN")
	for _, r := range rep.Results {
		size, tm := "-", "-"
		if r.Binary != nil {
			size = humanBytes(r.Binary.Size)
		}
		if r.Status == "built" {
			tm = fmt.Sprintf("%.1fs", r.BuildSeconds)
		}
		static := "no"
		switch {
		case r.Info == nil:
			static = "-"
		case r.Static:
			static = "yes"
		case !r.WantStatic:
			static = "n/a"
		}
		ran := r.Ran
		switch {
		case ran == "":
			ran = "-"
		case r.SkipReason != "":
			ran += " (" + r.SkipReason + ")"
		case r.RanWith != "":
			ran += " (" + r.RanWith + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Target, r.Status, size, tm, static, r.Verified, ran)
	}
	tw.Flush()
	where := "release in " + filepath.ToSlash(rep.Dist) + " (SHA256SUMS, manifest.json)"
	if rep.Published == "refused" {
		where = "nothing published (--strict): " + filepath.ToSlash(rep.Dist) + " keeps its previous release"
	}
	fmt.Fprintf(st.Out, "\n%d built, %d unchanged, %d failed in %.1fs; %s\n",
		rep.Built, rep.Cached, rep.Failed, rep.Seconds, where)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
