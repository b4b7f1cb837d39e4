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

// TestPlausibleGoFunc checks the check that lets a future moduledata
// layout still find go:func.*: the real base passes, shifted ones fail.
func TestPlausibleGoFunc(t *testing.T) {
	for _, s := range []binfiletest.Spec{
		{GOOS: "linux", GOARCH: "amd64", Stripped: true},
		{Go: binfiletest.Go119, GOOS: "windows", GOARCH: "amd64", Stripped: true},
	} {
		f, err := binfile.Open(binfiletest.Build(t, s))
		if err != nil {
			t.Fatal(err)
		}
		loc, err := Find(f)
		if err != nil {
			t.Fatal(err)
		}
		g := loc.Table.GoFunc()
		if g == 0 || !loc.Table.plausibleGoFunc(f, g) {
			t.Errorf("%s: real go:func.* %#x not plausible", s.Name(), g)
		}
		for _, d := range []uint64{4, 8, 16, 0x100} {
			if loc.Table.plausibleGoFunc(f, g+d) {
				t.Errorf("%s: go:func.* + %#x plausible", s.Name(), d)
			}
		}
		f.Close()
	}
}
