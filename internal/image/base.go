package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// BadInputError is a mistake in what the user asked for (an unknown base,
// a target that is not linux); the command line reports it as a usage
// error.
type BadInputError struct{ Msg string }

func (e *BadInputError) Error() string { return e.Msg }

func badInput(format string, args ...any) error {
	return &BadInputError{Msg: fmt.Sprintf(format, args...)}
}

// Base is where the program's layers go on top of.
type Base struct {
	// Spec is the base as the user wrote it.
	Spec string
	// Kind is "scratch", "oci", "tarball" or "registry".
	Kind string
	// one of these is set for the kinds other than scratch
	index v1.ImageIndex
	image v1.Image
}

// Remote says how to reach registries.
type Remote struct {
	Keychain authn.Keychain
	// Insecure allows plain HTTP, for registries on loopback only.
	Insecure bool
}

func (r Remote) options(ctx context.Context) []remote.Option {
	return []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(r.keychain())}
}

// keychain is r.Keychain, or Docker's (~/.docker/config.json and its
// credential helpers) when none is set.
func (r Remote) keychain() authn.Keychain {
	if r.Keychain == nil {
		return authn.DefaultKeychain
	}
	return r.Keychain
}

// ParseRef parses a registry reference. Only references that name their
// registry host are accepted, so that nothing is ever fetched from a
// registry the user did not write down.
func (r Remote) ParseRef(s string) (name.Reference, error) {
	if !hasHost(s) {
		return nil, badInput("%q does not name a registry host: want HOST[:PORT]/REPO[:TAG|@DIGEST]", s)
	}
	first, _, _ := strings.Cut(s, "/")
	var opts []name.Option
	if r.Insecure {
		if !loopback(first) {
			return nil, badInput("--insecure is for registries on loopback only, not %q", first)
		}
		opts = append(opts, name.Insecure)
	}
	ref, err := name.ParseReference(s, opts...)
	if err != nil {
		return nil, badInput("bad image reference %q: %v", s, err)
	}
	return ref, nil
}

// hasHost reports whether a reference starts with a registry host.
func hasHost(s string) bool {
	first, _, ok := strings.Cut(s, "/")
	return ok && (strings.ContainsAny(first, ".:") || first == "localhost")
}

func loopback(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// OpenBase opens the base named by spec: "scratch", "oci:DIR[:TAG]", a
// docker-archive or OCI-archive tarball file (optionally prefixed
// "docker-archive:" or "oci-archive:"), or a registry reference with a
// host. tmp is a directory for unpacking an OCI archive.
func OpenBase(ctx context.Context, spec string, r Remote, tmp string) (*Base, error) {
	b := &Base{Spec: spec}
	var err error
	switch {
	case spec == "" || spec == "scratch":
		b.Kind, b.Spec = "scratch", "scratch"
		return b, nil
	case strings.HasPrefix(spec, "oci:"):
		b.Kind = "oci"
		b.index, b.image, err = openLayout(strings.TrimPrefix(spec, "oci:"))
	case strings.HasPrefix(spec, "docker-archive:"), strings.HasPrefix(spec, "oci-archive:"):
		b.Kind = "tarball"
		_, file, _ := strings.Cut(spec, ":")
		b.index, b.image, err = openArchive(file, tmp)
	case isFile(spec):
		b.Kind = "tarball"
		b.index, b.image, err = openArchive(spec, tmp)
	case !hasHost(spec):
		return nil, badInput("unknown base %q: want scratch, oci:DIR[:TAG], a tarball file, or HOST/REPO[:TAG] (bare names are not looked up on Docker Hub)", spec)
	default:
		b.Kind = "registry"
		b.index, b.image, err = openRemote(ctx, spec, r)
	}
	if err != nil {
		var bad *BadInputError
		if errors.As(err, &bad) {
			return nil, err
		}
		return nil, fmt.Errorf("loading base image %q: %w", spec, registryError(err))
	}
	return b, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// openLayout opens DIR[:TAG] of an OCI image layout: the manifest whose
// org.opencontainers.image.ref.name is TAG, or the only one.
func openLayout(spec string) (v1.ImageIndex, v1.Image, error) {
	dir, tag := spec, ""
	if _, err := os.Stat(dir); err != nil {
		if i := strings.LastIndexByte(spec, ':'); i > 0 {
			dir, tag = spec[:i], spec[i+1:]
		}
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading OCI layout %s: %w", dir, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, nil, fmt.Errorf("reading OCI layout %s: %w", dir, err)
	}
	var pick []v1.Descriptor
	for _, d := range im.Manifests {
		if tag == "" || d.Annotations["org.opencontainers.image.ref.name"] == tag {
			pick = append(pick, d)
		}
	}
	switch {
	case len(pick) == 0 && tag != "":
		return nil, nil, fmt.Errorf("OCI layout %s has no image tagged %q", dir, tag)
	case len(pick) == 0:
		return nil, nil, fmt.Errorf("OCI layout %s is empty", dir)
	case len(pick) > 1:
		return nil, nil, fmt.Errorf("OCI layout %s holds %d images: name one as oci:%s:TAG", dir, len(pick), dir)
	}
	return fromDescriptor(idx, pick[0])
}

func fromDescriptor(idx v1.ImageIndex, d v1.Descriptor) (v1.ImageIndex, v1.Image, error) {
	if d.MediaType.IsIndex() {
		child, err := idx.ImageIndex(d.Digest)
		return child, nil, err
	}
	img, err := idx.Image(d.Digest)
	return nil, img, err
}

// openArchive opens a docker-archive ('docker save') or an OCI archive (a
// tar of an image layout, 'podman save --format oci-archive').
func openArchive(file, tmp string) (v1.ImageIndex, v1.Image, error) {
	isOCI, err := tarHas(file, "oci-layout")
	if err != nil {
		return nil, nil, err
	}
	if !isOCI {
		img, err := tarball.ImageFromPath(file, nil)
		return nil, img, err
	}
	dir, err := os.MkdirTemp(tmp, "base-")
	if err != nil {
		return nil, nil, err
	}
	if err := untar(file, dir); err != nil {
		return nil, nil, err
	}
	return openLayout(dir)
}

func tarHas(file, want string) (bool, error) {
	f, err := os.Open(file)
	if err != nil {
		return false, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("reading %s as a tar archive: %w", file, err)
		}
		if strings.TrimPrefix(h.Name, "./") == want {
			return true, nil
		}
	}
}

// untar extracts the regular files and directories of an OCI archive
// into dir, refusing names that leave it.
func untar(file, dir string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", file, err)
		}
		name := filepath.FromSlash(strings.TrimPrefix(h.Name, "./"))
		switch h.Typeflag {
		case tar.TypeDir:
			err = root.MkdirAll(name, 0o755)
		case tar.TypeReg:
			err = copyToRoot(root, name, tr)
		}
		if err != nil {
			return fmt.Errorf("extracting %s from %s: %w", h.Name, file, err)
		}
	}
}

