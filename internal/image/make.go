package image

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Request is a whole 'goforge image' run.
type Request struct {
	Build  BuildRequest
	Base   string
	Remote Remote
	Tzdata bool
	// Layout is the OCI layout directory (default DIST/image/oci).
	Layout string
	// Tarball, when set, is a docker-archive to write, its images
	// tagged Repo:TAG (Repo defaults to the program's name).
	Tarball, Repo string
	// Push, when set, is the registry reference to push to.
	Push string
	// NoSBOM leaves out the SBOM referrer when pushing.
	NoSBOM bool
	Source string
	// CACerts overrides the build machine's CA bundle.
	CACerts string
}

// Report is the result of a run and the schema of 'goforge image --json'.
type Report struct {
	Name      string           `json:"name"`
	Version   string           `json:"version"`
	Revision  string           `json:"revision,omitempty"`
	Created   string           `json:"created"`
	GoVersion string           `json:"go_version"`
	Base      string           `json:"base"`
	Digest    string           `json:"digest"`
	Layout    string           `json:"layout"`
	Tag       string           `json:"tag"`
	SBOM      string           `json:"sbom"`
	Tarball   string           `json:"tarball,omitempty"`
	Pushed    *Pushed          `json:"pushed,omitempty"`
	Platforms []PlatformReport `json:"platforms"`
}

// Make checks the request, builds the program, assembles the image and
// writes it where asked. Inputs that can be checked before the build (the
// base, the outputs, the push destination and its credentials) are.
func Make(ctx context.Context, req Request) (*Report, error) {
	tmp, err := TempDir(req.Build.Getenv, "goforge-image-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if req.Layout == "" {
		req.Layout = filepath.Join(req.Build.Dist, "oci")
	}
	var base *Base
	err = req.Build.step("opening the base", func() (err error) {
		base, err = OpenBase(ctx, req.Base, req.Remote, tmp)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := checkOutputs(ctx, req); err != nil {
		return nil, err
	}
	br, err := Build(ctx, req.Build)
	if err != nil {
		return nil, err
	}
	created := time.Unix(br.Stamp.Epoch, 0).UTC()
	caCerts := req.CACerts
	if caCerts == "" {
		caCerts = "/etc/ssl/certs/ca-certificates.crt"
	}
	o := Options{
		Base: base, Tzdata: req.Tzdata, Created: created,
		Sources: Sources{CACerts: caCerts, Zoneinfo: filepath.Join(br.GOROOT, "lib", "time", "zoneinfo.zip")},
		Source:  req.Source, Revision: br.Stamp.Commit, Version: br.Stamp.Version,
	}
	var built *Built
	err = req.Build.step("assembling", func() (err error) {
		built, err = Assemble(br.Programs, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return write(ctx, req, br, built)
}

func checkOutputs(ctx context.Context, req Request) error {
	if req.Push != "" {
		ref, err := req.Remote.ParseRef(req.Push)
		if err != nil {
			return err
		}
		if err := remote.CheckPushPermission(ref, req.Remote.keychain(), http.DefaultTransport); err != nil {
			return fmt.Errorf("checking that %s accepts a push: %w", req.Push, registryError(err))
		}
	}
	if err := CheckLayoutDir(req.Layout); err != nil {
		return err
	}
	if req.Tarball != "" {
		return CheckWritable(req.Tarball)
	}
	return nil
}

func write(ctx context.Context, req Request, br *BuildResult, b *Built) (*Report, error) {
	name := br.Programs[0].Name
	rep := &Report{
		Name: name, Version: br.Stamp.Version, Revision: br.Stamp.Commit, GoVersion: br.GoVersion,
		Created: b.created.Format(time.RFC3339), Base: req.Base, Digest: b.Digest.String(),
		Layout: req.Layout, Tag: TagFor(br.Stamp.Version), Platforms: b.Platforms,
	}
	if rep.Base == "" {
		rep.Base = "scratch"
	}
	if err := req.Build.step("writing the layout", func() error { return WriteLayout(req.Layout, rep.Tag, b) }); err != nil {
		return nil, err
	}
	rep.SBOM = filepath.Join(filepath.Dir(filepath.Clean(req.Layout)), name+".spdx.json")
	if err := WriteFile(rep.SBOM, b.SBOM); err != nil {
		return nil, err
	}
	if req.Tarball != "" {
		repo := req.Repo
		if repo == "" {
			repo = name
		}
		if err := req.Build.step("writing the tarball", func() error { return WriteTarball(req.Tarball, repo, rep.Tag, b) }); err != nil {
			return nil, err
		}
		rep.Tarball = req.Tarball
	}
	if req.Push != "" {
		var p *Pushed
		err := req.Build.step("pushing", func() (err error) {
			p, err = Push(ctx, req.Push, b, req.Remote, !req.NoSBOM)
			return err
		})
		if err != nil {
			return nil, err
		}
		rep.Pushed = p
	}
	return rep, nil
}
