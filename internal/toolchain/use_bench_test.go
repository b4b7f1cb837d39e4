package toolchain

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// BenchmarkUse measures one atomic switch of the 'current' link (new
// link under tmp/, rename over), alternating between two versions.
func BenchmarkUse(b *testing.B) {
	h, _ := OpenHomeAt(b.TempDir())
	for _, v := range []string{"go1.22.0", "go1.22.1"} {
		os.MkdirAll(filepath.Join(h.VersionDir(v), "bin"), 0o755)
		h.writeMeta(Meta{Name: v, Version: v, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH})
	}
	names := []string{"go1.22.0", "go1.22.1"}
	for i := 0; b.Loop(); i++ {
		if err := h.Use(names[i%2]); err != nil {
			b.Fatal(err)
		}
	}
}
