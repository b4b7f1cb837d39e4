package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/goforge/goforge/internal/buildinfo"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/goforge/goforge/internal/ciconf"
	gomatrix "github.com/goforge/goforge/internal/matrix"
	"github.com/goforge/goforge/internal/toolchain"
)

func newCICmd() *Command {
	var versions string
	var check bool
	c := NewCommand("ci", "github|gitlab [--go LIST] [--check]",
		"write CI workflows with a Go version matrix from go.mod", `
CI writes .github/workflows/go.yml (github) or .gitlab-ci.yml (gitlab) for
the module in the current directory: a test job over Go versions from
go.mod's go line to the newest release (or the --go LIST), on Linux, macOS
and Windows for GitHub; module and build caches keyed on go.sum; a lint job
when the module has a golangci-lint configuration; and, when the module has
main packages, a release job on tags that installs this goforge with
'go install' and runs 'goforge build'.

The newest release is the newest the module proxy lists, else the newest
installed, else the Go that built goforge.

--check writes nothing: it prints how the existing file differs from what
would be generated and exits 1 when they differ.`)
	c.Flags.StringVar(&versions, "go", "", "Go versions to test: `LIST` such as 1.22,1.23 (default: go.mod's go line to the newest release)")
	c.Flags.BoolVar(&check, "check", false, "report drift from what would be generated; exit 1 if any")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) != 1 || (args[0] != "github" && args[0] != "gitlab") {
			return c.Usagef("want github or gitlab")
		}
		var list []string
		if flagSet(c, "go") {
			var err error
			if list, err = ciconf.ParseVersions(versions); err != nil {
				return c.Usagef("--go: %v", err)
			}
		}
		return runCI(ctx, st, args[0], list, check)
	}
	return c
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(c *Command, name string) bool {
	set := false
	c.Flags.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runCI(ctx context.Context, st *Stdio, kind string, versions []string, check bool) error {
	root, _, err := findModule()
	if err != nil {
		return err
	}
	p, err := ciconf.Inspect(root)
	if err != nil {
		return err
	}
	p.Goforge = goforgeVersion()
	p.Versions = versions
	if len(p.Versions) == 0 {
		if p.Versions, err = ciconf.VersionRange(p.GoLine, newestRelease(ctx, st)); err != nil {
			return err
		}
	}
	gen, rel := ciconf.GitHub(p), ciconf.GitHubPath
	if kind == "gitlab" {
		gen, rel = ciconf.GitLab(p), ciconf.GitLabPath
	}
	path := filepath.Join(root, filepath.FromSlash(rel))
	if check {
		old, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s does not exist (run 'goforge ci %s')", rel, kind)
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", rel, err)
		}
		if d := ciconf.Diff(rel, old, "goforge ci "+kind, gen); d != "" {
			fmt.Fprint(st.Out, d)
			return fmt.Errorf("%s differs from what 'goforge ci %s' generates", rel, kind)
		}
		fmt.Fprintf(st.Err, "goforge: %s is up to date\n", rel)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := io.Copy(w, bytes.NewReader(gen)); return err }); err != nil {
		return err
	}
	fmt.Fprintf(st.Out, "%s\n", rel)
	return nil
}

// goforgeVersion is the version the release job installs: this binary's
// module version, or latest for a development build.
func goforgeVersion() string {
	if v := buildinfo.Read().Version; v != "(devel)" && v != "" {
		return v
	}
	return "latest"
}

// newestRelease is the newest Go release known: from the module proxy when
// it answers, else the newest installed, else the Go that built goforge.
func newestRelease(ctx context.Context, st *Stdio) string {
	best := runtime.Version()
	h, err := toolchain.OpenHome()
	if err != nil {
		return best
	}
	src := &gomatrix.HomeSource{Home: h}
	if in, err := newInstaller(h, st, ""); err == nil {
		src.Installer = in
	}
	return gomatrix.Newest(ctx, src, best)
}
