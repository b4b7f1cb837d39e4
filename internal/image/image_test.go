package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func TestNeedsFromFuncs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		funcs []string
		want  Needs
	}{
		{"plain", []string{"main.main", "fmt.Println", "time.Now"}, Needs{}},
		{"x509", []string{"main.main", "crypto/x509.(*Certificate).Verify"}, Needs{CACerts: true}},
		{"loads zones", []string{"main.main", "time.LoadLocation"}, Needs{Zoneinfo: true}},
		{"embeds tzdata", []string{"time.LoadLocation", "time/tzdata.init.0"}, Needs{}},
		{"tls client", []string{"crypto/tls.(*Conn).Handshake", "crypto/x509.SystemCertPool", "time.LoadLocation"}, Needs{CACerts: true, Zoneinfo: true}},
		// A package whose path only starts like crypto/x509 is not it.
		{"lookalike", []string{"crypto/x509/pkix.Name.String", "example.com/time.LoadLocation"}, Needs{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NeedsFromFuncs(tc.funcs)
			if got.CACerts != tc.want.CACerts || got.Zoneinfo != tc.want.Zoneinfo {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestBuildLayerReproducible(t *testing.T) {
	mtime := time.Unix(1700000000, 0)
	es := []entry{
		{Name: "/usr/local/bin/app", Mode: 0o755, Data: []byte("binary")},
		{Name: "/etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/:/sbin/nologin\n")},
		{Name: "/home/nonroot", Mode: 0o700, UID: NonrootUID, Dir: true},
	}
	l1, _, err := buildLayer(es, mtime)
	if err != nil {
		t.Fatal(err)
	}
	// The same entries in another order give the same layer.
	l2, _, err := buildLayer([]entry{es[2], es[0], es[1]}, mtime)
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := l1.Digest()
	d2, _ := l2.Digest()
	if d1 != d2 {
		t.Errorf("digests differ with entry order: %s %s", d1, d2)
	}
	l3, _, _ := buildLayer(es, mtime.Add(time.Second))
	if d3, _ := l3.Digest(); d3 == d1 {
		t.Errorf("a different time gave the same digest")
	}
	rc, err := l1.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if !h.ModTime.Equal(mtime) || h.Uname != "" || h.Gname != "" || !h.AccessTime.IsZero() {
			t.Errorf("%s: mtime %v uname %q gname %q atime %v", h.Name, h.ModTime, h.Uname, h.Gname, h.AccessTime)
		}
		if h.Name == "home/nonroot/" && (h.Uid != NonrootUID || h.Mode != 0o700) {
			t.Errorf("home: uid %d mode %o", h.Uid, h.Mode)
		}
	}
	want := "etc/ etc/passwd home/ home/nonroot/ usr/ usr/local/ usr/local/bin/ usr/local/bin/app"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("entries:\n got %s\nwant %s", got, want)
	}
}

// fakeProgram writes a file standing in for a binary.
func fakeProgram(t *testing.T, dir, arch, content string, n Needs) Program {
	t.Helper()
	p := filepath.Join(dir, "app-"+arch)
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
	n.GoVersion = "go1.26.0"
	n.Modules = []Module{{Path: "example.com/app", Main: true}, {Path: "golang.org/x/text", Version: "v0.3.0", Sum: "h1:abc"}}
	return Program{Name: "app", Path: p, Platform: v1.Platform{OS: "linux", Architecture: arch}, Needs: n}
}

func testOptions(t *testing.T) Options {
	t.Helper()
	dir := t.TempDir()
	certs := filepath.Join(dir, "ca.crt")
	zone := filepath.Join(dir, "zoneinfo.zip")
	os.WriteFile(certs, []byte("-----BEGIN CERTIFICATE-----\n"), 0o644)
	os.WriteFile(zone, []byte("PK zoneinfo"), 0o644)
	return Options{
		Base: &Base{Kind: "scratch", Spec: "scratch"}, Sources: Sources{CACerts: certs, Zoneinfo: zone},
		Created: time.Unix(1700000000, 0).UTC(), Revision: "abc123", Version: "v1.2.3", Source: "https://example.com/app",
	}
}

func TestAssemble(t *testing.T) {
	dir := t.TempDir()
	o := testOptions(t)
	progs := []Program{
		fakeProgram(t, dir, "amd64", "amd64 program", Needs{CACerts: true}),
		fakeProgram(t, dir, "arm64", "arm64 program", Needs{CACerts: true, Zoneinfo: true}),
	}
	b1, err := Assemble(progs, o)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := Assemble(progs, o)
	if err != nil {
		t.Fatal(err)
	}
	if b1.Digest != b2.Digest || !bytes.Equal(b1.SBOM, b2.SBOM) {
		t.Fatalf("two assemblies differ: %s %s", b1.Digest, b2.Digest)
	}
	im, err := b1.Index.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if im.MediaType != types.OCIImageIndex || len(im.Manifests) != 2 {
		t.Fatalf("index: %s with %d manifests", im.MediaType, len(im.Manifests))
	}
	for k, v := range map[string]string{"revision": "abc123", "version": "v1.2.3", "source": "https://example.com/app", "created": "2023-11-14T22:13:20Z"} {
		if got := im.Annotations["org.opencontainers.image."+k]; got != v {
			t.Errorf("annotation %s = %q, want %q", k, got, v)
		}
	}
	img, err := b1.Index.Image(im.Manifests[1].Digest)
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := img.ConfigFile()
	if cf.Architecture != "arm64" || cf.Config.User != "65532:65532" || cf.Config.Entrypoint[0] != "/usr/local/bin/app" ||
		!cf.Created.Time.Equal(o.Created) || !strings.Contains(strings.Join(cf.Config.Env, " "), "ZONEINFO="+ZoneinfoPath) {
		t.Errorf("arm64 config: %+v created %v", cf.Config, cf.Created)
	}
	files := imageFiles(t, img)
	for _, want := range []string{"etc/passwd", "etc/group", "etc/ssl/certs/ca-certificates.crt", "usr/share/zoneinfo.zip", "usr/local/bin/app"} {
		if _, ok := files[want]; !ok {
			t.Errorf("arm64 image lacks %s (has %v)", want, keys(files))
		}
	}
	amd, _ := b1.Index.Image(im.Manifests[0].Digest)
	if _, ok := imageFiles(t, amd)["usr/share/zoneinfo.zip"]; ok {
		t.Errorf("amd64 image has zoneinfo it does not need")
	}
	// An edit to the program changes the digest.
	progs[0] = fakeProgram(t, dir, "amd64", "amd64 program, edited", Needs{CACerts: true})
	b3, err := Assemble(progs, o)
	if err != nil {
		t.Fatal(err)
	}
	if b3.Digest == b1.Digest {
		t.Errorf("edited program, same digest %s", b3.Digest)
	}
	if !strings.Contains(string(b1.SBOM), `"pkg:golang/golang.org/x/text@v0.3.0"`) || !strings.Contains(string(b1.SBOM), `"pkg:golang/stdlib@go1.26.0"`) {
		t.Errorf("SBOM lacks modules:\n%s", b1.SBOM)
	}
}

func imageFiles(t *testing.T, img v1.Image) map[string]string {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	out := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		out[h.Name] = string(data)
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestAssembleMissingCerts(t *testing.T) {
	o := testOptions(t)
	o.Sources.CACerts = filepath.Join(t.TempDir(), "none.crt")
	_, err := Assemble([]Program{fakeProgram(t, t.TempDir(), "amd64", "x", Needs{CACerts: true})}, o)
	if err == nil || !strings.Contains(err.Error(), "CA bundle") {
		t.Errorf("err = %v, want one about the CA bundle", err)
	}
}

// baseLayout writes an OCI layout holding a two-platform base tagged v1.
func baseLayout(t *testing.T, archs ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "base")
	idx := emptyIndexOCI()
	for _, a := range archs {
		img, err := random.Image(512, 1)
		if err != nil {
			t.Fatal(err)
		}
		cf, _ := img.ConfigFile()
		cf = cf.DeepCopy()
		cf.OS, cf.Architecture = "linux", a
		cf.Config.Env = []string{"PATH=/base/bin", "BASE=1"}
		cf.Config.Cmd = []string{"/bin/sh"}
		img, _ = mutate.ConfigFile(img, cf)
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: a}}})
	}
	p, err := layout.Write(dir, emptyIndexOCI())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendIndex(idx, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "v1"})); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOCIBase(t *testing.T) {
	ctx := context.Background()
	dir := baseLayout(t, "amd64", "arm64")
	b, err := OpenBase(ctx, "oci:"+dir+":v1", Remote{}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	o.Base = b
	built, err := Assemble([]Program{fakeProgram(t, t.TempDir(), "arm64", "x", Needs{})}, o)
	if err != nil {
		t.Fatal(err)
	}
	p := built.Platforms[0]
	if len(p.Layers) != 3 || p.Layers[0].From != "base" || p.Layers[0].UncompressedSize == 0 {
		t.Errorf("layers: %+v", p.Layers)
	}
	im, _ := built.Index.IndexManifest()
	img, _ := built.Index.Image(im.Manifests[0].Digest)
	cf, _ := img.ConfigFile()
	if env := strings.Join(cf.Config.Env, " "); env != "PATH=/base/bin BASE=1" || cf.Config.Cmd != nil {
		t.Errorf("env %q (the base's PATH must stay), cmd %q (must be dropped)", env, cf.Config.Cmd)
	}
	for _, bad := range []struct{ spec, want string }{
		{"oci:" + dir + ":v2", `no image tagged "v2"`},
		{"oci:" + filepath.Join(t.TempDir(), "nope"), "reading OCI layout"},
	} {
		if _, err := OpenBase(ctx, bad.spec, Remote{}, t.TempDir()); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("OpenBase(%s) = %v, want %q", bad.spec, err, bad.want)
		}
	}
	only := baseLayout(t, "amd64")
	b, _ = OpenBase(ctx, "oci:"+only, Remote{}, t.TempDir())
	o.Base = b
	if _, err := Assemble([]Program{fakeProgram(t, t.TempDir(), "arm64", "x", Needs{})}, o); err == nil || !strings.Contains(err.Error(), "no linux/arm64 image") {
		t.Errorf("missing platform: %v", err)
	}
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		ref      string
		insecure bool
		bad      bool
	}{
		{"127.0.0.1:5000/app:v1", false, false},
		{"127.0.0.1:5000/app:v1", true, false},
		{"localhost/app", true, false},
		{"registry.example.com/team/app:v1", false, false},
		{"registry.example.com/team/app:v1", true, true}, // plain HTTP off loopback
		{"alpine", false, true},                          // no host: never Docker Hub implicitly
		{"library/alpine:3", false, true},
		{"127.0.0.1:5000/App:v1", false, true}, // upper case repository
	} {
		_, err := Remote{Insecure: tc.insecure}.ParseRef(tc.ref)
		var bad *BadInputError
		if got := errors.As(err, &bad); got != tc.bad {
			t.Errorf("ParseRef(%q, insecure=%v) = %v, want bad input %v", tc.ref, tc.insecure, err, tc.bad)
		}
	}
}

