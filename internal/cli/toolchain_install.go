package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/goforge/goforge/internal/srcinstall"
	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/toolchain"
)

// installFlags are the flags of 'goforge install'.
type installFlags struct {
	goos, goarch string
	mirror       string
	file, sha256 string
	force, use   bool
	json         bool
	verbose      bool
	src          srcinstall.Options
	fromSource   bool
}

func newInstallCmd() *Command {
	var f installFlags
	c := NewCommand("install", "[flags] VERSION | --file ARCHIVE [VERSION] | --from-source [VERSION|DIR]",
		"install a Go toolchain, verified, atomically", `
Install downloads a Go toolchain and installs it as a managed version in
the goforge home (see 'goforge help list' for the layout).

VERSION is 1.22 (the newest 1.22.x), 1.22.5, go1.22.5, 1.23rc1 or latest.

Sources, tried in this order unless a flag picks one:
  1. the Go module proxy (GOPROXY, with GONOPROXY/GOPRIVATE/GOINSECURE):
     module golang.org/toolchain, verified against the checksum database
     (GOSUMDB) through the proxy's /sumdb/ endpoint, as the go command does
     (GOSUMDB=off is refused unless GOPROXY is a single file:// URL);
  2. a go.dev/dl-style mirror (--mirror URL or GOFORGE_DL_MIRROR), verified
     by the sha256 in its JSON index;
  3. a local archive: --file go1.22.5.linux-amd64.tar.gz (or .zip), checked
     with --sha256 when given. A VERSION given with --file is a check, not
     a source: the archive must hold that version (1.22 accepts any
     1.22.x), else nothing is installed and install fails.

The download is verified and extracted into a staging directory in the
same filesystem and renamed into place only after verification: a failed
or killed install leaves nothing that 'list' shows or 'use' accepts.

With --from-source, Go is built from source with make.bash instead.`)
	fl := c.Flags
	fl.StringVar(&f.goos, "os", "", "install the toolchain for this GOOS (default: this machine's)")
	fl.StringVar(&f.goarch, "arch", "", "install the toolchain for this GOARCH (default: this machine's)")
	fl.StringVar(&f.mirror, "mirror", "", "fetch from this go.dev/dl-style mirror instead of GOPROXY (also GOFORGE_DL_MIRROR)")
	fl.StringVar(&f.file, "file", "", "install from this local .tar.gz or .zip archive")
	fl.StringVar(&f.sha256, "sha256", "", "expected SHA-256 of the --file archive")
	fl.BoolVar(&f.force, "force", false, "reinstall even if the version is installed")
	fl.BoolVar(&f.use, "use", false, "make the installed version the global default")
	fl.BoolVar(&f.json, "json", false, "print the installed version as JSON")
	fl.BoolVar(&f.verbose, "v", false, "print the source and a line per finished step to stderr when it is not a terminal (a terminal gets one status line)")
	fl.BoolVar(&f.fromSource, "from-source", false, "build Go from source (VERSION or a source DIR) with make.bash")
	fl.StringVar(&f.src.Bootstrap, "bootstrap", "", "bootstrap toolchain for --from-source: an installed VERSION or a GOROOT DIR")
	fl.BoolVar(&f.src.VerifyReproducible, "verify-reproducible", false, "with --from-source, compare bin/go, bin/gofmt and pkg/tool/* byte for byte with the installed binary distribution of the same version")
	fl.BoolVar(&f.src.RunTests, "run-tests", false, "with --from-source, run the standard tests after building")
	fl.StringVar(&f.src.TestRun, "run-tests-run", "", "with --run-tests, only the dist tests matching this `REGEXP`")
	fl.StringVar(&f.src.Experiment, "experiment", "", "with --from-source, the GOEXPERIMENT to build with")
	fl.StringVar(&f.src.CGOEnabled, "cgo", "", "with --from-source, CGO_ENABLED for make.bash: `0|1` (default: make.bash's own choice)")
	tcfg := telemetryFlags(c)
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 {
			return c.Usagef("unexpected argument %q", args[1])
		}
		ctx, tel, err := startTelemetry(ctx, c, st, tcfg)
		if err != nil {
			return err
		}
		err = runInstallCmd(ctx, c, st, &f, args, tel)
		tel.End(err)
		return err
	}
	return c
}

