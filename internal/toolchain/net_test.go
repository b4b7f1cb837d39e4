package toolchain

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goforge/goforge/internal/goproxy"
)

// TestNetInstall installs go1.22.0 linux/amd64 for real from the
// machine's GOPROXY, verified against the real checksum database, and
// builds a hello-world with it. It runs only with GOFORGE_NET_TEST=1.
func TestNetInstall(t *testing.T) {
	if os.Getenv("GOFORGE_NET_TEST") != "1" {
		t.Skip("set GOFORGE_NET_TEST=1 to install go1.22.0 from the network")
	}
	goEnv := func(k string) string {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		return strings.TrimSpace(string(out))
	}
	h, err := OpenHomeAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := goproxy.FromEnv(goEnv, filepath.Join(h.Dir(), "sumdb"))
	if err != nil {
		t.Fatal(err)
	}
	if proxy.SumDB == "off" {
		t.Fatal("this test verifies against the checksum database; GOSUMDB is off")
	}
	in := &Installer{Home: h, Proxy: proxy, Logf: t.Logf}
	start := time.Now()
	res, err := in.Install(context.Background(), Request{Query: "go1.22.0", GOOS: "linux", GOARCH: "amd64"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("installed %s in %v (h1 %s)", res.Name, time.Since(start).Round(time.Millisecond), res.Meta.H1)
	if res.Meta.H1 == "" {
		t.Fatal("no h1 recorded")
	}
	if res.Host() {
		mod := t.TempDir()
		os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o644)
		os.WriteFile(filepath.Join(mod, "main.go"), []byte("package main\n\nfunc main() { println(\"hello\") }\n"), 0o644)
		cmd := exec.Command(filepath.Join(res.Dir, "bin", "go"), "build", "-o", filepath.Join(mod, "hello"), ".")
		cmd.Dir = mod
		cmd.Env = MergeEnv(h.Env(res.Installed), []string{"GOCACHE=" + t.TempDir(), "GOFLAGS=", "GOPATH=" + t.TempDir()})
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		out, err := exec.Command("go", "version", filepath.Join(mod, "hello")).Output()
		if err != nil || !strings.Contains(string(out), "go1.22.0") {
			t.Fatalf("hello was not built by go1.22.0: %s %v", out, err)
		}
	}
}