func TestWriteLayoutAtomic(t *testing.T) {
	o := testOptions(t)
	built, err := Assemble([]Program{fakeProgram(t, t.TempDir(), "amd64", "x", Needs{})}, o)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out", "oci")
	if err := WriteLayout(dir, "v1", built); err != nil {
		t.Fatal(err)
	}
	// A second write replaces the first and leaves no staging behind.
	if err := WriteLayout(dir, "v1", built); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if len(ents) != 1 {
		t.Errorf("beside the layout: %v", ents)
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := idx.IndexManifest()
	if len(im.Manifests) != 1 || im.Manifests[0].Digest != built.Digest || im.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != "v1" {
		t.Errorf("index.json: %+v", im.Manifests)
	}
	// Under a regular file nothing can be written, and nothing is.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if err := WriteLayout(filepath.Join(file, "oci"), "v1", built); err == nil {
		t.Errorf("writing under a file succeeded")
	}
}

func TestPushWithReferrer(t *testing.T) {
	for _, referrers := range []bool{true, false} {
		srv := httptest.NewServer(registry.New(registry.WithReferrersSupport(referrers), registry.Logger(nilLogger())))
		host := strings.TrimPrefix(srv.URL, "http://")
		o := testOptions(t)
		built, err := Assemble([]Program{
			fakeProgram(t, t.TempDir(), "amd64", "a", Needs{}), fakeProgram(t, t.TempDir(), "arm64", "b", Needs{}),
		}, o)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Push(context.Background(), host+"/team/app:v1", built, Remote{}, true)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := name.NewDigest(p.Ref)
		got, err := remote.Index(d)
		if err != nil {
			t.Fatal(err)
		}
		if gd, _ := got.Digest(); gd != built.Digest {
			t.Errorf("pulled %s, pushed %s", gd, built.Digest)
		}
		refs, err := remote.Referrers(d)
		if err != nil {
			t.Fatal(err)
		}
		rm, _ := refs.IndexManifest()
		// (ggcr's test registry reports the config media type as the
		// artifact type; the manifest itself is checked below.)
		if len(rm.Manifests) != 1 || rm.Manifests[0].Digest.String() != p.SBOMDigest {
			t.Fatalf("referrers (API %v): %+v", referrers, rm.Manifests)
		}
		sbom, err := remote.Image(d.Context().Digest(p.SBOMDigest))
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := sbom.Manifest(); m.ArtifactType != SPDXMediaType || m.Subject == nil || m.Subject.Digest != built.Digest {
			t.Errorf("SBOM manifest: %+v", m)
		}
		ls, _ := sbom.Layers()
		rc, _ := ls[0].Compressed()
		data, _ := io.ReadAll(rc)
		if !bytes.Equal(data, built.SBOM) {
			t.Errorf("SBOM blob differs")
		}
		srv.Close()
	}
}

