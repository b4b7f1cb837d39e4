package toolchain

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/goforge/goforge/internal/goproxy"
	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
)

// newTestInstaller returns an installer over a fresh home whose proxy
// settings are srv's, changed by env.
func newTestInstaller(t *testing.T, srv *toolchaintest.Server, env map[string]string) *Installer {
	t.Helper()
	vars := srv.Env()
	for k, v := range env {
		vars[k] = v
	}
	h, err := OpenHomeAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := goproxy.FromEnv(func(k string) string { return vars[k] }, filepath.Join(h.Dir(), "sumdb"))
	if err != nil {
		t.Fatal(err)
	}
	return &Installer{Home: h, Proxy: proxy, Mirror: vars["GOFORGE_DL_MIRROR"], Logf: t.Logf}
}

// assertNothingInstalled checks that a failed install left nothing that
// List, Find or Use would accept, and no staging leftovers.
func assertNothingInstalled(t *testing.T, h *Home) {
	t.Helper()
	list, err := h.List()
	if err != nil || len(list) != 0 {
		t.Fatalf("List = %v, %v; want nothing", list, err)
	}
	if _, err := h.Find("latest"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("Find(latest) err = %v, want ErrNotInstalled", err)
	}
	left, _ := filepath.Glob(filepath.Join(h.Dir(), "tmp", "*"))
	if len(left) != 0 {
		t.Fatalf("leftovers in tmp: %v", left)
	}
	if locks, _ := filepath.Glob(filepath.Join(h.Dir(), "locks", "*")); lockFilesRemoved && len(locks) != 0 {
		t.Fatalf("lock files left: %v", locks)
	}
}

