package cli

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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
// The command 'waitstall' waits until an install hangs half way through
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
	files := toolchaintest.Files("go1.18.2", goos, goarch)
	files["../../escaped"] = "x"
	evil := filepath.Join(e.WorkDir, "go1.18.2."+goos+"-"+goarch+".tar.gz")
	e.Setenv("EVIL", evil)
	return os.WriteFile(evil, toolchaintest.TarGz("go/", files), 0o644)
}
