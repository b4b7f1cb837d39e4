package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/goforge/goforge/internal/fromsource"
	"github.com/goforge/goforge/internal/srcinstall"
	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/toolchain"
)

// runInstallFromSource builds Go from source, installs it, and reports.
func runInstallFromSource(ctx context.Context, st *Stdio, opts srcinstall.Options, verbose bool, tel *telemetry.Session) error {
	home, err := st.Home()
	if err != nil {
		return err
	}
	p := startProgress(st, progressOpts{verb: "building Go from source", verbose: verbose, quiet: tel.StructuredLogs()})
	defer p.close()
	env := &srcinstall.Env{
		Home: home, Env: st.Environ(), Err: p.writer(),
		Notef: p.notef,
		Phase: func(ev srcinstall.PhaseEvent) { makePhase(p, ev) },
		Install: func(ctx context.Context, req toolchain.Request) (toolchain.Result, error) {
			in, err := newInstaller(home, st, "")
			if err != nil {
				return toolchain.Result{}, err
			}
			in.Tel = tel
			installEvents(in, p, false)
			return in.Install(ctx, req)
		},
	}
	r, err := srcinstall.Install(ctx, env, opts)
	p.close()
	if r != nil {
		for _, p := range r.Phases {
			tel.PastSpan(ctx, "make.bash "+p.Name, p.Start, p.Duration, !p.Done)
		}
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		if err := writeJSON(st.Out, r); err != nil {
			return err
		}
	} else {
		writeSourceInstall(st.Out, r)
	}
	if rep := r.Reproducible; rep != nil && rep.Equal != rep.Total {
		st.say("%s is installed, but %d of %d files differ from %s", r.Name, rep.Total-rep.Equal, rep.Total, rep.ComparedWith)
		return &ExitError{Code: 1}
	}
	return nil
}

// makePhase reports make.bash's phases to p: a phase is an item, ended
// when the next starts or the build ends.
func makePhase(p *progress, ev srcinstall.PhaseEvent) {
	p.setTotal(ev.Total)
	if prev := ev.Prev; prev != nil {
		took := fromsource.FormatDuration(prev.Duration)
		if prev.Done {
			p.end(prev.Name, false, fmt.Sprintf("%s: %s", prev.Name, took))
		} else {
			p.end(prev.Name, true, fmt.Sprintf("%s: failed after %s", prev.Name, took))
		}
	}
	if ev.Name != "" {
		p.begin(ev.Name)
	}
}

func writeSourceInstall(w io.Writer, r *srcinstall.Result) {
	total := time.Duration(r.TotalSeconds * float64(time.Second))
	fromsource.WriteSummary(w, r.Phases, total)
	fmt.Fprintf(w, "\ninstalled %s (%s %s/%s, built from %s with %s %s) in %s\n",
		r.Name, r.Version, r.GOOS, r.GOARCH, r.Source, r.Bootstrap.Version, r.Bootstrap.GOROOT, r.Dir)
	if t := r.Tests; t != nil {
		fmt.Fprintf(w, "tests passed in %s\n", fromsource.FormatDuration(time.Duration(t.Seconds*float64(time.Second))))
	}
	if rep := r.Reproducible; rep != nil {
		fmt.Fprintf(w, "\nreproducible: %d of %d files equal to %s (%s)\n", rep.Equal, rep.Total, rep.ComparedWith, rep.Dir)
		writeReproTable(w, rep.Files)
	}
}

func writeReproTable(w io.Writer, files []fromsource.FileComparison) {
	fmt.Fprintf(w, "%-40s %-24s %s\n", "FILE", "STATUS", "SHA-256 (source build)")
	for _, f := range files {
		h := f.BuildHash
		if len(h) > 16 {
			h = h[:16]
		}
		fmt.Fprintf(w, "%-40s %-24s %s\n", f.Path, f.Status, h)
	}
}