func TestInstallFromProxy(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	z := srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	in := newTestInstaller(t, srv, nil)
	res, err := in.Install(context.Background(), Request{Query: "1.22.5"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != "go1.22.5" || res.Meta.Origin != OriginProxy {
		t.Fatalf("installed %+v", res)
	}
	// The h1 goforge computed while extracting equals x/mod's dirhash of the zip.
	if want := toolchaintest.H1(z); res.Meta.H1 != want {
		t.Fatalf("h1 = %s, want %s", res.Meta.H1, want)
	}
	dir := in.Home.VersionDir("go1.22.5")
	for _, exe := range []string{"bin/go", "bin/gofmt", "pkg/tool/" + runtime.GOOS + "_" + runtime.GOARCH + "/vet", "lib/wasm/go_js_wasm_exec"} {
		fi, err := os.Stat(filepath.Join(dir, exe))
		if err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("%s: not executable (%v, %v)", exe, fi.Mode(), err)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "README.md")); fi.Mode()&0o111 != 0 {
		t.Errorf("README.md is executable")
	}
	for _, gomod := range []string{"src/go.mod", "src/cmd/go.mod"} {
		if data, err := os.ReadFile(filepath.Join(dir, gomod)); err != nil || !strings.HasPrefix(string(data), "module ") {
			t.Errorf("%s not restored from _go.mod: %v", gomod, err)
		}
	}
	if runtime.GOOS != "windows" {
		out, err := exec.Command(filepath.Join(dir, "bin", "go"), "version").Output()
		if err != nil || !strings.Contains(string(out), "go1.22.5") {
			t.Fatalf("bin/go version = %q, %v", out, err)
		}
	}
	// A second install finds it installed and downloads nothing.
	res, err = in.Install(context.Background(), Request{Query: "go1.22.5"})
	if err != nil || !res.AlreadyInstalled {
		t.Fatalf("second install = %+v, %v", res, err)
	}
	if n := srv.DownloadCount(toolchaintest.ModVersion("go1.22.5", runtime.GOOS, runtime.GOARCH)); n != 1 {
		t.Fatalf("downloaded %d times", n)
	}
}

func TestInstallQueries(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	for _, v := range []string{"go1.21.13", "go1.22.3", "go1.22.5", "go1.23rc1"} {
		srv.AddToolchain(v, runtime.GOOS, runtime.GOARCH)
	}
	srv.AddToolchain("go1.22.9", "plan9", "arm") // not for this platform
	in := newTestInstaller(t, srv, nil)
	for _, tc := range []struct{ q, want string }{
		{"1.22", "go1.22.5"},
		{"latest", "go1.22.5"},
		{"1.23rc1", "go1.23rc1"},
		{"1.23", "go1.23rc1"},
		{"go1.21", "go1.21.13"},
	} {
		res, err := in.Install(context.Background(), Request{Query: tc.q})
		if err != nil || res.Name != tc.want {
			t.Errorf("Install(%q) = %s, %v; want %s", tc.q, res.Name, err, tc.want)
		}
	}
	remote, err := in.RemoteVersions(context.Background(), "1.22", runtime.GOOS, runtime.GOARCH)
	if err != nil || len(remote) != 2 || remote[0].Version != "go1.22.5" {
		t.Fatalf("RemoteVersions = %+v, %v", remote, err)
	}
	if inst, err := in.Home.Find("1.22"); err != nil || inst.Name != "go1.22.5" {
		t.Fatalf("Find(1.22) = %v, %v", inst.Name, err)
	}
}

func TestInstallBadInput(t *testing.T) {
	host := func(v string) string { return toolchaintest.ModVersion(v, runtime.GOOS, runtime.GOARCH) }
	for _, tc := range []struct {
		name  string
		setup func(*toolchaintest.Server) map[string]string
		query string
		want  []string
	}{
		{"unknown version", nil, "1.99.1", []string{"go1.99.1 for " + runtime.GOOS + "/" + runtime.GOARCH + ": toolchain not available", "goforge list --remote"}},
		{"unknown version, proxy 404", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOPROXY": s.URL + "/err404"}
		}, "1.99.1", []string{"go1.99.1 for", "toolchain not available"}},
		{"unknown version, mirror too", func(s *toolchaintest.Server) map[string]string {
			s.AddArchive("go1.22.5", runtime.GOOS, runtime.GOARCH, nil, "")
			return map[string]string{"GOFORGE_DL_MIRROR": s.URL + "/dl"}
		}, "1.99.1", []string{"go1.99.1 for", "toolchain not available"}},
		{"unknown platform", nil, "1.22.5@plan9/arm", []string{"go1.22.5 for plan9/arm: toolchain not available"}},
		{"unknown language version", nil, "1.99", []string{`no toolchain matches "1.99" for`, "goforge list --remote"}},
		{"proxy 500, no list to check", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOPROXY": s.URL + "/err500|" + s.URL + "/err500"}
		}, "1.99.1", []string{"500 Internal Server Error"}},
		{"invalid query", nil, "bogus", []string{`invalid version "bogus"`}},
		{"tampered zip", func(s *toolchaintest.Server) map[string]string {
			good := toolchaintest.ModuleZip("golang.org/toolchain@"+host("go1.22.5")+"/", toolchaintest.Files("go1.22.5", runtime.GOOS, runtime.GOARCH))
			files := toolchaintest.Files("go1.22.5", runtime.GOOS, runtime.GOARCH)
			files["bin/go"] = "#!/bin/sh\necho pwned\n"
			s.AddZip(host("go1.22.5"), toolchaintest.ModuleZip("golang.org/toolchain@"+host("go1.22.5")+"/", files), good)
			return nil
		}, "1.22.5", []string{"checksum mismatch", "downloaded: h1:", toolchaintest.SumDBName + ": h1:"}},
		{"not in sumdb", func(s *toolchaintest.Server) map[string]string {
			z := toolchaintest.ModuleZip("golang.org/toolchain@"+host("go1.22.8")+"/", toolchaintest.Files("go1.22.8", runtime.GOOS, runtime.GOARCH))
			s.AddZip(host("go1.22.8"), z, nil)
			return nil
		}, "1.22.8", []string{"verifying", "go1.22.8"}},
		{"sumdb down", func(s *toolchaintest.Server) map[string]string {
			s.SumDBDown = true
			return nil
		}, "1.22.5", []string{"reaching checksum database", "500"}},
		{"sumdb unreachable", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOSUMDB": s.VKey + " http://127.0.0.1:1"}
		}, "1.22.5", []string{"verifying", "127.0.0.1:1"}},
		{"sumdb wrong key", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOSUMDB": otherKey(t)}
		}, "1.22.5", []string{"verifying"}},
		{"truncated download", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOPROXY": s.URL + "/trunc"}
		}, "1.22.5", []string{"downloading"}},
		{"GOSUMDB=off", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOSUMDB": "off"}
		}, "1.22.5", []string{"GOSUMDB=off, but a toolchain must be verified", "only when GOPROXY is a single file:// URL"}},
		{"file proxy alone is still verified", func(s *toolchaintest.Server) map[string]string {
			// A tampered zip in a file:// proxy, with GOSUMDB left on: the
			// database is asked, and refuses it.
			files := toolchaintest.Files("go1.22.5", runtime.GOOS, runtime.GOARCH)
			files["bin/go"] = "#!/bin/sh\necho pwned\n"
			dir := t.TempDir()
			zdir := filepath.Join(dir, "golang.org", "toolchain", "@v")
			os.MkdirAll(zdir, 0o755)
			os.WriteFile(filepath.Join(zdir, host("go1.22.5")+".zip"), toolchaintest.ModuleZip("golang.org/toolchain@"+host("go1.22.5")+"/", files), 0o644)
			return map[string]string{"GOPROXY": "file://" + filepath.ToSlash(dir), "GOSUMDB": s.VKey + " " + s.URL + "/sumdb/" + toolchaintest.SumDBName}
		}, "1.22.5", []string{"checksum mismatch", toolchaintest.SumDBName + ": h1:"}},
		{"GONOSUMDB does not apply", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GONOSUMDB": "golang.org", "GOSUMDB": s.VKey + " http://127.0.0.1:1"}
		}, "1.22.5", []string{"127.0.0.1:1"}},
		{"proxy 500", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOPROXY": s.URL + "/err500," + s.URL}
		}, "1.22.5", []string{"500 Internal Server Error"}},
		{"proxy 410 then off", func(s *toolchaintest.Server) map[string]string {
			return map[string]string{"GOPROXY": s.URL + "/err410,off"}
		}, "1.22.5", []string{"disabled by GOPROXY=off"}},
		{"not a toolchain", func(s *toolchaintest.Server) map[string]string {
			z := toolchaintest.ModuleZip("golang.org/toolchain@"+host("go1.22.6")+"/", map[string]string{"README": "x"})
			s.AddZip(host("go1.22.6"), z, z)
			return nil
		}, "1.22.6", []string{"bin/go: missing"}},
		{"escaping entry", func(s *toolchaintest.Server) map[string]string {
			z := toolchaintest.ModuleZip("", map[string]string{"golang.org/toolchain@" + host("go1.22.7") + "/../../evil": "x"})
			s.AddZip(host("go1.22.7"), z, z)
			return nil
		}, "1.22.7", []string{"unsafe path"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := toolchaintest.NewServer(t)
			srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
			var env map[string]string
			if tc.setup != nil {
				srv.Downloads = map[string]int{}
				env = tc.setup(srv)
			}
			in := newTestInstaller(t, srv, env)
			req := Request{Query: tc.query}
			if q, platform, ok := strings.Cut(tc.query, "@"); ok {
				req.Query = q
				req.GOOS, req.GOARCH, _ = strings.Cut(platform, "/")
			}
			_, err := in.Install(context.Background(), req)
			if err == nil {
				t.Fatal("install succeeded")
			}
			var uv *UnknownVersionError
			if unknown := strings.HasPrefix(tc.name, "unknown"); errors.As(err, &uv) != unknown {
				t.Errorf("error %q: UnknownVersionError %v, want %v", err, !unknown, unknown)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			assertNothingInstalled(t, in.Home)
		})
	}
}

