package fromsource

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWriteSummary(t *testing.T) {
	phases := []PhaseTime{
		{Phase: Phase{Name: PhaseDist}, Duration: 7800 * time.Millisecond, Done: true},
		{Phase: Phase{Name: PhaseToolchain1}, Duration: 32200 * time.Millisecond, Done: false},
	}
	var out strings.Builder
	WriteSummary(&out, phases, 40*time.Second)
	want := "PHASE       TIME            SHARE\n" +
		"cmd/dist    7.8s            20%\n" +
		"toolchain1  32.2s (failed)  80%\n" +
		"total       40.0s\n"
	if out.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond:    "850ms",
		7800 * time.Millisecond:   "7.8s",
		192400 * time.Millisecond: "3m12s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q; want %q", d, got, want)
		}
	}
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCompare(t *testing.T) {
	build, dist := t.TempDir(), t.TempDir()
	writeFiles(t, build, map[string]string{
		"bin/linux_arm64/go": "go", "bin/linux_arm64/gofmt": "gofmt built",
		"bin/go": "host go", "bin/gofmt": "host gofmt", "pkg/tool/linux_amd64/compile": "host compile",
		"pkg/tool/linux_arm64/compile": "c", "pkg/tool/linux_arm64/extra": "x",
	})
	if err := DistLayout(build, "linux", "arm64", "linux", "amd64"); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"bin/linux_arm64", "pkg/tool/linux_amd64"} {
		if _, err := os.Stat(filepath.Join(build, gone)); err == nil {
			t.Errorf("DistLayout left %s", gone)
		}
	}
	writeFiles(t, dist, map[string]string{
		"bin/go": "go", "bin/gofmt": "gofmt dist", "pkg/tool/linux_arm64/compile": "c", "pkg/tool/linux_arm64/vet": "v",
	})
	files, err := ReproFiles(build, dist, "linux", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := Compare(build, dist, files)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range cmp {
		got[c.Path] = c.Status
	}
	want := map[string]string{
		"bin/go": Equal, "bin/gofmt": Different, "pkg/tool/linux_arm64/compile": Equal,
		"pkg/tool/linux_arm64/extra": MissingInDist, "pkg/tool/linux_arm64/vet": MissingInBuild,
	}
	if !reflect.DeepEqual(got, want) || CountEqual(cmp) != 2 {
		t.Errorf("Compare = %v; want %v", got, want)
	}
	if files, _ := ReproFiles(build, dist, "windows", "amd64"); files[0].Path != "bin/go.exe" || files[1].Build != "bin/gofmt.exe" {
		t.Errorf("windows files = %v", files)
	}
}

func TestBuildEnv(t *testing.T) {
	parent := []string{"PATH=/bin", "HOME=/h", "GOFLAGS=-x", "GOROOT=/old", "GOAMD64=v3", "CGO_CFLAGS=-O0", "CC=clang", "GOFORGE_HOME=/g"}
	e := BuildEnv{Bootstrap: "/boot", GOOS: "linux", GOARCH: "arm64", CGOEnabled: "0"}
	got := e.Environ(parent)
	want := []string{"PATH=/bin", "HOME=/h", "CC=clang", "CGO_ENABLED=0", "GOARCH=arm64", "GOENV=off", "GOOS=linux", "GOROOT_BOOTSTRAP=/boot", "GOTOOLCHAIN=local"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Environ =\n%q\nwant\n%q", got, want)
	}
}

// TestCopyTree copies a Debian-style tree (top-level symlinks into another
// directory), leaving out bin/ and pkg/ and linking .git.
func TestCopyTree(t *testing.T) {
	base := t.TempDir()
	share, root, dst := filepath.Join(base, "share"), filepath.Join(base, "lib"), filepath.Join(base, "dst")
	writeFiles(t, share, map[string]string{"src/make.bash": "#!/bin/sh\n", "src/cmd/dist/build.go": "package main\n"})
	writeFiles(t, root, map[string]string{"VERSION": "go1.19.8", "bin/go": "old", "pkg/tool/x": "old", ".git/HEAD": "ref"})
	os.Symlink(filepath.Join(share, "src"), filepath.Join(root, "src"))
	os.Symlink("cmd/dist/build.go", filepath.Join(share, "src", "link.go"))
	os.Mkdir(dst, 0o755)
	tr := &Tree{Root: root, Git: true}
	if err := CopyTree(tr, dst); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"VERSION", "src/make.bash", "src/cmd/dist/build.go"} {
		fi, err := os.Lstat(filepath.Join(dst, p))
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: %v %v", p, fi, err)
		}
	}
	if fi, err := os.Lstat(filepath.Join(dst, "src")); err != nil || !fi.IsDir() {
		t.Errorf("src is not a copied directory: %v", err)
	}
	if target, _ := os.Readlink(filepath.Join(dst, "src", "link.go")); target != "cmd/dist/build.go" {
		t.Errorf("inner symlink = %q", target)
	}
	if target, _ := os.Readlink(filepath.Join(dst, ".git")); target != filepath.Join(root, ".git") {
		t.Errorf(".git link = %q", target)
	}
	for _, p := range []string{"bin", "pkg"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err == nil {
			t.Errorf("%s was copied", p)
		}
	}
	// Writing into the copy leaves the original alone.
	os.WriteFile(filepath.Join(dst, "src", "make.bash"), []byte("changed"), 0o755)
	if data, _ := os.ReadFile(filepath.Join(share, "src", "make.bash")); string(data) != "#!/bin/sh\n" {
		t.Error("the copy shares files with the original")
	}
}
