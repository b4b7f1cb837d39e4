package toolchain

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
)

// A tarEntry is one entry of a crafted archive; Type defaults to a
// regular file.
type tarEntry struct {
	Name, Body, Link string
	Mode             int64
	Type             byte
}

// craftTarGz builds a go.dev/dl-style archive: the fake toolchain of
// version v (minus any file named in drop), then extra entries.
func craftTarGz(t *testing.T, v string, drop []string, extra ...tarEntry) []byte {
	t.Helper()
	files := toolchaintest.Files(v, runtime.GOOS, runtime.GOARCH)
	for _, d := range drop {
		delete(files, d)
	}
	var entries []tarEntry
	for _, n := range sortedKeys(files) {
		mode := int64(0o644)
		if strings.HasPrefix(n, "bin/") || strings.HasPrefix(n, "pkg/tool/") {
			mode = 0o755
		}
		entries = append(entries, tarEntry{Name: "go/" + n, Body: files[n], Mode: mode})
	}
	entries = append(entries, extra...)
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Mode: e.Mode, Typeflag: e.Type, Linkname: e.Link, Format: tar.FormatPAX}
		if hdr.Typeflag == 0 {
			hdr.Typeflag = tar.TypeReg
			hdr.Size = int64(len(e.Body))
		}
		if hdr.Mode == 0 {
			hdr.Mode = 0o755
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.Body))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

// hostExecutable is a real executable for this platform: the test binary.
func hostExecutable(t *testing.T) string {
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no test executable path")
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestInstallRefusesInvalidGOROOT: each archive is refused before
// anything is published, and the error names the entry (issue 13, cases
// 1, 2 and 9).
func TestInstallRefusesInvalidGOROOT(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes and symlinks are POSIX here")
	}
	var deep []string
	for i := 0; i < 40; i++ {
		deep = append(deep, "d"+string(rune('a'+i%26))+string(rune('0'+i/26)))
	}
	deepDir := "go/" + strings.Join(deep, "/")
	up40 := strings.Repeat("../", 40)
	bin := []string{"bin/go"}
	for _, tc := range []struct {
		name  string
		drop  []string
		extra []tarEntry
		want  string
	}{
		{"go mode 0644", bin, []tarEntry{{Name: "go/bin/go", Body: "#!/bin/sh\necho hi\n", Mode: 0o644}}, "bin/go: not executable (mode -rw-r--r--)"},
		{"go a directory", bin, []tarEntry{{Name: "go/bin/go/", Type: tar.TypeDir}}, "bin/go: not a regular file"},
		{"go empty", bin, []tarEntry{{Name: "go/bin/go", Body: ""}}, "bin/go: empty file"},
		{"go a text file", bin, []tarEntry{{Name: "go/bin/go", Body: "echo not a binary\n"}}, "bin/go: not an executable: no ELF, PE or Mach-O header"},
		{"go a symlink", bin, []tarEntry{{Name: "go/bin/go", Type: tar.TypeSymlink, Link: "gofmt"}}, "bin/go: not a regular file"},
		{"gofmt missing", []string{"bin/gofmt"}, nil, "bin/gofmt: missing"},
		{"chained escape", []string{"bin/go", "bin/gofmt"}, []tarEntry{
			{Name: deepDir + "/", Type: tar.TypeDir},
			{Name: deepDir + "/u", Type: tar.TypeSymlink, Link: up40},
			{Name: "go/bin", Type: tar.TypeSymlink, Link: strings.Join(deep, "/") + "/u/" + up40 + "usr/local/go/bin"},
		}, "not installed: bin: symlink to"},
		{"escape through a link to the root", nil, []tarEntry{
			{Name: "go/r", Type: tar.TypeSymlink, Link: "."},
			{Name: "go/x", Type: tar.TypeSymlink, Link: "r/../r/.."},
		}, "not installed: x: symlink"},
		{"symlink loop", nil, []tarEntry{
			{Name: "go/a", Type: tar.TypeSymlink, Link: "b"},
			{Name: "go/b", Type: tar.TypeSymlink, Link: "a"},
		}, "resolves outside the toolchain or loops"},
		{"VERSION of 5 MB", []string{"VERSION"}, []tarEntry{{Name: "go/VERSION", Body: strings.Repeat("1", 5<<20), Mode: 0o644}}, "VERSION: first line longer than 256 bytes"},
		{"VERSION with a NUL", []string{"VERSION"}, []tarEntry{{Name: "go/VERSION", Body: "go1.30.1\x00\n", Mode: 0o644}}, "VERSION: holds control bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "go1.30.1."+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
			os.WriteFile(file, craftTarGz(t, "go1.30.1", tc.drop, tc.extra...), 0o644)
			h, _ := OpenHomeAt(t.TempDir())
			in := &Installer{Home: h}
			_, err := in.Install(context.Background(), Request{File: file})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error line of %d bytes", len(err.Error()))
			}
			assertNothingInstalled(t, h)
		})
	}
}

