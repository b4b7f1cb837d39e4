package image

import (
	"encoding/json"
	"fmt"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// emptyConfig is the OCI 1.1 empty descriptor's content.
var emptyConfig = []byte("{}")

// sbomArtifact is an OCI 1.1 artifact manifest carrying the SBOM, whose
// subject is the image index: registries list it as a referrer of the
// image ('oras discover', the referrers API or its tag fallback).
type sbomArtifact struct {
	manifest []byte
	layer    v1.Layer
}

// SBOMArtifact returns the SBOM as an image whose manifest refers to
// subject.
func SBOMArtifact(sbom []byte, subject v1.Descriptor, created time.Time) (v1.Image, error) {
	layer := static.NewLayer(sbom, SPDXMediaType)
	ld, err := partial.Descriptor(layer)
	if err != nil {
		return nil, err
	}
	ld.Annotations = map[string]string{"org.opencontainers.image.title": "sbom.spdx.json"}
	cd, _, err := v1.SHA256(bytesReader(emptyConfig))
	if err != nil {
		return nil, err
	}
	subject.Annotations, subject.Platform = nil, nil
	m := v1.Manifest{
		SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: SPDXMediaType,
		Config: v1.Descriptor{MediaType: types.OCIEmptyJSON, Size: int64(len(emptyConfig)), Digest: cd, Data: emptyConfig},
		Layers: []v1.Descriptor{*ld}, Subject: &subject,
		Annotations: map[string]string{"org.opencontainers.image.created": created.UTC().Format(time.RFC3339)},
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("writing the SBOM manifest: %w", err)
	}
	return partial.CompressedToImage(&sbomArtifact{manifest: raw, layer: layer})
}

func (a *sbomArtifact) RawConfigFile() ([]byte, error)      { return emptyConfig, nil }
func (a *sbomArtifact) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }
func (a *sbomArtifact) RawManifest() ([]byte, error)        { return a.manifest, nil }

func (a *sbomArtifact) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if d, _ := a.layer.Digest(); d == h {
		return a.layer, nil
	}
	if cd, _, _ := v1.SHA256(bytesReader(emptyConfig)); cd == h {
		return static.NewLayer(emptyConfig, types.OCIEmptyJSON), nil
	}
	return nil, fmt.Errorf("SBOM artifact has no blob %s", h)
}
