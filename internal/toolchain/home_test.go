package toolchain

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
)

func TestMirror(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	srv.AddArchive("go1.22.5", runtime.GOOS, runtime.GOARCH, nil, "")
	srv.AddArchive("go1.22.4", runtime.GOOS, runtime.GOARCH, nil, strings.Repeat("0", 64))
	mirror := map[string]string{"GOFORGE_DL_MIRROR": srv.URL + "/dl", "GOPROXY": "off"}

	in := newTestInstaller(t, srv, mirror)
	res, err := in.Install(context.Background(), Request{Query: "1.22"})
	if err != nil || res.Name != "go1.22.5" || res.Meta.Origin != OriginMirror || len(res.Meta.SHA256) != 64 {
		t.Fatalf("install from mirror = %+v, %v", res, err)
	}
	if fi, err := os.Stat(filepath.Join(res.Dir, "bin", "go")); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("bin/go: %v %v", fi, err)
	}

	in = newTestInstaller(t, srv, mirror)
	_, err = in.Install(context.Background(), Request{Query: "1.22.4"})
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") || !strings.Contains(err.Error(), strings.Repeat("0", 64)) {
		t.Fatalf("bad sha256: %v", err)
	}
	assertNothingInstalled(t, in.Home)

	srv.IndexOverride = []byte(`[{"version": "go1.22.5", "files": [`)
	in = newTestInstaller(t, srv, mirror)
	_, err = in.Install(context.Background(), Request{Query: "1.22.5"})
	if err == nil || !strings.Contains(err.Error(), "parsing download index") {
		t.Fatalf("malformed index: %v", err)
	}
	assertNothingInstalled(t, in.Home)
}

func TestMirrorAfterProxyFails(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	srv.AddArchive("go1.22.5", runtime.GOOS, runtime.GOARCH, nil, "")
	in := newTestInstaller(t, srv, map[string]string{"GOFORGE_DL_MIRROR": srv.URL + "/dl"})
	res, err := in.Install(context.Background(), Request{Query: "1.22.5"})
	if err != nil || res.Meta.Origin != OriginMirror {
		t.Fatalf("install = %+v, %v", res, err)
	}
}

func TestInstallFile(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "go1.21.0."+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
	os.WriteFile(tgz, toolchaintest.TarGz("go/", toolchaintest.Files("go1.21.0", runtime.GOOS, runtime.GOARCH)), 0o644)
	zipFile := filepath.Join(dir, "go1.21.1.windows-amd64.zip")
	os.WriteFile(zipFile, toolchaintest.ModuleZip("go/", toolchaintest.Files("go1.21.1", "windows", "amd64")), 0o644)
	h, _ := OpenHomeAt(t.TempDir())
	in := &Installer{Home: h}

	if _, err := in.Install(context.Background(), Request{File: tgz, SHA256: strings.Repeat("ab", 32)}); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("wrong --sha256: %v", err)
	}
	assertNothingInstalled(t, h)
	res, err := in.Install(context.Background(), Request{File: tgz})
	if err != nil || res.Name != "go1.21.0" || res.Meta.Origin != OriginFile {
		t.Fatalf("install tar.gz = %+v, %v", res, err)
	}
	res, err = in.Install(context.Background(), Request{File: tgz, SHA256: res.Meta.SHA256})
	if err != nil || !res.AlreadyInstalled {
		t.Fatalf("reinstall = %+v, %v", res, err)
	}
	res, err = in.Install(context.Background(), Request{File: zipFile})
	if err != nil || res.Name != "go1.21.1.windows-amd64" {
		t.Fatalf("install zip = %+v, %v", res, err)
	}
}

func TestKilledInstallLeavesNothing(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	in := newTestInstaller(t, srv, nil)
	h := in.Home
	// What a kill -9 between the steps of an install leaves: a download,
	// a half-filled staging dir, and (killed between the two renames) a
	// meta file without its version directory.
	dead := deadPID(t)
	stage := filepath.Join(h.Dir(), "tmp", "stage-"+dead+"-abc")
	os.MkdirAll(filepath.Join(stage, "bin"), 0o755)
	os.WriteFile(filepath.Join(stage, "bin", "go"), []byte("half"), 0o755)
	os.WriteFile(filepath.Join(h.Dir(), "tmp", "dl-"+dead+"-def"), []byte("PK"), 0o644)
	h.writeMeta(Meta{Name: "go1.22.5", Version: "go1.22.5"})

	if list, _ := h.List(); len(list) != 0 {
		t.Fatalf("List shows %v", list)
	}
	if err := h.Use("go1.22.5"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("Use accepted a killed install: %v", err)
	}
	if _, err := in.Install(context.Background(), Request{Query: "1.22.5"}); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(h.Dir(), "tmp", "*"))
	if len(left) != 0 {
		t.Fatalf("leftovers not cleaned: %v", left)
	}
}

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(cmd.Process.Pid)
}

