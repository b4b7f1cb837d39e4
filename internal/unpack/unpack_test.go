package unpack

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

type entry struct {
	name, body string
	link       string // symlink target (tar only)
	mode       int64
}

func makeZip(t testing.TB, entries ...entry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	zw.Close()
	return buf.Bytes()
}

func makeTarGz(t testing.TB, entries ...entry) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if e.mode != 0 {
			hdr.Mode = e.mode
		}
		if e.link != "" {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeSymlink, e.link, 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

const modPrefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"

func TestZipModuleRules(t *testing.T) {
	z := makeZip(t,
		entry{name: modPrefix + "bin/go", body: "#!/bin/sh\n"},
		entry{name: modPrefix + "pkg/tool/linux_amd64/compile", body: "elf"},
		entry{name: modPrefix + "lib/wasm/go_js_wasm_exec", body: "sh"},
		entry{name: modPrefix + "lib/wasm/wasm_exec.js", body: "js"},
		entry{name: modPrefix + "src/_go.mod", body: "module std\n"},
		entry{name: modPrefix + "VERSION", body: "go1.22.5\n"},
	)
	dest := t.TempDir()
	res, err := Zip(bytes.NewReader(z), int64(len(z)), dest, Options{Prefix: modPrefix, ModuleZip: true})
	if err != nil {
		t.Fatal(err)
	}
	// Oracle: x/mod's dirhash over the same zip.
	f := filepath.Join(t.TempDir(), "m.zip")
	os.WriteFile(f, z, 0o644)
	want, err := dirhash.HashZip(f, dirhash.Hash1)
	if err != nil || res.H1 != want {
		t.Fatalf("H1 = %s, want %s (%v)", res.H1, want, err)
	}
	for name, exec := range map[string]bool{"bin/go": true, "pkg/tool/linux_amd64/compile": true,
		"lib/wasm/go_js_wasm_exec": true, "lib/wasm/wasm_exec.js": false, "VERSION": false} {
		fi, err := os.Stat(filepath.Join(dest, name))
		if err != nil || (fi.Mode()&0o111 != 0) != exec {
			t.Errorf("%s: mode %v, want exec=%v (%v)", name, fi.Mode(), exec, err)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dest, "src/go.mod")); string(data) != "module std\n" {
		t.Errorf("src/go.mod = %q", data)
	}
}

func TestRejectsEscapes(t *testing.T) {
	outside := t.TempDir()
	for _, tc := range []struct {
		name    string
		entries []entry
		tar     bool
	}{
		{"dotdot", []entry{{name: "go/../../evil", body: "x"}}, false},
		{"absolute", []entry{{name: "/etc/evil", body: "x"}}, false},
		{"outside prefix", []entry{{name: "other/file", body: "x"}}, false},
		{"backslash", []entry{{name: "go/..\\evil", body: "x"}}, false},
		{"duplicate", []entry{{name: "go/a", body: "x"}, {name: "go/A", body: "y"}}, false},
		{"tar dotdot", []entry{{name: "go/../evil", body: "x"}}, true},
		{"tar absolute symlink", []entry{{name: "go/link", link: outside}}, true},
		{"tar escaping symlink", []entry{{name: "go/a/link", link: "../../.."}}, true},
		{"tar write through symlink", []entry{{name: "go/link", link: "."}, {name: "go/link/../../evil", body: "x"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "dest")
			os.Mkdir(dest, 0o755)
			var err error
			if tc.tar {
				_, err = TarGz(bytes.NewReader(makeTarGz(t, tc.entries...)), dest, Options{Prefix: "go/"})
			} else {
				z := makeZip(t, tc.entries...)
				_, err = Zip(bytes.NewReader(z), int64(len(z)), dest, Options{Prefix: "go/"})
			}
			if !errors.Is(err, ErrUnsafePath) {
				t.Fatalf("err = %v, want ErrUnsafePath", err)
			}
			if left, _ := os.ReadDir(outside); len(left) != 0 {
				t.Fatalf("wrote outside: %v", left)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(dest), "evil")); err == nil {
				t.Fatal("wrote outside the destination")
			}
		})
	}
}

