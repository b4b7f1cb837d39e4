package pclntab

import (
	"testing"

	"github.com/goforge/goforge/internal/binfile"
	"github.com/goforge/goforge/internal/binfile/binfiletest"
)

// TestTableLen checks the skipping table length against a full decode on
// every PC-value table of a real binary.
func TestTableLen(t *testing.T) {
	f, err := binfile.Open(binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "arm64"}))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	loc, err := Find(f)
	if err != nil {
		t.Fatal(err)
	}
	tab := loc.Table
	for i := 0; i < tab.NumFuncs(); i++ {
		fn, err := tab.Func(i)
		if err != nil {
			t.Fatal(err)
		}
		offs := append([]uint32{fn.field(tab, 4), fn.field(tab, 5), fn.field(tab, 6)}, tab.pcdataOffsets(fn)...)
		for _, off := range offs {
			if off == 0 {
				continue
			}
			it := tab.newIter(off, 0)
			for it.next() {
			}
			want := len(tab.pctab) - int(off) - len(it.p)
			if it.err != nil {
				want = 0
			}
			if got := tab.tableLen(off); got != want {
				t.Fatalf("%s: table at %#x: length %d, decoding says %d", fn.Name, off, got, want)
			}
		}
	}
}
