package binfile_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/binfile"
	"github.com/goforge/goforge/internal/binfile/binfiletest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	binfiletest.Cleanup()
	os.Exit(code)
}

// TestFacts checks format, target, strippedness and linkage of real
// binaries against how they were built.
func TestFacts(t *testing.T) {
	for _, s := range binfiletest.All() {
		t.Run(s.Name(), func(t *testing.T) {
			t.Parallel()
			path := binfiletest.Build(t, s)
			fa, err := binfile.ReadFacts(path)
			if err != nil {
				t.Fatal(err)
			}
			wantFormat := map[string]binfile.Format{"linux": binfile.ELF, "windows": binfile.PE, "darwin": binfile.MachO}[s.GOOS]
			if fa.Format != wantFormat || fa.OS != s.GOOS || fa.Arch != s.GOARCH {
				t.Errorf("got %s %s/%s, want %s %s/%s", fa.Format, fa.OS, fa.Arch, wantFormat, s.GOOS, s.GOARCH)
			}
			// Go 1.19's -s keeps the assembly symbols of darwin binaries.
			partial := s.Go == binfiletest.Go119 && s.GOOS == "darwin" && s.Stripped
			if (fa.Symbols == s.Stripped && !partial) || fa.DWARF == s.Stripped {
				t.Errorf("symbols=%v dwarf=%v for stripped=%v", fa.Symbols, fa.DWARF, s.Stripped)
			}
			if !strings.HasPrefix(fa.GoVersion, "go1.") {
				t.Errorf("go version %q", fa.GoVersion)
			}
			checkLinkage(t, s, fa.Linkage)
		})
	}
}

func checkLinkage(t *testing.T, s binfiletest.Spec, l binfile.Linkage) {
	t.Helper()
	switch {
	case s.CgoDynamic:
		if l.Static || l.Interp == "" || len(l.Needed) == 0 || l.Linker != "external" {
			t.Errorf("cgo binary: %+v", l)
		}
	case s.MuslStatic:
		if !l.Static || l.Interp != "" || l.Linker != "external" {
			t.Errorf("musl static binary: %+v", l)
		}
	case s.GOOS == "linux":
		if !l.Static || l.Interp != "" || len(l.Needed) != 0 || l.Linker != "internal" {
			t.Errorf("pure Go linux binary: %+v", l)
		}
	case s.GOOS == "windows":
		if l.Static || !containsFold(l.Needed, "kernel32.dll") {
			t.Errorf("windows binary: %+v", l)
		}
	case s.GOOS == "darwin":
		if l.Static || !containsFold(l.Needed, "/usr/lib/libSystem.B.dylib") {
			t.Errorf("darwin binary: %+v", l)
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func TestNotExecutable(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("#!/bin/sh\necho hi\n"), []byte("\x7fELF")} {
		_, err := binfile.NewFile(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			t.Errorf("%q: no error", data)
		}
	}
}