func TestUseListRemoveAdopt(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	srv.AddToolchain("go1.22.3", runtime.GOOS, runtime.GOARCH)
	in := newTestInstaller(t, srv, nil)
	h := in.Home
	for _, q := range []string{"1.22.5", "1.22.3"} {
		if _, err := in.Install(context.Background(), Request{Query: q}); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := h.Current(); ok {
		t.Fatal("a version is current before Use")
	}
	if err := h.Use("go1.22.3"); err != nil {
		t.Fatal(err)
	}
	cur, ok, err := h.Current()
	if err != nil || !ok || cur.Name != "go1.22.3" {
		t.Fatalf("Current = %v %v %v", cur.Name, ok, err)
	}
	target, _ := os.Readlink(h.CurrentLink())
	if target != filepath.Join("versions", "go1.22.3") {
		t.Fatalf("current -> %s", target)
	}
	env := h.EnvVars(cur)
	if env[0] != "GOROOT="+cur.Dir || !strings.HasPrefix(env[1], "PATH="+filepath.Join(cur.Dir, "bin")) || env[3] != "GOTOOLCHAIN=local" {
		t.Fatalf("EnvVars = %q", env)
	}
	plan, err := h.PrunePlan("")
	if err != nil || len(plan) != 0 {
		t.Fatalf("prune plan with go1.22.3 current = %+v, %v", plan, err)
	}
	h.Use("go1.22.5")
	plan, _ = h.PrunePlan("")
	if len(plan) != 1 || plan[0].Name != "go1.22.3" {
		t.Fatalf("prune plan = %+v", plan)
	}
	if err := h.Remove("go1.22.5"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := h.Current(); ok {
		t.Fatal("removed version still current")
	}
	if _, err := h.Find("go1.22.5"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("Find after Remove: %v", err)
	}
	// Adopt links without copying; Remove unlinks without deleting.
	goroot := filepath.Join(t.TempDir(), "goroot")
	os.MkdirAll(goroot, 0o755)
	if err := os.CopyFS(goroot, os.DirFS(h.VersionDir("go1.22.3"))); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(goroot, "VERSION"), []byte("go1.20.1\n"), 0o644)
	os.Chmod(filepath.Join(goroot, "bin", "go"), 0o644) // cannot run: fall back to VERSION
	res, err := h.Adopt(context.Background(), goroot, "")
	if err != nil || res.Name != "go1.20.1" || res.Dir != goroot || res.AlreadyInstalled {
		t.Fatalf("Adopt = %+v, %v", res, err)
	}
	// The same directory again, also through a link to it: a no-op.
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(goroot, link)
	for _, d := range []string{goroot, link} {
		res, err = h.Adopt(context.Background(), d, "")
		if err != nil || res.Name != "go1.20.1" || res.Dir != goroot || !res.AlreadyInstalled {
			t.Fatalf("Adopt %s again = %+v, %v", d, res, err)
		}
	}
	// Another directory under the same name: refused.
	other := filepath.Join(t.TempDir(), "other")
	if err := os.CopyFS(other, os.DirFS(goroot)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Adopt(context.Background(), other, ""); !errors.Is(err, ErrExists) {
		t.Fatalf("Adopt of another directory as go1.20.1: %v", err)
	}
	// A managed (not adopted) version of that name: refused too.
	if _, err := h.Adopt(context.Background(), h.VersionDir("go1.22.3"), "go1.22.3"); !errors.Is(err, ErrExists) {
		t.Fatalf("Adopt of a managed version's own directory: %v", err)
	}
	if err := h.Remove("go1.20.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(goroot, "VERSION")); err != nil {
		t.Fatalf("Remove of an adopted version deleted it: %v", err)
	}
}

func TestPruneModcache(t *testing.T) {
	h, _ := OpenHomeAt(t.TempDir())
	mc := t.TempDir()
	tree := filepath.Join(mc, "golang.org", "toolchain@v0.0.1-go1.22.0.linux-amd64", "bin")
	os.MkdirAll(tree, 0o755)
	os.WriteFile(filepath.Join(tree, "go"), []byte("x"), 0o444)
	os.Chmod(tree, 0o555) // the module cache is read-only
	dl := filepath.Join(mc, "cache", "download", "golang.org", "toolchain", "@v")
	os.MkdirAll(dl, 0o755)
	os.WriteFile(filepath.Join(dl, "v0.0.1-go1.22.0.linux-amd64.zip"), []byte("zip"), 0o644)
	os.MkdirAll(filepath.Join(mc, "golang.org", "x", "mod@v0.1.0"), 0o755)
	plan, err := h.PrunePlan(mc)
	if err != nil || len(plan) != 2 {
		t.Fatalf("plan = %+v, %v", plan, err)
	}
	if err := h.Prune(plan); err != nil {
		t.Fatal(err)
	}
	for _, it := range plan {
		if _, err := os.Stat(it.Path); err == nil {
			t.Errorf("%s still there", it.Path)
		}
	}
	if _, err := os.Stat(filepath.Join(mc, "golang.org", "x", "mod@v0.1.0")); err != nil {
		t.Fatal("prune removed a module that is not a toolchain")
	}
}