func copyToRoot(root *os.Root, name string, r io.Reader) error {
	if d := filepath.Dir(name); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	w, err := root.Create(name)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return errors.Join(err, w.Close())
}

func openRemote(ctx context.Context, spec string, r Remote) (v1.ImageIndex, v1.Image, error) {
	ref, err := r.ParseRef(spec)
	if err != nil {
		return nil, nil, err
	}
	desc, err := remote.Get(ref, r.options(ctx)...)
	if err != nil {
		return nil, nil, err
	}
	if desc.MediaType.IsIndex() {
		idx, err := desc.ImageIndex()
		return idx, nil, err
	}
	img, err := desc.Image()
	return nil, img, err
}

// ImageFor returns the base's image for a platform: an empty image for
// scratch, the matching manifest of a multi-platform base, or the base's
// only image when its platform matches.
func (b *Base) ImageFor(p v1.Platform) (v1.Image, error) {
	switch {
	case b.Kind == "scratch":
		return empty.Image, nil
	case b.image != nil:
		cf, err := b.image.ConfigFile()
		if err != nil {
			return nil, fmt.Errorf("reading the config of base %q: %w", b.Spec, err)
		}
		have := v1.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}
		if !platformMatches(have, p) {
			return nil, fmt.Errorf("base %q is %s, not %s", b.Spec, platformString(have), platformString(p))
		}
		return b.image, nil
	}
	im, err := b.index.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("reading the index of base %q: %w", b.Spec, err)
	}
	for _, d := range im.Manifests {
		if d.Platform != nil && platformMatches(*d.Platform, p) && d.MediaType.IsImage() {
			return b.index.Image(d.Digest)
		}
	}
	return nil, fmt.Errorf("base %q has no %s image", b.Spec, platformString(p))
}

func platformMatches(have, want v1.Platform) bool {
	if have.OS != want.OS || have.Architecture != want.Architecture {
		return false
	}
	return want.Variant == "" || have.Variant == "" || have.Variant == want.Variant
}

func platformString(p v1.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// registryError shortens a registry's error response to its codes and
// messages, with a hint when credentials are the problem.
func registryError(err error) error {
	var te *transport.Error
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return err
	}
	var msgs []string
	for _, d := range te.Errors {
		msgs = append(msgs, fmt.Sprintf("%s: %s", d.Code, d.Message))
	}
	msg := fmt.Sprintf("%s (HTTP %d)", strings.Join(msgs, "; "), te.StatusCode)
	if te.StatusCode == 401 || te.StatusCode == 403 {
		msg += ": check the credentials for this registry in ~/.docker/config.json"
	}
	return errors.New(msg)
}