func TestPushAuth(t *testing.T) {
	reg := registry.New(registry.Logger(nilLogger()))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "secret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref, _ := name.ParseReference(host + "/app:v1")
	if err := remote.CheckPushPermission(ref, authn.NewMultiKeychain(), http.DefaultTransport); err == nil {
		t.Fatal("push allowed without credentials")
	}
	kc := staticKeychain{authn.FromConfig(authn.AuthConfig{Username: "user", Password: "secret"})}
	built, err := Assemble([]Program{fakeProgram(t, t.TempDir(), "amd64", "a", Needs{})}, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Push(context.Background(), host+"/app:v1", built, Remote{Keychain: kc}, true); err != nil {
		t.Errorf("push with credentials: %v", err)
	}
}

type staticKeychain struct{ a authn.Authenticator }

func (k staticKeychain) Resolve(authn.Resource) (authn.Authenticator, error) { return k.a, nil }

func TestTagFor(t *testing.T) {
	for in, want := range map[string]string{"v1.2.3": "v1.2.3", "683bc57-dirty": "683bc57-dirty", "v1+meta/x": "v1-meta-x", "": "latest", ".hidden": "hidden"} {
		if got := TagFor(in); got != want {
			t.Errorf("TagFor(%q) = %q, want %q", in, got, want)
		}
	}
}

// The test binary is a real Go program that links crypto/x509 (through
// net/http): its own function table says so.
func TestReadNeedsOfTestBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	n, err := ReadNeeds(exe)
	if err != nil {
		t.Fatal(err)
	}
	if !n.CACerts || n.GoVersion == "" || len(n.Modules) == 0 {
		t.Errorf("needs of %s: %+v", exe, n)
	}
	if _, err := ReadNeeds("/etc/passwd"); err == nil {
		t.Errorf("ReadNeeds of a text file succeeded")
	}
}