// runInstallCmd runs install's two modes: from source, or a binary
// distribution.
func runInstallCmd(ctx context.Context, c *Command, st *Stdio, f *installFlags, args []string, tel *telemetry.Session) error {
	{
		if f.fromSource {
			f.src.GOOS, f.src.GOARCH, f.src.JSON = f.goos, f.goarch, f.json
			f.src.Force, f.src.Use = f.force, f.use
			if v := f.src.CGOEnabled; v != "" && v != "0" && v != "1" {
				return c.Usagef("--cgo takes 0 or 1, not %q", v)
			}
			if len(args) == 1 {
				f.src.Arg = args[0]
			}
			return runInstallFromSource(ctx, st, f.src, f.verbose, tel)
		}
		if f.src.Bootstrap != "" || f.src.VerifyReproducible || f.src.RunTests || f.src.TestRun != "" || f.src.Experiment != "" || f.src.CGOEnabled != "" {
			return c.Usagef("--bootstrap, --verify-reproducible, --run-tests, --experiment and --cgo need --from-source")
		}
		if len(args) == 0 && f.file == "" {
			return c.Usagef("missing VERSION argument")
		}
		if len(args) == 1 {
			if err := checkQuery(c, args[0]); err != nil {
				return err
			}
			if f.file != "" && args[0] == "latest" {
				return c.Usagef("with --file, VERSION is checked against the archive: name one (1.22, 1.22.5), not latest")
			}
		}
		if err := toolchain.CheckSHA256(f.sha256, f.file); err != nil {
			return c.Usagef("%v", err)
		}
		return runInstall(ctx, st, f, args, tel)
	}
}

func runInstall(ctx context.Context, st *Stdio, f *installFlags, args []string, tel *telemetry.Session) error {
	h, err := st.Home()
	if err != nil {
		return err
	}
	in, err := newInstaller(h, st, f.mirror)
	if err != nil {
		return err
	}
	in.Tel = tel
	req := toolchain.Request{GOOS: f.goos, GOARCH: f.goarch, Force: f.force, File: f.file, SHA256: f.sha256}
	what := filepath.Base(f.file)
	if len(args) == 1 {
		req.Query, what = args[0], args[0]
	}
	p := startProgress(st, progressOpts{verb: "installing " + what, verbose: f.verbose, quiet: tel.StructuredLogs()})
	defer p.close()
	installEvents(in, p, true)
	res, err := in.Install(ctx, req)
	p.close()
	if err != nil {
		return err
	}
	if f.use {
		if err := h.Use(res.Name); err != nil {
			return err
		}
	}
	if f.json {
		return writeJSON(st.Out, res.Installed.Report(f.use, res.AlreadyInstalled))
	}
	if res.AlreadyInstalled {
		fmt.Fprintf(st.Err, "goforge: %s is already installed (use --force to reinstall)\n", res.Name)
	}
	fmt.Fprintf(st.Out, "%s\t%s\n", res.Name, res.Dir)
	return nil
}

// newInstaller is the installer 'install' and the commands that install
// on demand use: sources from the command's environment (see
// toolchain.NewInstaller), warnings as goforge: lines on stderr. A
// command that installs shows its progress with installEvents.
func newInstaller(h *toolchain.Home, st *Stdio, mirror string) (*toolchain.Installer, error) {
	in, err := toolchain.NewInstaller(h, st.Getenv, mirror)
	if err != nil {
		return nil, err
	}
	in.Logf = func(format string, args ...any) { st.say(format, args...) }
	return in, nil
}

// installEvents sends an installer's steps to p: each phase an item
// (counted when installing is the command's work, else only shown while
// it runs), the download's bytes beside it on a terminal, the source
// ("downloading ... from ...") as a line whenever progress shows, and
// warnings above the status line.
func installEvents(in *toolchain.Installer, p *progress, counted bool) {
	in.Logf = p.say
	in.Note = p.notef
	var mu sync.Mutex
	starts := map[string]time.Time{}
	prefix := ""
	if !counted {
		prefix = "installing: "
	}
	in.Step = func(phase string, done bool, err error) {
		name := prefix + phase
		mu.Lock()
		defer mu.Unlock()
		switch {
		case !done:
			starts[name] = time.Now()
			p.begin(name)
		case !counted, errors.Is(err, context.Canceled):
			// An interrupt is said once by the command, not as a failure.
			p.drop(name)
		case err != nil:
			p.end(name, true, fmt.Sprintf("%s failed after %s", phase, elapsed(time.Since(starts[name]))))
		default:
			p.end(name, false, fmt.Sprintf("%s done in %s", phase, elapsed(time.Since(starts[name]))))
		}
	}
	in.Progress = nil
	if p.terminal() {
		in.Progress = downloadDetail(p, prefix+"download", time.Now)
	}
}

// downloadDetail shows a download's bytes, rate and ETA beside the item
// name, at most ten times a second.
func downloadDetail(p *progress, name string, now func() time.Time) func(n, total int64) {
	start := now()
	var last time.Time
	return func(n, total int64) {
		t := now()
		if t.Sub(last) < 100*time.Millisecond && (total <= 0 || n < total) {
			return
		}
		last = t
		p.update(name, progressLine(n, total, t.Sub(start)))
	}
}
