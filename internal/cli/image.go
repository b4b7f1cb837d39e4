package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/image"
	"github.com/goforge/goforge/internal/units"
)

func newImageCmd() *Command {
	var (
		targets                      listFlag
		base, layout, tarball, repo  string
		push, dist, config, version  string
		source, caCerts              string
		insecure, tzdata, noSBOM, js bool
		verbose                      bool
	)
	c := NewCommand("image", "[flags] [package]", "build a reproducible multi-arch OCI image of a program, without a Docker engine", imageLong)
	fs := c.Flags
	fs.Var(&targets, "targets", "linux targets, as for 'goforge build' (default linux/amd64,linux/arm64)")
	fs.StringVar(&base, "base", "scratch", "base: scratch, oci:DIR[:TAG], a docker-archive or OCI-archive file, or HOST/REPO[:TAG]")
	fs.StringVar(&layout, "oci-layout", "", "OCI image layout directory to write (default DIST/image/oci)")
	fs.StringVar(&tarball, "tarball", "", "also write a docker-archive for 'docker load' / 'podman load'")
	fs.StringVar(&repo, "repo", "", "repository name of the tarball's tags (default: the program's name)")
	fs.StringVar(&push, "push", "", "push the index to this registry reference (HOST/REPO[:TAG])")
	fs.BoolVar(&insecure, "insecure", false, "allow plain HTTP to a registry on loopback")
	fs.BoolVar(&tzdata, "tzdata", false, "add the time zone database even when the program does not load zones by name")
	fs.BoolVar(&noSBOM, "no-sbom", false, "do not attach the SBOM to the pushed image")
	fs.StringVar(&dist, "dist", "dist", "output directory; binaries go to DIST/image")
	fs.StringVar(&config, "config", "", "config file (default: goforge.toml in the current directory or module root)")
	fs.StringVar(&version, "version", "", "version to stamp and tag (default: git describe)")
	fs.StringVar(&source, "source", "", "URL of the source, for the org.opencontainers.image.source annotation")
	fs.StringVar(&caCerts, "ca-certs", "", "CA bundle to copy (default /etc/ssl/certs/ca-certificates.crt)")
	fs.BoolVar(&js, "json", false, "print the report as JSON")
	fs.BoolVar(&verbose, "v", false, "print a line per built target and step to stderr when it is not a terminal (a terminal gets one status line)")
	var cache string
	fs.StringVar(&cache, "cache", "", "share the build cache through the HTTP cache server at `URL` (GOCACHEPROG=goforge cacheprog)")
	tcfg := telemetryFlags(c)
	c.Run = func(ctx context.Context, st *Stdio, args []string) (err error) {
		if len(args) > 1 {
			return c.Usagef("an image holds one program; got %d packages", len(args))
		}
		ctx, tel, err := startTelemetry(ctx, c, st, tcfg)
		if err != nil {
			return err
		}
		defer func() { tel.End(err) }()
		r, dir, err := st.goRunner(ctx)
		if err != nil {
			return err
		}
		if !filepath.IsAbs(dist) {
			dist = filepath.Join(dir, dist)
		}
		p := startProgress(st, progressOpts{verb: "building the image", verbose: verbose, quiet: tel.StructuredLogs()})
		defer p.close()
		req := image.Request{
			Build: image.BuildRequest{
				Dir: dir, Targets: targets, Dist: filepath.Join(dist, "image"), Version: version,
				Config: config, Getenv: st.Getenv, Runner: r, Tel: tel, Cache: cache, Exe: selfExe(),
				Progress: func(ev image.Event) { imageEvent(p, ev) },
			},
			Base: base, Remote: image.Remote{Insecure: insecure}, Tzdata: tzdata, Layout: layout,
			Tarball: tarball, Repo: repo, Push: push, NoSBOM: noSBOM, Source: source, CACerts: caCerts,
		}
		if len(args) == 1 {
			req.Build.Package = args[0]
		}
		rep, err := image.Make(ctx, req)
		p.close()
		var bad *image.BadInputError
		if errors.As(err, &bad) {
			return c.Usagef("%s", bad.Msg)
		}
		if err != nil {
			return err
		}
		if js {
			return writeJSON(st.Out, rep)
		}
		return printImageReport(st, rep)
	}
	return c
}

