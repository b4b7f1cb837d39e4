package matrix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckJUnitPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, errHas string
	}{
		{filepath.Join(dir, "new.xml"), ""},
		{file, ""}, // replaced
		{filepath.Join(dir, "missing", "x.xml"), "no such file or directory"},
		{filepath.Join(file, "x.xml"), "is not a directory"},
		{dir, "is a directory"},
	} {
		err := CheckJUnitPath(tc.path)
		if tc.errHas == "" && err != nil || tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)) {
			t.Errorf("CheckJUnitPath(%s) = %v, want %q", tc.path, err, tc.errHas)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("CheckJUnitPath left files behind: %v", ents)
	}
	if os.Getuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if err := CheckJUnitPath(filepath.Join(ro, "x.xml")); err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Errorf("read-only directory: %v", err)
		}
	}
}

func TestWriteJUnitFileKeepsOldOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "j.xml")
	cells := []Cell{{Go: "go1.22.5", Toolchain: "go1.22.5", Target: "linux/amd64", Status: StatusSkipped, SkipReason: "x"}}
	if err := WriteJUnitFile(path, cells); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), `skipped="1"`) {
		t.Errorf("JUnit file: %s", data)
	}
	if err := WriteJUnitFile(filepath.Join(dir, "gone", "j.xml"), cells); err == nil || !strings.Contains(err.Error(), "writing") {
		t.Errorf("write into a missing directory: %v", err)
	}
}
