package xbuild

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/units"
)

// Report is the schema of 'goforge build --json'.
type Report struct {
	Version   string  `json:"version"`
	Commit    string  `json:"commit,omitempty"`
	Date      string  `json:"date,omitempty"`
	GoVersion string  `json:"go_version"`
	Dist      string  `json:"dist"`
	Workers   int     `json:"workers"`
	Seconds   float64 `json:"seconds"`
	Built     int     `json:"built"`
	Reused    int     `json:"reused"`
	Cached    int     `json:"cached"`
	Failed    int     `json:"failed"`
	// Published is "published", "unchanged" or "refused" (--strict).
	Published string    `json:"published"`
	Results   []*Result `json:"results"`
}

// Count adds res to the totals.
func (r *Report) Count(res *Result) {
	switch res.Status {
	case StatusBuilt:
		r.Built++
	case StatusReused:
		r.Reused++
	case StatusCached:
		r.Cached++
	default:
		r.Failed++
	}
}

// WriteText writes the report as a table for people.
func (rep *Report) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tSTATUS\tSIZE\tTIME\tSTATIC\tVERIFIED\tRAN")
	for _, r := range rep.Results {
		size, tm := "-", "-"
		if r.Binary != nil {
			size = units.Bytes(r.Binary.Size)
		}
		if r.Status == StatusBuilt {
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
	switch rep.Published {
	case "refused":
		where = "nothing published (--strict): " + filepath.ToSlash(rep.Dist) + " keeps its previous release"
	case "none":
		where = "nothing published (every target failed): " + filepath.ToSlash(rep.Dist) + " keeps its previous release"
	}
	reused := ""
	if rep.Reused > 0 {
		reused = fmt.Sprintf(", %d reused", rep.Reused)
	}
	fmt.Fprintf(w, "\n%d built%s, %d unchanged, %d failed in %.1fs; %s\n",
		rep.Built, reused, rep.Cached, rep.Failed, rep.Seconds, where)
}

// CompareReport is the schema of 'goforge compare --json'.
type CompareReport struct {
	Package   string          `json:"package"`
	Target    string          `json:"target"`
	GoVersion string          `json:"go_version"`
	Cold      bool            `json:"cold"`
	Results   []CompareResult `json:"results"`
}

// WriteText writes the report as a table for people.
func (rep *CompareReport) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SET\tSIZE\tvs default\tBUILD\tSTART-UP\tNOTE")
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t%s\n", r.Name, firstOf(r.Error, ""))
			continue
		}
		startup := "-"
		if r.StartupRuns > 0 {
			startup = fmt.Sprintf("%.2fms", r.StartupSeconds*1000)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.1fs\t%s\t%s\n", r.Name, units.Bytes(r.Size), r.SizeRatio, r.BuildSeconds, startup, r.Note)
	}
	tw.Flush()
}

// Summary is the result in one line for people: "linux/amd64 built in
// 1.2s, ran: ok" or the first line of the failure.
func (r *Result) Summary() string {
	line := fmt.Sprintf("%s %s", r.Target, r.Status)
	switch {
	case r.Failed():
		line += ": " + firstOf(r.Error, "")
		if strings.Contains(strings.TrimSpace(r.Error), "\n") {
			line += " ..."
		}
	case r.Status == StatusBuilt:
		line += fmt.Sprintf(" in %.1fs", r.BuildSeconds)
	}
	if r.Ran != "" && !r.Failed() {
		line += ", ran: " + r.Ran
		if r.SkipReason != "" {
			line += " (" + r.SkipReason + ")"
		}
	}
	return line
}