// imageEvent reports the image's targets and steps to p.
func imageEvent(p *progress, ev image.Event) {
	switch {
	case ev.Build != nil:
		buildEvent(p, *ev.Build)
	case ev.Targets > 0:
		p.setTotal(ev.Targets)
	case ev.Done:
		p.drop(ev.Step)
	default:
		p.step(ev.Step)
	}
}

func printImageReport(st *Stdio, rep *image.Report) error {
	fmt.Fprintf(st.Out, "image %s %s on %s: %s\n", rep.Name, rep.Version, rep.Base, rep.Digest)
	tw := tabwriter.NewWriter(st.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tDIGEST\tCOMPRESSED\tUNCOMPRESSED\tLAYERS\tADDED")
	for _, p := range rep.Platforms {
		var added []string
		if p.CACerts {
			added = append(added, "ca-certs")
		}
		if p.Zoneinfo {
			added = append(added, "zoneinfo")
		}
		if len(added) == 0 {
			added = []string{"-"}
		}
		var layers []string
		for _, l := range p.Layers {
			layers = append(layers, fmt.Sprintf("%s %s", l.From, units.Bytes(l.Size)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Platform, shortDigest(p.Digest),
			units.Bytes(p.CompressedSize), units.Bytes(p.UncompressedSize), strings.Join(layers, ", "), strings.Join(added, ","))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(st.Out, "layout:  %s (tag %s)\nsbom:    %s\n", rep.Layout, rep.Tag, rep.SBOM)
	if rep.Tarball != "" {
		fmt.Fprintf(st.Out, "tarball: %s\n", rep.Tarball)
	}
	if rep.Pushed != nil {
		fmt.Fprintf(st.Out, "pushed:  %s\n", rep.Pushed.Ref)
		if rep.Pushed.SBOMDigest != "" {
			fmt.Fprintf(st.Out, "sbom referrer: %s\n", rep.Pushed.SBOMDigest)
		}
	}
	return nil
}

func shortDigest(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

const imageLong = `
Image builds one main package for linux targets with the release engine
(the same options and goforge.toml as 'goforge build': static, -trimpath,
-ldflags "-s -w", stamped) and layers each binary onto a base, without a
Docker engine:

  scratch (default)       nothing but what goforge adds
  oci:DIR[:TAG]           an image or index in a local OCI image layout
  FILE                    a docker-archive ('docker save') or OCI archive
  HOST/REPO[:TAG]         a registry image, with ~/.docker/config.json
                          credentials (--insecure: plain HTTP on loopback)

What goes in is read from the binary's function table: the build
machine's CA bundle at /etc/ssl/certs/ca-certificates.crt when it links
crypto/x509; Go's zoneinfo.zip (and ZONEINFO) when it calls
time.LoadLocation without embedding time/tzdata, or with --tzdata;
/etc/passwd and /etc/group with the user nonroot (65532), set as USER;
the program at /usr/local/bin/NAME as ENTRYPOINT.

Images are reproducible: sorted tar entries, numeric owners, and every
timestamp (files, history, the config's created) from SOURCE_DATE_EPOCH
or the commit time, so two builds of one commit give the same index
digest. The index and manifests carry org.opencontainers.image.created,
.revision, .version (and .source with --source).

Outputs: an OCI layout (DIST/image/oci, tagged with the version), an
SPDX SBOM of the modules from the binaries' build info beside it
(DIST/image/NAME.spdx.json), with --tarball a docker-archive (one tag per
platform: NAME:TAG-linux-amd64), with --push the index in a registry and
the SBOM as its OCI 1.1 referrer. Every file is written beside its place
and renamed in, so an error leaves nothing half-written.

Examples:
  goforge image ./cmd/server
  goforge image --base oci:base-layout:v1 --tarball server.tar ./cmd/server
  goforge image --push 127.0.0.1:5000/server:v1 --json ./cmd/server`