func TestTarGz(t *testing.T) {
	data := makeTarGz(t,
		entry{name: "go/bin/go", body: "#!/bin/sh\n", mode: 0o755},
		entry{name: "go/VERSION", body: "go1.22.5\n"},
		entry{name: "go/misc/link", link: "../VERSION"},
	)
	dest := t.TempDir()
	res, err := TarGz(bytes.NewReader(data), dest, Options{Prefix: "go/"})
	if err != nil || res.Files != 2 {
		t.Fatalf("TarGz = %+v, %v", res, err)
	}
	if fi, _ := os.Stat(filepath.Join(dest, "bin/go")); fi.Mode()&0o111 == 0 {
		t.Error("bin/go lost its exec bit")
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "misc/link")); string(got) != "go1.22.5\n" {
		t.Errorf("link reads %q", got)
	}
	// Truncated input is an error.
	if _, err := TarGz(bytes.NewReader(data[:len(data)/2]), t.TempDir(), Options{Prefix: "go/"}); err == nil {
		t.Fatal("truncated archive accepted")
	}
}

func TestSizeLimit(t *testing.T) {
	z := makeZip(t, entry{name: "go/big", body: strings.Repeat("x", 1000)})
	_, err := Zip(bytes.NewReader(z), int64(len(z)), t.TempDir(), Options{Prefix: "go/", MaxSize: 100})
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("err = %v", err)
	}
}

type fullDisk struct{ n int }

func (d *fullDisk) Write(p []byte) (int, error) {
	if d.n+len(p) > 10 {
		return 0, errors.New("no space left on device")
	}
	d.n += len(p)
	return len(p), nil
}
func (d *fullDisk) Close() error { return nil }

func TestDiskFull(t *testing.T) {
	old := createFile
	defer func() { createFile = old }()
	createFile = func(creator, string, fs.FileMode) (io.WriteCloser, error) { return &fullDisk{}, nil }
	z := makeZip(t, entry{name: "go/a", body: strings.Repeat("x", 100)})
	_, err := Zip(bytes.NewReader(z), int64(len(z)), t.TempDir(), Options{Prefix: "go/"})
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("zip: %v", err)
	}
	tgz := makeTarGz(t, entry{name: "go/a", body: strings.Repeat("x", 100)})
	_, err = TarGz(bytes.NewReader(tgz), t.TempDir(), Options{Prefix: "go/"})
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("tar: %v", err)
	}
}

func FuzzZip(f *testing.F) {
	f.Add(makeZip(f, entry{name: "go/bin/go", body: "x"}, entry{name: "go/src/_go.mod", body: "m"}))
	f.Add(makeZip(f, entry{name: "go/../x", body: "x"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		dest := filepath.Join(parent, "d")
		os.Mkdir(dest, 0o755)
		Zip(bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: "go/", ModuleZip: true, MaxSize: 1 << 20})
		checkInside(t, parent)
	})
}

func FuzzTarGz(f *testing.F) {
	f.Add(makeTarGz(f, entry{name: "go/bin/go", body: "x"}, entry{name: "go/l", link: "bin"}))
	f.Add(makeTarGz(f, entry{name: "go/l", link: "../.."}))
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		dest := filepath.Join(parent, "d")
		os.Mkdir(dest, 0o755)
		TarGz(bytes.NewReader(data), dest, Options{Prefix: "go/", MaxSize: 1 << 20})
		checkInside(t, parent)
	})
}

// checkInside fails if anything but the destination "d" appeared in parent.
func checkInside(t *testing.T, parent string) {
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "d" {
		t.Fatalf("extraction wrote outside its destination: %v", entries)
	}
}