func otherKey(t *testing.T) string {
	// A key for the same database name that did not sign the tree.
	other := toolchaintest.NewServer(t)
	return other.VKey
}

func TestProxyList(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	z := srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	fileProxy := t.TempDir()
	zdir := filepath.Join(fileProxy, "golang.org", "toolchain", "@v")
	os.MkdirAll(zdir, 0o755)
	os.WriteFile(filepath.Join(zdir, toolchaintest.ModVersion("go1.22.5", runtime.GOOS, runtime.GOARCH)+".zip"), z, 0o644)
	// With no proxy to go through, the database is reached at the URL
	// GOSUMDB names.
	directDB := srv.VKey + " " + srv.URL + "/sumdb/" + toolchaintest.SumDBName
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"404 falls through comma", map[string]string{"GOPROXY": srv.URL + "/err404," + srv.URL}},
		{"500 falls through pipe", map[string]string{"GOPROXY": srv.URL + "/err500|" + srv.URL}},
		{"direct", map[string]string{"GOPROXY": "direct", "GOSUMDB": directDB}},
		{"file proxy", map[string]string{"GOPROXY": "file://" + filepath.ToSlash(fileProxy) + "," + srv.URL}},
		{"GOPRIVATE goes direct", map[string]string{"GOPROXY": srv.URL + "/err500", "GOPRIVATE": "golang.org/toolchain", "GOSUMDB": directDB}},
		{"GOSUMDB=off with a file proxy alone skips the database", map[string]string{"GOPROXY": "file://" + filepath.ToSlash(fileProxy), "GOSUMDB": "off"}},
		{"GONOPROXY goes direct", map[string]string{"GOPROXY": "off", "GONOPROXY": "golang.org/*", "GOSUMDB": directDB}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := newTestInstaller(t, srv, tc.env)
			res, err := in.Install(context.Background(), Request{Query: "1.22.5"})
			if err != nil || res.Name != "go1.22.5" {
				t.Fatalf("install = %+v, %v", res.Name, err)
			}
		})
	}
}

