package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestToolchainScripts runs testdata/toolchain/*.txtar against a fake
// module proxy with a signed checksum database and a go.dev/dl mirror
// (internal/toolchain/toolchaintest), listening on 127.0.0.1.
//
// Scripts see GOPROXY and GOSUMDB pointing at it, $PROXY (the server's
// base URL, for /err500, /stall, ... variants), $MIRROR, $OTHERKEY (a
// verifier key for the same database name that signed nothing) and
// $FOREIGN (a GOOS/GOARCH pair that is not the host's, as "goos arch").
// The condition [exists:PATH] is true when PATH exists.
// The command 'ttyrun' runs a program at a terminal of its own (see
// cmdTTYRun). The command 'waitstall' waits until an install hangs half way through
// a download from $PROXY/stall.
func TestToolchainScripts(t *testing.T) {
	t.Parallel()
	srv := toolchaintest.NewServer(t)
	goos, goarch := runtime.GOOS, runtime.GOARCH
	for _, v := range []string{"go1.21.13", "go1.22.3", "go1.22.5", "go1.23rc1"} {
		srv.AddToolchain(v, goos, goarch)
	}
	fgoos, fgoarch := "linux", "arm64"
	if goarch == "arm64" {
		fgoarch = "amd64"
	}
	srv.AddToolchain("go1.22.5", fgoos, fgoarch)
	// go1.23.11 is served but left out of @v/list.
	srv.AddToolchain("go1.23.11", goos, goarch)
	srv.Unlist(toolchaintest.ModVersion("go1.23.11", goos, goarch))
	// go1.20.66 is served tampered: bin/go differs from what the
	// checksum database recorded.
	mv := toolchaintest.ModVersion("go1.20.66", goos, goarch)
	good := toolchaintest.Files("go1.20.66", goos, goarch)
	bad := toolchaintest.Files("go1.20.66", goos, goarch)
	bad["bin/go"] = "#!/bin/sh\necho pwned\n"
	srv.AddZip(mv, toolchaintest.ModuleZip("golang.org/toolchain@"+mv+"/", bad), toolchaintest.ModuleZip("golang.org/toolchain@"+mv+"/", good))
	srv.AddArchive("go1.19.99", goos, goarch, nil, "")
	srv.AddArchive("go1.19.98", goos, goarch, nil, "0000000000000000000000000000000000000000000000000000000000000000")
	other := toolchaintest.NewServer(t)

	p := ScriptParams(t, "testdata/toolchain")
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		if err := setup(e); err != nil {
			return err
		}
		e.Setenv("GOPROXY", srv.URL)
		e.Setenv("GOSUMDB", srv.VKey)
		e.Setenv("GOSUMDB_ORIG", srv.VKey)
		e.Setenv("GOFORGE_TOOLCHAIN_DIRECT", srv.URL)
		e.Setenv("PROXY", srv.URL)
		e.Setenv("MIRROR", srv.URL+"/dl")
		e.Setenv("OTHERKEY", other.VKey)
		e.Setenv("FOREIGN_OS", fgoos)
		e.Setenv("FOREIGN_ARCH", fgoarch)
		return writeArchives(e, goos, goarch)
	}
	cond := p.Condition
	p.Condition = func(c string) (bool, error) {
		if path, ok := strings.CutPrefix(c, "exists:"); ok {
			_, err := os.Stat(path)
			return err == nil, nil
		}
		return cond(c)
	}
	p.Cmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"ttyrun": cmdTTYRun,
		"waitstall": func(ts *testscript.TestScript, neg bool, args []string) {
			select {
			case <-srv.Stalled:
			case <-time.After(2 * time.Minute):
				ts.Fatalf("no download stalled")
			}
		},
	}
	testscript.Run(t, p)
}

// writeArchives puts local archives for 'install --file' into $WORK:
// a good one ($ARCHIVE, its SHA-256 in $ARCHIVE_SHA256) and one with a
// symlink pointing outside the tree ($EVIL).
func writeArchives(e *testscript.Env, goos, goarch string) error {
	good := toolchaintest.TarGz("go/", toolchaintest.Files("go1.18.1", goos, goarch))
	name := filepath.Join(e.WorkDir, "go1.18.1."+goos+"-"+goarch+".tar.gz")
	if err := os.WriteFile(name, good, 0o644); err != nil {
		return err
	}
	e.Setenv("ARCHIVE", name)
	e.Setenv("ARCHIVE_SHA256", fmt.Sprintf("%x", sha256.Sum256(good)))
	e.Setenv("ARCHIVE_SHA256_UPPER", fmt.Sprintf("%X", sha256.Sum256(good)))
	if err := writeCraftedArchives(e, goos, goarch); err != nil {
		return err
	}
	// $WORK/v/go1.30.N.GOOS-GOARCH.tar.gz: two patch releases of one line,
	// for prune and uninstall; $V2 and $V3 name them.
	for i, v := range []string{"go1.30.2", "go1.30.3"} {
		arch := filepath.Join(e.WorkDir, "v", v+"."+goos+"-"+goarch+".tar.gz")
		os.MkdirAll(filepath.Dir(arch), 0o755)
		if err := os.WriteFile(arch, toolchaintest.TarGz("go/", toolchaintest.Files(v, goos, goarch)), 0o644); err != nil {
			return err
		}
		e.Setenv(fmt.Sprintf("V%d", i+2), arch)
	}
	files := toolchaintest.Files("go1.18.2", goos, goarch)
	files["../../escaped"] = "x"
	evil := filepath.Join(e.WorkDir, "go1.18.2."+goos+"-"+goarch+".tar.gz")
	e.Setenv("EVIL", evil)
	return os.WriteFile(evil, toolchaintest.TarGz("go/", files), 0o644)
}

// writeCraftedArchives writes go1.30.1 archives that must not install:
// $NOEXEC, whose bin/go is mode 0644, and $CHAINED, whose bin is a chain
// of symlinks that stays inside the tree lexically but not when the
// kernel follows it.
func writeCraftedArchives(e *testscript.Env, goos, goarch string) error {
	files := toolchaintest.Files("go1.30.1", goos, goarch)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, n := range slices.Sorted(maps.Keys(files)) {
		mode := int64(0o755)
		if n == "bin/go" || n == "VERSION" {
			mode = 0o644
		}
		tw.WriteHeader(&tar.Header{Name: "go/" + n, Mode: mode, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[n]))
	}
	tw.Close()
	gz.Close()
	noexec := filepath.Join(e.WorkDir, "noexec", "go1.30.1."+goos+"-"+goarch+".tar.gz")
	os.MkdirAll(filepath.Dir(noexec), 0o755)
	e.Setenv("NOEXEC", noexec)
	if err := os.WriteFile(noexec, buf.Bytes(), 0o644); err != nil {
		return err
	}
	buf.Reset()
	gz = gzip.NewWriter(&buf)
	tw = tar.NewWriter(gz)
	deep := strings.TrimSuffix(strings.Repeat("d/", 40), "/")
	up := strings.Repeat("../", 40)
	tw.WriteHeader(&tar.Header{Name: "go/VERSION", Mode: 0o644, Size: int64(len(files["VERSION"])), Typeflag: tar.TypeReg})
	tw.Write([]byte(files["VERSION"]))
	tw.WriteHeader(&tar.Header{Name: "go/" + deep + "/", Mode: 0o755, Typeflag: tar.TypeDir})
	tw.WriteHeader(&tar.Header{Name: "go/" + deep + "/u", Typeflag: tar.TypeSymlink, Linkname: up})
	tw.WriteHeader(&tar.Header{Name: "go/bin", Typeflag: tar.TypeSymlink, Linkname: deep + "/u/" + up + "usr/local/go/bin"})
	tw.Close()
	gz.Close()
	chained := filepath.Join(e.WorkDir, "chained", "go1.30.1."+goos+"-"+goarch+".tar.gz")
	os.MkdirAll(filepath.Dir(chained), 0o755)
	e.Setenv("CHAINED", chained)
	return os.WriteFile(chained, buf.Bytes(), 0o644)
}
