package matrix

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestSplitPackages(t *testing.T) {
	tests := []struct {
		args, pkgs, flags []string
	}{
		{nil, nil, nil},
		{[]string{"./..."}, []string{"./..."}, nil},
		{[]string{"./a", "./b", "-run", "X"}, []string{"./a", "./b"}, []string{"-run", "X"}},
		{[]string{"-v"}, []string{}, []string{"-v"}},
		// After the first flag, everything is go test's, patterns included.
		{[]string{"-run", "X", "./c"}, []string{}, []string{"-run", "X", "./c"}},
	}
	for _, tt := range tests {
		pkgs, flags := SplitPackages(tt.args)
		if len(pkgs) != len(tt.pkgs) || (len(pkgs) > 0 && !reflect.DeepEqual(pkgs, tt.pkgs)) || !reflect.DeepEqual(flags, tt.flags) {
			t.Errorf("SplitPackages(%q) = %q, %q; want %q, %q", tt.args, pkgs, flags, tt.pkgs, tt.flags)
		}
	}
}

func TestFindModule(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("m/go.mod", "module example.com/m\n\ngo 1.22.3\n")
	write("m/a/b/x.go", "package b\n")
	write("nogo/go.mod", "module example.com/nogo\n")
	write("bad/go.mod", "module example.com/bad\ngo 1.22 1.23 junk(\n")
	write("loose/x.go", "package loose\n")

	root, goLine, err := FindModule(filepath.Join(dir, "m", "a", "b"))
	if err != nil || root != filepath.Join(dir, "m") || goLine != "1.22.3" {
		t.Errorf("FindModule(m/a/b) = %q, %q, %v; want the module root and 1.22.3", root, goLine, err)
	}
	if root, goLine, err := FindModule(filepath.Join(dir, "nogo")); err != nil || root != filepath.Join(dir, "nogo") || goLine != "" {
		t.Errorf("FindModule(nogo) = %q, %q, %v; want no go line, no error", root, goLine, err)
	}
	if _, _, err := FindModule(filepath.Join(dir, "bad")); err == nil || !strings.Contains(err.Error(), "reading go.mod") {
		t.Errorf("FindModule(bad) error = %v, want a go.mod parse error", err)
	}
	// A directory with no go.mod above it (the temp dir's parents have
	// none on a sane machine; skip if one does).
	if _, _, err := FindModule(filepath.Join(dir, "loose")); err == nil {
		t.Skip("a go.mod above the temp directory")
	} else if !strings.Contains(err.Error(), "no go.mod in") {
		t.Errorf("FindModule(loose) error = %v, want 'no go.mod in'", err)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the table is Linux's $XDG_CACHE_HOME rules")
	}
	tests := []struct {
		env  []string
		want string // "" means an error
	}{
		{[]string{"HOME=/h"}, "/h/.cache/goforge/matrix"},
		{[]string{"HOME=/h", "XDG_CACHE_HOME=/x"}, "/x/goforge/matrix"},
		{[]string{"HOME=/h", "XDG_CACHE_HOME=rel"}, "/h/.cache/goforge/matrix"},
		{[]string{"XDG_CACHE_HOME=/x"}, "/x/goforge/matrix"},
		{nil, ""},
		{[]string{"XDG_CACHE_HOME=rel"}, ""},
	}
	for _, tt := range tests {
		got, err := defaultCacheDir(tt.env)
		if tt.want == "" {
			if err == nil {
				t.Errorf("defaultCacheDir(%q) = %q, want an error", tt.env, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("defaultCacheDir(%q) = %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
}
