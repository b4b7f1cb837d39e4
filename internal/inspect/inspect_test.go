package inspect_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/binfile/binfiletest"
	"github.com/goforge/goforge/internal/inspect"
)

func TestMain(m *testing.M) {
	code := m.Run()
	binfiletest.Cleanup()
	os.Exit(code)
}

func open(t *testing.T, path string) *inspect.Binary {
	t.Helper()
	b, err := inspect.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestInfoAndSize checks, on every binary of the matrix, that the build
// info reads exactly as 'go version -m' prints it and that the size
// report accounts for every byte of the file.
func TestInfoAndSize(t *testing.T) {
	for _, s := range binfiletest.All() {
		t.Run(s.Name(), func(t *testing.T) {
			t.Parallel()
			path := binfiletest.Build(t, s)
			b := open(t, path)
			want, err := exec.Command("go", "version", "-m", path).Output()
			if err != nil {
				t.Fatalf("go version -m: %v", err)
			}
			if got := b.GoVersionM(); got != string(want) {
				t.Errorf("build info:\n%s\ngo version -m:\n%s", got, want)
			}
			checkSize(t, b)
			checkInlined(t, b)
			if len(b.Warnings) > 0 {
				t.Errorf("warnings: %q", b.Warnings)
			}
		})
	}
}

func checkSize(t *testing.T, b *inspect.Binary) {
	t.Helper()
	r, err := b.Size()
	if err != nil {
		t.Fatal(err)
	}
	if r.Sum() != r.FileSize {
		t.Errorf("size rows add up to %d, file has %d bytes", r.Sum(), r.FileSize)
	}
	for _, s := range r.Sections {
		if s.Kind == "bss" || s.Attributed > s.FileSize {
			t.Errorf("section %+v", s)
		}
	}
	var main, runtime uint64
	for _, p := range r.Packages {
		switch p.Package {
		case "main":
			main = p.Code
		case "runtime":
			runtime = p.Code
		}
	}
	if main == 0 || runtime < 100_000 {
		t.Errorf("code: main %d, runtime %d bytes", main, runtime)
	}
}

// checkInlined checks the inline tree on every target: the code of
// middle's call of leaf is inlined into outer and (*T).Method.
func checkInlined(t *testing.T, b *inspect.Binary) {
	t.Helper()
	ms, err := b.Line("main.go", binfiletest.MiddleCallLine)
	if err != nil {
		t.Fatal(err)
	}
	callers := map[string]bool{}
	for _, m := range ms {
		if len(m.Frames) != 2 || m.Frames[0].Func != "main.middle" || !m.Frames[0].Inlined || m.Frames[1].Func != m.Func {
			t.Fatalf("line main.go:%d at %#x: frames %+v", binfiletest.MiddleCallLine, m.Start, m.Frames)
		}
		callers[m.Func] = true
	}
	if !callers["main.outer"] || !callers["main.(*T).Method"] {
		t.Errorf("main.go:%d inlined into %v", binfiletest.MiddleCallLine, callers)
	}
}

func TestLinkageCgo(t *testing.T) {
	for _, s := range []binfiletest.Spec{
		{GOOS: "linux", GOARCH: "amd64"},
		{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true, Stripped: true},
		{GOOS: "linux", GOARCH: "amd64", MuslStatic: true, Stripped: true},
	} {
		t.Run(s.Name(), func(t *testing.T) {
			v := open(t, binfiletest.Build(t, s)).Linkage()
			wantCgo := s.CgoDynamic || s.MuslStatic
			if v.Cgo != wantCgo || v.Static == s.CgoDynamic || !strings.HasPrefix(v.Verdict, map[bool]string{true: "static", false: "dynamic"}[v.Static]) {
				t.Errorf("%+v", v)
			}
		})
	}
}

func TestFilesAndLine(t *testing.T) {
	b := open(t, binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64", Stripped: true}))
	fv, err := b.Files()
	if err != nil || fv.Trimpath || fv.GOROOT == "" {
		t.Fatalf("files: trimpath=%v goroot=%q %v", fv.Trimpath, fv.GOROOT, err)
	}
	// "return leaf(n + 1)" in middle is inlined into outer and
	// (*T).Method.
	ms, err := b.Line("main.go", binfiletest.MiddleCallLine)
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]bool{}
	for _, m := range ms {
		funcs[m.Func] = true
		if len(m.Frames) == 0 || m.Frames[0].Func != "main.middle" {
			t.Errorf("match %+v", m)
		}
	}
	if !funcs["main.outer"] || !funcs["main.(*T).Method"] {
		t.Errorf("line main.go:%d found in %v", binfiletest.MiddleCallLine, funcs)
	}
}

func TestNotGo(t *testing.T) {
	_, err := inspect.Open("/bin/sh")
	if !errors.Is(err, inspect.ErrNotGo) {
		t.Errorf("/bin/sh: %v", err)
	}
}

// TestFutureRelease patches a binary to look like it comes from a Go
// release goforge does not know (go1.99.8, pclntab magic 0xfffffff9):
// everything still reads, with warnings.
func TestFutureRelease(t *testing.T) {
	path := binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64", Stripped: true})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, path)
	old := b.Build.GoVersion
	if len(old) != len("go1.99.8") {
		t.Skipf("version %q is not 8 bytes", old)
	}
	data = bytes.ReplaceAll(data, []byte(old), []byte("go1.99.8"))
	off := b.Tab.Offset
	binary.LittleEndian.PutUint32(data[off:], 0xfffffff9)
	future := filepath.Join(t.TempDir(), "future")
	if err := os.WriteFile(future, data, 0o755); err != nil {
		t.Fatal(err)
	}
	fb := open(t, future)
	warn := strings.Join(fb.Warnings, "\n")
	if !strings.Contains(warn, "go1.99.8 is newer") || !strings.Contains(warn, "unknown pclntab magic 0xfffffff9") {
		t.Errorf("warnings: %q", fb.Warnings)
	}
	want, _ := b.Funcs(inspect.FuncFilter{})
	got, err := fb.Funcs(inspect.FuncFilter{})
	if err != nil || len(got) != len(want) || got[len(got)/2] != want[len(want)/2] {
		t.Errorf("funcs of the patched binary differ (%d vs %d): %v", len(got), len(want), err)
	}
}