// TestStreamZipMatchesZip: streaming and random-access extraction of the
// same archives agree on files and h1, and StreamZip refuses what Zip does.
func TestStreamZipMatchesZip(t *testing.T) {
	z := makeZip(t,
		entry{name: modPrefix + "bin/go", body: "#!/bin/sh\n"},
		entry{name: modPrefix + "src/_go.mod", body: "module std\n"},
		entry{name: modPrefix + "src/big.go", body: strings.Repeat("package big // padding\n", 5000)},
		entry{name: modPrefix + "empty", body: ""},
	)
	opt := Options{Prefix: modPrefix, ModuleZip: true}
	d1, d2 := t.TempDir(), t.TempDir()
	r1, err := Zip(bytes.NewReader(z), int64(len(z)), d1, opt)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := StreamZip(bytes.NewReader(z), d2, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r1 != r2 {
		t.Fatalf("Zip %+v, StreamZip %+v", r1, r2)
	}
	for _, f := range []string{"bin/go", "src/go.mod", "src/big.go", "empty"} {
		a, _ := os.ReadFile(filepath.Join(d1, f))
		b, err := os.ReadFile(filepath.Join(d2, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs (%v)", f, err)
		}
	}
	if fi, _ := os.Stat(filepath.Join(d2, "bin/go")); fi.Mode()&0o111 == 0 {
		t.Error("bin/go not executable")
	}
	// Truncated, corrupted, escaping: errors.
	if _, err := StreamZip(bytes.NewReader(z[:len(z)/2]), t.TempDir(), opt); err == nil {
		t.Error("truncated zip accepted")
	}
	bad := bytes.Clone(z)
	bad[len(bad)/3] ^= 0xff
	if _, err := StreamZip(bytes.NewReader(bad), t.TempDir(), opt); err == nil {
		t.Error("corrupted zip accepted")
	}
	evil := makeZip(t, entry{name: modPrefix + "../x", body: "x"})
	if _, err := StreamZip(bytes.NewReader(evil), t.TempDir(), opt); !errors.Is(err, ErrUnsafePath) {
		t.Errorf("escaping entry: %v", err)
	}
}

func FuzzStreamZip(f *testing.F) {
	f.Add(makeZip(f, entry{name: "go/bin/go", body: "x"}, entry{name: "go/src/_go.mod", body: "m"}))
	f.Add(makeZip(f, entry{name: "go/../x", body: "x"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		dest := filepath.Join(parent, "d")
		os.Mkdir(dest, 0o755)
		res, err := StreamZip(bytes.NewReader(data), dest, Options{Prefix: "go/", ModuleZip: true, MaxSize: 1 << 20})
		checkInside(t, parent)
		if err != nil {
			return
		}
		// What streaming accepted, random access must agree with when the
		// central directory is intact.
		d2 := filepath.Join(t.TempDir(), "d")
		os.Mkdir(d2, 0o755)
		if res2, err := Zip(bytes.NewReader(data), int64(len(data)), d2, Options{Prefix: "go/", ModuleZip: true, MaxSize: 1 << 20}); err == nil && res2.H1 != res.H1 && res2.Files == res.Files {
			t.Logf("h1 differs: %s vs %s (central directory disagrees with entries)", res.H1, res2.H1)
		}
	})
}

// TestErrorLinesBounded: names from a hostile archive are clipped in
// error messages, whatever their length.
func TestErrorLinesBounded(t *testing.T) {
	long := strings.Repeat("é", 50000)
	for name, run := range map[string]func(dest string) error{
		"tar outside prefix": func(dest string) error {
			_, err := TarGz(bytes.NewReader(makeTarGz(t, entry{name: long, body: "x"})), dest, Options{Prefix: "go/"})
			return err
		},
		"tar symlink": func(dest string) error {
			_, err := TarGz(bytes.NewReader(makeTarGz(t, entry{name: "go/" + long[:200], link: "../../" + long})), dest, Options{Prefix: "go/"})
			return err
		},
		"zip duplicate": func(dest string) error {
			z := makeZip(t, entry{name: "go/" + long[:2000], body: "x"}, entry{name: "go/" + long[:2000], body: "y"})
			_, err := Zip(bytes.NewReader(z), int64(len(z)), dest, Options{Prefix: "go/"})
			return err
		},
	} {
		err := run(t.TempDir())
		if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "…") {
			t.Errorf("%s: error of %d bytes: %.200v", name, len(fmt.Sprint(err)), err)
		}
	}
}