// TestInstallChecksObjectHeader: a real executable installs for its own
// platform and is refused, naming both platforms, for another.
func TestInstallChecksObjectHeader(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the crafted archive uses this Linux test binary")
	}
	exe := hostExecutable(t)
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	extra := []tarEntry{{Name: "go/bin/go", Body: exe}, {Name: "go/bin/gofmt", Body: exe}}
	dir := t.TempDir()
	good := filepath.Join(dir, "go1.30.1."+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
	os.WriteFile(good, craftTarGz(t, "go1.30.1", []string{"bin/go", "bin/gofmt"}, extra...), 0o644)
	bad := filepath.Join(dir, "go1.30.1.linux-"+other+".tar.gz")
	os.WriteFile(bad, craftTarGz(t, "go1.30.1", []string{"bin/go", "bin/gofmt"}, extra...), 0o644)
	h, _ := OpenHomeAt(t.TempDir())
	in := &Installer{Home: h}
	_, err := in.Install(context.Background(), Request{File: bad})
	var ie *InvalidGOROOTError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "bin/go: built for linux/"+runtime.GOARCH+", not linux/"+other) {
		t.Fatalf("foreign header: %v", err)
	}
	assertNothingInstalled(t, h)
	if res, err := in.Install(context.Background(), Request{File: good}); err != nil || res.Name != "go1.30.1" {
		t.Fatalf("host executable refused: %+v, %v", res, err)
	}
}

// TestInstallAcceptsInsideLinks: links that stay inside, even through
// chains and "..", and a dangling link inside the tree, install.
func TestInstallAcceptsInsideLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks are POSIX here")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "go1.30.2."+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
	os.WriteFile(file, craftTarGz(t, "go1.30.2", nil,
		tarEntry{Name: "go/a/b/", Type: tar.TypeDir},
		tarEntry{Name: "go/a/b/up", Type: tar.TypeSymlink, Link: "../.."},
		tarEntry{Name: "go/a/tobin", Type: tar.TypeSymlink, Link: "b/up/bin"},
		tarEntry{Name: "go/misc/dangling", Type: tar.TypeSymlink, Link: "../nothing/here"},
	), 0o644)
	h, _ := OpenHomeAt(t.TempDir())
	res, err := (&Installer{Home: h}).Install(context.Background(), Request{File: file})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "a", "tobin", "go")); err != nil {
		t.Errorf("link chain inside the tree: %v", err)
	}
}

// TestValidateRealGOROOTs: a real distribution, the Go running this test,
// passes validation. (Debian's /usr/lib/go-1.19 would not: its api/,
// src/ and pkg/ are symlinks into /usr/share; it can be adopted, which
// registers a GOROOT in place, but not installed from an archive.)
func TestValidateRealGOROOTs(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		t.Skipf("needs the go command: %v", err)
	}
	f := strings.Fields(string(out))
	if err := validateGOROOT(f[0], Meta{Version: f[1], GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}); err != nil {
		t.Errorf("%s: %v", f[0], err)
	}
}

// BenchmarkValidateGOROOT measures the check added to every install on
// the Go running the benchmark (about 15,000 files).
func BenchmarkValidateGOROOT(b *testing.B) {
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		b.Skipf("needs the go command: %v", err)
	}
	f := strings.Fields(string(out))
	for b.Loop() {
		if err := validateGOROOT(f[0], Meta{Version: f[1], GOOS: runtime.GOOS, GOARCH: runtime.GOARCH}); err != nil {
			b.Fatal(err)
		}
	}
}
