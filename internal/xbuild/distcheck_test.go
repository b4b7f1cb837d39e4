package xbuild

import (
	"path/filepath"
	"testing"
)

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		p, dir string
		want   bool
	}{
		{"/a/b", "/a", true},
		{"/a", "/a", true},
		{"/ab", "/a", false},
		{"/a", "/a/b", false},
		{"/a/..b", "/a", true},
		{"/x", "/", true},
	} {
		if got := within(filepath.FromSlash(c.p), filepath.FromSlash(c.dir)); got != c.want {
			t.Errorf("within(%q, %q) = %v, want %v", c.p, c.dir, got, c.want)
		}
	}
}

// A dist that does not exist yet resolves through its nearest existing
// parent, so a link in that parent is still seen.
func TestRealPathMissing(t *testing.T) {
	dir := t.TempDir()
	real, _ := filepath.EvalSymlinks(dir)
	if got, want := realPath(filepath.Join(dir, "no", "such")), filepath.Join(real, "no", "such"); got != want {
		t.Errorf("realPath = %q, want %q", got, want)
	}
}