// Tarball bases: a docker-archive ('docker save') and an OCI archive (a
// tar of a layout, 'podman save --format oci-archive').
func TestTarballBases(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	img, _ := random.Image(256, 1)
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	img, _ = mutate.ConfigFile(img, cf)
	ref, _ := name.NewTag("example.com/base:v1")
	docker := filepath.Join(dir, "base.tar")
	if err := tarball.WriteToFile(docker, ref, img); err != nil {
		t.Fatal(err)
	}
	layoutDir := baseLayout(t, "amd64", "arm64")
	ociArchive := filepath.Join(dir, "oci.tar")
	tarDir(t, layoutDir, ociArchive)
	for _, spec := range []string{docker, "docker-archive:" + docker, "oci-archive:" + ociArchive, ociArchive} {
		b, err := OpenBase(ctx, spec, Remote{}, t.TempDir())
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if _, err := b.ImageFor(v1.Platform{OS: "linux", Architecture: "amd64"}); err != nil {
			t.Errorf("%s: amd64: %v", spec, err)
		}
		_, err = b.ImageFor(v1.Platform{OS: "linux", Architecture: "arm64"})
		if multi := strings.Contains(spec, "oci"); (err == nil) != multi {
			t.Errorf("%s: arm64: %v", spec, err)
		}
	}
}

func tarDir(t *testing.T, dir, file string) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := tw.AddFS(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}
