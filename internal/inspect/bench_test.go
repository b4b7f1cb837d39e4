package inspect_test

import (
	"debug/elf"
	"debug/gosym"
	"os"
	"testing"

	"github.com/goforge/goforge/internal/binfile/binfiletest"
	"github.com/goforge/goforge/internal/inspect"
)

// benchBinary is $INSPECT_BENCH_BINARY (e.g. bench/out/inspect/gopls, an
// unstripped ELF) or the small test program.
func benchBinary(b *testing.B) string {
	if p := os.Getenv("INSPECT_BENCH_BINARY"); p != "" {
		return p
	}
	return binfiletest.Build(b, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64"})
}

// BenchmarkFuncs is 'inspect funcs': open, find the table, every function
// with the file:line of its entry.
func BenchmarkFuncs(b *testing.B) {
	path := benchBinary(b)
	for b.Loop() {
		bin, err := inspect.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bin.Funcs(inspect.FuncFilter{}); err != nil {
			b.Fatal(err)
		}
		bin.Close()
	}
}

// BenchmarkGosymFuncs is the same work through debug/gosym, which
// go tool addr2line uses: it loads the whole table into Func and Sym
// values and needs runtime.text from the symbol table.
func BenchmarkGosymFuncs(b *testing.B) {
	path := benchBinary(b)
	for b.Loop() {
		f, err := elf.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		data, err := f.Section(".gopclntab").Data()
		if err != nil {
			b.Fatal(err)
		}
		syms, _ := f.Symbols()
		var text uint64
		for _, s := range syms {
			if s.Name == "runtime.text" {
				text = s.Value
			}
		}
		tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text))
		if err != nil {
			b.Fatal(err)
		}
		for _, fn := range tab.Funcs {
			tab.PCToLine(fn.Entry)
		}
		f.Close()
	}
}

// BenchmarkSize is 'inspect size' with the symbol table.
func BenchmarkSize(b *testing.B) {
	path := benchBinary(b)
	for b.Loop() {
		bin, err := inspect.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bin.Size(); err != nil {
			b.Fatal(err)
		}
		bin.Close()
	}
}