func TestInstallForeignPlatform(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	goos, goarch := "linux", "arm64"
	if runtime.GOARCH == "arm64" {
		goarch = "amd64"
	}
	srv.AddToolchain("go1.22.5", goos, goarch)
	in := newTestInstaller(t, srv, nil)
	res, err := in.Install(context.Background(), Request{Query: "1.22.5", GOOS: goos, GOARCH: goarch})
	if err != nil {
		t.Fatal(err)
	}
	if want := "go1.22.5." + goos + "-" + goarch; res.Name != want {
		t.Fatalf("name %s, want %s", res.Name, want)
	}
	if err := in.Home.Use(res.Name); err == nil || !strings.Contains(err.Error(), "built for "+goos+"/"+goarch) {
		t.Fatalf("Use of a foreign toolchain: %v", err)
	}
	if _, err := in.Home.Find("1.22"); err == nil {
		t.Fatal("a prefix query matched a foreign toolchain")
	}
}

func TestConcurrentInstallsDownloadOnce(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	in := newTestInstaller(t, srv, nil)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = in.Install(context.Background(), Request{Query: "1.22.5"})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := srv.DownloadCount(toolchaintest.ModVersion("go1.22.5", runtime.GOOS, runtime.GOARCH)); n != 1 {
		t.Fatalf("downloaded %d times, want 1", n)
	}
}

// TestInstallStoredZip: a zip whose entries are stored with data
// descriptors cannot be extracted while streaming; the spooled copy is
// extracted instead, with the same result.
func TestInstallStoredZip(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	mv := toolchaintest.ModVersion("go1.22.5", runtime.GOOS, runtime.GOARCH)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range toolchaintest.Files("go1.22.5", runtime.GOOS, runtime.GOARCH) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "golang.org/toolchain@" + mv + "/" + name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	srv.AddZip(mv, buf.Bytes(), buf.Bytes())
	in := newTestInstaller(t, srv, nil)
	res, err := in.Install(context.Background(), Request{Query: "1.22.5"})
	if err != nil || res.Meta.H1 != toolchaintest.H1(buf.Bytes()) {
		t.Fatalf("install = %+v, %v", res, err)
	}
}
