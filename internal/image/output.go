package image

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goforge/goforge/internal/release"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// CheckWritable makes dir's parent and proves a file can be created
// there, so that a build does not run only to fail at the end.
func CheckWritable(target string) error {
	parent := filepath.Dir(filepath.Clean(target))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("output %s is not writable: %w", target, err)
	}
	f, err := os.CreateTemp(parent, ".goforge-check-*")
	if err != nil {
		return fmt.Errorf("output %s is not writable: %w", target, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// CheckLayoutDir checks that dir may be replaced by an OCI image layout:
// it is writable, and it does not exist, is empty or is a layout already.
// Writing a layout replaces the whole directory, so anything else there
// (a project pointed at by mistake, with --oci-layout . or ..) would be
// deleted.
func CheckLayoutDir(dir string) error {
	if err := CheckWritable(dir); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil // made new
	}
	if !fi.IsDir() {
		return fmt.Errorf("OCI layout %s exists and is not a directory", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "oci-layout")); err == nil {
		return nil
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) > 0 {
		return fmt.Errorf("OCI layout %s exists and is not an OCI image layout (no oci-layout file): writing the image replaces the whole directory; choose a new or empty one", dir)
	}
	return nil
}

// WriteLayout writes the image as an OCI image layout in dir, tagged
// with tag (its org.opencontainers.image.ref.name). The layout is written
// beside dir first and renamed into place, so dir is either the old
// layout or the new one, never a half-written one.
func WriteLayout(dir, tag string, b *Built) error {
	dir = filepath.Clean(dir)
	if err := CheckLayoutDir(dir); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("writing OCI layout %s: %w", dir, err)
	}
	defer os.RemoveAll(stage)
	p, err := layout.Write(stage, emptyIndexOCI())
	if err == nil {
		err = p.AppendIndex(b.Index, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag}))
	}
	if err != nil {
		return fmt.Errorf("writing OCI layout %s: %w", dir, err)
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	return replaceDir(stage, dir)
}

// replaceDir renames stage to dir, moving an existing dir out of the way
// first and removing it after.
func replaceDir(stage, dir string) error {
	old := ""
	if _, err := os.Lstat(dir); err == nil {
		old = stage + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("replacing %s: %w", dir, err)
		}
	}
	if err := os.Rename(stage, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return fmt.Errorf("replacing %s: %w", dir, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// TempDir makes a temporary directory under the command's $TMPDIR (the
// system's default when getenv is nil or it is unset).
func TempDir(getenv func(string) string, pattern string) (string, error) {
	parent := ""
	if getenv != nil {
		parent = getenv("TMPDIR")
	}
	dir, err := os.MkdirTemp(parent, pattern)
	if err != nil {
		return "", fmt.Errorf("making a temporary directory: %w", err)
	}
	return dir, nil
}

// WriteFile writes data to name through a temporary file and a rename.
func WriteFile(name string, data []byte) error {
	return writeAtomic(name, func(w io.Writer) error { _, err := w.Write(data); return err })
}

func writeAtomic(name string, write func(io.Writer) error) error {
	if err := CheckWritable(name); err != nil {
		return err
	}
	return release.WriteAtomic(name, 0o644, write)
}

var badTagChars = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// TagFor turns a version into a valid image tag.
func TagFor(version string) string {
	t := badTagChars.ReplaceAllString(version, "-")
	t = strings.TrimLeft(t, ".-")
	if t == "" {
		t = "latest"
	}
	return t[:min(len(t), 128)]
}

// WriteTarball writes a docker-archive that 'docker load' and 'podman
// load' read: each platform's image tagged REPO:TAG-OS-ARCH[-VARIANT],
// or REPO:TAG when there is one platform.
func WriteTarball(file, repo, tag string, b *Built) error {
	refs := map[name.Reference]v1.Image{}
	im, err := b.Index.IndexManifest()
	if err != nil {
		return err
	}
	for _, d := range im.Manifests {
		t := tag
		if len(im.Manifests) > 1 {
			t += "-" + strings.ReplaceAll(platformString(*d.Platform), "/", "-")
		}
		ref, err := name.NewTag(repo+":"+t, name.WeakValidation)
		if err != nil {
			return badInput("bad tarball tag %q: %v", repo+":"+t, err)
		}
		if refs[ref], err = b.Index.Image(d.Digest); err != nil {
			return err
		}
	}
	return writeAtomic(file, func(w io.Writer) error { return tarball.MultiRefWrite(refs, w) })
}

// Pushed is where an image went.
type Pushed struct {
	Ref        string `json:"ref"`
	Digest     string `json:"digest"`
	SBOMDigest string `json:"sbom_digest,omitempty"`
}

// Push uploads the index and its images to ref, then the SBOM as an OCI
// 1.1 referrer of the index (through the referrers API, or the tag
// fallback on registries without it).
func Push(ctx context.Context, ref string, b *Built, r Remote, withSBOM bool) (*Pushed, error) {
	dst, err := r.ParseRef(ref)
	if err != nil {
		return nil, err
	}
	opts := r.options(ctx)
	if err := remote.WriteIndex(dst, b.Index, opts...); err != nil {
		return nil, fmt.Errorf("pushing %s: %w", ref, registryError(err))
	}
	p := &Pushed{Ref: dst.Context().Digest(b.Digest.String()).String(), Digest: b.Digest.String()}
	if !withSBOM {
		return p, nil
	}
	desc, err := partial.Descriptor(b.Index)
	if err != nil {
		return nil, err
	}
	art, err := SBOMArtifact(b.SBOM, *desc, b.created)
	if err != nil {
		return nil, err
	}
	ad, err := art.Digest()
	if err != nil {
		return nil, err
	}
	if err := remote.Write(dst.Context().Digest(ad.String()), art, opts...); err != nil {
		return nil, fmt.Errorf("pushing the SBOM of %s: %w", ref, registryError(err))
	}
	p.SBOMDigest = ad.String()
	return p, nil
}
