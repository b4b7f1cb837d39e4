package image

import (
	"fmt"
	"io"
	"os"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Program is one built binary to put in an image.
type Program struct {
	Name     string // the file name in /usr/local/bin
	Path     string // the binary on disk
	Platform v1.Platform
	Needs    Needs
}

// Options are the parts of an image that do not come from the program.
type Options struct {
	Base    *Base
	Sources Sources
	// Tzdata adds the zoneinfo database even when the program does not
	// seem to need it (it may read $TZ through time.Local).
	Tzdata bool
	// Created is every timestamp in the image: the config's created,
	// history entries and file times.
	Created time.Time
	// Source, Revision and Version become OCI annotations and labels.
	Source, Revision, Version string
}

// Built is an assembled multi-platform image, in memory until written.
type Built struct {
	Index     v1.ImageIndex
	Digest    v1.Hash
	Platforms []PlatformReport
	SBOM      []byte
	created   time.Time
}

func emptyIndexOCI() v1.ImageIndex { return mutate.IndexMediaType(empty.Index, types.OCIImageIndex) }

// PlatformReport describes one platform's image.
type PlatformReport struct {
	Platform         string        `json:"platform"`
	Digest           string        `json:"digest"`
	CompressedSize   int64         `json:"compressed_size"`
	UncompressedSize int64         `json:"uncompressed_size"`
	CACerts          bool          `json:"ca_certs"`
	Zoneinfo         bool          `json:"zoneinfo"`
	Layers           []LayerReport `json:"layers"`
}

// LayerReport is one layer of a platform's image.
type LayerReport struct {
	Digest           string `json:"digest"`
	Size             int64  `json:"size"`
	UncompressedSize int64  `json:"uncompressed_size"`
	// From is "base", "files" (passwd, certificates, zoneinfo) or "app".
	From string `json:"from"`
}

// Annotations returns the OCI annotations of the image.
func (o Options) Annotations() map[string]string {
	a := map[string]string{"org.opencontainers.image.created": o.Created.UTC().Format(time.RFC3339)}
	for k, v := range map[string]string{"source": o.Source, "revision": o.Revision, "version": o.Version} {
		if v != "" {
			a["org.opencontainers.image."+k] = v
		}
	}
	if o.Base != nil && o.Base.Kind != "scratch" {
		a["org.opencontainers.image.base.name"] = o.Base.Spec
	}
	return a
}

// Assemble builds one image per program on the base and an index over
// them, in the order given.
func Assemble(progs []Program, o Options) (*Built, error) {
	idx := emptyIndexOCI()
	b := &Built{created: o.Created}
	anns := o.Annotations()
	for _, p := range progs {
		img, rep, err := assembleOne(p, o, anns)
		if err != nil {
			return nil, fmt.Errorf("assembling the %s image: %w", platformString(p.Platform), err)
		}
		plat := p.Platform
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add: img, Descriptor: v1.Descriptor{Platform: &plat, Annotations: anns},
		})
		b.Platforms = append(b.Platforms, *rep)
	}
	b.Index = mutate.Annotations(idx, anns).(v1.ImageIndex)
	d, err := b.Index.Digest()
	if err != nil {
		return nil, fmt.Errorf("computing the index digest: %w", err)
	}
	b.Digest = d
	sbom, err := SPDX(progs, o, d)
	if err != nil {
		return nil, err
	}
	b.SBOM = sbom
	return b, nil
}

func assembleOne(p Program, o Options, anns map[string]string) (v1.Image, *PlatformReport, error) {
	base, err := o.Base.ImageFor(p.Platform)
	if err != nil {
		return nil, nil, err
	}
	needs := p.Needs
	needs.Zoneinfo = needs.Zoneinfo || o.Tzdata
	sys, err := systemEntries(needs, o.Sources)
	if err != nil {
		return nil, nil, err
	}
	bin, err := os.ReadFile(p.Path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the program: %w", err)
	}
	img := mutate.MediaType(base, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	layers, err := baseLayers(base)
	if err != nil {
		return nil, nil, err
	}
	for _, part := range []struct {
		from    string
		entries []entry
	}{{"files", sys}, {"app", appEntries(p.Name, bin)}} {
		l, usize, err := buildLayer(part.entries, o.Created)
		if err != nil {
			return nil, nil, err
		}
		img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{
			Created: v1.Time{Time: o.Created}, CreatedBy: "goforge image: " + part.from,
		}})
		if err != nil {
			return nil, nil, err
		}
		lr, err := layerReport(l, part.from)
		if err != nil {
			return nil, nil, err
		}
		lr.UncompressedSize = usize
		layers = append(layers, lr)
	}
	if img, err = configure(img, p, needs, o, anns); err != nil {
		return nil, nil, err
	}
	rep, err := report(img, p.Platform, needs, layers)
	return img, rep, err
}

func report(img v1.Image, p v1.Platform, n Needs, layers []LayerReport) (*PlatformReport, error) {
	d, err := img.Digest()
	if err != nil {
		return nil, err
	}
	r := &PlatformReport{Platform: platformString(p), Digest: d.String(), CACerts: n.CACerts, Zoneinfo: n.Zoneinfo, Layers: layers}
	for _, l := range layers {
		r.CompressedSize += l.Size
		r.UncompressedSize += l.UncompressedSize
	}
	return r, nil
}

func baseLayers(base v1.Image) ([]LayerReport, error) {
	ls, err := base.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading the base's layers: %w", err)
	}
	out := []LayerReport{}
	for _, l := range ls {
		lr, err := layerReport(l, "base")
		if err != nil {
			return nil, err
		}
		rc, err := l.Uncompressed()
		if err != nil {
			return nil, fmt.Errorf("reading base layer %s: %w", lr.Digest, err)
		}
		lr.UncompressedSize, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("reading base layer %s: %w", lr.Digest, err)
		}
		out = append(out, lr)
	}
	return out, nil
}

func layerReport(l v1.Layer, from string) (LayerReport, error) {
	d, err := l.Digest()
	if err != nil {
		return LayerReport{}, err
	}
	size, err := l.Size()
	if err != nil {
		return LayerReport{}, err
	}
	return LayerReport{Digest: d.String(), Size: size, From: from}, nil
}
