package pclntab

import (
	"bytes"
	"compress/gzip"
	"debug/gosym"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestGo115Table decodes the real Go 1.15 pclntab that debug/gosym keeps
// as test data: the header counts fit (no warning), and every function's
// name, entry and file:line equal what debug/gosym reads.
func TestGo115Table(t *testing.T) {
	gz, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src/debug/gosym/testdata/pcln115.gz"))
	if err != nil {
		t.Skipf("needs the Go source tree's debug/gosym test data: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	const textStart = 0x1001000
	tab, err := Parse(data, textStart)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Warnings) > 0 || tab.Version != Ver12 {
		t.Errorf("version %v, warnings %q", tab.Version, tab.Warnings)
	}
	want, err := gosym.NewTable(nil, gosym.NewLineTable(data, textStart))
	if err != nil {
		t.Fatal(err)
	}
	if tab.NumFuncs() != len(want.Funcs) {
		t.Fatalf("%d functions, debug/gosym %d", tab.NumFuncs(), len(want.Funcs))
	}
	noLines := 0
	for i, wf := range want.Funcs {
		f, err := tab.Func(i)
		if err != nil || f.Name != wf.Name || f.Entry != wf.Entry {
			t.Fatalf("function %d: %q at %#x (%v), debug/gosym %q at %#x", i, f.Name, f.Entry, err, wf.Name, wf.Entry)
		}
		file, line, err := tab.PCLine(f, f.Entry)
		if err != nil {
			// No line table (go.buildid): debug/gosym reads garbage.
			noLines++
			continue
		}
		wfile, wline, _ := want.PCToLine(f.Entry)
		if file != wfile || line != wline {
			t.Errorf("%s: %s:%d, debug/gosym %s:%d", f.Name, file, line, wfile, wline)
		}
	}
	if noLines > len(want.Funcs)/100 {
		t.Errorf("%d of %d functions without line information", noLines, len(want.Funcs))
	}
	files, err := tab.Files()
	if err != nil || len(files) == 0 || len(files) != tab.NumFiles-1 {
		t.Errorf("%d files of %d (%v)", len(files), tab.NumFiles, err)
	}
}
